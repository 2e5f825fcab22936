"""Build the site with `mkdocs build --strict`, as the tests and the fault-injection tests need it."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_site(root, site_dir, **environment):
    """Run `mkdocs build --strict` for the project at `root`; return the CompletedProcess.
    Keyword arguments set environment variables for the build; None unsets one."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env.update(environment)
    env = {key: value for key, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )
