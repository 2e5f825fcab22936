"""The offline copy, as a reader uses it: unzip, open index.html from disk, click, search, read a formula.

The zip is made once per session by scripts/build_offline.py, as the Pages workflow makes it,
and unpacked into a temporary folder; every page is then opened from file://. Nothing may be
requested from any host: search, its worker and KaTeX's fonts all come from the folder.
"""
import zipfile
from urllib.parse import urlparse

import pytest

from scripts import build_offline

pytestmark = pytest.mark.browser

LOCAL = {"file", "data", "blob", "about"}


@pytest.fixture(scope="session")
def offline_copy(tmp_path_factory):
    """The unpacked offline zip: the folder holding index.html."""
    work = tmp_path_factory.mktemp("offline")
    build_offline.build(work / "build")
    archive = work / "offline.zip"
    build_offline.write_zip(work / "build", archive)
    with zipfile.ZipFile(archive) as unpacked:
        unpacked.extractall(work / "unzipped")
    return work / "unzipped" / build_offline.FOLDER


@pytest.fixture
def reader(browser):
    """A page, with the requests it makes and the errors it logs."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.requests, page.errors = [], []
    page.on("request", lambda request: page.requests.append(request.url))
    page.on("console", lambda message: page.errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def loaded_from_elsewhere(page):
    return [url for url in page.requests if urlparse(url).scheme not in LOCAL]


def test_offline_copy_opens_from_disk_follows_a_link_and_typesets_math(offline_copy, reader):
    reader.goto((offline_copy / "index.html").as_uri())
    reader.click("nav.md-nav--primary a[href='transformer.html']")
    reader.wait_for_url("**/transformer.html")
    reader.evaluate("document.fonts.ready.then(() => true)")
    math = reader.evaluate("""() => {
        const mathml = document.querySelector('.katex .katex-mathml');
        return {count: document.querySelectorAll('.katex').length,
                mathmlPosition: mathml && getComputedStyle(mathml).position,
                fontLoaded: [...document.fonts].some(f => f.family.replace(/["']/g, '') === 'KaTeX_Main'
                                                          && f.status === 'loaded')};
    }""")

    assert reader.url.startswith("file://") and reader.title().startswith("Transformer")
    assert math["count"] > 0, "no KaTeX output on the Transformer page"
    assert math["mathmlPosition"] == "absolute", "KaTeX's stylesheet is not applied from disk"
    assert math["fontLoaded"], "KaTeX_Main was not loaded from disk"
    assert not loaded_from_elsewhere(reader), loaded_from_elsewhere(reader)
    assert not reader.errors, reader.errors


@pytest.mark.parametrize("home, term, expected", [
    ("index.html", "对抗", "/gan.html"),   # inside 生成对抗网络: found only through jieba's segmentation in the index
    ("index.html", "Karpathy", "/karpathy.html"),
    ("en/index.html", "discriminator", "/en/gan.html"),  # the English edition searches its own index
])
def test_offline_copy_searches_from_disk(offline_copy, reader, home, term, expected):
    reader.goto((offline_copy / home).as_uri())
    box = reader.locator("input.md-search__input")
    box.click()
    box.fill(term)
    box.press("End")
    reader.wait_for_selector(".md-search-result__item", timeout=10_000)
    links = reader.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.getAttribute('href'))")

    assert any(expected in (link or "") for link in links), f"search for {term!r} gave {links[:8]}"
    assert all((link or "").startswith("file://") for link in links), links[:8]
    assert not loaded_from_elsewhere(reader), loaded_from_elsewhere(reader)
    assert not reader.errors, reader.errors


def test_offline_copy_switches_language_on_the_same_page(offline_copy, reader):
    """Both editions are in the copy, as on the public site: the switch leads to the same page."""
    reader.goto((offline_copy / "transformer.html").as_uri())
    reader.hover(".md-header__option .md-select")  # the menu opens on hover
    reader.click(".md-select__link[data-edition][hreflang='en']")
    reader.wait_for_url("**/en/transformer.html*")

    assert reader.evaluate("document.documentElement.lang") == "en"
    assert reader.evaluate("document.querySelectorAll('.katex').length") > 0
    reader.hover(".md-header__option .md-select")
    reader.click(".md-select__link[data-edition][hreflang='zh']")
    reader.wait_for_url("**/karpathy-gan-transformer/transformer.html*")
    assert reader.evaluate("document.documentElement.lang").startswith("zh")
    assert not loaded_from_elsewhere(reader), loaded_from_elsewhere(reader)
    assert not reader.errors, reader.errors
