"""Sybil: run the examples in the pages and the doctests in the snippets under pytest.

This file must stay at the repository root: from tests/conftest.py Sybil would silently collect
nothing under docs/ or snippets/. Only fences tagged exactly `python` run; a fence tagged
`py title="…"` that includes a snippet is shown, not run.
"""
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE

from sybil import Sybil
from sybil.parsers.markdown import ClearNamespaceParser, PythonCodeBlockParser, SkipParser
from sybil.parsers.rest import DocTestParser

OPTIONS = ELLIPSIS | NORMALIZE_WHITESPACE

pages = Sybil(
    parsers=[PythonCodeBlockParser(doctest_optionflags=OPTIONS), SkipParser(), ClearNamespaceParser()],
    patterns=["docs/**/*.md"],
    excludes=["docs/seed/*"],
)
snippet_docstrings = Sybil(
    parsers=[DocTestParser(optionflags=OPTIONS)],
    patterns=["snippets/*.py"],
)

pytest_collect_file = (pages + snippet_docstrings).pytest()
