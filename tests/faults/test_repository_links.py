"""Without SITE_REPO_URL, a build links the repository from the git remote, or not at all.

Two copies of the project, each built without SITE_REPO_URL: one is a git repository whose
remote `origin` is on GitHub, the other has no git at all. Neither may link to a placeholder.
"""
import re
import subprocess

import pytest

from projectcopy import build_output, copy_project

LINK = re.compile(r'href="(https://github\.com/[^"]*)"')


def repository_links(site):
    """{page: [links to github.com]} for every built page."""
    return {page.relative_to(site).as_posix(): LINK.findall(page.read_text(encoding="utf-8"))
            for page in site.rglob("*.html")}


@pytest.fixture(scope="module")
def with_remote(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("with-remote") / "project")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "remote", "add", "origin", "git@github.com:reader/karpathy-fork.git"], cwd=project, check=True)
    build_output(project, project / "site", fails=False, SITE_REPO_URL=None)
    return project / "site"


@pytest.fixture(scope="module")
def without_remote(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("without-remote") / "project")
    build_output(project, project / "site", fails=False, SITE_REPO_URL=None)
    return project / "site"


def test_a_github_remote_gives_every_repository_link(with_remote):
    html = (with_remote / "gan" / "index.html").read_text(encoding="utf-8")
    repository = "https://github.com/reader/karpathy-fork"

    assert f'href="{repository}" class="md-source"' in html
    assert f'href="{repository}/edit/main/docs/gan.md"' in html
    assert f'href="{repository}/issues/new?template=report-error.yml&amp;page=' in html
    assert re.search(rf'验证：<a href="{repository}/blob/main/tests/test_gan\.py#L\d+">', html)


def test_without_a_remote_the_repository_links_are_left_out(without_remote):
    html = (without_remote / "gan" / "index.html").read_text(encoding="utf-8")

    assert 'class="md-source"' not in html and 'rel="edit"' not in html and "报告本页的错误" not in html
    assert "验证：<code>tests/test_gan.py::" in html


@pytest.mark.parametrize("build", ["with_remote", "without_remote"])
def test_no_page_links_to_a_placeholder_repository(request, build):
    site = request.getfixturevalue(build)
    placeholders = {page: links for page, links in repository_links(site).items()
                    if any("OWNER" in link or "REPO" in link for link in links)}
    strays = {page: [link for link in links if "/blob/main/" in link or "/edit/" in link or "/issues/" in link
                     if not link.startswith("https://github.com/reader/karpathy-fork/")]
              for page, links in repository_links(site).items()}

    assert not placeholders
    assert not any(strays.values()), strays
