"""Walk a page's Markdown outside code fences, find the project's marker comments there, and
remember where every line came from.

A marker is an HTML comment alone on its line: `<!-- kind: value -->`, `<!-- kind -->` or,
closing a region, `<!-- /kind -->`. Readers never see the comment itself; a hook replaces it with
what it stands for.

A hook that replaces a marker by several lines (a correction note, the bibliography) moves every
line below it, and the next hook sees line numbers the contributor never wrote. So this module
keeps, for each page being built, the origin of each line of its current Markdown: the page's
own file and line, or the file and line of the data it was made from (the ledger entry behind a
correction note). Hooks name `origin` in their messages (it prints as `docs/gan.md:314`), never
a line number of their own.
"""
import logging
import re
from pathlib import Path
from typing import NamedTuple

from mkdocs.exceptions import PluginError

MARKER = re.compile(r"^<!--\s*(/?[a-z][a-z-]*)(?::\s*(.*?))?\s*-->\s*$")
MAYBE_MARKER = re.compile(r"^<!--\s*/?[a-z]", re.M)  # a page without one needs no walk at all
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")

# Every marker kind a page may use, and what handles it. A kind not listed here is a typo: the
# fast tests reject it rather than let it pass as an invisible comment.
KINDS = {
    "correction": "hooks/corrections.py: a collapsed note, titled, from docs/corrections.yml",
    "corrections-table": "hooks/corrections.py: the whole ledger",
    "original-annotated": "hooks/corrections.py: the original, each corrected passage linked",
    "seed-quote": "hooks/corrections.py: opens a verbatim quotation of the original",
    "/seed-quote": "hooks/corrections.py: closes it",
    "bibliography": "hooks/citations.py: the full list of references",
    "proof": "hooks/proofs.py: a link to the test that proves the formula above",
    "formula": "tests/fast/test_formulas.py: pins the formula above to docs/formulas.yml",
    "notebook-output": "scripts/notebook_pages.py: opens text copied from a notebook's committed output",
    "/notebook-output": "scripts/notebook_pages.py: closes it (tests/test_notebooks.py checks the copy)",
    "clear-namespace": "Sybil: later examples on the page start from an empty namespace",
    "skip": "Sybil: `<!-- skip: next \"reason\" -->` shows the next example without running it",
}


class Origin(NamedTuple):
    """Where a line of Markdown comes from: the file a contributor edits, and the line in it."""

    path: str
    line: int

    def __str__(self):
        return f"{self.path}:{self.line}"


class Sourced(list):
    """A replacement whose lines come from another file: a list of (text, Origin) pairs."""


_pages = {}  # page.file.src_uri -> (current Markdown, [Origin of each of its lines])


def _front_matter_lines(page):
    """Lines of YAML front matter MkDocs cut from the top of the page before the hooks see it."""
    try:
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    except (OSError, TypeError):
        return 0
    return source.count("\n") - page.markdown.count("\n") if source.endswith(page.markdown) else 0


def origins(markdown, page):
    """The Origin of each line of `markdown`, the text of `page` as the current hook receives it."""
    known = _pages.get(page.file.src_uri)
    if known and known[0] == markdown:
        return known[1]
    count = markdown.count("\n") + 1
    if count == page.markdown.count("\n") + 1:  # the page as read, or changed line for line
        path, offset = f"docs/{page.file.src_uri}", _front_matter_lines(page)
        return [Origin(path, number + offset) for number in range(1, count + 1)]
    raise PluginError(f"docs/{page.file.src_uri}: a plugin or hook changed the page's lines without recording "
                      "where they came from (see hooks/markers.py); line numbers in messages would be wrong")


def _add_lines(out, where, sourced):
    """Put each (text, origin) of `sourced` on the end of out, a line at a time, and its origin on
    the end of where."""
    for text, origin in sourced:
        parts = text.split("\n")
        out += parts
        where += [origin] * len(parts)


def _record(page, out, where):
    markdown = "\n".join(out)
    _pages[page.file.src_uri] = (markdown, where)
    return markdown


def map_lines(markdown, change, page):
    """Replace each line by change(line, origin): a string (all its lines come from `origin`) or a
    Sourced list; record where each new line comes from."""
    out, where = [], []
    for line, origin in zip(markdown.split("\n"), origins(markdown, page)):
        new = change(line, origin)
        if type(new) is str and "\n" not in new:  # most lines: kept, or changed within the line
            out.append(new)
            where.append(origin)
        else:
            _add_lines(out, where, new if isinstance(new, Sourced) else [(new, origin)])
    return _record(page, out, where)


def map_outside_fences(markdown, change, page):
    """Like map_lines, but lines inside code fences stay as they are."""
    fence = None

    def outside(line, origin):
        nonlocal fence
        opening = FENCE.match(line)
        if opening and (fence is None or opening.group(1).startswith(fence)):
            fence = None if fence else opening.group(1)
            return line
        return line if fence else change(line, origin)

    return map_lines(markdown, outside, page)


def append_lines(markdown, lines, page):
    """Add the Sourced `lines` below the page's last line."""
    out, where = [markdown], list(origins(markdown, page))
    _add_lines(out, where, lines)
    return _record(page, out, where)


def find_markers(markdown, expand, page):
    """Replace each marker line for which expand(kind, value, origin) returns a string or Sourced."""
    if not MAYBE_MARKER.search(markdown):
        return markdown

    def change(line, origin):
        match = MARKER.match(line)
        replacement = expand(match.group(1), match.group(2), origin) if match else None
        return line if replacement is None else replacement

    return map_outside_fences(markdown, change, page)


LITERAL = {ord(char): f"&#{ord(char)};" for char in "$\\*_`[]{}#!|~^&<>\"'"}


def literal(text):
    """Escape text (the original's words, a source's excerpt) so Markdown, math and HTML in it show
    as written: `$100` stays a price, `[x](y)` stays brackets, `<b>` stays text."""
    return text.translate(LITERAL)


class Problems(list):
    """What one hook found wrong in the pages of a build.

    Each problem is logged as it is found, so one build lists every problem on every page; each
    hook's on_post_build then calls fail_if_any(), and the first to run fails the build, counting
    the problems of all hooks, even without --strict.
    """

    everyone = {}  # hook -> its list; a list made again for a hook (in a unit test) replaces the old one

    def __init__(self, hook):
        super().__init__()
        self.hook = hook
        self.log = logging.getLogger(f"mkdocs.hooks.{hook}")
        Problems.everyone[hook] = self

    def add(self, message):
        self.append(message)
        self.log.error(message)

    def fail_if_any(self):
        found = {hook: len(problems) for hook, problems in Problems.everyone.items() if problems}
        if found:
            raise PluginError(f"{sum(found.values())} problem(s) in the pages, listed above "
                              f"(found by {', '.join(f'hooks/{hook}.py' for hook in sorted(found))})")
