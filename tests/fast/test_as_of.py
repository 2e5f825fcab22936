"""The biography's "as of" date is written once, in mkdocs.yml, and every page shows it."""
import re

import pytest
from mkdocs.exceptions import PluginError

import as_of
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
