"""hooks/notebook_css.py keeps every JupyterLab rule that can match a notebook page, and only those."""
import notebook_css

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
