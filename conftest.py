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
    patterns=["docs/*.md", "docs/**/*.md"],  # "**" alone misses the top level
    excludes=["docs/seed/*"],
)
snippet_docstrings = Sybil(
    parsers=[DocTestParser(optionflags=OPTIONS)],
    patterns=["snippets/*.py"],
)

pytest_collect_file = (pages + snippet_docstrings).pytest()


# On GitHub Actions, repeat each failure that names `file:line` as a workflow annotation, so it
# shows on the pull request's diff at that line. Messages from the content tests and the build
# use `path:line: what is wrong`; Sybil's use `path, line N`.
import os  # noqa: E402
import re  # noqa: E402

LOCATION = re.compile(r"(?P<file>(?:docs|snippets|tests|hooks|\.github)/[\w./-]+\.(?:md|py|yml|yaml|ipynb|txt))"
                      r"(?::(?P<line>\d+)|, line (?P<line2>\d+))?:?\s*(?P<message>.*)")


def annotations(text):
    """`::error file=…,line=…::message` lines for every location named in a failure report."""
    seen, out = set(), []
    for raw in text.splitlines():
        match = LOCATION.search(raw.removeprefix("E").strip())
        if not match:
            continue
        line = match.group("line") or match.group("line2") or "1"
        message = match.group("message").strip() or raw.strip()
        key = (match.group("file"), line, message)
        if key not in seen:
            seen.add(key)
            message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            out.append(f"::error file={match.group('file')},line={line}::{message[:500]}")
    return out


def pytest_terminal_summary(terminalreporter):
    if os.environ.get("GITHUB_ACTIONS") != "true":
        return
    for report in terminalreporter.stats.get("failed", []) + terminalreporter.stats.get("error", []):
        for line in annotations(str(report.longrepr))[:20]:
            terminalreporter.write_line(line)
