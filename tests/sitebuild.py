"""Build the site with `mkdocs build --strict`, as the tests and the fault-injection tests need it."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_site(root, site_dir):
    """Run `mkdocs build --strict` for the project at `root`; return the CompletedProcess."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )
