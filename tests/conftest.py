"""Fixtures shared by every test tier: one strict build of the site per session."""
import os
import sys
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS.parent / "hooks"))
sys.path.insert(0, str(TESTS))

from sitebuild import ROOT, build_site  # noqa: E402


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site, built once per test session with `mkdocs build --strict`."""
    site_dir = tmp_path_factory.mktemp("site")
    result = build_site(ROOT, site_dir)
    problems = [line for line in result.stderr.splitlines() if not line.startswith("INFO") and "jieba" not in line
                and not line.startswith(("Building prefix", "Loading model", "Prefix dict", "Dumping model"))]
    assert result.returncode == 0, "mkdocs build --strict failed:\n" + "\n".join(problems[-60:])
    return site_dir


def pytest_configure(config):
    # Train the default GAN once per session: tests/test_gan.py and the notebook's kernel
    # (which inherits this variable) share the trained weights through this folder.
    os.environ.setdefault("GAN_CACHE_DIR", tempfile.mkdtemp(prefix="gan-cache-"))
    # The same for the default GPT (snippets.gpt.train_cached): tests/test_gpt.py and the GPT notebook.
    os.environ.setdefault("GPT_CACHE_DIR", tempfile.mkdtemp(prefix="gpt-cache-"))
