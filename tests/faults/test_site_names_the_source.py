"""A problem found in the built site is named at the source line that caused it.

One copy gets outside resources in three kinds of source: a page (after its correction notes),
a file a page includes (CONTRIBUTING.md's guide section, shown on docs/contributing.md), and a
ledger entry (shown in a correction note and on the 勘误表). The check on the built HTML and the
check on the sources must both name the file and line to edit, never `gan/index.html`.
"""
import pytest

from projectcopy import copy_project, edit, insert_after, line_of, pytest_output

TRACKER = "https://example.com/tracker.png"
FIGURE = "https://example.com/figure.png"
BADGE = "https://cdn.example.com/badge.svg"
LEDGER_IMAGE = "https://example.org/ledger.png"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """(the mistakes' `file:line`s, output of one run of both checks)."""
    project = copy_project(tmp_path_factory.mktemp("site-mistakes") / "project")
    insert_after(project / "docs" / "gan.md", "<!-- correction: gan-listing-x-train-undefined -->",
                 f'\n<img src="{TRACKER}" alt="跟踪像素">\n\n![外链的图]({FIGURE})')
    insert_after(project / "CONTRIBUTING.md", "## 文字风格 { #style }", f"\n![外链的徽章]({BADGE})")
    edit(project / "docs" / "corrections.yml", "  corrected: 先把两批样本拼成一批再训练：",
         f"  corrected: 先把两批样本拼成一批再训练 ![外链的图]({LEDGER_IMAGE})：")
    output = pytest_output(project, "tests/site/test_site.py::test_every_page_loads_only_from_its_own_site",
                           "tests/fast/test_page_sources.py::test_pages_reference_no_outside_resource_in_source")
    return expected(project), output


def expected(project):
    return {
        TRACKER: f"docs/gan.md:{line_of(project / 'docs' / 'gan.md', TRACKER)}",
        FIGURE: f"docs/gan.md:{line_of(project / 'docs' / 'gan.md', FIGURE)}",
        BADGE: f"CONTRIBUTING.md:{line_of(project / 'CONTRIBUTING.md', BADGE)}",
        LEDGER_IMAGE: f"docs/corrections.yml:{line_of(project / 'docs' / 'corrections.yml', LEDGER_IMAGE)}",
    }


def test_the_built_site_check_names_the_source_line(run):
    at, output = run

    for url, where in at.items():
        assert f"{where}: loads {url} from another host; save it under docs/assets/" in output, url
    assert "gan/index.html: loads" not in output


def test_the_source_check_names_the_same_lines(run):
    at, output = run

    for where in at.values():
        assert f"{where}: loads a resource from another host" in output
