"""Execute every notebook in place, both editions, so that the committed outputs are current.

The site build never runs a notebook (mkdocs-jupyter with execute: false): this script
does, with the kernel started in the notebook's own folder, any error fatal, and no
timing metadata. It records in the notebook's metadata ("freshness") the hash of every
code cell and of every snippets/ file the cells import (scripts/freshness.py), which is
how tests/test_notebooks.py knows that the outputs are stale. Then it copies outputs that
a page shows into that page (scripts/notebook_pages.py).
The English notebooks (docs/en/notebooks/) are made from the Chinese ones by
scripts/translate_notebooks.py: run without arguments, this script first writes them afresh, then
executes both editions; given a Chinese notebook, it does the same for that one and its English
edition; given an English notebook, it executes it as it is (a reader's copy keeps their edits).
Set GAN_CACHE_DIR, GPT_CACHE_DIR and MICROGRAD_CACHE_DIR to let the notebooks reuse the models
that the tests (or the other edition) already trained.

    python scripts/execute_notebooks.py                 # all notebooks, both editions
    python scripts/execute_notebooks.py docs/notebooks/gan-training.ipynb
"""
import pathlib
import sys

import nbformat
from nbclient import NotebookClient

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from scripts import notebook_pages, translate_notebooks  # noqa: E402
from scripts.freshness import REGENERATE, ROOT, changes, fingerprint  # noqa: E402

NOTEBOOKS = ROOT / translate_notebooks.SOURCES


def notebooks(root=ROOT):
    """Every notebook of both editions: the Chinese sources, then their English editions."""
    return translate_notebooks.sources(root) + sorted((root / translate_notebooks.ENGLISH).glob("*.ipynb"))


def execute_notebook(path):
    """Run one notebook and return it with fresh outputs (the file is not touched)."""
    path = pathlib.Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name="python3",   # jupyter_client starts it with this interpreter (sys.executable)
        allow_errors=False,
        record_timing=False,     # no execution timestamps in cell metadata
        resources={"metadata": {"path": str(path.parent)}},  # the kernel's working directory
    )
    client.execute()
    return nb


def code_cells(nb):
    """{"cell N": source} for every code cell, N counting all cells from 1 as Jupyter shows them."""
    return {f"cell {n}": cell.source for n, cell in enumerate(nb.cells, start=1) if cell.cell_type == "code"}


def stamp(nb, root=ROOT):
    nb.metadata["freshness"] = fingerprint(code_cells(nb), root)
    return nb


def staleness(path, root=ROOT):
    """Why the committed outputs of the notebook at path are stale: [] if they are current."""
    path = pathlib.Path(path)
    name = path.resolve().relative_to(root.resolve()).as_posix()
    nb = nbformat.read(path, as_version=4)
    recorded = nb.metadata.get("freshness")
    if recorded is None:
        return [f"{name}: no record of the code its outputs came from (not executed by "
                f"scripts/execute_notebooks.py); run {REGENERATE}"]
    cells = code_cells(nb)
    found = []
    for change in changes(recorded, fingerprint(cells, root)):
        cell = change.rsplit(" ", 1)[0]
        first_line = cells[cell].strip().split("\n")[0] if cell in cells else ""
        shown = f" (`{first_line}`)" if first_line else ""
        found.append(f"{name}: {change}{shown} since its outputs were made; run {REGENERATE}")
    return found


def main(argv=None):
    """Execute the given notebooks (default: all, both editions) and write them back."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        translate_notebooks.main([])   # every English edition, made afresh from its source
        paths = notebooks()
    else:
        paths = [pathlib.Path(p).resolve() for p in argv]
        sources = [str(path) for path in paths if path.parent == NOTEBOOKS]
        if sources:  # a source's English edition is made from it: write it afresh and run it too
            paths += [path for path in translate_notebooks.main(sources) if path not in paths]
    for path in paths:
        print(f"executing {path.relative_to(ROOT)}", flush=True)
        nbformat.write(stamp(execute_notebook(path)), path)
    for page in notebook_pages.sync():
        print(f"updated {page.relative_to(ROOT)} from its notebook's outputs")
    return paths


if __name__ == "__main__":
    main()
