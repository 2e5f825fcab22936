"""hooks/notebooks.py, function by function: the math of a Markdown cell marked for KaTeX, the
English edition's heading ids, the download note, and what a notebook page's HTML becomes. The
real notebooks are checked by test_notebook_translations.py and the site tests."""
import json
import locale
from types import SimpleNamespace

import pytest

import notebooks
import words


@pytest.fixture(autouse=True)
def chinese(monkeypatch):
    monkeypatch.setattr(words, "_language", ["zh"])


@pytest.fixture
def english_notebooks(tmp_path, monkeypatch):
    """docs/en/notebooks/ holding x.ipynb: Markdown cells with headings (one written without its
    closing newline), and a code cell whose comment is not a heading."""
    cells = [{"cell_type": "markdown", "source": ["# Title"]},
             {"cell_type": "code", "source": ["# not a heading\n", "x = 1"]},
             {"cell_type": "markdown", "source": ["## Part one\n", "\n", "### Détails\n"]},
             {"cell_type": "markdown", "source": ["## Part one"]}]
    (tmp_path / "x.ipynb").write_text(json.dumps({"cells": cells}, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(notebooks, "ENGLISH_NOTEBOOKS", tmp_path)
    return tmp_path


def page(uri, toc=()):
    return SimpleNamespace(file=SimpleNamespace(src_uri=uri), toc=list(toc))


def item(ident, *children):
    """A table-of-contents entry as mkdocs gives it: an id and the entries under it."""
    return SimpleNamespace(id=ident, children=list(children))


def test_a_build_speaks_its_configs_language():
    notebooks.on_pre_build({"theme": {"language": "en"}})

    assert words.language() == "en"


def test_only_an_ipynb_file_is_a_notebook():
    assert notebooks.is_notebook(page("notebooks/gan-training.ipynb"))
    assert not notebooks.is_notebook(page("gan.md"))
    assert not notebooks.is_notebook(page("notebooks/a.ipynb.md"))


# --- math

def test_inline_math_is_marked_as_arithmatex_marks_it():
    assert notebooks._math("a $x^2$ and $y$.") == (
        'a <span class="arithmatex">\\(x^2\\)</span> and <span class="arithmatex">\\(y\\)</span>.')


def test_display_math_leaves_its_paragraph_and_the_empty_paragraphs_go():
    assert notebooks._math("<p>$$\nV(D, G)\n$$</p>") == '<div class="arithmatex">\\[\nV(D, G)\n\\]</div>'
    assert notebooks._math("<p>before $$a$$ after</p>") == (
        '<p>before </p><div class="arithmatex">\\[a\\]</div><p> after</p>')
    assert notebooks._math("<p> \n </p>x") == "x"


def test_dollars_that_are_not_math_stay():
    assert notebooks._math("\\$5 and \\$6") == "\\$5 and \\$6"
    assert notebooks._math("$a\nb$") == "$a\nb$"  # inline math stays on its line
    assert notebooks._math("$$ $") == "$$ $"


def test_math_inside_code_is_left_as_code():
    cell = "<p>$a$ <code>$b$</code> $c$</p>\n<pre><code>$$d$$\n$e$</code></pre><p>$f$</p>"

    assert notebooks.mark_math(cell) == (
        '<p><span class="arithmatex">\\(a\\)</span> <code>$b$</code> <span class="arithmatex">\\(c\\)</span></p>\n'
        '<pre><code>$$d$$\n$e$</code></pre><p><span class="arithmatex">\\(f\\)</span></p>')
    assert notebooks.mark_math("no math") == "no math"


# --- heading ids

def test_toc_items_are_walked_depth_first_in_page_order():
    toc = [item("a", item("a1", item("a11")), item("a2")), item("b")]

    assert [entry.id for entry in notebooks.toc_items(toc)] == ["a", "a1", "a11", "a2", "b"]


def test_the_english_notebook_gives_its_headings_toc_slugs_in_order(english_notebooks):
    # Cells are separate blocks: "# Title" and "## Part one" do not run together; a repeated title
    # gets the next free slug, as Python-Markdown's toc makes it.
    assert notebooks.english_ids(page("notebooks/x.ipynb")) == ["title", "part-one", "details", "part-one_1"]


def test_the_english_notebook_is_read_as_utf8_whatever_the_locale(english_notebooks):
    old = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")  # a locale that reads files as ASCII
    try:
        assert notebooks.english_ids(page("x.ipynb"))[2] == "details"
    finally:
        locale.setlocale(locale.LC_CTYPE, old)


def test_a_notebook_without_an_english_edition_has_no_english_ids(english_notebooks):
    assert notebooks.english_ids(page("notebooks/other.ipynb")) is None


def test_the_headings_take_the_english_ids_when_there_are_as_many(english_notebooks):
    toc = [item("标题", item("第一部分", item("细节")), item("第一部分_1"))]

    assert notebooks.share_english_ids(page("notebooks/x.ipynb", toc)) == ["title", "part-one", "details", "part-one_1"]
    assert [entry.id for entry in notebooks.toc_items(toc)] == ["title", "part-one", "details", "part-one_1"]


def test_the_headings_keep_their_ids_if_the_english_notebook_differs_or_is_missing(english_notebooks):
    toc = [item("标题", item("第一部分"))]

    assert notebooks.share_english_ids(page("notebooks/x.ipynb", toc)) == ["标题", "第一部分"]
    assert notebooks.share_english_ids(page("notebooks/other.ipynb", toc)) == ["标题", "第一部分"]
    assert [entry.id for entry in notebooks.toc_items(toc)] == ["标题", "第一部分"]


# --- the download note

def test_the_download_note_links_the_notebook_and_says_how_to_run_it():
    assert notebooks.download_note(page("notebooks/gan-training.ipynb")) == (
        '<div class="notebook-download"><p><a href="gan-training.ipynb" download>下载这个笔记本（gan-training.ipynb）</a></p>'
        "<p>它导入仓库里 <code>snippets/</code> 的代码，要在仓库里运行：按 README 装好环境，把它放在 <code>docs/notebooks/</code> "
        "下，在仓库根目录运行 <code>.venv/bin/python scripts/execute_notebooks.py docs/notebooks/gan-training.ipynb</code>，"
        "它会重新执行全部单元并写回输出。</p></div>")


def test_the_english_download_note_names_the_english_notebook():
    words.use({"theme": {"language": "en"}})

    note = notebooks.download_note(page("notebooks/gpt-training.ipynb"))

    assert note.startswith('<div class="notebook-download"><p><a href="gpt-training.ipynb" download>'
                           "Download this notebook (gpt-training.ipynb)</a></p><p>It imports code")
    assert "run <code>.venv/bin/python scripts/execute_notebooks.py docs/en/notebooks/gpt-training.ipynb</code> from" in note


def test_the_download_note_escapes_the_name():
    note = notebooks.download_note(page("a&b.ipynb"))

    assert '<a href="a&amp;b.ipynb" download>下载这个笔记本（a&amp;b.ipynb）</a>' in note
    assert "<code>.venv/bin/python scripts/execute_notebooks.py docs/a&amp;b.ipynb</code>" in note


# --- a notebook page

CELL = '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput" data-x="1">'


def test_a_notebook_page_gets_its_math_marked_english_ids_a_table_corner_and_the_download_note(english_notebooks):
    content = (f'{CELL}<h1 id="">标题<a class="anchor-link" href="#">¶</a></h1><p>$x$</p></div>'
               '<pre>$y$</pre>'
               f'{CELL}<h2 id="">第一部分<a class="anchor-link" href="#">¶</a></h2></div>'
               "<table><thead><tr><th></th><th>a</th></tr></thead></table>")
    p = page("notebooks/x.ipynb", [item("标题", item("第一部分"))])

    out = notebooks.on_page_content(content, p, None, None)

    # Two headings here, four in the English notebook: the page keeps its own ids.
    assert out == (f'{CELL}<h1 id="标题">标题<a class="headerlink" href="#标题" title="Permanent link">¶</a></h1>'
                   f"{notebooks.download_note(p)}"
                   '<p><span class="arithmatex">\\(x\\)</span></p></div>'
                   "<pre>$y$</pre>"
                   f'{CELL}<h2 id="第一部分">第一部分<a class="headerlink" href="#第一部分" title="Permanent link">¶</a></h2></div>'
                   "<table><thead><tr><td></td><th>a</th></tr></thead></table>")


def test_a_heading_beyond_the_contents_is_left_as_it_is():
    content = '<h2 id="">A<a class="anchor-link" href="#">¶</a></h2>'

    assert notebooks.on_page_content(content, page("notebooks/none.ipynb"), None, None) == content


def test_a_page_that_is_not_a_notebook_is_unchanged():
    content = f'{CELL}<h1 id="">T<a class="anchor-link" href="#">¶</a></h1><p>$x$</p></div>'

    assert notebooks.on_page_content(content, page("gan.md", [item("t")]), None, None) == content
