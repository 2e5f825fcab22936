"""Headings keep stable English ids, so links and ledger anchors survive rewording and translation."""
import re
from collections import Counter

from pages import pages, rel

HEADING = re.compile(r"^(#{2,6})\s+(.*)$")
ID = re.compile(r"\{[^}]*#([a-z0-9]+(?:-[a-z0-9]+)*)[^}]*\}\s*$")


def headings(path):
    fence = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        match = HEADING.match(line) if not fence else None
        if match:
            yield number, match.group(2)


def test_every_heading_has_an_explicit_english_id():
    missing = [f"{rel(page)}:{number}: heading {text!r} needs an id: `## {text} {{ #english-words }}`"
               for page in pages() for number, text in headings(page) if not ID.search(text)]

    assert not missing, "\n".join(missing)


def test_heading_ids_are_unique_on_each_page():
    repeated = []
    for page in pages():
        ids = Counter(ID.search(text).group(1) for _, text in headings(page) if ID.search(text))
        repeated += [f"{rel(page)}: id #{ident} is used {count} times" for ident, count in ids.items() if count > 1]

    assert not repeated, "\n".join(repeated)
