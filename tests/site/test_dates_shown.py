"""Every built page shows the biography's "as of" date where its source asks for it (set once in mkdocs.yml)."""
import re

import yaml

import as_of
from pages import ROOT


def config(value, language="zh"):
    return {"extra": {"as_of": value}, "theme": {"language": language}}


def test_every_built_page_shows_the_date_where_the_source_asks(site):
    value = yaml.safe_load(re.search(r"^extra:\n(?:  .*\n)+", (ROOT / "mkdocs.yml").read_text(encoding="utf-8"),
                                     re.M).group(0))["extra"]["as_of"]
    shown = as_of.written(*as_of.as_of(config(str(value))), "zh")
    leftovers = [str(p.relative_to(site)) for p in site.rglob("*.html") if as_of.PLACEHOLDER.search(p.read_text(encoding="utf-8"))]

    assert not leftovers, f"placeholder left in {leftovers}"
    english = as_of.written(*as_of.as_of(config(str(value))), "en")
    for page in ("about", "karpathy", "corrections"):
        assert f"截至 {shown}" in (site / page / "index.html").read_text(encoding="utf-8").replace("<strong>", "").replace("</strong>", "")
        assert f"s of {english}" in (site / "en" / page / "index.html").read_text(encoding="utf-8").replace("<strong>", "").replace("</strong>", "")
