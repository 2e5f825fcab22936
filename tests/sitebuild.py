"""Build the site with `mkdocs build --strict`, as the tests and the fault-injection tests need it."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


EDITIONS = (("mkdocs.yml", ""), ("mkdocs.en.yml", "en"))  # config, and where in the site it goes


def build_editions(root, site_dir, **environment):
    """Build both editions, Chinese at site_dir and English at site_dir/en (in that order: a build
    empties its own folder); the CompletedProcess of the first that fails, else of the last."""
    for config, where in EDITIONS:
        result = build_site(root, Path(site_dir) / where, config=config, **environment)
        if result.returncode != 0:
            break
    return result


def build_site(root, site_dir, config="mkdocs.yml", **environment):
    """Run `mkdocs build --strict` with one config for the project at `root`; return the
    CompletedProcess. Keyword arguments set environment variables for the build; None unsets one."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.update(environment)
    env = {key: value for key, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "--site-dir", str(site_dir)],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )
