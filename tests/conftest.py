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


# Each model the tests and the notebooks share is trained once per run: the tests and the notebooks'
# kernels (which inherit these variables) share the trained weights through one folder per model.
# pytest-xdist runs this hook in the controller before it starts its workers, and they inherit the
# variables: one folder for all (each train_cached locks a run while it trains). A folder we made is
# removed at the end; one set by the caller, to keep trained models between runs, is left alone.
CACHES = {
    "GAN_CACHE_DIR": "gan-cache-",              # snippets.gan.train_cached: tests/test_gan.py, the GAN notebooks
    "GPT_CACHE_DIR": "gpt-cache-",              # snippets.gpt.train_cached: tests/test_gpt.py, the GPT notebooks
    "MICROGRAD_CACHE_DIR": "micrograd-cache-",  # snippets.micrograd_moons.train_moons_cached: tests/test_micrograd.py, the notebooks
}
CACHES_MADE = pytest.StashKey[list]()


def pytest_configure(config):
    config.stash[CACHES_MADE] = []
    for variable, prefix in CACHES.items():
        if variable not in os.environ:
            os.environ[variable] = tempfile.mkdtemp(prefix=prefix)
            config.stash[CACHES_MADE].append(variable)


def pytest_unconfigure(config):
    for variable in config.stash.get(CACHES_MADE, []):
        shutil.rmtree(os.environ.pop(variable), ignore_errors=True)
