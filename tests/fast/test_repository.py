"""Repository links: from SITE_REPO_URL or the git remote, written as https://github.com/owner/repo."""
import pytest

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
