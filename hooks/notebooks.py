"""Make a notebook page (mkdocs-jupyter) read like the rest of the site.

mkdocs-jupyter renders a notebook with nbconvert, which expects MathJax and a Jupyter front end.
On each notebook page this hook:
- marks the `$…$` and `$$…$$` of Markdown cells as arithmatex does for a page, so hooks/katex.py
  typesets them at build time like every formula (nbconvert leaves them as raw text);
- gives each heading the id the table of contents links to (nbconvert writes `id=""` for a
  Chinese heading, so the contents, the skip link and the ¶ links went nowhere): in both editions
  the id of the English edition's heading (docs/en/notebooks/, made from the same cells), as pages
  share `{ #id }`s, so the language switch keeps the reader's section;
- turns a table's empty corner header cell into a plain cell (a header must name something);
- puts, under the title, a link to download the .ipynb and how to run it.
"""
import html
import json
import posixpath
import re
import sys
from pathlib import Path

import markdown
from markdown.extensions.toc import TocExtension
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).parent))
import words  # noqa: E402
from words import say  # noqa: E402

MARKDOWN_CELL = re.compile(r'(<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput"[^>]*>)(.*?)(</div>)', re.S)
CODE = re.compile(r"<(code|pre)\b.*?</\1>", re.S)
DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$")
HEADING = re.compile(r'<h([1-6]) id="[^"]*">(.*?)<a class="anchor-link" href="#[^"]*">¶</a></h\1>', re.S)
EMPTY_CORNER = re.compile(r"(<thead>\s*<tr>\s*)<th></th>")
FIRST_H1 = re.compile(r"</h1>")
ENGLISH_NOTEBOOKS = Path(__file__).resolve().parent.parent / "docs" / "en" / "notebooks"


def on_pre_build(config):
    words.use(config)


def is_notebook(page):
    return page.file.src_uri.endswith(".ipynb")


def mark_math(cell):
    """Wrap the math of one Markdown cell's HTML as arithmatex would, outside code."""
    parts, last = [], 0
    for code in CODE.finditer(cell):
        parts += [_math(cell[last:code.start()]), code.group(0)]
        last = code.end()
    return "".join(parts + [_math(cell[last:])])


def _math(text):
    text = DISPLAY.sub(lambda m: f'</p><div class="arithmatex">\\[{m.group(1)}\\]</div><p>', text)
    text = INLINE.sub(lambda m: f'<span class="arithmatex">\\({m.group(1)}\\)</span>', text)
    return re.sub(r"<p>\s*</p>", "", text)


def toc_items(toc):
    for item in toc:
        yield item
        yield from toc_items(item.children)


def english_ids(page):
    """The ids the English edition of this notebook gives its headings, in order (as mkdocs-jupyter
    makes them: Python-Markdown's toc slugs), or None if there is no English edition."""
    path = ENGLISH_NOTEBOOKS / posixpath.basename(page.file.src_uri)
    if not path.is_file():
        return None
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    md = markdown.Markdown(extensions=[TocExtension()])
    md.convert("\n\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown"))

    def walk(tokens):
        for token in tokens:
            yield token["id"]
            yield from walk(token["children"])
    return list(walk(md.toc_tokens))


def share_english_ids(page):
    """Give the page's contents the English edition's heading ids; keep its own if the headings
    differ in number (then the English notebook is out of date: tests/fast/test_notebook_translations.py)."""
    items = list(toc_items(page.toc))
    english = english_ids(page)
    if english is not None and len(english) == len(items):
        for item, ident in zip(items, english):
            item.id = ident
    return [item.id for item in items]


def download_note(page):
    """Under the title: the .ipynb (mkdocs-jupyter's include_source copies it beside the page) and how to run it."""
    name = posixpath.basename(page.file.src_uri)
    folder = posixpath.dirname(f"docs/{'en/' if words.language() == 'en' else ''}{page.file.src_uri}")
    command = html.escape(f".venv/bin/python scripts/execute_notebooks.py {folder}/{name}")
    return (f'<div class="notebook-download"><p><a href="{html.escape(name)}" download>'
            f'{say("download", name=html.escape(name))}</a></p><p>{say("run_it", command=command)}</p></div>')


@event_priority(50)  # before hooks/katex.py reads the math
def on_page_content(content, page, config, files):
    if not is_notebook(page):
        return content
    content = MARKDOWN_CELL.sub(lambda m: m.group(1) + mark_math(m.group(2)) + m.group(3), content)
    ids = iter(share_english_ids(page))

    def heading(match):
        ident = next(ids, None)
        if ident is None:
            return match.group(0)
        return (f'<h{match.group(1)} id="{ident}">{match.group(2)}'
                f'<a class="headerlink" href="#{ident}" title="Permanent link">¶</a></h{match.group(1)}>')

    content = HEADING.sub(heading, content)
    content = EMPTY_CORNER.sub(r"\1<td></td>", content)
    return FIRST_H1.sub(lambda m: m.group(0) + download_note(page), content, count=1)
