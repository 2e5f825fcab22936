"""Every formula on every page renders with KaTeX in strict mode; a bad one is named by file and line."""
import re

import pytest

import katex
from pages import DISPLAY, pages, rel

INLINE = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$")
FENCE = re.compile(r"^\s*(`{3,}|~{3,}).*?^\s*\1\s*$", re.S | re.M)


def formulas(path):
    """[(line, tex, display)] for the math in a page, code fences excluded."""
    text = path.read_text(encoding="utf-8")
    text = FENCE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    text = re.sub(r"`[^`\n]+`", lambda m: " " * len(m.group(0)), text)
    found = []
    for match in DISPLAY.finditer(text):
        found.append((text.count("\n", 0, match.start(1)) + 1, match.group(1), True))
    text = DISPLAY.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    for match in INLINE.finditer(text):
        found.append((text.count("\n", 0, match.start()) + 1, match.group(1), False))
    return found


def render_all(paths):
    problems = []
    for path in paths:
        for line, tex, display in formulas(path):
            try:
                katex.render(tex, display)
            except ValueError as err:
                problems.append(f"{rel(path)}:{line}: KaTeX cannot render {tex.strip()[:80]!r}: {err}")
    return problems


def test_every_formula_renders_with_katex():
    problems = render_all(pages())

    assert not problems, "\n".join(problems)


def test_pages_have_math():
    assert sum(len(formulas(page)) for page in pages()) > 0


@pytest.mark.parametrize("tex", [r"\frac{a}{", "x^{2", r"\begin{aligned} a \end{matrix}", "注意力 = 1"])
def test_malformed_latex_is_reported_with_file_and_line(tmp_path, tex):
    page = tmp_path / "broken.md"
    page.write_text(f"# Probe\n\nSome text with $x$.\n\n$$\n{tex}\n$$\n", encoding="utf-8")

    problems = render_all([page])

    assert len(problems) == 1
    assert problems[0].startswith(f"{page}:6: KaTeX cannot render")
