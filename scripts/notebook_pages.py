"""Copy a notebook's output into the page that shows it, and find where a page disagrees.

A page shows a notebook's output between two marker lines, naming the notebook and the tag
of the cell (Jupyter's cell tags) whose Markdown output goes there:

    <!-- notebook-output: docs/notebooks/gan-training.ipynb quality-table -->
    ... written by this script, never by hand ...
    <!-- /notebook-output -->

The marker names the Chinese notebook on both editions' pages (the English page's marker lines are
the Chinese page's, tests/fast/test_editions.py); a page of the English edition (docs/en/) shows
the output of the notebook's English edition, docs/en/notebooks/X.ipynb, in English.

scripts/execute_notebooks.py calls sync() after executing; tests/test_notebooks.py calls
mismatches(), which names the page line that differs from the committed notebook.
"""
import pathlib
import re

import nbformat

from scripts.freshness import REGENERATE, ROOT

BLOCK = re.compile(r"^<!-- notebook-output: (\S+) (\S+) -->\n(.*?)^<!-- /notebook-output -->$", re.M | re.S)


def pages(root=ROOT):
    return sorted(p for p in (root / "docs").rglob("*.md") if "seed" not in p.relative_to(root / "docs").parts)


def edition_notebook(page, notebook, root=ROOT):
    """The notebook a page shows: the one its marker names, or on an English page (docs/en/) that
    notebook's English edition (docs/notebooks/X.ipynb -> docs/en/notebooks/X.ipynb)."""
    english_page = pathlib.Path(page).resolve().relative_to((root / "docs").resolve()).parts[0] == "en"
    if english_page and notebook.startswith("docs/") and not notebook.startswith("docs/en/"):
        return "docs/en/" + notebook.removeprefix("docs/")
    return notebook


def cell_markdown(notebook, tag, root=ROOT):
    """The text/markdown output of the one cell tagged `tag` in the committed notebook."""
    nb = nbformat.read(root / notebook, as_version=4)
    cells = [cell for cell in nb.cells if tag in cell.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise LookupError(f"{notebook} has {len(cells)} cells tagged {tag!r}, expected 1")
    found = [out["data"]["text/markdown"] for out in cells[0].get("outputs", [])
             if "text/markdown" in out.get("data", {})]
    if len(found) != 1:
        raise LookupError(f"{notebook}: the cell tagged {tag!r} has {len(found)} Markdown outputs, expected 1")
    return found[0].rstrip("\n") + "\n"


def filled(page, text, root=ROOT):
    """The page's text with every notebook-output block holding its notebook's committed output."""
    def fill(match):
        notebook, tag, _ = match.groups()
        return (f"<!-- notebook-output: {notebook} {tag} -->\n"
                f"{cell_markdown(edition_notebook(page, notebook, root), tag, root)}<!-- /notebook-output -->")
    return BLOCK.sub(fill, text)


def sync(root=ROOT):
    """Rewrite the pages whose notebook-output blocks are out of date; returns them."""
    changed = []
    for page in pages(root):
        text = page.read_text(encoding="utf-8")
        new = filled(page, text, root)
        if new != text:
            page.write_text(new, encoding="utf-8")
            changed.append(page)
    return changed


def mismatches(root=ROOT):
    """`page:line: ...` for every line of a notebook-output block that differs from the notebook."""
    found = []
    for page in pages(root):
        name = page.relative_to(root).as_posix()
        text = page.read_text(encoding="utf-8")
        for match in BLOCK.finditer(text):
            notebook, tag, shown = match.groups()
            notebook = edition_notebook(page, notebook, root)
            first = text.count("\n", 0, match.start(3)) + 1           # page line of the block's first line
            try:
                expected = cell_markdown(notebook, tag, root).split("\n")
            except (LookupError, OSError) as err:
                found.append(f"{name}:{first - 1}: {err}")
                continue
            shown_lines = shown.split("\n")
            for offset in range(max(len(expected), len(shown_lines))):
                want = expected[offset] if offset < len(expected) else None
                got = shown_lines[offset] if offset < len(shown_lines) else None
                if want != got:
                    found.append(f"{name}:{first + offset}: shows {got!r} but the committed output of the cell "
                                 f"tagged {tag!r} in {notebook} is {want!r}. These lines are copied from the "
                                 f"notebook, not written by hand: run {REGENERATE}")
                    break
    return found
