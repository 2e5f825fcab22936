"""Show the corrections ledger (docs/corrections.yml) on the pages.

Markers, each on a line of its own:
- `<!-- correction: ID -->` after a corrected passage: a collapsible note 原文 → 更正 with the
  reason, the sources and a link to the ledger entry. The marker must sit on the page the entry
  names.
- `<!-- corrections-table -->`: the whole ledger, one block per entry (the 勘误表 page).
- `<!-- original-annotated -->`: the original article as it was, each passage the ledger
  corrects highlighted and linked to its entry.
- `<!-- seed-quote -->` … `<!-- /seed-quote -->` on lines of their own: a passage quoted verbatim
  from the original, shown as a labelled quotation (the prose checks skip it).
An unknown id, a marker on the wrong page, a correction shown twice, an unclosed quotation or a
bad ledger entry fails the build, naming the file and line. The lines of a note are recorded as
coming from the ledger entry's fields (hooks/markers.py), so later hooks name those instead.
"""
import html
import posixpath
import sys
from collections import Counter
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
import project_data  # noqa: E402
from markers import Origin, Problems, Sourced, find_markers  # noqa: E402

LEDGER = project_data.relative(project_data.LEDGER)
_ledger = {}
_problems = Problems("corrections")


def on_pre_build(config):
    try:
        entries = project_data.load_ledger()
    except project_data.DataError as err:
        raise PluginError(f"The corrections ledger has problems:\n{err}")
    _ledger.clear()
    _ledger.update({entry["id"]: entry for entry in entries})
    _problems.clear()


def on_post_build(config):
    _problems.fail_if_any()


def seed_text(text):
    """Escape seed text so Markdown, math and HTML inside it show literally."""
    special = set("$\\*_`[]{}#!|~^&<>\"'")
    escaped = "".join(f"&#{ord(char)};" if char in special else char for char in text)
    return escaped.replace("\n", "<br>\n")


def _relpath(target, page):
    return posixpath.relpath(target, posixpath.dirname(page.file.src_uri) or ".")


def _from_ledger(entry, lines):
    """[(field, text)] -> Sourced lines, each text coming from that field of the ledger entry."""
    return Sourced((text, Origin(LEDGER, entry["lines"].get(field, entry["line"]))) for field, text in lines)


def note(entry, page):
    sources = "; ".join(f"@{key}" for key in entry["sources"])
    quote = seed_text(entry["original"]).replace("\n", "\n    > ")
    return _from_ledger(entry, [
        ("id", f'??? correction "勘误（{project_data.CATEGORIES[entry["category"]]}）：原文 → 更正"'),
        ("id", '    <span class="correction-label">原文</span>'),
        ("id", ""),
        ("original", f"    > {quote}"),
        ("original", ""),
        ("corrected", f"    **更正**：{entry['corrected'].strip()}"),
        ("corrected", ""),
        ("why", f"    **理由**：{entry['why'].strip()}"),
        ("why", ""),
        ("sources", f"    **来源**：[{sources}] · [勘误表条目 `{entry['id']}`]({_relpath('corrections.md', page)}#{entry['id']})"),
        ("sources", ""),
    ])


def table(page):
    counts = Counter(entry["category"] for entry in _ledger.values())
    lines = ["| 类别 | 条目数 |", "|---|---|"]
    lines += [f"| {label}（{key}） | {counts[key]} |" for key, label in project_data.CATEGORIES.items() if counts[key]]
    lines += [f"| 合计 | {len(_ledger)} |", ""]
    out = Sourced((line, Origin(LEDGER, 1)) for line in lines)
    for entry in _ledger.values():
        sources = "; ".join(f"@{key}" for key in entry["sources"])
        quote = seed_text(entry["original"]).replace("\n", "\n> ")
        out += _from_ledger(entry, [
            ("id", f'<div class="ledger-entry" id="{entry["id"]}" markdown>'),
            ("id", ""),
            ("id", f"**`{entry['id']}`** · {project_data.CATEGORIES[entry['category']]} · "
                   f"[{entry['page']}#{entry['anchor']}]({_relpath(entry['page'], page)}#{entry['anchor']})"),
            ("id", ""),
            ("original", f"> {quote}"),
            ("original", ""),
            ("corrected", f"**更正**：{entry['corrected'].strip()}"),
            ("corrected", ""),
            ("why", f"**理由**：{entry['why'].strip()}"),
            ("why", ""),
            ("sources", f"**来源**：[{sources}]"),
            ("sources", ""),
            ("id", "</div>"),
            ("id", ""),
        ])
    return out


def annotated_original(page, files):
    """The seed in a <pre>, with every ledger quote wrapped in a link to its entry."""
    seed = project_data.SEED.read_text(encoding="utf-8")
    owners = [[] for _ in seed]
    for entry in _ledger.values():
        start = seed.find(entry["original"])
        while start >= 0:
            for i in range(start, start + len(entry["original"])):
                owners[i].append(entry["id"])
            start = seed.find(entry["original"], start + 1)
    corrections_url = files.get_file_from_path("corrections.md").url_relative_to(page.file)
    out, i = [], 0
    while i < len(seed):
        j = i
        while j < len(seed) and owners[j] == owners[i]:
            j += 1
        chunk = html.escape(seed[i:j])
        if owners[i]:
            first = owners[i][0]
            label = "、".join(owners[i])
            chunk = f'<a class="seed-error" href="{corrections_url}#{first}" title="勘误：{label}"><mark>{chunk}</mark></a>'
        out.append(chunk)
        i = j
    body = "".join(out)
    return f'<pre class="seed-annotated" data-search-exclude>{body}</pre>'


def on_page_markdown(markdown, page, config, files):
    shown = {}  # correction id -> where its note already is
    quote_opened = []  # origin of an open <!-- seed-quote -->

    def expand(kind, value, origin):
        if kind == "correction":
            entry = _ledger.get(value)
            if entry is None:
                _problems.add(f"{origin}: correction {value!r} is not in {LEDGER}; check the id, "
                              "or add the entry there first")
                return ""
            if entry["page"] != page.file.src_uri:
                _problems.add(f"{origin}: correction {value!r} belongs on docs/{entry['page']} (its 'page' field, "
                              f"{LEDGER}:{entry['lines']['page']}), not here; move the marker or change 'page'")
                return ""
            if value in shown:
                _problems.add(f"{origin}: correction {value!r} is already shown at {shown[value]}; "
                              "show each correction once: delete one of the two markers")
                return ""
            shown[value] = origin
            return note(entry, page)
        if kind == "corrections-table":
            return table(page)
        if kind == "original-annotated":
            return annotated_original(page, files)
        if kind == "seed-quote":
            if quote_opened:
                _problems.add(f"{origin}: a seed-quote opens inside the one opened at {quote_opened[0]}; "
                              "close that one first with `<!-- /seed-quote -->`")
            quote_opened[:] = [origin]
            return '<div class="seed-quote" markdown="1">\n\n<p class="seed-quote-label">原文（逐字引用，有误）</p>\n'
        if kind == "/seed-quote":
            if not quote_opened:
                _problems.add(f"{origin}: `<!-- /seed-quote -->` closes nothing; open the quotation with "
                              "`<!-- seed-quote -->` on a line of its own, or delete this line")
            quote_opened.clear()
            return "\n</div>"
        return None

    markdown = find_markers(markdown, expand, page)
    if quote_opened:
        _problems.add(f"{quote_opened[0]}: `<!-- seed-quote -->` is never closed; add `<!-- /seed-quote -->` "
                      "on a line of its own after the quoted text")
    return markdown
