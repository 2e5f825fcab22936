"""The biography's "as of" date is written once, in mkdocs.yml, and every page shows it."""
import re
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

import as_of
import markers
from pages import ROOT, english_pages, pages, prose_lines, rel

TYPED = re.compile(r"截至\s*\**\s*\d{4}\s*年|as of\s+\w+\s+\d{4}", re.I)


def config(value, language="zh"):
    return {"extra": {"as_of": value}, "theme": {"language": language}}


def test_the_date_is_set_in_mkdocs_yml():
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    value = re.search(r"^\s+as_of:\s*(\S+)", text, re.M).group(1)

    assert as_of.as_of(config(value)) == tuple(int(part) for part in value.split("-"))


@pytest.mark.parametrize("language, expected", [("zh", "2026 年 11 月"), ("en", "November 2026")])
def test_the_month_is_written_in_the_pages_language(language, expected):
    assert as_of.written(*as_of.as_of(config("2026-11")), language) == expected


@pytest.mark.parametrize("value", ["2026-13", "2026/11", "November 2026", None])
def test_a_malformed_date_names_mkdocs_yml_and_the_format(value):
    with pytest.raises(PluginError, match=r"mkdocs\.yml: extra\.as_of must be .* YYYY-MM"):
        as_of.as_of(config(value))


def test_pages_and_ledger_do_not_type_the_as_of_date_by_hand():
    typed = [f"{rel(page)}:{number}: write the date as <!-- as-of --> (set in mkdocs.yml), not by hand"
             for page in [*pages(), *english_pages()] for number, line in prose_lines(page) if TYPED.search(line)]
    ledger = (ROOT / "docs/corrections.yml").read_text(encoding="utf-8").splitlines()
    typed += [f"docs/corrections.yml:{number}: write the date as <!-- as-of --> (set in mkdocs.yml), not by hand"
              for number, line in enumerate(ledger, start=1) if TYPED.search(line)]

    assert not typed, "\n".join(typed)


def test_every_placeholder_on_a_page_becomes_the_date_and_lines_keep_their_origins(monkeypatch):
    monkeypatch.setattr(markers, "_pages", {})
    page = SimpleNamespace(markdown="", file=SimpleNamespace(src_uri="index.md", abs_src_path=None))
    markdown = "As of <!-- as-of -->.\n<!--as-of--> and <!--  as-of  -->\n<!-- as of -->"
    page.markdown = markdown

    out = as_of.on_page_markdown(markdown, page, config("2024-03", "en"), None)

    assert out == "As of March 2024.\nMarch 2024 and March 2024\n<!-- as of -->"
    assert markers.origins(out, page) == [markers.Origin("docs/index.md", n) for n in (1, 2, 3)]
    other = SimpleNamespace(markdown="<!-- as-of -->", file=SimpleNamespace(src_uri="other.md", abs_src_path=None))
    assert as_of.on_page_markdown(other.markdown, other, config("2024-03", "zh-Hans"), None) == "2024 年 3 月"


def test_a_page_without_the_placeholder_is_left_alone_but_a_bad_date_fails_every_page():
    page = SimpleNamespace(markdown="text", file=SimpleNamespace(src_uri="x.md", abs_src_path=None))

    assert as_of.on_page_markdown("text", page, config("2024-03"), None) == "text"
    with pytest.raises(PluginError):
        as_of.on_page_markdown("text", page, config("2024-3"), None)


@pytest.mark.parametrize("value, expected", [("2024-01", (2024, 1)), ("1999-12", (1999, 12)), ("2024-10", (2024, 10))])
def test_any_month_of_any_year_is_read(value, expected):
    assert as_of.as_of(config(value)) == expected


@pytest.mark.parametrize("value", ["2024-00", "24-01", "2024-1", "2024-01-01", " 2024-01", ""])
def test_only_yyyy_mm_is_a_month(value):
    with pytest.raises(PluginError) as caught:
        as_of.as_of(config(value))

    assert str(caught.value) == ("mkdocs.yml: extra.as_of must be the month the biography was last checked, "
                                 f"written YYYY-MM (e.g. 2026-11), not {value!r}")


def test_a_missing_date_is_named_as_none():
    with pytest.raises(PluginError) as caught:
        as_of.as_of({"extra": {}})

    assert str(caught.value).endswith("written YYYY-MM (e.g. 2026-11), not None")


@pytest.mark.parametrize("language, expected", [("zh", "2024 年 1 月"), ("zh-Hans", "2024 年 1 月"), ("en", "January 2024"),
                                                ("de", "January 2024")])
def test_the_date_is_written_in_chinese_for_any_chinese_language_else_in_english(language, expected):
    assert as_of.written(2024, 1, language) == expected
