"""Show the corrections ledger (docs/corrections.yml) on the pages.

Markers, each on a line of its own:
- `<!-- correction: ID -->` after a corrected passage: a collapsed note titled with the entry's
  `title`; opened, it shows the original's words (typeset if they were a formula, as code if they
  were code), the correction, the reason, the sources and a link to the ledger entry. The marker
  must sit on the page the entry names. A page with notes gets a list of them under its title.
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
import re
import sys
import textwrap
from collections import Counter
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
import project_data  # noqa: E402
import words  # noqa: E402
from markers import Origin, Problems, Sourced, find_markers, literal, map_lines  # noqa: E402
from words import say  # noqa: E402

LEDGER = project_data.relative(project_data.LEDGER)
INLINE_MATH = re.compile(r"((?<![\\$])\$(?!\$)[^$\n]+?(?<!\\)\$)")
CODE_SPAN = re.compile(r"`([^`]+)`")
H1 = re.compile(r"^#\s")
_ledger = {}
_seed = []
_problems = Problems("corrections")


def on_pre_build(config):
    words.use(config)
    try:
        entries = project_data.load_ledger()
    except project_data.DataError as err:
        raise PluginError(f"The corrections ledger has problems:\n{err}")
    _ledger.clear()
    _ledger.update({entry["id"]: entry for entry in entries})
    _seed[:] = [project_data.SEED.read_text(encoding="utf-8")]
    _problems.clear()


def on_post_build(config):
    _problems.fail_if_any()


def title_html(title):
    """A ledger title as HTML: plain words, `code` spans as <code>."""
    return CODE_SPAN.sub(lambda m: f"<code>{m.group(1)}</code>", html.escape(title, quote=False))


def title_text(title):
    return CODE_SPAN.sub(r"\1", title)


def original_block(entry):
    """Markdown lines showing the original's words, labelled 原文: a formula typeset by KaTeX (the
    same build-time path as every formula), code as code, text as written with its inline math."""
    text = entry["original"]
    kind = project_data.original_kind(text, _seed[0])
    label = f'<span class="correction-label">{say("original")}</span>'
    lines = [f'<div class="correction-original correction-original-{kind}" markdown>', ""]
    if kind == "math":
        tex = text.strip().removesuffix("\\\\").strip()
        if "&" in tex:  # a line of the original's aligned block
            tex = f"\\begin{{aligned}}\n{tex}\n\\end{{aligned}}"
        lines += [label, "", "$$", *tex.split("\n"), "$$"]
    elif kind == "code":
        start = _seed[0].find(text)
        indent = _seed[0][_seed[0].rfind("\n", 0, start) + 1:start]  # the quote starts after its line's indent
        code = textwrap.dedent(indent + text) if not indent.strip() else text
        lines += [label, "", f'<pre class="correction-code"><code>{literal(code)}</code></pre>']
    else:
        parts = INLINE_MATH.split(text)  # odd parts are the original's own $…$
        quoted = "".join(part if i % 2 else literal(part) for i, part in enumerate(parts))
        lines += [f"{label} {quoted.strip()}".replace("\n", "<br>\n")]
    return lines + ["", "</div>", ""]


def colon():
    return "：" if words.language() == "zh" else ": "


def _relpath(target, page):
    return posixpath.relpath(target, posixpath.dirname(page.file.src_uri) or ".")


def _from_ledger(entry, lines):
    """[(field, text)] -> Sourced lines, each text coming from that field of the ledger entry (in the
    build's language: title_en on an English page)."""
    def line(field):
        return entry["lines"].get(words.field_name(field), entry["lines"].get(field, entry["line"]))

    return Sourced((text, Origin(LEDGER, line(field))) for field, text in lines)


def text(entry, name):
    """A text field of a ledger entry in the build's language (hooks/words.py)."""
    return words.field(entry, name, f"{LEDGER}:{entry['line']}: correction {entry['id']!r}").strip()


def _body(entry):
    sources = "; ".join(f"@{key}" for key in entry["sources"])
    return [
        *[("original", line) for line in original_block(entry)],
        ("corrected", f"**{say('corrected')}**{colon()}{text(entry, 'corrected')}"),
        ("corrected", ""),
        ("why", f"**{say('why')}**{colon()}{text(entry, 'why')}"),
        ("why", ""),
        ("sources", f"**{say('sources')}**{colon()}[{sources}]"),
        ("sources", ""),
    ]


def note(entry, page):
    """A collapsed note after the corrected passage; its summary is the entry's title."""
    ledger = f"{_relpath('corrections.md', page)}#{entry['id']}"
    return _from_ledger(entry, [
        ("id", ""),
        ("id", f'<details class="correction" id="correction-{entry["id"]}" markdown>'),
        ("title", f'<summary><span class="correction-kind">{say("correction")}</span>{title_html(text(entry, "title"))}</summary>'),
        ("id", ""),
        *_body(entry),
        ("id", f'<p class="correction-meta" markdown>{say("categories")[entry["category"]]} · '
               f'[{say("ledger_entry")} `{entry["id"]}`]({ledger})</p>'),
        ("id", ""),
        ("id", "</details>"),
        ("id", ""),
    ])


def page_index(ids, page):
    """Under the page's title: a collapsed list of its notes, each linked, to scan them at a glance."""
    entries = [_ledger[ident] for ident in ids]
    lines = [("id", ""), ("id", '<details class="correction-index" markdown>'),
             ("id", f"<summary>{say('page_index', n=len(entries))}</summary>"), ("id", "")]
    out = _from_ledger(entries[0], lines)
    for entry in entries:
        out += _from_ledger(entry, [("title", f'1. <a href="#correction-{entry["id"]}">{title_html(text(entry, "title"))}</a>')])
    out += _from_ledger(entries[0], [("id", ""), ("id", "</details>"), ("id", "")])
    return out


def table(page):
    counts = Counter(entry["category"] for entry in _ledger.values())
    lines = [f"| {say('category')} | {say('entries')} |", "|---|---|"]
    lines += [f"| {label}（{key}） | {counts[key]} |" if words.language() == "zh" else f"| {label} | {counts[key]} |"
              for key, label in say("categories").items() if counts[key]]
    lines += [f"| {say('total')} | {len(_ledger)} |", ""]
    out = Sourced((line, Origin(LEDGER, 1)) for line in lines)
    for entry in _ledger.values():
        where = f"{_relpath(entry['page'], page)}#correction-{entry['id']}"
        out += _from_ledger(entry, [
            ("id", f'<div class="ledger-entry" id="{entry["id"]}" markdown>'),
            ("id", ""),
            ("title", f'<p class="ledger-title"><strong>{title_html(text(entry, "title"))}</strong></p>'),
            ("id", ""),
            ("id", f'<p class="correction-meta" markdown>`{entry["id"]}` · {say("categories")[entry["category"]]} · '
                   f'[{entry["page"]}]({where})</p>'),
            ("id", ""),
            *_body(entry),
            ("id", "</div>"),
            ("id", ""),
        ])
    return out


def annotated_original(page, files):
    """The seed in a <pre>, with every ledger quote wrapped in a link to its entry."""
    seed = _seed[0]
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
            label = html.escape(say("cite_sep").join(title_text(text(_ledger[ident], "title")) for ident in owners[i]))
            chunk = f'<a class="seed-error" href="{corrections_url}#{first}" title="{say("seed_error")}{colon()}{label}"><mark>{chunk}</mark></a>'
        out.append(chunk)
        i = j
    body = "".join(out)
    return f'<pre class="seed-annotated" data-search-exclude>{body}</pre>'


def on_page_markdown(markdown, page, config, files):
    shown = {}  # correction id -> where its note already is, in page order
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
            return f'<div class="seed-quote" markdown="1">\n\n<p class="seed-quote-label">{say("seed_quote")}</p>\n'
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
    if shown:
        titled = []

        def after_title(line, origin):
            if titled or not H1.match(line):
                return line
            titled.append(origin)
            return Sourced([(line, origin), *page_index(list(shown), page)])

        markdown = map_lines(markdown, after_title, page)
    return markdown
