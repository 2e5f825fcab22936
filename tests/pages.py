"""Read the Markdown pages the way the content tests need them, always with the source line.

prose_lines(): a page's prose only. Code fences, code spans, math, HTML comments and quoted original text
(between `<!-- seed-quote -->` and `<!-- /seed-quote -->`) are blanked out, keeping line numbers
(inline ones become a code span), so a rule about prose never trips over code, LaTeX or the
original's deliberate errors.

shown_lines(): everything a page shows, each line with the file and line a contributor would
edit: the page's own lines, the text it includes with `--8<--`, and the ledger entries its
correction notes are made from. locate() uses it to name, for a problem found in the built
site, the source line that caused it.
"""
import re
from pathlib import Path
from urllib.parse import unquote

import yaml

import project_data
from markers import FENCE, MARKER, Origin
from project_data import DOCS, ROOT

DISPLAY = re.compile(r"^\s*\$\$\s*\n(.*?)\n\s*\$\$\s*$", re.S | re.M)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$")
FENCED = re.compile(r"^\s*(`{3,}|~{3,}).*?^\s*\1\s*$", re.S | re.M)
SEED_QUOTE = re.compile(r"<!--\s*seed-quote\s*-->(.*?)<!--\s*/seed-quote\s*-->", re.S)
INCLUDE = re.compile(r"""^\s*--8<--\s+["']([^"':]+)(?::([\w-]+))?["']\s*$""")
SECTION = r"--8<--\s*\[{}:{}\]"
MKDOCS = ROOT / "mkdocs.yml"
EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|//)", re.I)


def rel(path):
    """The path as a contributor sees it, relative to the repository (of a (path, section) pair, the path)."""
    return project_data.relative(path[0] if isinstance(path, tuple) else path)


EN = DOCS / "en"          # the English edition's pages (mkdocs.en.yml), mirroring docs/
MKDOCS_EN = ROOT / "mkdocs.en.yml"


def pages():
    """Every Chinese page: the Markdown under docs/, except the copy of the original and docs/en/."""
    return sorted(p for p in DOCS.rglob("*.md") if not {"seed", "en"} & set(p.relative_to(DOCS).parts[:1]))


def english_pages():
    """Every page of the English edition, under docs/en/."""
    return sorted(EN.rglob("*.md"))


def _blank(match):
    """Blank a region, keeping its line breaks; a one-line region becomes a code span."""
    text = match.group(0)
    return re.sub(r"[^\n]", " ", text) if "\n" in text else "`x`"


def prose_files():
    """The Markdown a reader sees as prose: every page, and each section of another file that a
    page includes with `--8<--` (CONTRIBUTING.md's guide), as a path or a (path, section) pair."""
    found = list(pages())
    for page in pages():
        for line in page.read_text(encoding="utf-8").split("\n"):
            include = INCLUDE.match(line)
            if include and include.group(1).endswith(".md") and (ROOT / include.group(1)).is_file():
                found.append((ROOT / include.group(1), include.group(2)))
    return found


def prose_lines(path):
    """[(line_number, text)] of a page's prose, with non-prose parts blanked. `path` may be a
    (path, section) pair: then only that included section, still numbered as in its file."""
    path, section = path if isinstance(path, tuple) else (path, None)
    text = Path(path).read_text(encoding="utf-8")
    if section:
        kept = {origin.line for origin, _ in included(rel(path), section)}
        text = "\n".join(line if number in kept else "" for number, line in enumerate(text.split("\n"), start=1))
    text = SEED_QUOTE.sub(_blank, text)
    text = re.sub(r"<!--\s*as-of\s*-->", "`x`", text)  # hooks/as_of.py writes a date there
    text = re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", "", m.group(0)), text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", _blank, text, flags=re.S)
    text = re.sub(r"(?<!\\)\$[^$\n]+?\$", _blank, text)
    text = re.sub(r"(?<!`)(`+)(?!`)[^\n]+?(?<!`)\1(?!`)", _blank, text)  # code spans
    out, fence = [], None
    for number, line in enumerate(text.split("\n"), start=1):
        opening = FENCE.match(line)
        if opening and (fence is None or opening.group(1).startswith(fence)):
            fence = None if fence else opening.group(1)
            continue
        if fence is None and not line.lstrip().startswith("--8<--"):
            out.append((number, line))
    return out


def display_formulas(text):
    """[(line of its TeX, TeX, [(kind, value)] of the markers right after it, quoted)] for each `$$`
    display formula in Markdown text; quoted: inside a seed-quote."""
    lines, found, fence, quoted = text.split("\n"), [], None, False
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        opening, marker = FENCE.match(lines[i]), MARKER.match(line)
        if opening and (fence is None or opening.group(1).startswith(fence)):
            fence = None if fence else opening.group(1)
        elif fence is None and marker and marker.group(1) in ("seed-quote", "/seed-quote"):
            quoted = marker.group(1) == "seed-quote"
        elif fence is None and line.startswith("$$"):
            rest, first = line[2:], i + 1 if not line[2:].strip() else i
            if rest.strip() and rest.endswith("$$"):  # $$ … $$ on one line
                tex = rest[:-2]
            else:
                end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip().endswith("$$")), len(lines) - 1)
                tex = "\n".join([rest, *lines[i + 1:end], lines[end].rstrip().removesuffix("$$")])
                i = end
            markers = []
            for following in lines[i + 1:]:
                marker = MARKER.match(following.strip())
                if not marker:
                    break
                markers.append(marker.groups())
            found.append((first + 1, tex, markers, quoted))
        i += 1
    return found


def math_in(text):
    """[(line, tex, display)] for the math in Markdown text, code fences and code spans excluded."""
    text = FENCED.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    text = re.sub(r"`[^`\n]+`", lambda m: " " * len(m.group(0)), text)
    found = []
    for match in DISPLAY.finditer(text):
        found.append((text.count("\n", 0, match.start(1)) + 1, match.group(1), True))
    text = DISPLAY.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    for match in INLINE_MATH.finditer(text):
        found.append((text.count("\n", 0, match.start()) + 1, match.group(1), False))
    return found


def formulas(path):
    """[(line, tex, display)] for the math in a page."""
    return math_in(Path(path).read_text(encoding="utf-8"))


def included(target, section=None):
    """[(Origin, text)] of a file a page includes with `--8<--`, or of one named section of it.

    A file or section that does not exist gives nothing here: tests/fast/test_links.py names it.
    """
    path = ROOT / target
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").split("\n")
    numbered = [(Origin(target, number), line) for number, line in enumerate(lines, start=1)]
    if section:
        start = next((i for i, line in enumerate(lines) if re.search(SECTION.format("start", re.escape(section)), line)), None)
        end = next((i for i, line in enumerate(lines) if re.search(SECTION.format("end", re.escape(section)), line)), None)
        if start is None or end is None:
            return []
        numbered = numbered[start + 1:end]
    return [(origin, line) for origin, line in numbered if "--8<--" not in line or not re.search(r"\[(start|end):", line)]


def _ledger_lines(entry):
    """The fields of a ledger entry a note shows as prose ('original' is the original's own words)."""
    return [(Origin(rel(project_data.LEDGER), entry["lines"][field]), str(entry[field]))
            for field in ("title", "corrected", "why") if field in entry["lines"]]


def ledger_by_id():
    """{id: entry} of docs/corrections.yml, for shown_lines."""
    return {entry["id"]: entry for entry in project_data.load_ledger()}


def shown_lines(page, ledger=None):
    """[(Origin, text)]: what a page shows, each line with the file and line it comes from. `ledger`:
    ledger_by_id(), given by a caller that asks for many pages (loading it takes 20-50 ms)."""
    ledger = ledger_by_id() if ledger is None else ledger
    out = []
    for number, line in enumerate(Path(page).read_text(encoding="utf-8").split("\n"), start=1):
        out.append((Origin(rel(page), number), line))
        include, marker = INCLUDE.match(line), MARKER.match(line)
        if include:
            out += included(include.group(1), include.group(2))
        elif marker and marker.group(1) == "correction" and marker.group(2) in ledger:
            out += _ledger_lines(ledger[marker.group(2)])
        elif marker and marker.group(1) == "corrections-table":
            out += [line for entry in ledger.values() for line in _ledger_lines(entry)]
    return out


class _Tagless(yaml.SafeLoader):
    """Reads mkdocs.yml, whose !ENV and !relative tags only MkDocs resolves."""


_Tagless.add_multi_constructor("!", lambda loader, suffix, node: None)


def nav_entries(config=MKDOCS):
    """[(line in the config, file under its docs_dir)] for every page the nav lists."""
    found = []

    def walk(node):
        if isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)
        elif isinstance(node, yaml.MappingNode):
            for _, value in node.value:
                walk(value)
        elif isinstance(node, yaml.ScalarNode) and not EXTERNAL.match(node.value):
            found.append((node.start_mark.line + 1, node.value))

    root = yaml.compose(Path(config).read_text(encoding="utf-8"), Loader=_Tagless)
    walk(next(value for key, value in root.value if key.value == "nav"))
    return found


def source_page(site, built):
    """The docs/ file a built HTML page was made from, or None (the theme's own pages)."""
    parts = built.relative_to(site).parent.parts
    stem = "/".join(parts) or "index"
    for candidate in (DOCS / f"{stem}.md", DOCS / stem / "index.md", DOCS / f"{stem}.ipynb"):
        if candidate.is_file():
            return candidate
    return None


def locate(site, built, needle):
    """`file:line` of the source that puts `needle` into the built page, for a contributor to edit."""
    page = source_page(site, built)
    if page is not None:
        lines = shown_lines(page) if page.suffix == ".md" else [(Origin(rel(page), 1), page.read_text(encoding="utf-8"))]
        for origin, text in lines:
            if needle in text or unquote(needle) in text:
                return str(origin)
    return (f"{built.relative_to(site)} (not from a page's text: look in overrides/, mkdocs.yml "
            "or docs/assets/)")
