"""Fixtures shared by every test tier: one strict build of the site per run, shared by pytest-xdist's workers."""
import fcntl
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
sys.path.insert(0, str(TESTS.parent / "hooks"))
sys.path.insert(0, str(TESTS))

from scripts.site_build import ROOT, build_editions  # noqa: E402


# scripts/mutation.py runs the tests with --hypothesis-profile=mutation: a property test that a mutant
# breaks fails at its first counterexample, without the shrinking (minutes, for some) that makes a
# readable report; the mutant is killed all the same.
try:
    from hypothesis import Phase, settings
except ImportError:  # the fast tier's environment (requirements-docs.txt) has no hypothesis and needs none
    pass
else:
    settings.register_profile("mutation", phases=[Phase.explicit, Phase.reuse, Phase.generate])

SITE_DIR = "_TESTS_SITE_DIR"  # made by the controller process; its pytest-xdist workers inherit it


@pytest.fixture(scope="session")
def site():
    """The site, built once per run with `mkdocs build --strict`: the Chinese edition, and the English
    one in its en/ folder, as GitHub Pages serves them. The first worker to need it builds it while
    the others wait on a lock, then all read the same folder."""
    shared = Path(os.environ[SITE_DIR])
    site_dir, built = shared / "site", shared / "built"
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            result = build_editions(ROOT, site_dir)
            problems = [line for line in result.stderr.splitlines() if not line.startswith("INFO") and "jieba" not in line
                        and not line.startswith(("Building prefix", "Loading model", "Prefix dict", "Dumping model"))]
            assert result.returncode == 0, "mkdocs build --strict failed:\n" + "\n".join(problems[-60:])
            built.touch()
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
    # The controller, or a run without workers (not an env variable: a pytest started by a test, in a
    # copy of the project, inherits the worker's environment but must build its own site).
    if not hasattr(config, "workerinput"):
        os.environ[SITE_DIR] = tempfile.mkdtemp(prefix="site-")
        config.stash[CACHES_MADE].append(SITE_DIR)
        if getattr(config.option, "numprocesses", None):
            # Each worker gets one core's worth of threads: two workers each using both cores for
            # small tensors were 5-17x slower than one thread each (measured on 2 cores).
            for variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
                os.environ.setdefault(variable, "1")
    for variable, prefix in CACHES.items():
        if variable not in os.environ:
            os.environ[variable] = tempfile.mkdtemp(prefix=prefix)
            config.stash[CACHES_MADE].append(variable)


def pytest_unconfigure(config):
    for variable in config.stash.get(CACHES_MADE, []):
        shutil.rmtree(os.environ.pop(variable), ignore_errors=True)
