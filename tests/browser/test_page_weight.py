"""What a page downloads as it loads: the search index waits until the reader opens search.

Material requests search/search_index.json with every page; it weighs more than most pages.
hooks/search_on_demand.py holds it until the search box is used (see its docstring).
"""
import pytest

pytestmark = pytest.mark.browser


def opened(context, url):
    page = context.new_page()
    page.requests = []
    page.on("request", lambda request: page.requests.append(request.url))
    page.goto(url, wait_until="networkidle")
    return page


def asked_for_index(page):
    return any(url.split("?")[0].endswith("/search/search_index.json") for url in page.requests)


def test_a_page_loads_without_the_search_index(served, context):
    page = opened(context, served + "/faq/")
    page.wait_for_timeout(500)

    assert not asked_for_index(page)


def test_opening_search_loads_the_index_and_finds(served, context):
    page = opened(context, served + "/faq/")
    page.keyboard.press("/")   # Material's shortcut: focuses the search box
    page.keyboard.type("Karpathy")
    page.wait_for_selector(".md-search-result__item a[href*='/karpathy/']", timeout=10_000)

    assert asked_for_index(page)


def test_a_highlighted_result_loads_the_index_at_once(served, context):
    page = opened(context, served + "/karpathy/?h=karpathy")
    page.wait_for_selector("mark", timeout=10_000)

    assert asked_for_index(page)
