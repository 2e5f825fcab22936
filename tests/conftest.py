"""Fixtures shared by every test tier: one strict build of the site per session."""
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS.parent / "hooks"))
sys.path.insert(0, str(TESTS))

from sitebuild import ROOT, build_editions  # noqa: E402


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site, built once per test session with `mkdocs build --strict`: the Chinese edition, and
    the English one in its en/ folder, as GitHub Pages serves them."""
    site_dir = tmp_path_factory.mktemp("site")
    result = build_editions(ROOT, site_dir)
    problems = [line for line in result.stderr.splitlines() if not line.startswith("INFO") and "jieba" not in line
                and not line.startswith(("Building prefix", "Loading model", "Prefix dict", "Dumping model"))]
    assert result.returncode == 0, "mkdocs build --strict failed:\n" + "\n".join(problems[-60:])
    return site_dir


GAN_CACHE_MADE = pytest.StashKey[str]()
GPT_CACHE_MADE = pytest.StashKey[str]()


def pytest_configure(config):
    # Train each GAN seed once per run: tests/test_gan.py and the notebook's kernel (which inherits
    # this variable) share the trained weights through this folder. pytest-xdist runs this hook in
    # the controller before it starts its workers, and they inherit the variable: one folder for
    # all (snippets.gan.train_cached locks a seed while it trains). A folder we made is removed at
    # the end; one set by the caller, to keep trained GANs between runs, is left alone.
    if "GAN_CACHE_DIR" not in os.environ:
        os.environ["GAN_CACHE_DIR"] = config.stash[GAN_CACHE_MADE] = tempfile.mkdtemp(prefix="gan-cache-")
    # The same for the default GPT (snippets.gpt.train_cached): tests/test_gpt.py and the GPT notebook.
    if "GPT_CACHE_DIR" not in os.environ:
        os.environ["GPT_CACHE_DIR"] = config.stash[GPT_CACHE_MADE] = tempfile.mkdtemp(prefix="gpt-cache-")


def pytest_unconfigure(config):
    for key, variable in ((GAN_CACHE_MADE, "GAN_CACHE_DIR"), (GPT_CACHE_MADE, "GPT_CACHE_DIR")):
        made = config.stash.get(key, None)
        if made:
            shutil.rmtree(made, ignore_errors=True)
            os.environ.pop(variable, None)
