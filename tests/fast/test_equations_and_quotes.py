"""Numbered equations name the test that proves them; quoted original text is really the original's."""
import re

import project_data
from pages import ROOT, SEED_QUOTE, display_formulas, pages, rel

INCLUDE = re.compile(r"""^\s*--8<--\s+["']([^"':]+)["']\s*$""")


def numbered_equations(path):
    """[(line, [(kind, value)] of the markers right after it)] for each display equation carrying \\tag{…}."""
    return [(line, markers) for line, tex, markers, _ in display_formulas(path.read_text(encoding="utf-8")) if r"\tag{" in tex]


def test_every_numbered_equation_names_its_proof():
    missing = [f"{rel(page)}:{line}: equation with \\tag needs `<!-- proof: tests/<file>.py::<test> -->` on a line "
               "right after its closing $$"
               for page in pages() for line, markers in numbered_equations(page) if "proof" not in dict(markers)]

    assert not missing, "\n".join(missing)


def test_pages_with_formulas_have_numbered_proofs():
    numbered = {rel(page) for page in pages() if numbered_equations(page)}

    assert {"docs/transformer.md", "docs/gan.md"} <= numbered


def quoted_lines(region):
    """The lines a seed-quote region shows, with included files read in."""
    out = []
    for line in region.split("\n"):
        include = INCLUDE.match(line)
        if include:
            out += (ROOT / include.group(1)).read_text(encoding="utf-8").split("\n")
        elif not re.match(r"^\s*(`{3,}|~{3,})", line):
            out.append(re.sub(r"^>\s?", "", line))
    return [line for line in out if line.strip()]


def test_quoted_original_text_is_verbatim():
    seed = project_data.SEED.read_text(encoding="utf-8")
    invented = []
    for page in pages():
        text = page.read_text(encoding="utf-8")
        for match in SEED_QUOTE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            invented += [f"{rel(page)}:{line}: quoted as original but not in docs/seed/original.txt: {quoted.strip()[:80]!r}"
                         for quoted in quoted_lines(match.group(1)) if quoted.strip() not in seed]

    assert not invented, "\n".join(invented)


def test_a_misquote_is_caught(tmp_path, monkeypatch):
    page = tmp_path / "misquote.md"
    page.write_text("# T\n\n<!-- seed-quote -->\n他是特斯拉的首席执行官。\n<!-- /seed-quote -->\n", encoding="utf-8")
    monkeypatch.setattr("test_equations_and_quotes.pages", lambda: [page])

    try:
        test_quoted_original_text_is_verbatim()
    except AssertionError as err:
        assert f"{page}:3: quoted as original but not in docs/seed/original.txt" in str(err)
    else:
        raise AssertionError("a misquote went unnoticed")
