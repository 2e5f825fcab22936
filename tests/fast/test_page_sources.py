"""What a page's Markdown asks the browser to load or show, checked in the source so the message names
the file and line to fix (tests/site/test_site.py checks the built pages too)."""
import re

from pages import ledger_by_id, pages, shown_lines


def lines_matching(pattern, advice):
    """`file:line: advice` for every line a page shows (its own, included, from the ledger) that matches pattern."""
    ledger = ledger_by_id()  # once, not once a page
    found = {str(origin): None for page in pages() for origin, text in shown_lines(page, ledger) if pattern.search(text)}
    return [f"{origin}: {advice}" for origin in found]


def test_pages_reference_no_outside_resource_in_source():
    """Caught in the Markdown too, so the message names the file and line to fix."""
    pattern = re.compile(r"<(img|script|link|iframe|source|video|audio)\b[^>]*\b(src|href)=[\"']?(https?:)?//|!\[[^\]]*\]\((https?:)?//", re.I)
    found = lines_matching(pattern, "loads a resource from another host; save it under docs/assets/ and link it relatively")

    assert not found, "\n".join(found)


def test_every_image_has_alt_text():
    pattern = re.compile(r"!\[\s*\]\(|<img\b(?![^>]*\balt=\"[^\"]+\")[^>]*>", re.I)
    found = lines_matching(pattern, "an image without alt text; describe it in ![…](…)")

    assert not found, "\n".join(found)
