"""hooks/markers.py, function by function: where each line of a page's Markdown comes from, the
marker comments found outside code fences, and the problems a hook reports. The pages' own
markers are checked by test_markers.py."""
import locale
import logging
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

import markers
from markers import Origin, Problems, Sourced


def page(markdown, uri="page.md", path=None):
    """The parts of an mkdocs Page the hooks read."""
    return SimpleNamespace(markdown=markdown, file=SimpleNamespace(src_uri=uri, abs_src_path=path))


@pytest.fixture(autouse=True)
def no_recorded_pages(monkeypatch):
    monkeypatch.setattr(markers, "_pages", {})


def test_an_origin_prints_as_file_colon_line():
    assert str(Origin("docs/gan.md", 314)) == "docs/gan.md:314"
    assert f"{Origin('docs/a.md', 1)}: wrong" == "docs/a.md:1: wrong"


def test_lines_of_front_matter_are_counted_from_the_file(tmp_path):
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: A\n---\n# A\ntext\n", encoding="utf-8")

    assert markers._front_matter_lines(page("# A\ntext\n", path=str(source))) == 3
    assert markers._front_matter_lines(page("# A\nedited\n", path=str(source))) == 0  # not the file's tail
    assert markers._front_matter_lines(page("x", path=None)) == 0
    assert markers._front_matter_lines(page("x", path=str(tmp_path / "missing.md"))) == 0


def test_the_page_file_is_read_as_utf8_whatever_the_locale(tmp_path):
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: 注意力\n---\n# 注意力\n", encoding="utf-8")
    old = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")  # a locale that reads files as ASCII
    try:
        assert markers._front_matter_lines(page("# 注意力\n", path=str(source))) == 3
    finally:
        locale.setlocale(locale.LC_CTYPE, old)


def test_a_page_as_read_has_its_own_lines_after_its_front_matter(tmp_path):
    source = tmp_path / "a.md"
    source.write_text("---\ntitle: A\n---\n# A\ntext", encoding="utf-8")
    p = page("# A\ntext", "sub/a.md", str(source))

    assert markers.origins("# A\ntext", p) == [Origin("docs/sub/a.md", 4), Origin("docs/sub/a.md", 5)]
    assert markers.origins("# B\nchanged", p) == [Origin("docs/sub/a.md", 4), Origin("docs/sub/a.md", 5)]


def test_a_page_whose_lines_changed_unrecorded_is_refused():
    with pytest.raises(PluginError) as caught:
        markers.origins("one\ntwo\nthree", page("one\ntwo", "gan.md"))

    assert str(caught.value) == ("docs/gan.md: a plugin or hook changed the page's lines without recording where they "
                                 "came from (see hooks/markers.py); line numbers in messages would be wrong")


def test_map_lines_records_where_each_new_line_comes_from():
    p = page("a\nb\nc\nd")
    ledger = Origin("docs/corrections.yml", 7)

    def change(line, origin):
        return {"a": "A", "b": "b 1\nb 2", "c": Sourced([("a note", ledger), ("x 1\ny", Origin("docs/z.md", 1))])}.get(line, line)

    out = markers.map_lines(p.markdown, change, p)

    assert out == "A\nb 1\nb 2\na note\nx 1\ny\nd"
    assert markers.origins(out, p) == [Origin("docs/page.md", 1), Origin("docs/page.md", 2), Origin("docs/page.md", 2),
                                       ledger, Origin("docs/z.md", 1), Origin("docs/z.md", 1), Origin("docs/page.md", 4)]


def test_each_change_sees_the_origin_of_its_line_after_an_earlier_hook_moved_it():
    p = page("a\nb")
    first = markers.map_lines(p.markdown, lambda line, origin: "a0\na1" if line == "a" else line, p)
    seen = []

    markers.map_lines(first, lambda line, origin: seen.append((line, origin)) or line, p)

    assert seen == [("a0", Origin("docs/page.md", 1)), ("a1", Origin("docs/page.md", 1)), ("b", Origin("docs/page.md", 2))]


def test_a_change_that_returns_an_empty_string_keeps_one_empty_line():
    p = page("a\nb")
    out = markers.map_lines(p.markdown, lambda line, origin: "" if line == "a" else line, p)

    assert out == "\nb"
    assert markers.origins(out, p) == [Origin("docs/page.md", 1), Origin("docs/page.md", 2)]


FENCED = "x\n```python\nx\n~~~\nx\n```\nx\n````\nx\n```\nx\n`````\nx\n  ~~~\nx\n~~~~\nx"


def test_lines_inside_code_fences_are_not_changed():
    p = page(FENCED)
    seen = []

    def change(line, origin):
        seen.append(origin.line)
        return line.upper()

    out = markers.map_outside_fences(p.markdown, change, p)

    # ``` is closed by ``` (not ~~~); ```` by a longer fence of backticks only; ~~~ by ~~~~
    assert out == "X\n```python\nx\n~~~\nx\n```\nX\n````\nx\n```\nx\n`````\nX\n  ~~~\nx\n~~~~\nX"
    assert seen == [1, 7, 13, 17]


def test_lines_appended_below_a_page_keep_their_origins():
    p = page("a\nb")
    ledger = Origin("docs/references.yml", 3)

    out = markers.append_lines(p.markdown, Sourced([("", ledger), ("one\ntwo", ledger)]), p)

    assert out == "a\nb\n\none\ntwo"
    assert markers.origins(out, p) == [Origin("docs/page.md", 1), Origin("docs/page.md", 2), ledger, ledger, ledger]


def test_markers_outside_code_are_expanded_with_their_kind_value_and_origin():
    text = ("<!-- correction: gan-max -->\n<!--bibliography-->\n  <!-- proof: x -->\n```\n<!-- proof: y -->\n```\n"
            "<!-- /seed-quote -->\n<!-- Not-a-marker -->\n<!-- skip: next \"why\" -->  \ntext <!-- proof: z -->")
    p = page(text)
    calls = []

    def expand(kind, value, origin):
        calls.append((kind, value, origin.line))
        return None if kind == "skip" else f"[{kind}]"

    out = markers.find_markers(text, expand, p)

    assert calls == [("correction", "gan-max", 1), ("bibliography", None, 2), ("/seed-quote", None, 7),
                     ("skip", 'next "why"', 9)]
    assert out == ("[correction]\n[bibliography]\n  <!-- proof: x -->\n```\n<!-- proof: y -->\n```\n[/seed-quote]\n"
                   "<!-- Not-a-marker -->\n<!-- skip: next \"why\" -->  \ntext <!-- proof: z -->")


def test_a_page_without_markers_is_returned_as_it_is():
    p = page("plain\n<!-- Capital -->\ntext <!-- x -->")

    assert markers.find_markers(p.markdown, lambda *args: pytest.fail("no marker to expand"), p) is p.markdown
    assert markers._pages == {}


def test_an_expansion_may_be_several_lines_from_elsewhere():
    p = page("a\n<!-- bibliography -->\nb")
    ref = Origin("docs/references.yml", 2)

    out = markers.find_markers(p.markdown, lambda kind, value, origin: Sourced([("r1\nr2", ref)]), p)

    assert out == "a\nr1\nr2\nb"
    assert markers.origins(out, p) == [Origin("docs/page.md", 1), ref, ref, Origin("docs/page.md", 3)]


def test_literal_text_shows_markdown_math_and_html_as_written():
    assert markers.literal("$100 [x](y) <b>a_b</b> & \"q\" 'q' `c` *e* #h !|~^{}\\ 中文 XY") == (
        "&#36;100 &#91;x&#93;(y) &#60;b&#62;a&#95;b&#60;/b&#62; &#38; &#34;q&#34; &#39;q&#39; &#96;c&#96; "
        "&#42;e&#42; &#35;h &#33;&#124;&#126;&#94;&#123;&#125;&#92; 中文 XY")


def test_problems_are_logged_as_found_and_fail_the_build_once_for_every_hook(monkeypatch, caplog):
    monkeypatch.setattr(Problems, "everyone", {})
    citations, proofs, quiet = Problems("citations"), Problems("proofs"), Problems("quiet")
    quiet.fail_if_any()  # nothing found yet

    with caplog.at_level(logging.ERROR):
        proofs.add("docs/a.md:1: first")
        citations.add("docs/b.md:2: second")
        proofs.add("docs/a.md:3: third")

    assert proofs == ["docs/a.md:1: first", "docs/a.md:3: third"] and proofs.hook == "proofs"
    assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
        ("mkdocs.hooks.proofs", logging.ERROR, "docs/a.md:1: first"),
        ("mkdocs.hooks.citations", logging.ERROR, "docs/b.md:2: second"),
        ("mkdocs.hooks.proofs", logging.ERROR, "docs/a.md:3: third"),
    ]
    with pytest.raises(PluginError) as caught:
        quiet.fail_if_any()
    assert str(caught.value) == ("3 problem(s) in the pages, listed above "
                                 "(found by hooks/citations.py, hooks/proofs.py)")
    assert Problems.everyone == {"citations": citations, "proofs": proofs, "quiet": quiet}
