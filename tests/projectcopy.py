"""Throwaway copies of the project for the fault-injection tests: make a mistake, run a check.

Each copy holds what a build and the tests read (node_modules is linked, not copied), so a
message names paths as a contributor sees them: `docs/gan.md:314`, never a temporary folder.
"""
import os
import shutil
import subprocess
import sys

from scripts.site_build import ROOT, build_site

COPIED = ["mkdocs.yml", "mkdocs.en.yml", "pyproject.toml", "conftest.py", "CONTRIBUTING.md", "package.json",
          "docs", "snippets", "hooks", "overrides", "tests", "scripts"]


def copy_project(target):
    """Copy the project into the directory `target`; return it."""
    target.mkdir(parents=True)
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        else:
            shutil.copy2(source, target / name)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


def edit(path, old, new):
    """Replace the first `old` in a file by `new` (it must be there)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def insert_after(path, needle, text):
    """Insert `text` as new lines after the line holding `needle`; return the number of the first new line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if needle in line) + 1
    lines[at:at] = text.split("\n")
    path.write_text("\n".join(lines), encoding="utf-8")
    return at + 1


def line_of(path, needle, nth=1):
    """Number of the line holding the nth occurrence of `needle`."""
    found = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if needle in line]
    assert len(found) >= nth, f"{needle!r} occurs {len(found)} times in {path}"
    return found[nth - 1]


def build_output(project, site_dir, fails=True, **environment):
    """stdout + stderr of `mkdocs build --strict` on the copy, which must fail (or pass, fails=False)."""
    result = build_site(project, site_dir, **environment)
    assert (result.returncode != 0) == fails, f"the build should have {'failed' if fails else 'passed'}:\n{result.stderr[-3000:]}"
    return result.stdout + result.stderr


def pytest_output(project, *args, fails=True):
    """stdout + stderr of `pytest args` run in the copy, which must fail (or pass, fails=False)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "0", "-p", "no:cacheprovider", *args],
                            cwd=project, env=env, capture_output=True, text=True, timeout=600)
    assert (result.returncode != 0) == fails, (f"pytest {' '.join(args)} should have {'failed' if fails else 'passed'}:\n"
                                               f"{result.stdout[-3000:]}")
    return result.stdout + result.stderr
