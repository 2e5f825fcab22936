"""The repository's address, for the 源代码, edit, 报告本页的错误 and 验证 links.

GitHub Actions passes it in SITE_REPO_URL (mkdocs.yml). A build without it, on a contributor's
laptop, takes it from the git remote `origin`, written as https://github.com/owner/repo. With
neither (a tarball, a clone of a clone on disk) the links are left out: a page never links to a
placeholder that 404s.
"""
import logging
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# https://github.com/o/r(.git), https://user:token@github.com/o/r, git@github.com:o/r.git, ssh://git@github.com/o/r
GITHUB = re.compile(r"^(?:(?:https?|git|ssh)://(?:[^@/]+@)?|[^@/:]+@)github\.com[:/]([\w.-]+)/([\w.-]+?)(?:\.git)?/?$")
log = logging.getLogger("mkdocs.hooks.repository")


def github_url(remote):
    """https://github.com/owner/repo for a GitHub remote in any of git's spellings, else None."""
    match = GITHUB.match((remote or "").strip())
    return f"https://github.com/{match.group(1)}/{match.group(2)}" if match else None


def origin_url(root=ROOT):
    """`git remote get-url origin` in root, or None (no git, no repository, no remote)."""
    try:
        result = subprocess.run(["git", "remote", "get-url", "origin"], cwd=root, capture_output=True,
                                text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def on_config(config):
    if config.repo_url:
        config.repo_url = github_url(config.repo_url) or config.repo_url.rstrip("/")
        return config
    config.repo_url = github_url(origin_url(Path(config.config_file_path).parent))
    if config.repo_url:
        log.info(f"Repository links point at {config.repo_url} (git remote origin; set SITE_REPO_URL to change)")
    else:
        config.edit_uri = config.edit_uri_template = None  # else MkDocs makes edit links relative to the site
        log.info("No SITE_REPO_URL and no GitHub remote: the pages leave out the repository links")
    return config
