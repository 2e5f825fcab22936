"""Mistakes only the build catches, each named at the line the contributor wrote.

One copy of the project gets every mistake below, on several pages, most of them after many
correction notes (whose expansion moves every line below them) and on the longest pages; one
strict build must list them all, each at its exact `file:line`. A mistake inside a ledger entry
is named at the entry's field in docs/corrections.yml, not at a line of the page showing it.
"""
import json

import pytest

from projectcopy import append, build_output, copy_project, edit, insert_after, line_of

NOTEBOOK_MATH = ["## 公式 { #math }\n", "\n", "行内 $a_i + b_i$，展示：\n", "\n", "$$\n", "\\frac{1}{2} \\sum_i x_i\n", "$$\n",
                 "\n", "写错的 $\\frac{a}{$ 和代码 `$not math$`。"]


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """(project, output of one failing build, {mistake: expected `file:line`})."""
    project = copy_project(tmp_path_factory.mktemp("build-mistakes") / "project")
    docs = project / "docs"
    at = {}

    # gan.md, after all 15 of its correction notes: an unknown citation, and one malformed formula
    # written twice (the second must be named at its own line).
    insert_after(docs / "gan.md", "<!-- correction: gan-listing-accuracy-is-loss -->", "\n同一个写错的公式 $x^{2$ 出现两次。")
    insert_after(docs / "gan.md", "<!-- correction: gan-walkthrough-alternating-claim -->", "\n同一个写错的公式 $x^{2$ 出现两次。")
    append(docs / "gan.md", "\n这句话引用了一篇不存在的文献[@nobody1999]。\n")
    at["formula twice, first"] = f"docs/gan.md:{line_of(docs / 'gan.md', '$x^{2$', nth=1)}"
    at["formula twice, second"] = f"docs/gan.md:{line_of(docs / 'gan.md', '$x^{2$', nth=2)}"
    at["citation"] = f"docs/gan.md:{line_of(docs / 'gan.md', 'nobody1999')}"

    # transformer.md, after its 7 notes: a proof link to no test, and a broken second line in the
    # positional encoding, an aligned formula like two others before it on the page.
    append(docs / "transformer.md", "\n<!-- proof: tests/test_attention.py::test_that_does_not_exist -->\n")
    at["proof"] = f"docs/transformer.md:{line_of(docs / 'transformer.md', 'test_that_does_not_exist')}"
    edit(docs / "transformer.md", r"PE_{(pos,\,2i+1)} &= \cos\!\left(", r"PE_{(pos,\,2i+1)} &= \cos\!\left(\frac{1}{")
    at["aligned formula"] = f"docs/transformer.md:{line_of(docs / 'transformer.md', 'PE_{(pos,')-1}"

    # karpathy.md, after 8 of its 10 notes: a malformed inline formula.
    line = insert_after(docs / "karpathy.md", "<!-- correction: karpathy-core-algorithms-misattributed -->", "\n公式 $\\frac{a}{$ 写错了。")
    at["inline formula"] = f"docs/karpathy.md:{line + 1}"

    # concepts.md: correction markers that are unknown, on the wrong page, or shown twice.
    append(docs / "concepts.md", "\n<!-- correction: no-such-correction -->\n\n<!-- correction: gan-listing-two-inputs -->\n"
                                 "\n<!-- correction: image-gan -->\n")
    at["unknown correction"] = f"docs/concepts.md:{line_of(docs / 'concepts.md', 'no-such-correction')}"
    at["wrong page"] = f"docs/concepts.md:{line_of(docs / 'concepts.md', 'correction: gan-listing-two-inputs')}"
    at["shown twice"] = f"docs/concepts.md:{line_of(docs / 'concepts.md', 'correction: image-gan', nth=2)}"

    # faq.md: a quotation of the original that is never closed.
    append(docs / "faq.md", "\n<!-- seed-quote -->\n目前是特斯拉AI首席科学家。\n")
    at["unclosed quote"] = f"docs/faq.md:{line_of(docs / 'faq.md', '<!-- seed-quote -->')}"

    # The ledger: a malformed formula in an entry's correction, an unknown citation in its reason.
    ledger = docs / "corrections.yml"
    edit(ledger, "  corrected: 先把两批样本拼成一批再训练：", "  corrected: 先把两批样本拼成一批再训练 $\\sqrt{$：")
    edit(ledger, "  why: '传入一个含两个数组的列表，", "  why: '传入一个含两个数组的列表[@nobody2000]，")
    at["ledger formula"] = f"docs/corrections.yml:{line_of(ledger, 'corrected: 先把两批样本拼成一批再训练')}"
    at["ledger citation"] = f"docs/corrections.yml:{line_of(ledger, 'nobody2000')}"

    # index.md: includes of a missing file and of a missing section (pymdownx.snippets would stop
    # the build at the first, naming no line).
    append(docs / "index.md", '\n```py title="snippets/nothing.py"\n--8<-- "snippets/nothing.py:all"\n```\n'
                              '\n```py title="snippets/attention.py"\n--8<-- "snippets/attention.py:no-such-section"\n```\n')
    at["missing file"] = f"docs/index.md:{line_of(docs / 'index.md', 'snippets/nothing.py:all')}"
    at["missing section"] = f"docs/index.md:{line_of(docs / 'index.md', 'no-such-section')}"

    # The notebook: a Markdown cell with good math and one malformed formula.
    notebook = docs / "notebooks" / "gan-training.ipynb"
    cells = json.loads(notebook.read_text(encoding="utf-8"))
    cells["cells"].insert(1, {"cell_type": "markdown", "id": "math-probe", "metadata": {}, "source": NOTEBOOK_MATH})
    notebook.write_text(json.dumps(cells, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    at["notebook formula"] = f"docs/notebooks/gan-training.ipynb:{line_of(notebook, '写错的')}"

    # about.md: links MkDocs itself must reject.
    append(docs / "about.md", "\n见[不存在的页面](no-such-page.md)和[勘误表](corrections.md#no-such-anchor)。\n"
                              "\n![不存在的图](assets/no-such-figure.svg)\n")

    return project, build_output(project, project / "site"), at


@pytest.mark.parametrize("mistake, message", [
    ("citation", "citation [@nobody1999] is not in docs/references.yml"),
    ("proof", "proof 'tests/test_attention.py::test_that_does_not_exist': tests/test_attention.py has no function"),
    ("inline formula", "KaTeX cannot render this formula"),
    ("aligned formula", "KaTeX cannot render this formula"),
    ("formula twice, first", "KaTeX cannot render this formula"),
    ("formula twice, second", "KaTeX cannot render this formula"),
    ("unknown correction", "correction 'no-such-correction' is not in docs/corrections.yml"),
    ("wrong page", "correction 'gan-listing-two-inputs' belongs on docs/gan.md"),
    ("shown twice", "correction 'image-gan' is already shown at docs/concepts.md:"),
    ("unclosed quote", "`<!-- seed-quote -->` is never closed"),
    ("ledger formula", "KaTeX cannot render this formula"),
    ("ledger citation", "citation [@nobody2000] is not in docs/references.yml"),
    ("missing file", "includes snippets/nothing.py, which does not exist; fix the path"),
    ("missing section", "includes section 'no-such-section' of snippets/attention.py, which has no `--8<-- [start:no-such-section]` line"),
    ("notebook formula", "KaTeX cannot render this formula"),
])
def test_the_build_names_the_line_of_the_mistake(build, mistake, message):
    _, output, at = build

    assert f"{at[mistake]}: {message}" in output


def test_notebook_markdown_math_is_typeset_like_a_page(build):
    project, _, _ = build
    html = (project / "site" / "notebooks" / "gan-training" / "index.html").read_text(encoding="utf-8")
    cell = html[html.index('id="cell-id=math-probe"'):][:20000]

    assert cell.count('class="math-inline"') == 1 and cell.count('class="math-display"') == 1
    assert "<code>$not math$</code>" in cell and 'class="katex-error"' in cell


def test_the_build_lists_every_mistake_not_just_the_first(build):
    _, output, _ = build

    assert output.count("KaTeX cannot render this formula") >= 6
    assert ("problem(s) in the pages, listed above (found by hooks/citations.py, hooks/corrections.py, "
            "hooks/includes.py, hooks/katex.py, hooks/proofs.py)") in output


@pytest.mark.parametrize("target", ["no-such-page.md", "corrections.md#no-such-anchor", "assets/no-such-figure.svg"])
def test_mkdocs_rejects_a_broken_link_anchor_or_image(build, target):
    _, output, _ = build

    assert f"Doc file 'about.md' contains a link '{target}'" in output
