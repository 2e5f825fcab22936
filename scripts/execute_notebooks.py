"""Execute every docs/notebooks/*.ipynb in place, so that the committed outputs are current.

The site build never runs a notebook (mkdocs-jupyter with execute: false): this script
does, with the kernel started in the notebook's own folder, any error fatal, and no
timing metadata, so that a re-run on the same machine writes the same outputs.
Set GAN_CACHE_DIR to let a notebook reuse a GAN that the tests already trained.

    python scripts/execute_notebooks.py                 # all notebooks
    python scripts/execute_notebooks.py docs/notebooks/gan-training.ipynb
"""
import pathlib
import sys

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "docs" / "notebooks"


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


def main(argv=None):
    """Execute the given notebooks (default: all of docs/notebooks) and write them back."""
    argv = sys.argv[1:] if argv is None else argv
    paths = [pathlib.Path(p).resolve() for p in argv] or sorted(NOTEBOOKS.glob("*.ipynb"))
    for path in paths:
        print(f"executing {path.relative_to(ROOT)}", flush=True)
        nbformat.write(execute_notebook(path), path)
    return paths


if __name__ == "__main__":
    main()
