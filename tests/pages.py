"""Read the Markdown pages the way the content tests need them: prose only, with line numbers.

Code fences, math, HTML comments and quoted original text (between `<!-- seed-quote -->` and
`<!-- /seed-quote -->`) are blanked out, keeping line numbers (inline ones become a code span),
so a rule about prose never trips over code, LaTeX or the original's deliberate errors.
"""
import re
from pathlib import Path

from project_data import DOCS, ROOT
from project_data import relative as rel  # noqa: F401  (the tests import it from here)

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
DISPLAY = re.compile(r"^\s*\$\$\s*\n(.*?)\n\s*\$\$\s*$", re.S | re.M)
SEED_QUOTE = re.compile(r"<!--\s*seed-quote\s*-->(.*?)<!--\s*/seed-quote\s*-->", re.S)


def pages():
    """Every Markdown page under docs/, except the copy of the original."""
    return sorted(p for p in DOCS.rglob("*.md") if "seed" not in p.relative_to(DOCS).parts)


def _blank(match):
    """Blank a region, keeping its line breaks; a one-line region becomes a code span."""
    text = match.group(0)
    return re.sub(r"[^\n]", " ", text) if "\n" in text else "`x`"


def prose_lines(path):
    """[(line_number, text)] of a page's prose, with non-prose parts blanked."""
    text = Path(path).read_text(encoding="utf-8")
    text = SEED_QUOTE.sub(_blank, text)
    text = re.sub(r"<!--\s*as-of\s*-->", "`x`", text)  # hooks/as_of.py writes a date there
    text = re.sub(r"<!--.*?-->", lambda m: re.sub(r"[^\n]", "", m.group(0)), text, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", _blank, text, flags=re.S)
    text = re.sub(r"(?<!\\)\$[^$\n]+?\$", _blank, text)
    out, fence = [], None
    for number, line in enumerate(text.split("\n"), start=1):
        opening = FENCE.match(line)
        if opening and (fence is None or opening.group(1).startswith(fence)):
            fence = None if fence else opening.group(1)
            continue
        if fence is None and not line.lstrip().startswith("--8<--"):
            out.append((number, line))
    return out
