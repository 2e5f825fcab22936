"""A reader's visit in a real Chromium: every page in the light and the dark scheme, on a wide
screen and on a phone; then notes, citations, the notebook, search, the scheme toggle, copying.

The site is built once (`mkdocs build --strict`), served on 127.0.0.1, and opened in Debian's
Chromium driven by Playwright. Every page is visited once per colour scheme (a context with that
`prefers-color-scheme`, which Material follows), with all its notes opened, at 1280 px and then
at 360 px (resized). It must load only from the site itself, log no console error, render its
formulas with KaTeX's stylesheet and fonts really applied, pass axe-core with no violation of any
impact, never scroll sideways at 360 px, and never draw an equation number over its formula.
Screenshots of each page, scheme and width go to test-artifacts/screenshots/. The English edition
(/en/) is visited the same way, and the language switch must keep the reader's page and section.
"""
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from pages import DOCS, MKDOCS_EN, formulas, nav_entries

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WIDE, PHONE = {"width": 1280, "height": 900}, {"width": 360, "height": 780}
axe = Axe()

KATEX = """() => {
    const nodes = document.querySelectorAll('.katex');
    if (!nodes.length) return {count: 0};
    const mathml = document.querySelector('.katex .katex-mathml');
    const font = [...document.fonts].some(f => f.family.replace(/["']/g, '') === 'KaTeX_Main' && f.status === 'loaded');
    return {count: nodes.length, mathmlPosition: mathml && getComputedStyle(mathml).position, fontLoaded: font};
}"""
# Equation numbers drawn over their formula: the number's box meets a box of the formula.
TAGS_OVER_FORMULAS = """() => [...document.querySelectorAll('.katex-html > .katex-tag')].flatMap((tag) => {
    const t = tag.getBoundingClientRect();
    return [...tag.parentElement.querySelectorAll(':scope > .katex-base')].some((base) => {
        const b = base.getBoundingClientRect();
        return b.width && b.left < t.right && t.left < b.right && b.top < t.bottom && t.top < b.bottom;
    }) ? [tag.textContent] : [];
})"""
# Wide math or tables that scroll without the cue (class and shadows set by accessibility.js and extra.css).
SCROLL_WITHOUT_CUE = """() => [...document.querySelectorAll('.math-display, .md-typeset__scrollwrap')]
    .filter((el) => el.offsetParent && el.scrollWidth > el.clientWidth + 1)
    .filter((el) => !el.classList.contains('is-scrollable') || !getComputedStyle(el).backgroundImage.includes('gradient'))
    .map((el) => el.textContent.trim().slice(0, 40))"""


def page_paths(site):
    """URL paths of every page of the built site."""
    return sorted("/" + p.parent.relative_to(site).as_posix().strip(".") + ("/" if p.parent != site else "")
                  for p in site.rglob("index.html") if "search" not in p.relative_to(site).parts)


def visit(context, url):
    """Open url; return (page, requests made, console errors)."""
    page = context.new_page()
    requests, errors = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, requests, errors


def settle(page):
    """Wait until the page has laid out and painted again (after a resize or a click)."""
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))")


def url_path(target):
    """The URL path MkDocs gives a page: index.md -> /, gan.md -> /gan/, notebooks/x.ipynb -> /notebooks/x/."""
    stem = target.rsplit(".", 1)[0].removesuffix("index").rstrip("/")
    return f"/{stem}/" if stem else "/"


def nav_paths():
    """URL paths of the pages both editions' navs declare (the English edition under /en/)."""
    return ({url_path(target) for _, target in nav_entries()}
            | {"/en" + url_path(target) for _, target in nav_entries(MKDOCS_EN)})


# Only violations are read, so axe need not gather every passing node: on the Transformer page
# that took about half its time and made a reply of 2.9 MB (64 KB without). Every rule still runs.
AXE_OPTIONS = {"resultTypes": ["violations"]}


def axe_problems(page, where, context=None):
    return [f"{where}: axe {v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. "
            f"{v['nodes'][0]['target']}: {v['nodes'][0].get('failureSummary', '').splitlines()[-1].strip()})"
            for v in axe.run(page, context=context, options=AXE_OPTIONS).response["violations"]]


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def test_site_has_exactly_the_pages_the_nav_declares(site):
    assert set(page_paths(site)) == nav_paths()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("edition", ["zh", "en"])
def test_every_page_reads_well_in_both_schemes_and_on_a_phone(site, served, browser, edition, scheme):
    # One test per edition and scheme, so pytest-xdist spreads the four over its workers.
    problems = every_page(site, served, browser, scheme, edition)

    assert not problems, "\n".join(problems)


def every_page(site, served, browser, scheme, edition):
    """Problems of every page of one edition in one colour scheme, at 1280 px and then at 360 px."""
    context = browser.new_context(viewport=WIDE, locale="zh-CN", color_scheme=scheme)
    problems = []
    with_math = {url_path(target) for _, target in nav_entries() if target.endswith(".md") and formulas(DOCS / target)}
    with_math |= {"/en" + path for path in with_math}  # the English pages show the same formulas
    own = urlparse(served).netloc
    for path in page_paths(site):
        if path.startswith("/en/") != (edition == "en"):
            continue
        page, requests, errors = visit(context, served + path)
        name = path.strip("/").replace("/", "-") or "index"
        where = f"{path} ({scheme})"
        if page.get_attribute("body", "data-md-color-scheme") != {"light": "default", "dark": "slate"}[scheme]:
            problems.append(f"{where}: Material did not follow prefers-color-scheme")

        katex = page.evaluate(KATEX)
        if path in with_math and not katex["count"]:
            problems.append(f"{where}: the page's source has math, but no KaTeX output is in the page")
        if katex["count"] and katex["mathmlPosition"] != "absolute":
            problems.append(f"{where}: KaTeX stylesheet not applied (.katex-mathml is {katex['mathmlPosition']!r})")
        if katex["count"] and not katex["fontLoaded"]:
            problems.append(f"{where}: KaTeX_Main font not loaded")

        shot(page, f"{scheme}-1280/{name}")
        page.set_viewport_size(PHONE)
        settle(page)
        shot(page, f"{scheme}-360/{name}")

        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # notes too
        settle(page)
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width[0] > width[1]:
            problems.append(f"{where}: at 360 px the page is {width[0]} px wide and scrolls sideways")
        problems += [f"{where}: equation number {tag} drawn over its formula at 360 px" for tag in page.evaluate(TAGS_OVER_FORMULAS)]
        problems += [f"{where}: scrolls sideways at 360 px with no cue: {text!r}" for text in page.evaluate(SCROLL_WITHOUT_CUE)]

        page.set_viewport_size(WIDE)
        settle(page)
        problems += axe_problems(page, where)
        problems += [f"{where}: equation number {tag} drawn over its formula at 1280 px" for tag in page.evaluate(TAGS_OVER_FORMULAS)]

        problems += [f"{where}: request to another host: {url}" for url in requests
                     if urlparse(url).scheme in {"http", "https", "ws", "wss"} and urlparse(url).netloc != own]
        problems += [f"{where}: console error: {error}" for error in errors]
        page.close()
    context.close()
    return problems


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_correction_note_opens_by_keyboard_and_from_the_pages_list(served, browser, scheme):
    context = browser.new_context(viewport=WIDE, locale="zh-CN", color_scheme=scheme)
    page, _, _ = visit(context, served + "/transformer/")
    index = page.locator("details.correction-index")
    index.locator("summary").focus()
    page.keyboard.press("Enter")
    first = index.locator("a").first
    target = first.get_attribute("href")
    first.click()
    settle(page)
    note = page.locator(target)

    assert index.evaluate("d => d.open"), "Enter on the list's summary did not open it"
    assert note.evaluate("d => d.tagName === 'DETAILS' && d.open"), f"following the list to {target} left the note closed"
    assert note.locator("summary").inner_text().startswith("更正")
    assert note.locator(".correction-original .correction-label").inner_text() == "原文"
    assert note.locator(".correction-original .katex").count() >= 1, "the original's formula is not typeset"
    assert note.locator("a[href*='corrections/#']").count() == 1, "the note does not link its ledger entry"
    note.scroll_into_view_if_needed()
    shot(page, f"{scheme}-1280/note-open")
    page.set_viewport_size(PHONE)
    settle(page)
    note.scroll_into_view_if_needed()
    shot(page, f"{scheme}-360/note-open")

    assert not axe_problems(page, f"note ({scheme})", context=target)
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_citation_shows_its_source_by_mouse_and_keyboard(served, browser, scheme):
    context = browser.new_context(viewport=WIDE, locale="zh-CN", color_scheme=scheme)
    page, _, _ = visit(context, served + "/karpathy/")
    button = page.locator("button.citation-ref[popovertarget='cite-techcrunch2017tesla']").first
    popover = page.locator("#cite-techcrunch2017tesla")
    button.scroll_into_view_if_needed()
    button.click()
    settle(page)
    box, view = popover.bounding_box(), page.viewport_size

    assert popover.is_visible() and popover.get_attribute("role") == "dialog"
    assert popover.locator("blockquote[lang='en']").first.inner_text().strip(), "no excerpt in the popover"
    assert "读于" in popover.locator("figcaption").first.inner_text()
    assert popover.locator("a[href*='references/#ref-techcrunch2017tesla']").count() == 1
    assert 0 <= box["x"] and box["x"] + box["width"] <= view["width"], "the popover leaves the screen"
    shot(page, f"{scheme}-1280/citation-popover")
    problems = axe_problems(page, f"popover ({scheme})", context="#cite-techcrunch2017tesla")
    page.keyboard.press("Escape")

    assert not popover.is_visible(), "Esc did not close the popover"

    button.focus()
    page.keyboard.press("Enter")
    settle(page)
    opened = popover.is_visible()
    page.keyboard.press("Tab")
    focus_inside = page.evaluate("document.activeElement.closest('.citation-popover') !== null")
    page.keyboard.press("Escape")
    focus_back = page.evaluate("document.activeElement.getAttribute('popovertarget')")

    assert opened, "Enter on the citation did not open its popover"
    assert focus_inside, "Tab from the citation does not move into its popover"
    assert focus_back == "cite-techcrunch2017tesla", "after Esc, focus did not return to the citation"
    assert not problems, "\n".join(problems)
    context.close()


def test_a_citation_opens_by_touch_on_a_phone_without_widening_it(served, browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", has_touch=True, is_mobile=True)
    page, _, _ = visit(context, served + "/karpathy/")
    button = page.locator("button.citation-ref").nth(5)
    target = button.get_attribute("popovertarget")
    button.scroll_into_view_if_needed()
    button.tap()
    settle(page)
    box = page.locator(f"#{target}").bounding_box()
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    shot(page, "light-360/citation-popover")

    assert page.locator(f"#{target}").is_visible()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and width[0] <= width[1]
    context.close()


def test_the_notebook_page_offers_its_ipynb_and_links_its_headings(served, browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", color_scheme="dark")
    page, _, _ = visit(context, served + "/notebooks/gan-training/")
    link = page.locator(".notebook-download a[download]")
    notebook = context.request.get(page.url + link.get_attribute("href"))
    toc = page.eval_on_selector_all(".md-nav--secondary a.md-nav__link", "els => els.map(e => e.getAttribute('href'))")
    missing = [href for href in toc if not page.locator(f"[id='{href[1:]}']").count()]
    page.locator(".jp-OutputArea-output table").first.scroll_into_view_if_needed()
    shot(page, "dark-360/notebook-table")

    assert link.is_visible() and notebook.ok and "cells" in notebook.json()
    assert toc and not missing, f"contents links to missing headings: {missing}"
    context.close()


@pytest.fixture(scope="module")
def search_page(served, browser):
    # Wide enough that Material keeps the search box open.
    context = browser.new_context(viewport=WIDE, locale="zh-CN")
    page, _, _ = visit(context, served + "/")
    yield page
    context.close()


@pytest.mark.parametrize("term, expected", [
    ("对抗", "/gan/"),
    ("生成对抗网络", "/gan/"),
    ("Karpathy", "/karpathy/"),
    ("Transformer", "/transformer/"),
    ("勘误", "/corrections/"),
])
def test_search_finds_chinese_words_and_latin_names(search_page, term, expected):
    box = search_page.locator("input.md-search__input")
    box.click()
    box.fill("")  # the previous term's results go first
    box.press("End")
    search_page.wait_for_function("!document.querySelector('.md-search-result__item')", timeout=10_000)
    box.fill(term)
    box.press("End")
    search_page.wait_for_selector(".md-search-result__item", timeout=10_000)
    links = search_page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.getAttribute('href'))")

    assert any(expected in (link or "") for link in links), f"search for {term!r} gave {links[:8]}"


def test_dark_mode_toggle_switches_the_scheme(served, context):
    page, _, _ = visit(context, served + "/")
    before = page.get_attribute("body", "data-md-color-scheme")
    page.click("form[data-md-component='palette'] label:visible")
    page.wait_for_timeout(200)
    after = page.get_attribute("body", "data-md-color-scheme")

    assert (before, after) == ("default", "slate")


def test_copy_button_copies_the_code(served, context):
    page, _, _ = visit(context, served + "/transformer/")
    block = page.locator("div.highlight:has(pre)").first
    block.hover()
    block.locator("button[data-md-type='copy']").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    shown = block.locator("code").inner_text()

    assert copied.strip() and copied.strip() == shown.strip()


@pytest.mark.parametrize("path, search, first_code_block", [
    ("/gan/", "搜索", "第 1 个代码块的操作"),
    ("/en/gan/", "Search", "Code block 1: actions"),
])
def test_names_given_for_screen_readers_are_in_the_page_language(served, browser, path, search, first_code_block):
    context = browser.new_context(viewport=WIDE)
    page, _, _ = visit(context, served + path)
    names = page.evaluate("""() => [document.querySelector(".md-search[role='dialog']").getAttribute('aria-label'),
        document.querySelector('nav.md-code__nav').getAttribute('aria-label')]""")
    context.close()

    assert names == [search, first_code_block]


def test_a_formula_in_a_closed_note_gets_its_scroll_cue_when_the_note_opens(served, browser):
    """Widths are read only for what is drawn (accessibility.js): a formula inside a closed note is
    measured when the note opens, and a wide one is then marked and reachable by keyboard."""
    context = browser.new_context(viewport=PHONE)
    page, _, _ = visit(context, served + "/transformer/")
    settle(page)
    hidden = page.evaluate("""() => [...document.querySelectorAll('details:not([open]) .math-display')]
        .filter(el => el.classList.contains('is-scrollable')).length""")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    settle(page)
    opened = page.evaluate("""() => [...document.querySelectorAll('details .math-display')]
        .filter(el => el.scrollWidth > el.clientWidth + 1)
        .map(el => [el.classList.contains('is-scrollable'), el.getAttribute('tabindex')])""")
    context.close()

    assert hidden == 0
    assert opened and all(marked == [True, "0"] for marked in opened), opened


def test_the_axe_check_reports_what_it_looks_for(served, browser):
    """axe_problems, shown failing: faint text, an image without alt text, a button without a name."""
    context = browser.new_context(viewport=WIDE, locale="zh-CN", color_scheme="dark")
    page, _, _ = visit(context, served + "/faq/")
    page.evaluate("""document.querySelector('article').insertAdjacentHTML('beforeend',
        '<p style="color: #3a3d47">faint</p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button type="button"></button>')""")
    problems = "\n".join(axe_problems(page, "/faq/ (dark)"))
    context.close()

    assert "color-contrast" in problems and "image-alt" in problems and "button-name" in problems, problems


def test_the_phone_checks_catch_what_they_look_for(served, browser):
    """The checks above, shown failing: a formula's number over it without our CSS, a page widened
    by a wide block, a wide formula without its cue."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    page, _, _ = visit(context, served + "/gan/")
    page.add_style_tag(content=".md-typeset .katex-display > .katex > .katex-html { padding: 0 !important; "
                               "width: auto !important; min-width: 0 !important }")
    settle(page)
    covered = page.evaluate(TAGS_OVER_FORMULAS)
    page.evaluate("document.querySelectorAll('.is-scrollable').forEach(el => el.classList.remove('is-scrollable'))")
    uncued = page.evaluate(SCROLL_WITHOUT_CUE)
    page.evaluate("document.querySelector('article').insertAdjacentHTML('beforeend', '<p style=\"width: 500px\">wide</p>')")
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    context.close()

    assert covered and uncued and width[0] > width[1]


@pytest.mark.parametrize("term, expected", [
    ("adversarial", "/en/gan/"),
    ("Karpathy", "/en/karpathy/"),
    ("Transformer", "/en/transformer/"),
    ("ledger", "/en/corrections/"),
])
def test_english_search_finds_english_words(served, browser, term, expected):
    context = browser.new_context(viewport=WIDE, locale="en-GB")
    page, _, _ = visit(context, served + "/en/")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(term)
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    links = [page.evaluate("(href) => new URL(href, location.href).pathname", href)
             for href in page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.getAttribute('href'))")]
    context.close()

    assert any(link.startswith(expected) for link in links), f"search for {term!r} on /en/ gave {links[:8]}"


@pytest.mark.parametrize("start, language, arrive", [
    ("/gan/#value-function", "English", "/en/gan/#value-function"),
    ("/en/transformer/#multi-head-attention", "中文", "/transformer/#multi-head-attention"),
    ("/en/", "中文", "/"),
])
def test_the_language_switch_keeps_the_page_and_the_section(served, browser, start, language, arrive):
    context = browser.new_context(viewport=WIDE)
    page, _, errors = visit(context, served + start)
    page.hover(".md-header__option .md-select")
    page.click(f".md-select__link[data-edition]:text-is('{language}')")
    page.wait_for_load_state("load")
    url = urlparse(page.url)
    context.close()

    assert url.path + (f"#{url.fragment}" if url.fragment else "") == arrive
    assert not errors
