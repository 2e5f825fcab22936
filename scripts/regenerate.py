"""Regenerate every committed artefact made by code: figures, then executed notebooks.

    python scripts/regenerate.py

The tests fail when a committed artefact differs from what this produces
(tests/test_attention_figure.py, tests/test_notebooks.py). The site build never runs it.
"""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "docs" / "assets" / "generated"


def load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    print("figure:", load("make_attention_figure").main(GENERATED).relative_to(ROOT))
    for path in load("execute_notebooks").main([]):
        print("notebook:", path.relative_to(ROOT))


if __name__ == "__main__":
    main()
