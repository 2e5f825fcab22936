"""Fixtures shared by every test tier: one strict build of the site per run, shared by pytest-xdist's workers."""
import fcntl
import importlib
import importlib.abc
import importlib.util
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
HOOKS = TESTS.parent / "hooks"
sys.path.insert(0, str(HOOKS))
sys.path.insert(0, str(TESTS))


class HookByPackageName(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Under mutmut (scripts/mutation.py), `import markers` gives the module `hooks.markers`.

    The tests, and the hooks themselves, import a hook by its bare name (`hooks/` is on sys.path, as
    MkDocs has it). mutmut switches a mutant on only in a function whose `__module__` is the name it
    derives from the file's path, `hooks.markers`; imported as `markers`, every hook mutant would read
    "no tests". So the bare name becomes a second name of the one module `hooks.markers` (`hooks/`
    is a namespace package from mutants/, which mutmut puts first on sys.path). Normal runs never
    install this finder."""

    def find_spec(self, name, path=None, target=None):
        if path is not None or "." in name or not (HOOKS / f"{name}.py").is_file():
            return None
        return importlib.util.spec_from_loader(name, self)

    def create_module(self, spec):
        module = importlib.import_module(f"hooks.{spec.name}")  # the module itself, not a copy
        spec.loader_state = module.__spec__
        return module

    def exec_module(self, module):
        module.__spec__ = module.__spec__.loader_state  # importlib gave it the bare name's spec: put its own back


if "MUTANT_UNDER_TEST" in os.environ and not any(type(f).__name__ == HookByPackageName.__name__ for f in sys.meta_path):
    sys.meta_path.insert(0, HookByPackageName())

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

@pytest.fixture(autouse=True)
def own_problem_lists(monkeypatch):
    """Each test gets its own registry of the hooks' problem lists (hooks/markers.py Problems):
    every hook's fail_if_any reads them all, so a bad formula left by one unit test would otherwise
    fail another test's build, depending on the order the tests ran in."""
    import markers
    monkeypatch.setattr(markers.Problems, "everyone", dict(markers.Problems.everyone))


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
