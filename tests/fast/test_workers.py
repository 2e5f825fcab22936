"""How many pytest-xdist workers `-n auto` starts: none for the fast tier (starting them costs more
than its tests take), pytest-xdist's own choice for anything else."""
import importlib.util
from types import SimpleNamespace

import pytest

from pages import ROOT

spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
root_conftest = importlib.util.module_from_spec(spec)
spec.loader.exec_module(root_conftest)


def workers(*args, invoked_in=ROOT):
    config = SimpleNamespace(args=list(args), rootpath=ROOT, invocation_params=SimpleNamespace(dir=invoked_in))
    return root_conftest.pytest_xdist_auto_num_workers(config)


@pytest.mark.parametrize("args", [("tests/fast",), ("tests/fast/",), ("tests/fast/test_ledger.py::test_ids_are_unique",),
                                  ("tests/fast/test_ledger.py", "tests/fast/test_links.py"), (str(ROOT / "tests" / "fast"),)])
def test_the_fast_tier_runs_without_workers(args):
    assert workers(*args) == 0


def test_a_path_is_read_from_where_pytest_was_started():
    assert workers("fast", invoked_in=ROOT / "tests") == 0
    assert workers("tests/fast", invoked_in=ROOT / "tests") is None  # tests/tests/fast is no tier of ours


@pytest.mark.parametrize("args", [("tests",), ("docs", "tests", "snippets", "CONTRIBUTING.md"), ("tests/fast", "tests/test_gan.py"),
                                  ("tests/fastidious",), ("tests/site",)])
def test_anything_else_gets_pytest_xdist_s_own_choice(args):
    assert workers(*args) is None
