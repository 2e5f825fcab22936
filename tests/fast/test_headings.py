"""Headings keep stable English ids, so links and ledger anchors survive rewording and translation."""
import re

from markers import FENCE
from pages import pages, rel

HEADING = re.compile(r"^(#{2,6})\s+(.*)$")
ID = re.compile(r"\{[^}]*#([a-z0-9]+(?:-[a-z0-9]+)*)[^}]*\}\s*$")


def headings(path):
    fence = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        opening = FENCE.match(line)
        if opening and (fence is None or opening.group(1).startswith(fence)):
            fence = None if fence else opening.group(1)
        elif fence is None and HEADING.match(line):
            yield number, HEADING.match(line).group(2)


def test_every_heading_has_an_explicit_english_id():
    missing = [f"{rel(page)}:{number}: heading {text!r} needs an id: `## {text} {{ #english-words }}`"
               for page in pages() for number, text in headings(page) if not ID.search(text)]

    assert not missing, "\n".join(missing)


def test_heading_ids_are_unique_on_each_page():
    repeated = []
    for page in pages():
        first = {}
        for number, text in headings(page):
            ident = ID.search(text).group(1) if ID.search(text) else None
            if ident is None:
                continue
            if ident in first:
                repeated.append(f"{rel(page)}:{number}: heading id #{ident} is already used at line {first[ident]}; "
                                "give this heading another id (links and ledger anchors need one place to point at)")
            first.setdefault(ident, number)

    assert not repeated, "\n".join(repeated)
