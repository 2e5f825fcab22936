"""hooks/includes.py, function by function: what is wrong with an include, and what the hook does
with a page's broken ones. The pages' own includes are checked by test_links.py."""
import locale
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

import includes
import markers
from markers import Origin


def page(markdown, uri="page.md"):
    """The parts of an mkdocs Page the hook reads."""
    return SimpleNamespace(markdown=markdown, file=SimpleNamespace(src_uri=uri, abs_src_path=None))


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    monkeypatch.setattr(markers, "_pages", {})
    includes._problems.clear()
    yield
    includes._problems.clear()  # a problem left here would fail the next test's fail_if_any


@pytest.fixture
def root(tmp_path, monkeypatch):
    """A repository root holding code.py with one section, `losses`."""
    (tmp_path / "code.py").write_text("x = 1\n# --8<-- [start:losses]\ny = 2\n# --8<-- [end:losses]\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    monkeypatch.setattr(includes, "ROOT", tmp_path)
    return tmp_path


def test_includes_are_read_from_the_repository_root():
    assert includes.ROOT == Path(__file__).resolve().parents[2]
    assert includes.include_problem("snippets/gan.py", "losses") is None  # as docs/gan.md includes it


def test_an_existing_file_or_section_is_no_problem(root):
    assert includes.include_problem("code.py") is None
    assert includes.include_problem("code.py", "losses") is None
    assert includes.include_problem("code.py", "") is None  # `"code.py"` gives no section: the whole file


def test_a_missing_file_is_named_with_the_fix(root):
    assert includes.include_problem("nothing.py") == (
        "includes nothing.py, which does not exist; fix the path (relative to the repository root)")
    assert includes.include_problem("nothing.py", "losses") == (
        "includes nothing.py, which does not exist; fix the path (relative to the repository root)")


def test_a_folder_is_not_a_file_to_include(root):
    assert includes.include_problem("folder") == (
        "includes folder, which does not exist; fix the path (relative to the repository root)")


def test_a_missing_section_is_named_with_the_fix(root):
    assert includes.include_problem("code.py", "train") == (
        "includes section 'train' of code.py, which has no `--8<-- [start:train]` line; "
        "name an existing section or add its start and end lines")


def test_a_section_must_be_started_not_only_ended_or_named(root):
    (root / "ends.py").write_text("# --8<-- [end:losses]\n# losses\n# [start:losses]\n", encoding="utf-8")

    assert includes.include_problem("ends.py", "losses").startswith("includes section 'losses' of ends.py")


def test_a_section_start_may_have_spaces_or_none_after_the_scissors(root):
    (root / "spaced.py").write_text("--8<--   [start:a]\n--8<--[start:b]\n", encoding="utf-8")

    assert includes.include_problem("spaced.py", "a") is None
    assert includes.include_problem("spaced.py", "b") is None


def test_a_section_name_is_matched_as_written_not_as_a_pattern(root):
    (root / "dots.py").write_text("--8<-- [start:axb]\n", encoding="utf-8")

    assert includes.include_problem("dots.py", "a.b") is not None
    assert includes.include_problem("dots.py", "a") is not None  # the name, not a prefix of it


def test_the_file_is_read_as_utf8_whatever_the_locale(root):
    (root / "chinese.py").write_text("# 注意力\n--8<-- [start:a]\n", encoding="utf-8")
    old = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")  # a locale that reads files as ASCII
    try:
        assert includes.include_problem("chinese.py", "a") is None
    finally:
        locale.setlocale(locale.LC_CTYPE, old)


def test_each_broken_include_is_blanked_and_named_by_page_and_line(root):
    markdown = "\n".join([
        "# Title",
        '--8<-- "nothing.py"',
        "  --8<-- 'code.py:train'  ",
        '--8<-- "code.py:losses"',
        '--8<-- "code.py"',
        'text --8<-- "nothing.py"',  # not alone on its line: not an include
        "",
    ])

    out = includes.on_page_markdown(markdown, page(markdown, "sub/a.md"), None, None)

    assert out == "\n".join(["# Title", "", "", '--8<-- "code.py:losses"', '--8<-- "code.py"',
                             'text --8<-- "nothing.py"', ""])
    assert includes._problems == [
        "docs/sub/a.md:2: includes nothing.py, which does not exist; fix the path (relative to the repository root)",
        "docs/sub/a.md:3: includes section 'train' of code.py, which has no `--8<-- [start:train]` line; "
        "name an existing section or add its start and end lines",
    ]
    # The blanked lines keep their origins, so the next hook names the page's own lines.
    assert markers.origins(out, page(markdown, "sub/a.md"))[3] == Origin("docs/sub/a.md", 4)


def test_a_page_without_broken_includes_is_unchanged(root):
    markdown = '# Title\n--8<-- "code.py:losses"\n'

    assert includes.on_page_markdown(markdown, page(markdown), None, None) == markdown
    assert includes._problems == []


def test_a_build_starts_without_problems_and_fails_at_its_end_if_it_found_any():
    includes._problems.add("docs/a.md:1: left from the last build")
    includes.on_pre_build(None)
    assert includes._problems == []
    includes.on_post_build(None)  # nothing found: the build goes on

    includes._problems.add("docs/a.md:2: includes x")
    with pytest.raises(PluginError, match=r"^1 problem\(s\) in the pages, listed above \(found by hooks/includes.py\)$"):
        includes.on_post_build(None)
