"""Every notebook runs from top to bottom, and its committed outputs are the ones it produces now.

The site build never executes a notebook; this test does (scripts/execute_notebooks.py), then
compares each cell's outputs with the committed ones: text exactly (notebooks print rounded
numbers), images pixel by pixel within a small tolerance. A stale notebook fails with the
command that regenerates it; a cell that raises fails with the notebook and the cell number.
"""
import base64
import io
import os
from pathlib import Path

import matplotlib.image
import nbformat
import numpy as np
import pytest
from nbclient.exceptions import CellExecutionError

from scripts.execute_notebooks import execute_notebook

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))


def outputs(cell):
    """A cell's outputs as comparable values: ('text', str) or ('image', array)."""
    found = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            found.append(("text", output["text"]))
        elif output["output_type"] in {"execute_result", "display_data"}:
            data = output["data"]
            if "image/png" in data:
                png = base64.b64decode(data["image/png"])
                found.append(("image", matplotlib.image.imread(io.BytesIO(png), format="png")))
            elif "text/plain" in data:
                found.append(("text", data["text/plain"]))
    return found


def same(a, b):
    if a[0] != b[0]:
        return False
    if a[0] == "text":
        return a[1] == b[1]
    return a[1].shape == b[1].shape and float(np.abs(a[1] - b[1]).mean()) < 0.01


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_its_committed_outputs_are_current(path, monkeypatch):
    name = path.relative_to(ROOT).as_posix()
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    committed = nbformat.read(path, as_version=4)
    try:
        fresh = execute_notebook(path)
    except CellExecutionError as err:
        pytest.fail(f"{name}: cell {failing_cell(err, path)} raised:\n{str(err)[-1500:]}", pytrace=False)

    stale = [f"{name}: cell {i} outputs differ from a fresh run"
             for i, (old, new) in enumerate(zip(committed.cells, fresh.cells), start=1)
             if old.cell_type == "code" and (len(outputs(old)) != len(outputs(new))
                                             or not all(map(same, outputs(old), outputs(new))))]

    assert not stale, "\n".join(stale) + f"\nRegenerate it: python scripts/execute_notebooks.py {name}"


def failing_cell(err, path):
    """1-based number of the cell that raised, found by its source in the notebook."""
    notebook = nbformat.read(path, as_version=4)
    for number, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "code" and cell.source.strip() and cell.source.strip() in str(err):
            return number
    return "?"
