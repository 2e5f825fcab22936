"""A reader's visit in a real Chromium: every page, then search, the dark-mode toggle and a copy button.

The site is built once (`mkdocs build --strict`), served on 127.0.0.1, and opened in Debian's
Chromium driven by Playwright. Each page must load only from the site itself, log no console
error, render its formulas with KaTeX's stylesheet and fonts really applied, and pass axe-core
with no serious or critical violation. A screenshot of each page goes to test-artifacts/.
"""
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe

from pages import DOCS, formulas, nav_entries

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


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
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")
    return page, requests, errors


def url_path(target):
    """The URL path MkDocs gives a page: index.md -> /, gan.md -> /gan/, notebooks/x.ipynb -> /notebooks/x/."""
    stem = target.rsplit(".", 1)[0].removesuffix("index").rstrip("/")
    return f"/{stem}/" if stem else "/"


def nav_paths():
    """URL paths of the pages mkdocs.yml's nav declares."""
    return {url_path(target) for _, target in nav_entries()}


def test_site_has_exactly_the_pages_the_nav_declares(site):
    assert set(page_paths(site)) == nav_paths()


def test_every_page_in_a_real_browser(site, served, context):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    problems = []
    with_math = {url_path(target) for _, target in nav_entries() if target.endswith(".md") and formulas(DOCS / target)}
    for path in page_paths(site):
        page, requests, errors = visit(context, served + path)
        own = urlparse(served).netloc
        problems += [f"{path}: request to another host: {url}" for url in requests
                     if urlparse(url).scheme in {"http", "https", "ws", "wss"} and urlparse(url).netloc != own]
        problems += [f"{path}: console error: {error}" for error in errors]

        katex = page.evaluate("""() => {
            const nodes = document.querySelectorAll('.katex');
            if (!nodes.length) return {count: 0};
            const mathml = document.querySelector('.katex .katex-mathml');
            const font = [...document.fonts].some(f => f.family.replace(/["']/g, '') === 'KaTeX_Main' && f.status === 'loaded');
            const html = getComputedStyle(document.querySelector('.katex .katex-html .base') || nodes[0]);
            return {count: nodes.length, mathmlPosition: mathml && getComputedStyle(mathml).position,
                    fontLoaded: font, baseFont: html.fontFamily};
        }""")
        if path in with_math and not katex["count"]:
            problems.append(f"{path}: the page's source has math, but no KaTeX output is in the page")
        if katex["count"]:
            if katex["mathmlPosition"] != "absolute":
                problems.append(f"{path}: KaTeX stylesheet not applied (.katex-mathml is {katex['mathmlPosition']!r})")
            if not katex["fontLoaded"]:
                problems.append(f"{path}: KaTeX_Main font not loaded")

        violations = [v for v in axe.run(page).response["violations"] if v["impact"] in {"serious", "critical"}]
        problems += [f"{path}: axe {v['impact']} {v['id']}: {v['help']} "
                     f"({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']})" for v in violations]

        name = path.strip("/").replace("/", "-") or "index"
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
        page.close()

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("term, expected", [
    ("对抗", "/gan/"),
    ("生成对抗网络", "/gan/"),
    ("Karpathy", "/karpathy/"),
    ("Transformer", "/transformer/"),
    ("勘误", "/corrections/"),
])
def test_search_finds_chinese_words_and_latin_names(served, context, term, expected):
    page, _, _ = visit(context, served + "/")
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(term)
    box.press("End")
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    links = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.getAttribute('href'))")

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
