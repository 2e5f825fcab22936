"""The built site: every page carries the banner, the dates and the links, and loads nothing from elsewhere.

A problem found in the built HTML is reported at the source line that caused it (tests/pages.py,
locate): the page, the file it includes, or the ledger entry behind a correction note.
"""
import os
import re
from html.parser import HTMLParser

import pytest

from pages import MKDOCS_EN, locate, nav_entries
from repository import github_url, origin_url

REMOTE = re.compile(r"^(https?:)?//", re.I)
LOADS = {("img", "src"), ("script", "src"), ("link", "href"), ("iframe", "src"), ("source", "src"),
         ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data"), ("image", "href")}


class Banner(HTMLParser):
    """The text and links inside Material's announcement bar (`<aside class="md-banner">`)."""

    def __init__(self):
        super().__init__()
        self.depth, self.text, self.links = 0, [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth or (tag == "aside" and "md-banner" in (attrs.get("class") or "").split()):
            self.depth += 1
            if tag == "a":
                self.links.append(attrs.get("href") or "")

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.text.append(data)


class Loads(HTMLParser):
    """Collect what a browser would fetch while rendering the page (not what a click would open)."""

    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and not {"stylesheet", "icon", "preload", "manifest", "modulepreload"} & set((attrs.get("rel") or "").split()):
            return
        self.urls += [attrs[name] for t, name in LOADS if t == tag and attrs.get(name)]
        if attrs.get("style") and "url(" in attrs["style"]:
            self.urls += re.findall(r"url\(['\"]?([^'\")]+)", attrs["style"])


# What each edition's pages say in their own language (overrides/main.html, hooks/words.py).
WORDS = {"zh": {"banner": "勘误版", "report": ">报告本页的错误</a>"},
         "en": {"banner": "corrected edition", "report": ">Report an error on this page</a>"}}


def html_pages(site):
    """Every page of both editions: the English one is the site's en/ folder."""
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html" or p.parent in (site, site / "en"))


def edition(site, page):
    """'en' for a page of the English edition, else 'zh'."""
    return "en" if page.relative_to(site).parts[0] == "en" else "zh"


def test_the_site_has_exactly_the_pages_the_nav_declares(site):
    """The checks below go through every built page: this makes sure that is every page."""
    built = {p.parent.relative_to(site).as_posix() for p in html_pages(site) if p.name == "index.html"} - {"search", "en/search"}
    declared = {target.rsplit(".", 1)[0].removesuffix("index").rstrip("/") or "." for _, target in nav_entries()}
    declared |= {("en/" + target.rsplit(".", 1)[0].removesuffix("index")).rstrip("/")
                 for _, target in nav_entries(MKDOCS_EN)}

    assert built == declared


def test_every_page_loads_only_from_its_own_site(site):
    remote = []
    for page in html_pages(site):
        parser = Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        remote += [f"{locate(site, page, url)}: loads {url} from another host; save it under docs/assets/ "
                   f"and link it relatively (in {page.relative_to(site)})" for url in parser.urls if REMOTE.match(url)]

    assert not remote, "\n".join(remote)


def test_stylesheets_load_nothing_from_elsewhere(site):
    remote = [f"{css.relative_to(site)}: {url}" for css in site.rglob("*.css")
              for url in re.findall(r"(?:url\(|@import\s+)['\"]?((?:https?:)?//[^'\")\s]+)", css.read_text(encoding="utf-8"))]

    assert not remote, "\n".join(remote)


def test_every_page_carries_the_edition_banner(site):
    missing = []
    for page in html_pages(site):
        banner = Banner()
        banner.feed(page.read_text(encoding="utf-8"))
        # The 404 page links from the site's root (it is served at any depth); the others relatively.
        root = site / "en" if edition(site, page) == "en" else site
        links_to_ledger = any(((site / link.lstrip("/")) if link.startswith("/") else (page.parent / link)).resolve()
                              == (root / "corrections").resolve() for link in banner.links)
        if WORDS[edition(site, page)]["banner"] not in "".join(banner.text) or not links_to_ledger:
            missing.append(str(page.relative_to(site)))

    assert not missing, f"pages without the banner (勘误版 / corrected edition, linking its ledger; overrides/main.html): {missing}"


def content_pages(site):
    return [p for p in html_pages(site) if p.name == "index.html" and p.parent not in (site / "search", site / "en" / "search")]


def repository():
    """The repository the session's build links to (hooks/repository.py): SITE_REPO_URL, else the git
    remote origin on GitHub, else none."""
    given = os.environ.get("SITE_REPO_URL")
    return (github_url(given) or given.rstrip("/")) if given else github_url(origin_url())


def test_every_content_page_has_a_last_updated_date(site):
    missing = [str(p.relative_to(site)) for p in content_pages(site)
               if "git-revision-date-localized-plugin" not in p.read_text(encoding="utf-8")]

    assert not missing, f"pages without a last-updated date: {missing}"


@pytest.mark.parametrize("needle, what", [
    ('rel="edit"', "an edit-this-page link"),
    ("report", "a report-an-error link"),
    ('class="md-source"', "a link to the source"),
])
def test_every_content_page_links_the_repository_when_one_is_known(site, needle, what):
    pages_with = [str(p.relative_to(site)) for p in content_pages(site)
                  if WORDS[edition(site, p)].get(needle, needle) in p.read_text(encoding="utf-8")]

    if repository():
        assert len(pages_with) == len(content_pages(site)), f"pages without {what}"
    else:
        assert not pages_with, f"{what} with no repository known (no SITE_REPO_URL, no GitHub remote): {pages_with}"


def test_no_page_links_to_a_markdown_file(site):
    """A link written in raw HTML is not rewritten by MkDocs: `corrections.md#x` would 404 on the site."""
    found = [f"{p.relative_to(site)}: {link}" for p in html_pages(site)
             for link in re.findall(r'href="([^"]+)"', p.read_text(encoding="utf-8"))
             if not REMOTE.match(link) and re.search(r"\.md(#|$)", link)]

    assert not found, "\n".join(found)


def test_no_page_links_to_a_placeholder_repository(site):
    found = [f"{p.relative_to(site)}: {link}" for p in html_pages(site)
             for link in re.findall(r'href="(https?://github\.com/[^"]*)"', p.read_text(encoding="utf-8"))
             if re.search(r"/OWNER\b|/REPO\b", link) or repository() and "/blob/main/tests/" in link
             and not link.startswith(repository() + "/")]

    assert not found, "\n".join(found)


def test_math_is_rendered_at_build_time(site):
    leftovers = [str(p.relative_to(site)) for p in html_pages(site) if 'class="arithmatex"' in p.read_text(encoding="utf-8")]
    rendered = sum(p.read_text(encoding="utf-8").count('class="katex"') for p in html_pages(site))

    assert not leftovers, f"math left for the browser on: {leftovers}"
    assert rendered > 0
    assert (site / "assets/katex/katex.min.css").is_file()
    assert list((site / "assets/katex/fonts").glob("*.woff2"))


def test_a_page_loads_katex_stylesheet_exactly_when_it_shows_a_formula(site):
    shows, loads = {}, {}
    for p in html_pages(site):
        text = p.read_text(encoding="utf-8")
        shows[p.relative_to(site)] = 'class="katex' in text
        loads[p.relative_to(site)] = "assets/katex/katex.min.css" in text
    wrong = [f"{page}: {'shows a formula without' if shows[page] else 'loads'} KaTeX's stylesheet"
             for page in shows if shows[page] != loads[page]]

    assert not wrong, "\n".join(wrong)
    assert not all(loads.values())  # the FAQ, the notebooks and others have no formula


def test_no_page_loads_math_javascript(site):
    scripts = [f"{p.relative_to(site)}: {s}" for p in html_pages(site)
               for s in re.findall(r'<script[^>]+src="([^"]+)"', p.read_text(encoding="utf-8"))
               if re.search(r"katex|mathjax", s, re.I)]

    assert not scripts, "\n".join(scripts)


def test_notebook_headings_take_the_english_editions_ids(site):
    """nbconvert gives a Chinese heading no id of its own (the contents linked `#_1`, `#_2`, …):
    hooks/notebooks.py gives both editions the English edition's ids, as pages share `{ #id }`s,
    so the language switch keeps the reader's section on a notebook page too."""
    editions = [folder for folder in (site, site / "en") if (folder / "notebooks").is_dir()]
    found = {}
    for folder in editions:
        for page in sorted((folder / "notebooks").glob("*/index.html")):
            html = page.read_text(encoding="utf-8")
            ids = re.findall(r'<h[1-6] id="([^"]*)"', html)
            contents = set(re.findall(r'href="#([^"]+)" class="md-nav__link"', html))
            found.setdefault(page.parent.name, []).append(ids)

            assert ids and all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", i) for i in ids), (page, ids)
            assert contents and contents <= set(ids), (page, contents - set(ids))

    assert found["gan-training"][0] == ["training-a-generative-adversarial-network", "training", "loss-curves",
                                        "generated-digits", "quality-evaluation", "summary"]
    assert all(ids == editions_ids[0] for editions_ids in found.values() for ids in editions_ids)
