"""The corrections ledger (docs/corrections.yml): complete, sourced, and shown on its pages."""
import hashlib
import re
from collections import Counter

import pytest

import project_data
from pages import ROOT, pages

SEED_SHA256 = "752a82d88f622249835be60c4cf46120854d4c6ba0ac62eebb02d4bbd85504e3"
MARKER = re.compile(r"^<!--\s*correction:\s*(\S+)\s*-->\s*$", re.M)


def markers():
    """{id: [(page, line)]} for every `<!-- correction: id -->` on a page."""
    found = {}
    for page in pages():
        text = page.read_text(encoding="utf-8")
        for match in MARKER.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            found.setdefault(match.group(1), []).append((page.relative_to(ROOT / "docs").as_posix(), line))
    return found


def test_seed_copy_is_the_original_article():
    digest = hashlib.sha256(project_data.SEED.read_bytes()).hexdigest()

    assert digest == SEED_SHA256, "docs/seed/original.txt changed: it must stay the article exactly as handed over"


def test_every_ledger_entry_is_complete_and_sourced():
    try:
        project_data.load_ledger()
    except project_data.DataError as err:
        pytest.fail(f"docs/corrections.yml has problems:\n{err}", pytrace=False)


def test_ledger_is_not_empty():
    assert len(project_data.load_ledger()) >= 40


def test_every_ledger_entry_is_shown_on_its_page():
    shown = markers()
    missing = [
        f"docs/corrections.yml:{entry['line']}: correction {entry['id']!r} has no "
        f"`<!-- correction: {entry['id']} -->` marker on docs/{entry['page']}"
        for entry in project_data.load_ledger()
        if entry["page"] not in [page for page, _ in shown.get(entry["id"], [])]
    ]

    assert not missing, "\n".join(missing)


def test_every_correction_note_has_a_ledger_entry():
    known = {entry["id"] for entry in project_data.load_ledger()}
    unknown = [f"docs/{page}:{line}: correction {ident!r} is not in docs/corrections.yml; check the id, or add the entry there first"
               for ident, places in markers().items() if ident not in known for page, line in places]

    assert not unknown, "\n".join(unknown)


def test_each_correction_is_shown_once():
    repeated = [f"docs/{page}:{line}: correction {ident!r} is already shown at docs/{places[0][0]}:{places[0][1]}; "
                "show each correction once: delete one of the markers"
                for ident, places in markers().items() for page, line in places[1:]]

    assert not repeated, "\n".join(repeated)


def test_every_correction_note_is_on_its_entrys_page():
    ledger = {entry["id"]: entry for entry in project_data.load_ledger()}
    misplaced = [f"docs/{page}:{line}: correction {ident!r} belongs on docs/{ledger[ident]['page']} "
                 f"(its 'page' field, docs/corrections.yml:{ledger[ident]['lines']['page']}), not here; "
                 "move the marker or change 'page'"
                 for ident, places in markers().items() if ident in ledger
                 for page, line in places if page != ledger[ident]["page"]]

    assert not misplaced, "\n".join(misplaced)


def test_every_category_is_used():
    counts = Counter(entry["category"] for entry in project_data.load_ledger())

    assert set(counts) <= set(project_data.CATEGORIES)
    assert {"biography", "attribution", "formula", "code", "reference"} <= set(counts), counts


def test_a_correction_without_a_source_is_reported_by_entry(tmp_path):
    ledger = tmp_path / "corrections.yml"
    ledger.write_text(
        "- id: phd-field\n  title: 博士学位\n  page: index.md\n  anchor: how-it-is-checked\n  category: biography\n"
        "  original: 获得了计算机科学博士学位\n  corrected: x\n  why: y\n  sources: []\n",
        encoding="utf-8",
    )

    with pytest.raises(project_data.DataError) as caught:
        project_data.load_ledger(ledger)

    assert f"{ledger}:1: correction 'phd-field': missing sources" in str(caught.value)


@pytest.mark.parametrize("field, value, message", [
    ("original", "原文里没有这句话", "'original' is not quoted verbatim"),
    ("sources", "[no-such-work]", "source 'no-such-work' is not in docs/references.yml"),
    ("anchor", "no-such-heading", "page index.md has no heading with id #no-such-heading"),
    ("page", "no-such-page.md", "page 'no-such-page.md' does not exist"),
    ("category", "typo", "'category' must be one of"),
    ("title", "一个把原文的错误和更正的来龙去脉都说清楚的长句子", "'title' is 48 columns wide; say what was corrected in a few words"),
    ("title", "价值函数漏掉了 $\\max_D$", "'title' is plain words (a `code` span is allowed): no math, links"),
])
def test_a_bad_ledger_field_is_reported_with_file_line_and_fix(tmp_path, field, value, message):
    entry = {"id": "sample", "title": "示例", "page": "index.md", "anchor": "how-it-is-checked", "category": "biography",
             "original": "获得了计算机科学博士学位", "corrected": "x", "why": "y", "sources": "[vaswani2017]"}
    entry[field] = value
    ledger = tmp_path / "corrections.yml"
    ledger.write_text("\n\n- " + "\n  ".join(f"{k}: {v}" for k, v in entry.items()) + "\n", encoding="utf-8")

    with pytest.raises(project_data.DataError) as caught:
        project_data.load_ledger(ledger)

    line = 3 + list(entry).index(field)  # the line of the field, in the order written above

    assert f"{ledger}:{line}: correction 'sample': {message}" in str(caught.value)


def test_data_files_are_parsed_again_when_they_change_and_callers_cannot_spoil_the_cache(tmp_path):
    """project_data keeps the last parse of each file (a build asks for the ledger once per page):
    an edit under `mkdocs serve` must be seen, and a caller's change to an entry must not leak."""
    data = tmp_path / "entries.yml"
    data.write_text("- id: first\n", encoding="utf-8")
    (entry, line, _), = project_data.load_entries(data)
    entry["id"] = "changed by a caller"

    assert project_data.load_entries(data)[0][0] == {"id": "first"}
    data.write_text("- id: first\n- id: second\n", encoding="utf-8")
    assert [e["id"] for e, _, _ in project_data.load_entries(data)] == ["first", "second"]
