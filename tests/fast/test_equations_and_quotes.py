"""Numbered equations name the test that proves them; quoted original text is really the original's."""
import re

import project_data
from pages import DISPLAY, ROOT, SEED_QUOTE, pages, rel

PROOF = re.compile(r"^<!--\s*proof:\s*(tests/[\w/]+\.py)::(\w+)\s*-->$")
INCLUDE = re.compile(r"""^\s*--8<--\s+["']([^"':]+)["']\s*$""")


def numbered_equations(path):
    """[(line after the closing $$, following line)] for each display equation carrying \\tag{…}."""
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    found = []
    for match in DISPLAY.finditer(text):
        if r"\tag{" in match.group(1):
            end = text.count("\n", 0, match.end()) + 1
            found.append((end, lines[end] if end < len(lines) else ""))
    return found


def test_every_numbered_equation_names_its_proof():
    missing = [f"{rel(page)}:{end}: equation with \\tag needs `<!-- proof: tests/<file>.py::<test> -->` on the next line"
               for page in pages() for end, following in numbered_equations(page) if not PROOF.match(following.strip())]

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
