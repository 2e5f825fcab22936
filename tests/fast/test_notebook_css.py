"""hooks/notebook_css.py keeps every JupyterLab rule that can match a notebook page, and only those."""
from types import SimpleNamespace

import pytest

import notebook_css



@pytest.fixture(autouse=True)
def no_page_remembered(monkeypatch):
    """Each test starts as a fresh process does: no notebook page's output kept."""
    monkeypatch.setattr(notebook_css, "_pages", {})


HTML = '<div class="jupyter-wrapper"><div class="jp-Cell jp-CodeCell" id="cell-1"><pre>x</pre></div></div>'


def kept(css, html=HTML):
    return notebook_css.prune_css(css, html).replace(" ", "")


def test_rules_whose_classes_are_on_the_page_are_kept():
    assert kept(".jupyter-wrapper .jp-Cell{margin:0}") == ".jupyter-wrapper.jp-Cell{margin:0}"


def test_rules_naming_a_class_or_id_absent_from_the_page_are_dropped():
    assert kept(".jupyter-wrapper .jp-Menu{color:red}#toolbar{margin:0}") == ""


def test_a_selector_list_is_kept_when_one_selector_can_match():
    assert "color:red" in kept(".jp-Menu,.jp-CodeCell{color:red}")


def test_what_not_excludes_is_not_required_on_the_page():
    assert "color:red" in kept(".jp-Cell:not(.jp-mod-active) pre{color:red}")


def test_the_root_element_inside_the_wrapper_matches_nothing_and_is_dropped():
    assert kept(".jupyter-wrapper :root{--jp-x:1}.jupyter-wrapper body{margin:0}") == ""


def test_materials_own_classes_added_by_its_javascript_are_kept():
    assert "margin:0" in kept(".jupyter-wrapper .md-typeset__scrollwrap{margin:0}")


def test_media_blocks_are_pruned_inside_and_dropped_when_empty():
    css = "@media (max-width:600px){.jp-Cell{padding:0}.jp-Menu{padding:1px}}@media print{.jp-Menu{color:red}}"

    assert kept(css) == "@media(max-width:600px){.jp-Cell{padding:0}}"


def test_other_at_rules_are_kept_whole():
    assert "@keyframes" in kept("@keyframes spin{from{opacity:0}to{opacity:1}}")


def test_the_arguments_of_functional_pseudo_classes_are_left_out_nested_or_not():
    assert notebook_css._without_functional(".a:not(.b) .c:is(.d, :not(.e)) .f:hover") == ".a .c .f:hover"
    assert notebook_css._without_functional(".a:not(.b") == ".a"
    assert notebook_css._without_functional(".a") == ".a"


@pytest.mark.parametrize("selector, may", [
    (".jp-Cell", True), ("#cell-1", True), (".jp-Cell#cell-1 pre", True), ("div > pre", True),
    (" .jp-Cell ", True), (".jp-Menu", False), ("#toolbar", False), (".jp-Cell .jp-Menu", False),
    (".md-anything .jp-Cell", True), ("#md-x", False), (".jp-Menu:hover", False),
    (".x :root", False), (".x>body", False), (".x+html", False), (".x~:root", False),
    (":root", True), ("body", True), (".jp-Cell .bodyish", False), (".jp-Cell body-x", True),
])
def test_a_selector_may_match_when_every_class_and_id_it_needs_is_on_the_page(selector, may):
    assert notebook_css._may_match(selector, {"jp-Cell", "jupyter-wrapper"}, {"cell-1"}) is may


def test_a_stylesheet_splits_into_top_level_statements_ignoring_braces_in_strings_and_comments():
    css = ('@charset "x;{";.a{content:"}"}/* } { */@media print{.b{c:d}.e{f:g}}'
           ".h{content:'{'}@import url(x.css);")

    assert notebook_css._blocks(css) == [
        ('@charset "x;{";', None),
        (".a", 'content:"}"'),
        ("/* } { */@media print", ".b{c:d}.e{f:g}"),
        (".h", "content:'{'"),
        ("@import url(x.css);", None),
    ]
    assert notebook_css._blocks("") == [] and notebook_css._blocks(".a{b:c") == []


def test_pruning_keeps_statements_and_at_rules_and_drops_what_cannot_match():
    css = ('@charset "utf-8";@font-face{font-family:x}@MEDIA print{.jp-Cell{a:b}}@supports (x:y){.no{a:b}}'
           "@media screen{@media (min-width:1px){.jp-Cell{c:d}.no{e:f}#i{k:l}#no{m:n}}}.no,.jp-Cell{g:h}.no{i:j}")

    assert notebook_css._prune(css, {"jp-Cell"}, {"i"}) == (
        '@charset "utf-8";@font-face{font-family:x}@MEDIA print{.jp-Cell{a:b}}'
        "@media screen{@media (min-width:1px){.jp-Cell{c:d}#i{k:l}}}.no,.jp-Cell{g:h}")


def test_the_page_gives_its_classes_and_ids_and_a_pruned_stylesheet_is_reused(monkeypatch):
    monkeypatch.setattr(notebook_css, "_pruned", {})
    html = '<p class=" a  b-c ">x</p><span id="i-1" class="d">y</span><b xclass="e">z</b>'
    css = ".a{1}.b-c{2}.d{3}#i-1{4}.e{5}#i-2{6}"

    assert notebook_css.prune_css(css, html) == ".a{1}.b-c{2}.d{3}#i-1{4}"
    assert list(notebook_css._pruned.values()) == [".a{1}.b-c{2}.d{3}#i-1{4}"]
    monkeypatch.setattr(notebook_css, "_prune", lambda *args: pytest.fail("pruned again"))
    assert notebook_css.prune_css(css, html) == ".a{1}.b-c{2}.d{3}#i-1{4}"
    assert len(notebook_css._pruned) == 1


def test_the_cache_tells_pages_with_other_classes_or_ids_apart(monkeypatch):
    monkeypatch.setattr(notebook_css, "_pruned", {})
    css = ".a{1}#b{2}.c{3}"

    assert [notebook_css.prune_css(css, html) for html in ['<p class="a">', '<p id="b">', '<p class="a c">',
                                                           '<p class="b">', '<p id="a">']] == [
        ".a{1}", "#b{2}", ".a{1}.c{3}", "", ""]


def notebook_page(uri):
    return SimpleNamespace(file=SimpleNamespace(src_uri=uri))


def test_only_a_notebook_pages_large_stylesheets_are_pruned(monkeypatch):
    monkeypatch.setattr(notebook_css, "LARGE", 20)
    large = ".unused-rule-long{a:b}.kept{c:d}"
    output = f'<style id="s">{large}</style><style>.x{{}}</style><div class="kept"></div><style>\n{large}</style>'

    assert notebook_css.on_post_page(output, notebook_page("notebooks/gan.ipynb"), {}) == (
        '<style id="s">.kept{c:d}</style><style>.x{}</style><div class="kept"></div><style>.kept{c:d}</style>')
    assert notebook_css.on_post_page(output, notebook_page("gan.md"), {}) is output


def test_the_classes_inside_stylesheets_do_not_count_as_on_the_page(monkeypatch):
    monkeypatch.setattr(notebook_css, "LARGE", 0)
    output = '<style>.a{x:1}</style><style>.b{content:\'class="a"\'}</style><p class="b"></p>'

    assert notebook_css.on_post_page(output, notebook_page("n.ipynb"), {}) == (
        '<style></style><style>.b{content:\'class="a"\'}</style><p class="b"></p>')


def test_a_stylesheet_of_exactly_large_characters_is_kept_whole(monkeypatch):
    css = ".unused{a:b}"
    monkeypatch.setattr(notebook_css, "LARGE", len(css))
    output = f"<style>{css}</style>"

    assert notebook_css.on_post_page(output, notebook_page("n.ipynb"), {}) == output


def test_an_unchanged_page_is_not_scanned_again_and_a_changed_one_is(monkeypatch):
    # mkdocs serve renders every page again on each rebuild; a notebook page rarely changes.
    monkeypatch.setattr(notebook_css, "LARGE", 0)
    scans = []
    monkeypatch.setattr(notebook_css, "prune_css", lambda css, html: scans.append(css) or "")
    first, second = '<style>.a{}</style><p class="a">', '<style>.b{}</style><p class="a">'

    assert notebook_css.on_post_page(first, notebook_page("n.ipynb"), {}) == "<style></style><p class=\"a\">"
    assert notebook_css.on_post_page(first, notebook_page("n.ipynb"), {}) == "<style></style><p class=\"a\">"
    assert scans == [".a{}"]
    notebook_css.on_post_page(second, notebook_page("n.ipynb"), {})
    notebook_css.on_post_page(first, notebook_page("other.ipynb"), {})
    assert scans == [".a{}", ".b{}", ".a{}"]
    notebook_css.on_post_page(first, notebook_page("n.ipynb"), {})   # one output kept per page
    assert scans == [".a{}", ".b{}", ".a{}", ".a{}"]
