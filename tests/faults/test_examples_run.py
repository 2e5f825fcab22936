"""Every example on a page runs, whatever its fence looks like, and each page runs on its own.

One copy of the project gets a deliberately wrong example in every kind of fence a contributor
might write (and one in CONTRIBUTING.md's guide section, which docs/contributing.md includes);
each must fail, named by file and line. A wrong example inside a quotation of the original, and
an include-only fence, must not run.
"""
import re
import subprocess
import sys

import pytest

from projectcopy import append, copy_project, insert_after, pytest_output
from scripts.site_build import ROOT

WRONG = {  # info string -> a fenced block whose example is wrong
    "python": "```python\n>>> 1 + 1\n3\n```",
    "py": "```py\n>>> 2 + 2\n5\n```",
    "pycon": "```pycon\n>>> 3 + 3\n7\n```",
    "python3": "```python3\n>>> 4 + 4\n9\n```",
    "none": "```\n>>> 5 + 5\n11\n```",
    "tildes": "~~~\n>>> 6 + 6\n13\n~~~",
    "python title": '```python title="example.py"\n# a comment before the prompt\n>>> 7 + 7\n15\n```',
    "indented, in a note": '!!! note "提示"\n\n    ```python3\n    >>> 8 + 8\n    17\n    ```',
}
NOT_RUN = [
    '```py title="snippets/attention.py"\n--8<-- "snippets/attention.py:attention"\n```',
    "<!-- seed-quote -->\n```python\n>>> 9 + 9\n19\n```\n<!-- /seed-quote -->",
]


def failed_examples(output):
    """{(file, line)} of every example pytest reports as failed."""
    return {(path, int(line)) for path, line in re.findall(r"^FAILED (\S+)::line:(\d+),column:\d+", output, re.M)}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("examples") / "project")
    page = project / "docs" / "about.md"
    expected = {}
    for kind, block in WRONG.items():
        append(page, "\n" + block + "\n")
        prompt = block.split("\n").index(next(line for line in block.split("\n") if ">>>" in line))
        expected[kind] = ("docs/about.md", len(page.read_text(encoding="utf-8").split("\n")) - len(block.split("\n")) + prompt)
    for block in NOT_RUN:
        append(page, "\n" + block + "\n")
    line = insert_after(project / "CONTRIBUTING.md", "## 文字风格 { #style }", "\n```python\n>>> 10 + 10\n21\n```")
    expected["included from CONTRIBUTING.md"] = ("CONTRIBUTING.md", line + 2)
    return expected, pytest_output(project, "docs/about.md", "CONTRIBUTING.md")


@pytest.mark.parametrize("kind", [*WRONG, "included from CONTRIBUTING.md"])
def test_a_wrong_example_fails_naming_file_and_line(run, kind):
    expected, output = run
    path, line = expected[kind]

    assert (path, line) in failed_examples(output)
    assert re.search(rf"Example at \S*{re.escape(path)}, line {line}, column \d+ did not evaluate as expected", output)


def test_quoted_and_include_only_fences_do_not_run(run):
    expected, output = run

    assert failed_examples(output) == set(expected.values())
    assert "19" not in re.findall(r"Expected:\n\s+(\d+)", output)


@pytest.mark.parametrize("page", ["docs/index.md", "docs/transformer.md", "docs/gan.md"])
def test_a_page_s_examples_pass_on_their_own(page):
    """`pytest docs/<page>.md` alone: no page may rely on what an earlier page ran or drew at random."""
    assert (ROOT / page).is_file()

    pytest_output(ROOT, page, fails=False)


def test_a_page_s_examples_stay_together_on_pytest_xdist_s_workers():
    """With two workers (the README's command on two cores), a page's examples must not be split
    between them: the later ones would not see the names the earlier ones defined."""
    pages = ["docs/micrograd.md", "docs/en/micrograd.md"]
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider", *pages],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)

    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r"\b(\d{2,}) passed", result.stdout), result.stdout[-500:]
