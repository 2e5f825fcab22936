"""Every formula on every page and in the ledger renders with KaTeX in strict mode; a bad one is
named by file and line."""
import pytest

import katex
import project_data
from pages import formulas, math_in, pages, rel

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


def test_every_formula_in_the_ledger_renders_with_katex():
    """A correction note shows its entry's fields as Markdown: their math must render too."""
    problems = []
    for entry in project_data.load_ledger():
        for field in ("corrected", "why"):
            for line, tex, display in math_in(str(entry[field])):
                try:
                    katex.render(tex, display)
                except ValueError as err:
                    problems.append(f"docs/corrections.yml:{entry['lines'][field] + line - 1}: KaTeX cannot render "
                                    f"{tex.strip()[:80]!r}: {err}")

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
