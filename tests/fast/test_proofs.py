"""Proof links name tests that can prove something: checked from the source, in seconds.

`<!-- proof: tests/<file>.py::<test> -->` under a formula must name a `test_…` function that
pytest collects from a tests/test_*.py file importing snippets/, not a helper and not marked
skip or xfail (hooks/proofs.py, which the build uses too). That the test then passes and really
calls snippets/ is checked when the full suite runs (tests/proof_links.py).
"""
from proofs import find_test
from proof_links import proof_links


def test_every_proof_link_names_a_test_that_runs():
    problems = [f"{page}:{line}: proof {target!r}: {problem}"
                for page, line, target in proof_links() for _, problem in [find_test(target)] if problem]

    assert not problems, "\n".join(problems)


def test_pages_have_proof_links():
    assert {page for page, _, _ in proof_links()} >= {"docs/transformer.md", "docs/gan.md"}
