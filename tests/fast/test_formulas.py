"""Every display formula is pinned to its source, or is a quotation of the original.

A page pins a formula with `<!-- formula: ID -->` right after its closing `$$`; docs/formulas.yml
gives, for each ID, the formula as its source writes it (paper and equation). The code behind a
formula is checked against PyTorch by the full suite; this pins the typeset formula itself, so
that "fixing" a page back to the original's version (attention divided by sqrt(d_k) twice, sine
and cosine swapped, min over G without max over D) fails here, in seconds, naming the page, the
line and the equation. Display formulas a correction note shows (ledger fields) are held to the
same rule. Spacing and typographic variants do not matter (see normalise).
"""
import re

import pytest

import project_data
from pages import DOCS, display_formulas, pages, rel

SOURCE = "docs/formulas.yml"


def normalise(tex):
    """The formula with spacing and typographic variants removed, for comparison."""
    tex = re.sub(r"\\tag\{[^}]*\}", "", tex)
    tex = re.sub(r"\\(?:begin|end)\{aligned\}|&", "", tex)
    tex = tex.replace("\\\\", ";")  # a line break in an aligned block
    tex = re.sub(r"\\(text|operatorname|textrm|mathrm)\{", r"\\mathrm{", tex)
    tex = re.sub(r"\^\{?\\top\}?|\^\{T\}", "^T", tex)
    tex = re.sub(r"\\(left|right|middle|big|Big|bigg|Bigg)(?![a-zA-Z])", "", tex)
    tex = re.sub(r"\\[!,;:]|\\quad|\\qquad", "", tex)
    tex = re.sub(r"([_^])\{([A-Za-z0-9]|\\[A-Za-z]+)\}", r"\1\2", tex)  # x_{t} is x_t
    return re.sub(r"\s+", "", tex)


def tag(tex):
    match = re.search(r"\\tag\{([^}]*)\}", tex)
    return f"equation ({match.group(1)}) " if match else "formula "


def formula_problems(where, text, formulas):
    """Problems with the display formulas in `text`; where(line) names the line in its file."""
    problems = []
    for line, tex, markers, quoted in display_formulas(text):
        if quoted:
            continue
        pins = [value for kind, value in markers if kind == "formula"]
        if not pins:
            problems.append(f"{where(line)}: {tag(tex)}has no pin: add `<!-- formula: ID -->` after its closing $$, "
                            f"ID an entry of {SOURCE} that gives the source's form (paper and equation); "
                            "or, if it quotes the original, put it between <!-- seed-quote --> and <!-- /seed-quote -->")
        for ident in pins:
            pin = formulas.get(ident)
            if pin is None:
                problems.append(f"{where(line)}: {tag(tex)}is pinned to {ident!r}, which is not in {SOURCE}; "
                                "add it there, with its source")
            elif normalise(tex) != normalise(pin["tex"]):
                problems.append(f"{where(line)}: {tag(tex)}{ident!r} is not the source's formula "
                                f"({pin['source']}, {pin['where']}; {SOURCE}:{pin['line']}):\n"
                                f"    page:   {normalise(tex)}\n    source: {normalise(pin['tex'])}\n"
                                f"  write the source's formula; if the pin itself is wrong, correct {SOURCE} from the source")
    return problems


def test_the_pinned_forms_are_well_formed():
    try:
        project_data.load_formulas()
    except project_data.DataError as err:
        pytest.fail(f"{SOURCE} has problems:\n{err}", pytrace=False)


def test_every_display_formula_on_a_page_is_pinned_to_its_source():
    formulas = project_data.load_formulas()
    problems = []
    for page in pages():
        problems += formula_problems(lambda line, page=page: f"{rel(page)}:{line}", page.read_text(encoding="utf-8"), formulas)

    assert not problems, "\n".join(problems)


def test_every_display_formula_in_the_ledger_is_pinned_to_its_source():
    formulas = project_data.load_formulas()
    problems = []
    for entry in project_data.load_ledger():
        for field in ("corrected", "why"):
            where = lambda line, entry=entry, field=field: f"docs/corrections.yml:{entry['lines'][field] + line - 1}"
            problems += formula_problems(where, str(entry[field]), formulas)

    assert not problems, "\n".join(problems)


def test_every_pin_is_used():
    used = {value for page in pages() for _, _, markers, _ in display_formulas(page.read_text(encoding="utf-8"))
            for kind, value in markers if kind == "formula"}
    unused = [f"{SOURCE}:{pin['line']}: formula {ident!r} is pinned by no page; pin it after its formula or remove it"
              for ident, pin in project_data.load_formulas().items() if ident not in used]

    assert not unused, "\n".join(unused)


def swap(a, b):
    return lambda tex: tex.replace(a, "\0").replace(b, a).replace("\0", b)


@pytest.mark.parametrize("page, formula, revert", [
    ("index.md", r"\mathrm{Attention}(Q, K, V) = \mathrm{softmax}",  # the original's extra 1/sqrt(d_k)
     lambda tex: tex.replace(r"= \mathrm{softmax}", r"= \frac{1}{\sqrt{d_k}} \mathrm{softmax}")),
    ("transformer.md", r"PE_{(pos,\,2i)} &= \sin", swap(r"\sin", r"\cos")),
    ("gan.md", r"\min_G \max_D V(D, G) = \mathbb{E}",  # min over G, and no max over D on the right
     lambda tex: tex.replace(r"V(D, G) = \mathbb{E}", r"V(D, G) = \min_G \mathbb{E}", 1)),
    ("gpt.md", r"M_{ts} = \begin{cases}", swap(r"s \le t", r"s > t")),  # a mask that lets t see the future
], ids=["attention-divided-twice", "sine-and-cosine-swapped", "value-function-without-max", "causal-mask-looking-ahead"])
def test_reverting_a_formula_to_the_originals_error_is_caught(page, formula, revert):
    text = (DOCS / page).read_text(encoding="utf-8")
    line, tex, _, _ = next(f for f in display_formulas(text) if formula in f[1])

    problems = formula_problems(lambda n: f"docs/{page}:{n}", text.replace(tex, revert(tex), 1), project_data.load_formulas())

    assert len(problems) == 1, problems
    assert problems[0].startswith(f"docs/{page}:{line}: "), problems
    assert "is not the source's formula" in problems[0]
