"""hooks/katex.py's own logic, without KaTeX: the text a formula reads as, where each formula is
written, and what replaces it (a stand-in renderer). Real KaTeX renders every formula of the
pages in test_math.py."""
from types import SimpleNamespace

import pytest

import katex
import markers
from markers import Origin

MATHML = ('<mi>P</mi><span class="katex"><span class="katex-mathml"><math xmlns="http://www.w3.org/1998/Math/MathML">'
          '<semantics><mrow><msubsup><mi>W</mi><mi>i</mi><mi>Q</mi></msubsup><mo>∈</mo>'
          '<msup><mi mathvariant="double-struck">R</mi><mrow><mn>2</mn><mo>×</mo><mn>3</mn></mrow></msup>'
          '<mo separator="true">,</mo><mo> + </mo><msqrt><mi>x</mi></msqrt><mo stretchy="false">(</mo>'
          '<mtext>&amp; a</mtext><mi mathvariant="double-struck">NZQCx</mi><mo>=</mo><mn>1</mn></mrow>'
          '<annotation encoding="application/x-tex">\n<mi>A</mi></annotation></semantics></math></span>'
          '<span class="katex-html"><mi>H</mi></span></span>')


def test_a_formula_reads_as_its_symbols_in_order_with_operators_spaced():
    assert katex.plain_text(MATHML) == "WiQ ∈ ℝ2 × 3, + √x(& aℕℤℚℂx = 1"


def test_spaces_in_a_reading_are_collapsed():
    assert katex.plain_text("<math><mtext>a  \n b</mtext><mo>+</mo><mo>−</mo><mi>c</mi></math>") == "a b + − c"


def test_only_the_first_mathml_is_read():
    assert katex.plain_text("<math><mi>a</mi></math><math><mi>b</mi></math>") == "a"


def test_a_formula_without_mathml_reads_as_nothing():
    assert katex.plain_text('<span class="katex-html"><mi>H</mi></span>') == ""


def test_formulas_are_compared_without_their_spaces():
    assert katex._key(" a +\tb\n = c ") == "a+b=c"


@pytest.mark.parametrize("line, text", [('    "$x^2$ \\\\(y\\\\)\\n",', "$x^2$ \\(y\\)"), ('"a"', "a"), ('   "a\\n\\n"', "a"),
                                        ("    {", ""), ("    3,", ""), ('    ["a"],', ""), ("", ""),
                                        ('    "a \\n",', "a "), ('    "aX\\n",', "aX"), ('    "a",X', "")])
def test_a_notebook_line_holding_one_json_string_gives_its_text(line, text):
    assert katex._json_string(line) == text


def page(markdown, uri="page.md"):
    return SimpleNamespace(markdown=markdown, file=SimpleNamespace(src_uri=uri, abs_src_path=None))


@pytest.fixture(autouse=True)
def fresh(monkeypatch):
    monkeypatch.setattr(markers, "_pages", {})
    monkeypatch.setattr(katex, "_formulas", {})
    monkeypatch.setattr(katex, "_origins", {})
    monkeypatch.setattr(katex, "_problems", markers.Problems("katex"))


def at(*lines, path="docs/page.md"):
    return [Origin(path, line) for line in lines]


def test_each_formula_is_found_at_the_line_it_is_written_on_outside_code():
    markdown = ("Text $a + b$ and `$no$` and ``$`no$`` and \\$5 and $c$.\n```\n$fenced$\n```\n$$\n  x = 1\n$$\n"
                "Again $a+b$ \\(d\\) \\[e\n\\] $$f$$\n~~~\n$$\n~~~\n$g$")

    assert katex.formula_origins(markdown, page(markdown)) == {
        "a+b": at(1, 8), "c": at(1), "x=1": at(6), "d": at(8), "e": at(8), "f": at(9), "g": at(13)}


def test_a_formula_found_is_not_searched_again_for_other_delimiters():
    markdown = "$$ f(x) = 0 \\text{ for all \\(x\\)} $$"

    assert katex.formula_origins(markdown, page(markdown)) == {"f(x)=0\\text{forall\\(x\\)}": at(1)}


def test_the_places_of_a_formula_are_in_page_order_whichever_delimiters_it_has():
    """Display math is found (and blanked, keeping its width) before inline math: the places of `x`
    stay in the order they are written, after any number of formulas of either kind."""
    markdown = "$$a$$ $$a$$ $$a$$\n$x$\n$$b$$\n$$c$$\n$$d$$\n$$x$$\n$x$"

    assert katex.formula_origins(markdown, page(markdown))["x"] == at(2, 6, 7)


def test_a_code_span_keeps_its_width_so_the_formulas_around_it_stay_apart():
    markdown = "$a$`code`$b$"

    assert katex.formula_origins(markdown, page(markdown)) == {"a": at(1), "b": at(1)}


def test_code_inside_a_fence_is_never_part_of_a_formula():
    markdown = "$$ a\n```\nx\n```\nb $$"

    assert katex.formula_origins(markdown, page(markdown)) == {"ab": at(1)}


def test_a_notebooks_formulas_are_found_in_its_json_lines():
    markdown = ('{\n "cells": [\n  "source": [\n    "Loss $L$ and\\n",\n    "$$ M $$",\n    "\\\\(N\\\\)"\n  ],\n'
                '  "metadata": {"note": "$O$"}\n}')

    # each line is read as the JSON string it holds (`\\(` is `\(`); other lines hold no text
    assert katex.formula_origins(markdown, page(markdown, "n.ipynb")) == {
        "L": at(4, path="docs/n.ipynb"), "M": at(5, path="docs/n.ipynb"), "N": at(6, path="docs/n.ipynb")}


def test_an_unchanged_page_is_not_searched_again_but_new_text_or_new_origins_are():
    # mkdocs serve hands every page to the hooks again on each rebuild, mostly unchanged.
    markdown = "a\n$x$"
    first = katex.formula_origins(markdown, page(markdown))

    assert katex.formula_origins(markdown, page(markdown)) is first
    assert katex.formula_origins("$y$\nb", page("$y$\nb")) == {"y": at(1)}
    assert katex.formula_origins(markdown, page(markdown, "other.md")) == {"x": at(2, path="docs/other.md")}
    markers._pages["page.md"] = (markdown, at(5, 9, path="docs/included.md"))   # same text, from elsewhere
    assert katex.formula_origins(markdown, page(markdown)) == {"x": at(9, path="docs/included.md")}


def test_on_page_markdown_notes_the_places_and_changes_nothing():
    markdown = "a\n$x$"

    assert katex.on_page_markdown(markdown, page(markdown), {}, None) is markdown
    assert katex._formulas == {"page.md": {"x": at(2)}}


def fake_render(tex, display):
    if "bad" in tex:
        raise ValueError("KaTeX parse error: Undefined control sequence")
    return f"<{'D' if display is True else 'I' if display is False else display}:{tex}>"


def test_each_formula_becomes_katex_html_and_a_bad_one_is_named_by_where_it_is_written(monkeypatch):
    monkeypatch.setattr(katex, "render", fake_render)
    markdown = "$x=1$\n\n$bad$\n\n$$ bad $$\n"
    katex.on_page_markdown(markdown, page(markdown), {}, None)
    output = ('<span class="arithmatex" data-tex="\\(x = 1\\)">x</span>'
              '<div class="arithmatex" data-tex="\\[x=1\\]">x</div>'
              '<span class="arithmatex" data-tex="\\(bad\\)">t</span>'
              '<div class="arithmatex" data-tex="\\[ bad \\]">t</div>'
              '<span class="arithmatex" data-tex="\\(bad\\)">t</span>'
              '<span class="arithmatex" data-tex="\\(bad &lt; 1\\)">t</span>'
              '<span class="arithmatex" data-tex="\\(y\n\\)">t</span>')

    out = katex.on_post_page(output, page(markdown), {})

    assert out == ('<span class="math-inline"><I:x = 1></span><div class="math-display" tabindex="0"><D:x=1></div>'
                   '<code class="katex-error">bad</code><code class="katex-error"> bad </code>'
                   '<code class="katex-error">bad</code><code class="katex-error">bad &lt; 1</code>'
                   '<span class="math-inline"><I:y\n></span>')
    message = ("KaTeX cannot render this formula: KaTeX parse error: Undefined control sequence; fix the LaTeX "
               "(KaTeX's strict mode: no bare Chinese, use \\text{…})\n    ")
    # Display formulas are rendered first; the n-th rendering of `bad` takes its n-th place on the page
    # (lines 3, then 5), a third the last place; one written nowhere (an include) is named by page.
    assert katex._problems == [
        f"docs/page.md:3: {message}bad",
        f"docs/page.md:5: {message}bad",
        f"docs/page.md:5: {message}bad",
        f"docs/page.md (in text included into it): {message}bad < 1",
    ]


def test_the_nth_rendering_of_a_formula_takes_the_nth_place_it_is_written(monkeypatch):
    monkeypatch.setattr(katex, "render", fake_render)
    markdown = "$bad$\n$bad$\n$bad$\n$bad$"
    katex.on_page_markdown(markdown, page(markdown), {}, None)

    katex.on_post_page('<span class="arithmatex" data-tex="\\(bad\\)">t</span>' * 4, page(markdown), {})

    assert [problem.split(":")[1] for problem in katex._problems] == ["1", "2", "3", "4"]


def test_a_long_bad_formula_is_quoted_up_to_200_characters(monkeypatch):
    monkeypatch.setattr(katex, "render", fake_render)
    tex = "bad" + "x" * 300

    katex.on_post_page(f'<span class="arithmatex" data-tex="\\({tex}\\)">t</span>', page(""), {})

    assert katex._problems[0].endswith("\n    " + tex[:200])


HEAD = ('<head>\n    <link rel="stylesheet" href="../assets/katex/katex.min.css">\n'
        '    <link rel="stylesheet" href="../assets/stylesheets/extra.css">\n</head>')


def test_only_a_page_with_a_formula_links_katex_stylesheet(monkeypatch):
    monkeypatch.setattr(katex, "render", lambda tex, display: f'<span class="katex">{tex}</span>')

    with_math = katex.on_post_page(HEAD + '<span class="arithmatex" data-tex="\\(x\\)">x</span>', page("$x$"), {})
    without = katex.on_post_page(HEAD + "<p>words</p>", page("words"), {})

    assert with_math.startswith(HEAD)
    assert without == '<head>\n    <link rel="stylesheet" href="../assets/stylesheets/extra.css">\n</head><p>words</p>'


def test_the_404_page_has_no_formula_and_no_katex_stylesheet():
    assert "katex" not in katex.on_post_template(HEAD + "<h1>404</h1>", "404.html", {})
