"""Sybil: run the examples in the pages and the doctests in the snippets under pytest.

This file must stay at the repository root: from tests/conftest.py Sybil would silently collect
nothing under docs/ or snippets/.

Which examples run: every fenced block holding a `>>>` line, whatever its info string (`python`,
`py`, `pycon`, `python3`, `python title="…"` or none); a block tagged `python` without `>>>`,
and `<!-- invisible-code-block: python -->`, run as plain code. Not run: a block holding only
`--8<--` include lines (tag those `py title="snippets/…"`: shown, not run), and quotations of the
original between `<!-- seed-quote -->` and `<!-- /seed-quote -->`, whose code is wrong on purpose.
A Markdown file that a page includes with `--8<--` (CONTRIBUTING.md) has its examples run too.

Each page starts from a fresh namespace and the same random state, so its examples give the same
result alone (`pytest docs/transformer.md`) as after every other page.
"""
import os
import random
import re
from doctest import ELLIPSIS, NORMALIZE_WHITESPACE
from pathlib import Path

import pytest
from sybil import Sybil
from sybil.evaluators.python import PythonEvaluator
from sybil.parsers.abstract.doctest import DocTestStringParser
from sybil.evaluators.doctest import DocTestEvaluator
from sybil.parsers.markdown import ClearNamespaceParser, SkipParser
from sybil.parsers.markdown.lexers import DirectiveInHTMLCommentLexer, RawFencedCodeBlockLexer
from sybil.parsers.rest import DocTestParser

pytest_plugins = ["tests.proof_links"]

ROOT = Path(__file__).resolve().parent
OPTIONS = ELLIPSIS | NORMALIZE_WHITESPACE
SEED_QUOTE = re.compile(r"<!--\s*seed-quote\s*-->.*?<!--\s*/seed-quote\s*-->", re.S)
INCLUDED_MARKDOWN = re.compile(r"""^\s*--8<--\s+["']([^"':]+\.md)(?::[\w-]+)?["']\s*$""", re.M)


class FencedExamples:
    """A Sybil parser for the examples in a Markdown file (see the module docstring)."""

    def __init__(self):
        self.fences = RawFencedCodeBlockLexer(info_pattern=re.compile(r"(?P<info>[^\n]*)$\n", re.M),
                                              mapping={"info": "info", "source": "source"})
        self.invisible = DirectiveInHTMLCommentLexer(directive=r"invisible-code(-block)?", arguments=r"python")
        self.doctests = DocTestStringParser(DocTestEvaluator(OPTIONS))
        self.code = PythonEvaluator()

    def __call__(self, document):
        quoted = [match.span() for match in SEED_QUOTE.finditer(document.text)]
        for region in self.fences(document):
            if any(start <= region.start < end for start, end in quoted):
                continue
            source = region.lexemes["source"]
            lines = [line.strip() for line in source.splitlines() if line.strip()]
            if any(line.startswith(">>>") for line in lines):
                for example in self.doctests(source, document.path):
                    example.adjust(region, source)
                    yield example
            elif region.lexemes["info"].split() == ["python"] and not all(line.startswith("--8<--") for line in lines):
                region.parsed, region.evaluator = source, self.code
                yield region
        for region in self.invisible(document):
            region.parsed, region.evaluator = region.lexemes["source"], self.code
            yield region


def same_start(namespace):
    """Every page's examples start from the same random state, whatever ran before them."""
    random.seed(0)
    try:
        import numpy
        import torch
    except ImportError:  # the fast tier's environment has neither; its pages' examples need them
        return
    numpy.random.seed(0)
    torch.manual_seed(0)


def included_markdown():
    """Markdown files outside docs/ that pages include with `--8<--` (their examples show on the site)."""
    pages = sorted((ROOT / "docs").rglob("*.md"))
    return sorted({name for page in pages for name in INCLUDED_MARKDOWN.findall(page.read_text(encoding="utf-8"))
                   if not name.startswith("docs/")})


pages = Sybil(
    parsers=[FencedExamples(), SkipParser(), ClearNamespaceParser()],
    patterns=["docs/*.md", "docs/**/*.md", *included_markdown()],  # "**" alone misses the top level
    excludes=["docs/seed/*"],
    setup=same_start,
)
snippet_docstrings = Sybil(
    parsers=[DocTestParser(optionflags=OPTIONS)],
    patterns=["snippets/*.py"],
)

pytest_collect_file = (pages + snippet_docstrings).pytest()


# Modules run whole on one worker: those whose module-scoped fixture copies and builds the whole
# project (split between workers, such a module built it once per switch: a full run took 18
# minutes instead of 14.5).
WHOLE_MODULES = ("tests/faults/", "tests/test_link_check.py")


# Runs that need no workers: the fast tier's tests take seconds in all, and starting and feeding
# two workers cost more than it saved (184 tests on two cores: 10 s wall with them, 5.5 s without).
IN_PROCESS = ("tests/fast",)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config):
    """`-n auto` (pyproject.toml): no worker when every path asked for is in IN_PROCESS, else one per core."""
    here = config.invocation_params.dir
    asked = [os.path.relpath(os.path.join(here, arg.split("::")[0]), config.rootpath).replace(os.sep, "/")
             for arg in config.args]
    if asked and all(any(path == tier or path.startswith(tier + "/") for tier in IN_PROCESS) for path in asked):
        return 0
    return None  # pytest-xdist's own choice


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hook: conftest.py must load without it (requirements-docs.txt)
def pytest_xdist_make_scheduler(config, log):
    """How pytest-xdist (--dist loadscope, pyproject.toml) deals out the tests, one unit at a time
    to whichever worker is free. A page's examples share one namespace and run in order, so a page
    (or snippet) is one unit: split between workers, or paused inside while a worker waits for
    work, its later examples would miss the names the earlier ones defined. A module in
    WHOLE_MODULES is one unit too. Every other test is a unit of its own, so the slow ones (the GAN
    seeds, the GPT, each edition's browser visits) spread over the workers. (--dist loadgroup with
    an xdist_group mark would say the same for pages, but pytest 9.2 ignores the test ids that
    pytest-xdist 3.8 rewrites for it: pytest-xdist issue #1386.)"""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class Units(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            path, _, name = nodeid.partition("::")
            if name.startswith("line:") or path.startswith(WHOLE_MODULES):  # Sybil's ids: `docs/x.md::line:12,column:1`
                return path
            return nodeid

    return Units(config, log)


# On GitHub Actions, repeat each failure that names `file:line` as a workflow annotation, so it
# shows on the pull request's diff at that line. Messages from the content tests and the build
# use `path:line: what is wrong`; Sybil's use `path, line N`.
LOCATION = re.compile(r"(?P<file>(?:docs|snippets|tests|hooks|\.github)/[\w./-]+\.(?:md|py|yml|yaml|ipynb|txt)"
                      r"|[A-Z]+\.md|mkdocs\.yml)"
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
