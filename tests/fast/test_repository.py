"""Repository links: from SITE_REPO_URL or the git remote, written as https://github.com/owner/repo."""
import logging
import subprocess
from types import SimpleNamespace

import pytest

import repository
from repository import github_url


@pytest.mark.parametrize("remote", [
    "https://github.com/karpathy/nanoGPT",
    "https://github.com/karpathy/nanoGPT.git",
    "https://github.com/karpathy/nanoGPT/",
    "https://someone:secret@github.com/karpathy/nanoGPT.git",
    "git@github.com:karpathy/nanoGPT.git",
    "ssh://git@github.com/karpathy/nanoGPT.git",
    "git://github.com/karpathy/nanoGPT.git",
])
def test_every_spelling_of_a_github_remote_gives_its_web_address(remote):
    assert github_url(remote) == "https://github.com/karpathy/nanoGPT"


@pytest.mark.parametrize("remote", ["/work/main", "../upstream.git", "https://gitlab.com/a/b.git", "", None,
                                    "https://github.com/OWNER"])
def test_anything_else_gives_no_address(remote):
    assert github_url(remote) is None


def git_repository(path, remote=None):
    path.mkdir()
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    if remote:
        subprocess.run(["git", "-C", str(path), "remote", "add", "origin", remote], check=True)
    return path


def test_the_origin_remote_is_read_from_git(tmp_path):
    assert repository.origin_url(git_repository(tmp_path / "a", "git@github.com:o/r.git")) == "git@github.com:o/r.git"
    assert repository.origin_url(git_repository(tmp_path / "b")) is None  # no remote
    assert repository.origin_url(tmp_path / "missing") is None  # no folder: git cannot start there


def test_git_is_asked_in_the_given_folder_and_given_ten_seconds(tmp_path, monkeypatch):
    calls = []

    def run(command, **options):
        calls.append((command, options))
        raise subprocess.TimeoutExpired(command, options["timeout"])

    monkeypatch.setattr(repository.subprocess, "run", run)

    assert repository.origin_url(tmp_path) is None  # a git that hangs leaves the links out
    assert calls == [(["git", "remote", "get-url", "origin"],
                      {"cwd": tmp_path, "capture_output": True, "text": True, "timeout": 10})]


def config(repo_url, folder):
    return SimpleNamespace(repo_url=repo_url, config_file_path=str(folder / "mkdocs.yml"),
                           edit_uri="edit/main/docs/", edit_uri_template=None)


@pytest.mark.parametrize("given, expected", [
    ("git@github.com:o/r.git", "https://github.com/o/r"),
    ("https://gitlab.com/a/b/", "https://gitlab.com/a/b"),
    ("https://example.org/x", "https://example.org/x"),
    ("https://gitlab.com/a/reduX/", "https://gitlab.com/a/reduX"),
])
def test_a_given_address_is_written_as_a_web_address(tmp_path, given, expected):
    result = repository.on_config(config(given, tmp_path))

    assert (result.repo_url, result.edit_uri) == (expected, "edit/main/docs/")


def test_without_an_address_the_github_remote_gives_it(tmp_path, caplog):
    folder = git_repository(tmp_path / "site", "https://github.com/o/r.git")

    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.repository"):
        result = repository.on_config(config(None, folder))

    assert (result.repo_url, result.edit_uri) == ("https://github.com/o/r", "edit/main/docs/")
    assert [r.getMessage() for r in caplog.records] == [
        "Repository links point at https://github.com/o/r (git remote origin; set SITE_REPO_URL to change)"]


@pytest.mark.parametrize("remote", [None, "/elsewhere/on/disk"])
def test_without_an_address_or_a_github_remote_the_links_are_left_out(tmp_path, caplog, remote):
    folder = git_repository(tmp_path / "site", remote)

    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.repository"):
        result = repository.on_config(config("", folder))

    assert (result.repo_url, result.edit_uri, result.edit_uri_template) == (None, None, None)
    assert [r.getMessage() for r in caplog.records] == [
        "No SITE_REPO_URL and no GitHub remote: the pages leave out the repository links"]
