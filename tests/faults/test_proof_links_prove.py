"""A proof link that names a helper, a skipped or failing test, or a test that calls nothing from
snippets/ fails, naming the page and line of the link.

One copy of the project gets two probe test files and a proof link to each kind of test on
docs/about.md. One pytest run of the probes and of the fast tier's proof check must report the
source problems (helper, skip mark, no import of snippets/) and the run-time ones (failed,
skipped at run time, never called snippets/), each at its link's line, and nothing for the
test that does call the snippet and pass.
"""
import pytest

from projectcopy import append, copy_project, line_of, pytest_output

PROBES = '''"""Probe tests for tests/faults/test_proof_links_prove.py."""
import pytest
import torch

from snippets.attention import attention


def check_attention_shape():
    q = torch.ones(1, 2, 4)
    assert attention(q, q, q).shape == (1, 2, 4)


def test_calls_the_snippet_and_passes():
    check_attention_shape()


@pytest.mark.skip(reason="deliberately skipped")
def test_marked_skip():
    check_attention_shape()


def test_skips_itself_while_running():
    pytest.skip("deliberately skipped at run time")


def test_types_the_formula_again():
    q = torch.ones(1, 2, 4)
    assert torch.allclose((q @ q.transpose(-2, -1) / 2).softmax(-1) @ q, q)


def test_calls_the_snippet_and_fails():
    q = torch.ones(1, 2, 4)
    assert attention(q, q, q).sum() < 0
'''
NO_SNIPPETS = '''"""A probe test file that imports nothing from snippets/."""


def test_checks_arithmetic_only():
    assert 2 * 3 == 6
'''
LINKS = {
    "helper": "tests/test_probe_proofs.py::check_attention_shape",
    "passes": "tests/test_probe_proofs.py::test_calls_the_snippet_and_passes",
    "marked skip": "tests/test_probe_proofs.py::test_marked_skip",
    "skips itself": "tests/test_probe_proofs.py::test_skips_itself_while_running",
    "typed again": "tests/test_probe_proofs.py::test_types_the_formula_again",
    "fails": "tests/test_probe_proofs.py::test_calls_the_snippet_and_fails",
    "no snippets import": "tests/test_probe_no_snippets.py::test_checks_arithmetic_only",
}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("proof-links") / "project")
    (project / "tests" / "test_probe_proofs.py").write_text(PROBES, encoding="utf-8")
    (project / "tests" / "test_probe_no_snippets.py").write_text(NO_SNIPPETS, encoding="utf-8")
    page = project / "docs" / "about.md"
    for target in LINKS.values():
        append(page, f"\n<!-- proof: {target} -->\n")
    where = {kind: f"docs/about.md:{line_of(page, target + ' ')}: proof" for kind, target in LINKS.items()}
    output = pytest_output(project, "tests/test_probe_proofs.py", "tests/test_probe_no_snippets.py", "tests/fast/test_proofs.py")
    return where, output


@pytest.mark.parametrize("kind, message", [
    ("helper", "check_attention_shape() in tests/test_probe_proofs.py is a helper, not a test pytest runs"),
    ("marked skip", "test_marked_skip() is marked skip, so it proves nothing"),
    ("no snippets import", "tests/test_probe_no_snippets.py imports nothing from snippets/"),
])
def test_the_source_check_rejects(run, kind, message):
    where, output = run

    assert f"{where[kind]} '{LINKS[kind]}': {message}" in output


@pytest.mark.parametrize("kind, message", [
    ("helper", "pytest collected no test check_attention_shape from tests/test_probe_proofs.py"),
    ("marked skip", "the test was skipped or xfailed, so it proves nothing"),
    ("skips itself", "the test was skipped or xfailed, so it proves nothing"),
    ("typed again", "the test never called code in snippets/"),
    ("fails", "the test failed, so the formula is not proved"),
    ("no snippets import", "the test never called code in snippets/"),
])
def test_the_test_run_rejects(run, kind, message):
    where, output = run

    assert f"{where[kind]} {LINKS[kind]}: {message}" in output


def test_a_link_to_a_test_that_calls_the_snippet_and_passes_is_accepted(run):
    where, output = run

    assert where["passes"] not in output
    assert "proof links that do not prove" in output
