"""The glossary page (docs/glossary.md) is enforced: no avoided term, and terms introduced in both languages."""
import re

import project_data
from pages import DOCS, prose_files, prose_lines, rel

GLOSSARY = DOCS / "glossary.md"
ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$")


def glossary():
    """[(english, [preferred], [avoided])] from the glossary table."""
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if not match or match.group(1) in {"English", "---"} or set(match.group(1)) <= {"-"}:
            continue
        english, preferred, avoided = match.groups()
        split = lambda cell: [t.strip() for t in re.split(r"[、/]", cell) if t.strip() and t.strip() != "—"]
        rows.append((english, split(re.sub(r"（.*?）", "", preferred)), split(avoided)))
    return rows


def avoided_terms():
    return [(term, preferred) for _, preferred, avoided in glossary() for term in avoided if re.search(r"[\u4e00-\u9fff]", term)]


def test_glossary_has_terms():
    assert len(glossary()) >= 15


def test_pages_use_the_glossary_terms():
    problems = []
    avoided = avoided_terms()  # once, not once a line: it reads and parses the glossary
    for page in prose_files():
        if page == GLOSSARY:
            continue
        for number, line in prose_lines(page):
            problems += [f"{rel(page)}:{number}: write {'/'.join(preferred)!r} instead of {term!r} (see docs/glossary.md)"
                         for term, preferred in avoided if term in line]

    assert not problems, "\n".join(problems)


def test_ledger_prose_uses_the_glossary_terms():
    avoided = avoided_terms()
    problems = [f"docs/corrections.yml:{entry['line']}: {entry['id']}: write {'/'.join(preferred)!r} instead of {term!r}"
                for entry in project_data.load_ledger() for field in ("title", "corrected", "why")
                for term, preferred in avoided if term in entry[field]]

    assert not problems, "\n".join(problems)


def test_first_use_of_a_term_gives_both_languages():
    """The first time a glossary term appears on a page, an English gloss in （…） follows within the phrase."""
    problems = []
    for page in prose_files():
        if page == GLOSSARY:
            continue
        text = "\n".join(line for _, line in prose_lines(page))
        for english, preferred, _ in glossary():
            names = english.split(" / ")
            for i, term in enumerate(preferred):
                if not re.search(r"[\u4e00-\u9fff]", term):
                    continue
                at = text.find(term)
                if at >= 0 and not re.match(r"[^\n。]{0,24}?（[^）]*[A-Za-z]", text[at:]):
                    number = next(n for n, line in prose_lines(page) if term in line)
                    problems.append(f"{rel(page)}:{number}: first use of {term!r} on this page needs the English term: "
                                    f"{term}（{names[i] if len(names) == len(preferred) else english}）")

    assert not problems, "\n".join(problems)
