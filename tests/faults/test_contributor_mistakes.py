"""Mistakes a contributor can make, each injected into a copy of the project: the build or the
tests must fail, and the message must name the file (and the line, where there is one).

Mistakes that many share one copy and one run live in the other files of this folder; these
need a run of their own (a snippet's doctest; a notebook; the GitHub annotations).
"""
import json
import os
import re
import subprocess
import sys

import pytest

from projectcopy import append, copy_project, line_of, pytest_output


@pytest.fixture
def project(tmp_path):
    """A throwaway copy of the project (node_modules linked, not copied)."""
    return copy_project(tmp_path / "project")


def test_failing_doctest_in_a_snippet_names_file_and_line(project):
    snippet = project / "snippets" / "broken_example.py"
    snippet.write_text('"""A snippet whose doctest is wrong.\n\n>>> 2 * 3\n7\n"""\n', encoding="utf-8")

    output = pytest_output(project, "snippets/broken_example.py")

    assert re.search(r"snippets/broken_example\.py, line 3\b", output) and "Got:\n    6" in output


def test_notebook_cell_that_raises_names_notebook_and_cell(project):
    notebook = {
        "cells": [
            {"cell_type": "code", "execution_count": None, "id": "ok", "metadata": {}, "outputs": [], "source": "x = 1"},
            {"cell_type": "code", "execution_count": None, "id": "boom", "metadata": {}, "outputs": [],
             "source": "raise ValueError('deliberate')"},
        ],
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    (project / "docs" / "notebooks").mkdir(exist_ok=True)
    (project / "docs" / "notebooks" / "broken.ipynb").write_text(json.dumps(notebook), encoding="utf-8")

    output = pytest_output(project, "tests/test_notebooks.py", "-k", "broken")

    assert "docs/notebooks/broken.ipynb: cell 2 raised" in output and "deliberate" in output


def test_failures_become_github_annotations(project):
    page = project / "docs" / "about.md"
    append(page, "\n## 没有编号的标题\n")
    env = dict(os.environ, GITHUB_ACTIONS="true")

    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", "tests/fast/test_headings.py"],
                            cwd=project, env=env, capture_output=True, text=True, timeout=300)

    assert f"::error file=docs/about.md,line={line_of(page, '没有编号的标题')}::heading" in result.stdout
