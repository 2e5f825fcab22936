"""Test files need names unique across tests/: pytest imports them by file name (no __init__.py), so a
second tests/…/test_x.py stops the whole run at collection, and only when both folders are run."""
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent


def test_no_two_test_files_share_a_name():
    by_name = defaultdict(list)
    for path in TESTS.rglob("test_*.py"):
        by_name[path.name].append(path.relative_to(TESTS.parent).as_posix())

    assert len(by_name) > 40
    assert not {name: paths for name, paths in by_name.items() if len(paths) > 1}, (
        "rename one of each: pytest imports test files by name, so two with the same name stop the run")
