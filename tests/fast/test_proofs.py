"""Proof links name tests that can prove something: checked from the source, in seconds.

`<!-- proof: tests/<file>.py::<test> -->` under a formula must name a `test_…` function that
pytest collects from a tests/test_*.py file importing snippets/, not a helper and not marked
skip or xfail (hooks/proofs.py, which the build uses too). That the test then passes and really
calls snippets/ is checked when the full suite runs (tests/proof_links.py).
"""
import ast
import locale
from types import SimpleNamespace

import pytest

import markers
import proofs
from proofs import find_test
from proof_links import proof_links


def test_every_proof_link_names_a_test_that_runs():
    problems = [f"{page}:{line}: proof {target!r}: {problem}"
                for page, line, target in proof_links() for _, problem in [find_test(target)] if problem]

    assert not problems, "\n".join(problems)


def test_pages_have_proof_links():
    assert {page for page, _, _ in proof_links()} >= {"docs/transformer.md", "docs/gan.md"}


TESTS = {
    "tests/test_good.py": """
import pytest
from snippets.attention import attention

def helper():
    pass

def test_ok():
    pass

async def test_async():
    pass

@pytest.mark.skip(reason="later")
def test_skipped():
    pass

@pytest.mark.xfail
def test_xfail():
    pass

@pytest.mark.skipif(True, reason="never")
@pytest.mark.slow
def test_skipif():
    pass

@pytest.mark.parametrize("x", [1])
@pytest.fixture
def test_marked_otherwise(x):
    pass

@pytest.mark.xfail
@pytest.mark.skip
def test_two_marks():
    pass

class TestGroup:
    def test_method(self):
        pass
""",
    "tests/test_plain_import.py": "import os\nimport snippets.gan\n\n\ndef test_a():\n    pass\n",
    "tests/test_no_snippets.py": "import os\nfrom . import snippets\nimport snippetsx\nfrom snippetsx import y\n\n\n"
                                 "def test_a():\n    pass\n",
    "tests/test_module_skip.py": "import pytest\nfrom snippets import gan\npytestmark = pytest.mark.xfail\n\n\n"
                                 "def test_a():\n    pass\n",
    "tests/test_module_marks.py": "import pytest\nfrom snippets import gan\nother = 1\n"
                                  "pytestmark = [pytest.mark.slow, pytest.mark.skipif(True, reason='')]\n\n\n"
                                  "def test_a():\n    pass\n",
    "tests/test_module_fine.py": "import pytest\nfrom snippets import gan\npytestmark = (pytest.mark.slow,)\n\n\n"
                                 "def test_a():\n    pass\n",
    "tests/helpers.py": "from snippets import gan\n\n\ndef test_a():\n    pass\n",
    "elsewhere/test_x.py": "from snippets import gan\n\n\ndef test_a():\n    pass\n",
}


@pytest.fixture
def project(tmp_path, monkeypatch):
    for path, text in TESTS.items():
        (tmp_path / path).parent.mkdir(exist_ok=True)
        (tmp_path / path).write_text(text.lstrip("\n"), encoding="utf-8")
    monkeypatch.setattr(proofs, "ROOT", tmp_path)
    return tmp_path


NAMES_NO_TEST = "names no test file; write `<!-- proof: tests/<file>.py::<test_name> -->`"


@pytest.mark.parametrize("target, found", [
    ("tests/test_good.py::test_ok", (7, None)),
    ("tests/test_good.py::test_async", (10, None)),
    ("tests/test_good.py::test_marked_otherwise", (28, None)),  # the line of `def`, below its decorators
    ("tests/test_plain_import.py::test_a", (5, None)),
    ("tests/test_module_fine.py::test_a", (6, None)),
    (None, (None, NAMES_NO_TEST)),
    ("", (None, NAMES_NO_TEST)),
    ("tests/test_good.py", (None, NAMES_NO_TEST)),
    ("tests/test_good.py::", (None, NAMES_NO_TEST)),
    ("tests/test_missing.py::test_ok", (None, NAMES_NO_TEST)),
    ("elsewhere/test_x.py::test_a", (None, NAMES_NO_TEST)),
    ("tests/helpers.py::test_a",
     (None, "tests/helpers.py is not a test file (pytest collects only tests/test_*.py); move the test there")),
    ("tests/test_good.py::test_nothing", (None, "tests/test_good.py has no function test_nothing(); check the name")),
    ("tests/test_good.py::test_method", (None, "tests/test_good.py has no function test_method(); check the name")),
    ("tests/test_good.py::TestGroup::test_method",
     (None, "tests/test_good.py has no function TestGroup::test_method(); check the name")),
    ("tests/test_good.py::test_two_marks", (None, "test_two_marks() is marked skip, xfail, so it proves nothing; "
                                                  "remove the mark or link a test that runs")),
    ("tests/test_good.py::helper", (None, "helper() in tests/test_good.py is a helper, not a test pytest runs; "
                                          "link the test_… function that calls it")),
    ("tests/test_good.py::test_skipped", (None, "test_skipped() is marked skip, so it proves nothing; "
                                                "remove the mark or link a test that runs")),
    ("tests/test_good.py::test_xfail", (None, "test_xfail() is marked xfail, so it proves nothing; "
                                              "remove the mark or link a test that runs")),
    ("tests/test_good.py::test_skipif", (None, "test_skipif() is marked skipif, so it proves nothing; "
                                               "remove the mark or link a test that runs")),
    ("tests/test_module_skip.py::test_a", (None, "test_a() is marked xfail, so it proves nothing; "
                                                 "remove the mark or link a test that runs")),
    ("tests/test_module_marks.py::test_a", (None, "test_a() is marked skipif, so it proves nothing; "
                                                  "remove the mark or link a test that runs")),
    ("tests/test_no_snippets.py::test_a", (None, "tests/test_no_snippets.py imports nothing from snippets/, so "
                                                 "test_a() cannot check the code the page shows; call the snippet "
                                                 "that implements the formula")),
])
def test_a_proof_target_is_a_test_that_runs_and_imports_snippets(project, target, found):
    assert find_test(target) == found


def test_a_test_file_is_read_as_utf8_whatever_the_locale(project):
    (project / "tests" / "test_chinese.py").write_text("# 注意力\nfrom snippets import gan\n\n\ndef test_a():\n    pass\n",
                                                      encoding="utf-8")
    old = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")  # a locale that reads files as ASCII
    try:
        assert find_test("tests/test_chinese.py::test_a") == (5, None)
    finally:
        locale.setlocale(locale.LC_CTYPE, old)


def test_the_marks_of_a_test_are_read_from_its_decorators():
    tree = ast.parse("@pytest.mark.skip\n@pytest.mark.skipif(x, reason='')\n@mark.xfail\n@pytest.fixture\n"
                     "@pytest.mark.parametrize('a', [1])\n@other\n@pytest.marks.slow\ndef test(): pass\n")

    assert proofs._marks(tree.body[0].decorator_list) == {"skip", "skipif", "parametrize"}


def page(markdown):
    return SimpleNamespace(markdown=markdown, file=SimpleNamespace(src_uri="transformer.md", abs_src_path=None))


def build_config(repo_url, language="zh"):
    return {"repo_url": repo_url, "theme": {"language": language}}


def test_a_proof_marker_becomes_a_link_to_the_test_at_its_line(project, monkeypatch):
    monkeypatch.setattr(markers, "_pages", {})
    markdown = "$$x$$\n<!-- proof: tests/test_good.py::test_ok -->\n<!-- formula: x -->"

    out = proofs.on_page_markdown(markdown, page(markdown), build_config("https://github.com/o/reduX/"), None)

    assert out == ('$$x$$\n<p class="proof">验证：<a href="https://github.com/o/reduX/blob/main/tests/test_good.py#L7">'
                   "<code>tests/test_good.py::test_ok</code></a></p>\n<!-- formula: x -->")


def test_without_a_repository_the_test_is_named_unlinked_in_the_pages_language(project, monkeypatch):
    monkeypatch.setattr(markers, "_pages", {})
    markdown = "<!-- proof: tests/test_good.py::test_ok -->"

    out = proofs.on_page_markdown(markdown, page(markdown), build_config(None, "en"), None)

    assert out == '<p class="proof">Proof: <code>tests/test_good.py::test_ok</code></p>'


def test_a_bad_proof_marker_is_reported_by_page_and_line_and_dropped(project, monkeypatch):
    monkeypatch.setattr(markers, "_pages", {})
    monkeypatch.setattr(proofs, "_problems", markers.Problems("proofs"))
    markdown = "a\n<!-- proof: tests/test_good.py::helper -->\nb"

    out = proofs.on_page_markdown(markdown, page(markdown), build_config("https://github.com/o/r"), None)

    assert out == "a\n\nb"
    assert proofs._problems == ["docs/transformer.md:2: proof 'tests/test_good.py::helper': helper() in "
                                "tests/test_good.py is a helper, not a test pytest runs; link the test_… function "
                                "that calls it"]
    proofs.on_pre_build({})
    assert proofs._problems == []
