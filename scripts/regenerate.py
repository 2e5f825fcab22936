"""Regenerate every committed artefact made by code: figures, then executed notebooks.

    python scripts/regenerate.py

The notebooks come in two editions: the English ones are first made afresh from the Chinese ones and
their translations (scripts/translate_notebooks.py), then both are executed. Each artefact records the hashes of the code it was made from (scripts/freshness.py); the
tests fail when that code has changed since (tests/test_attention_figure.py,
tests/test_notebooks.py), and when a fresh run lands outside the stated tolerances. Executing
the notebooks also copies their outputs into the pages that show them (scripts/notebook_pages.py).
The site build never runs this.
"""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts import execute_notebooks, make_attention_figure  # noqa: E402

GENERATED = ROOT / "docs" / "assets" / "generated"


def main():
    print("figure:", make_attention_figure.main(GENERATED).relative_to(ROOT))
    for path in execute_notebooks.main([]):
        print("notebook:", path.relative_to(ROOT))


if __name__ == "__main__":
    main()
