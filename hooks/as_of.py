"""Write the biography's "as of" date from one place: `extra.as_of` in mkdocs.yml (YYYY-MM).

`<!-- as-of -->` anywhere in a page (or in a ledger text shown on it) becomes that month in the
page's language: 2026 年 11 月, or November 2026 on an English page. When the biography has been
re-checked against its sources, change the date in mkdocs.yml once; every page follows.
"""
import calendar
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
from markers import map_lines  # noqa: E402

PLACEHOLDER = re.compile(r"<!--\s*as-of\s*-->")
AS_OF = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def as_of(config):
    """(year, month) from mkdocs.yml's extra.as_of, or a PluginError that says how to write it."""
    match = AS_OF.match(str(config["extra"].get("as_of", "")))
    if not match:
        raise PluginError("mkdocs.yml: extra.as_of must be the month the biography was last checked, "
                          f"written YYYY-MM (e.g. 2026-11), not {config['extra'].get('as_of')!r}")
    return int(match.group(1)), int(match.group(2))


def written(year, month, language):
    if language.startswith("zh"):
        return f"{year} 年 {month} 月"
    return f"{calendar.month_name[month]} {year}"


def on_page_markdown(markdown, page, config, files):
    date = written(*as_of(config), config["theme"]["language"])
    if not PLACEHOLDER.search(markdown):
        return markdown
    return map_lines(markdown, lambda line, origin: PLACEHOLDER.sub(date, line), page)
