"""Build the site with `mkdocs build --strict`, both editions, as the tests, the fault-injection
tests and the offline copy (scripts/build_offline.py) need it."""
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


EDITIONS = (("mkdocs.yml", ""), ("mkdocs.en.yml", "en"))  # config, and where in the site it goes


def build_editions(root, site_dir, **environment):
    """Build both editions, Chinese at site_dir and English at site_dir/en; the CompletedProcess of
    the first that fails, else of the last. The two builds run side by side (a build empties its
    own folder, so the English one is built beside site_dir and moved into it afterwards)."""
    site_dir = Path(site_dir)
    english = site_dir.with_name(site_dir.name + "-en")
    if environment.get("OFFLINE") == "true":  # cached notebooks apart from the site's (see mkdocs.yml)
        environment = {"NOTEBOOK_CACHE": ".cache/mkdocs-jupyter/zh-offline",
                       "NOTEBOOK_CACHE_EN": ".cache/mkdocs-jupyter/en-offline", **environment}
    with ThreadPoolExecutor(len(EDITIONS)) as pool:
        results = list(pool.map(lambda edition: build_site(root, english if edition[1] else site_dir,
                                                           config=edition[0], **environment), EDITIONS))
    if all(result.returncode == 0 for result in results):
        shutil.move(str(english), str(site_dir / "en"))
    return next((result for result in results if result.returncode != 0), results[-1])


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
