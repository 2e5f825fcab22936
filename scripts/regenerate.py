"""Regenerate every committed artefact made by code: figures, then executed notebooks.

    python scripts/regenerate.py

The tests fail when a committed artefact differs from what this produces
(tests/test_attention_figure.py, tests/test_notebooks.py). The site build never runs it.
"""
from pathlib import Path

import execute_notebooks
import make_attention_figure

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "docs" / "assets" / "generated"


def main():
    print("figure:", make_attention_figure.main(GENERATED).relative_to(ROOT))
    for path in execute_notebooks.main([]):
        print("notebook:", path.relative_to(ROOT))


if __name__ == "__main__":
    main()
