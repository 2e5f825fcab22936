"""Mistakes a contributor can make, each injected into a copy of the project: the build or the
tests must fail, and the message must name the file (and the line, where there is one)."""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitebuild import ROOT, build_site

COPIED = ["mkdocs.yml", "pyproject.toml", "conftest.py", "CONTRIBUTING.md", "package.json",
          "docs", "snippets", "hooks", "overrides", "tests", "scripts"]


@pytest.fixture
def project(tmp_path):
    """A throwaway copy of the project (node_modules linked, not copied)."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        else:
            shutil.copy2(source, copy / name)
    (copy / "node_modules").symlink_to(ROOT / "node_modules")
    return copy


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def line_of(path, needle):
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line)


def build_fails(project, tmp_path):
    result = build_site(project, tmp_path / "site")
    assert result.returncode != 0, "the build should have failed"
    return result.stdout + result.stderr


def pytest_fails(project, *args):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                            cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode != 0, f"pytest {' '.join(args)} should have failed:\n{result.stdout[-2000:]}"
    return result.stdout + result.stderr


def test_missing_snippet_file_fails_the_build(project, tmp_path):
    page = project / "docs" / "index.md"
    append(page, '\n```py title="snippets/nothing.py"\n--8<-- "snippets/nothing.py:all"\n```\n')

    output = build_fails(project, tmp_path)

    assert "snippets/nothing.py" in output and "index.md" in output


def test_missing_snippet_section_fails_the_build(project, tmp_path):
    page = project / "docs" / "index.md"
    append(page, '\n```py title="snippets/attention.py"\n--8<-- "snippets/attention.py:no-such-section"\n```\n')

    output = build_fails(project, tmp_path)

    assert "no-such-section" in output and "index.md" in output


def test_broken_internal_link_fails_the_build(project, tmp_path):
    append(project / "docs" / "about.md", "\n见[不存在的页面](no-such-page.md)。\n")

    output = build_fails(project, tmp_path)

    assert "about.md" in output and "no-such-page.md" in output


def test_broken_anchor_fails_the_build(project, tmp_path):
    append(project / "docs" / "about.md", "\n见[勘误表](corrections.md#no-such-anchor)。\n")

    output = build_fails(project, tmp_path)

    assert "about.md" in output and "no-such-anchor" in output


def test_malformed_latex_fails_the_build_naming_page_and_line(project, tmp_path):
    page = project / "docs" / "about.md"
    append(page, "\n$$\n\\frac{a}{\n$$\n")
    line = len(page.read_text(encoding="utf-8").splitlines()) - 1

    output = build_fails(project, tmp_path)

    assert f"docs/about.md:{line}: KaTeX cannot render" in output


def test_unknown_citation_fails_the_build_naming_page_and_line(project, tmp_path):
    page = project / "docs" / "about.md"
    append(page, "\n这句话引用了一篇不存在的文献[@nobody1999]。\n")

    output = build_fails(project, tmp_path)

    assert f"docs/about.md:{line_of(page, 'nobody1999')}: citation [@nobody1999] is not in docs/references.yml" in output


def test_unknown_correction_id_fails_the_build(project, tmp_path):
    page = project / "docs" / "about.md"
    append(page, "\n<!-- correction: no-such-correction -->\n")

    output = build_fails(project, tmp_path)

    assert f"docs/about.md:{line_of(page, 'no-such-correction')}: correction 'no-such-correction' is not in docs/corrections.yml" in output


def test_proof_link_to_a_missing_test_fails_the_build(project, tmp_path):
    page = project / "docs" / "about.md"
    append(page, "\n<!-- proof: tests/test_attention.py::test_that_does_not_exist -->\n")

    output = build_fails(project, tmp_path)

    assert f"docs/about.md:{line_of(page, 'test_that_does_not_exist')}: proof" in output


def test_failing_example_in_a_page_names_file_and_line(project):
    page = project / "docs" / "about.md"
    append(page, "\n```python\n>>> 1 + 1\n3\n```\n")

    output = pytest_fails(project, "docs/about.md")

    assert re.search(r"docs/about\.md.*line \d+", output) and "Expected:\n    3\nGot:\n    2" in output


def test_failing_doctest_in_a_snippet_names_file_and_line(project):
    snippet = project / "snippets" / "broken_example.py"
    snippet.write_text('"""A snippet whose doctest is wrong.\n\n>>> 2 * 3\n7\n"""\n', encoding="utf-8")

    output = pytest_fails(project, "snippets/broken_example.py")

    assert re.search(r"snippets/broken_example\.py.*line 3", output) and "Got:\n    6" in output


def test_outside_image_or_script_is_caught_naming_file_and_line(project):
    page = project / "docs" / "about.md"
    append(page, '\n<img src="https://example.com/tracker.png" alt="x">\n\n<script src="//cdn.example.com/x.js"></script>\n')

    output = pytest_fails(project, "tests/fast/test_site.py::test_pages_reference_no_outside_resource_in_source")

    assert f"docs/about.md:{line_of(page, 'tracker.png')}: loads a resource from another host" in output
    assert f"docs/about.md:{line_of(page, 'cdn.example.com')}: loads a resource from another host" in output


def test_correction_without_source_is_reported_by_entry(project):
    ledger = project / "docs" / "corrections.yml"
    line = len(ledger.read_text(encoding="utf-8").splitlines()) + 2
    append(ledger, "\n- id: phd-without-source\n  page: karpathy.md\n  anchor: education\n  category: biography\n"
                   "  original: 获得了计算机科学博士学位\n  corrected: 改写\n  why: 理由\n  sources: []\n")

    output = pytest_fails(project, "tests/fast/test_ledger.py::test_every_ledger_entry_is_complete_and_sourced")

    assert f"docs/corrections.yml:{line}: correction 'phd-without-source': missing sources" in output


def test_heading_without_id_is_reported(project):
    page = project / "docs" / "about.md"
    append(page, "\n## 没有编号的标题\n\n正文。\n")

    output = pytest_fails(project, "tests/fast/test_headings.py")

    assert f"docs/about.md:{line_of(page, '没有编号的标题')}: heading '没有编号的标题' needs an id" in output


def test_avoided_glossary_term_is_reported(project):
    page = project / "docs" / "about.md"
    append(page, "\n生成对抗网络（GAN）里的鉴别器负责判断真假。\n")

    output = pytest_fails(project, "tests/fast/test_glossary.py::test_pages_use_the_glossary_terms")

    assert f"docs/about.md:{line_of(page, '鉴别器')}: write '判别器' instead of '鉴别器'" in output


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

    output = pytest_fails(project, "tests/test_notebooks.py", "-k", "broken")

    assert "docs/notebooks/broken.ipynb: cell 2 raised" in output and "deliberate" in output


def test_failures_become_github_annotations(project):
    page = project / "docs" / "about.md"
    append(page, "\n## 没有编号的标题\n")
    env = dict(os.environ, GITHUB_ACTIONS="true")

    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/fast/test_headings.py"],
                            cwd=project, env=env, capture_output=True, text=True, timeout=300)

    assert f"::error file=docs/about.md,line={line_of(page, '没有编号的标题')}::heading" in result.stdout


def test_image_without_alt_text_is_reported(project):
    page = project / "docs" / "about.md"
    append(page, "\n![](assets/generated/attention-heatmap.svg)\n")

    output = pytest_fails(project, "tests/fast/test_site.py::test_every_image_has_alt_text")

    assert f"docs/about.md:{line_of(page, 'attention-heatmap.svg')}: an image without alt text" in output
