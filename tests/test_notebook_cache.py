"""Builds that run at once keep mkdocs-jupyter's cached notebooks apart.

After a build, mkdocs-jupyter deletes every cached notebook the build did not use (mkdocs.yml
says more). The two editions build side by side (scripts/site_build.py), and in the tests the
offline copy builds beside the site: sharing one folder, they deleted each other's files, and
once a build crashed deleting a file the other had just deleted.
"""
import os

from mkdocs.config import load_config

from scripts import site_build


def cache_dir(config, environment):
    saved = dict(os.environ)
    os.environ.update(environment)
    try:
        return load_config(str(site_build.ROOT / config)).plugins["mkdocs-jupyter"].config["cache_dir"]
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_each_edition_and_its_offline_copy_cache_notebooks_in_a_folder_of_its_own(monkeypatch, tmp_path):
    builds = []
    monkeypatch.setattr(site_build, "build_site", lambda root, site_dir, config="mkdocs.yml", **environment:
                        builds.append((config, environment)) or site_build.subprocess.CompletedProcess([], 0))
    monkeypatch.setattr(site_build.shutil, "move", lambda *args: None)
    site_build.build_editions(site_build.ROOT, tmp_path / "site")
    site_build.build_editions(site_build.ROOT, tmp_path / "offline", OFFLINE="true")

    folders = [cache_dir(config, environment) for config, environment in builds]

    assert len(builds) == 4 and len(set(folders)) == 4, folders
