"""The search index (search/search_index.json of the built site): readable excerpts, none empty.

Material's search indexes a page before hooks/katex.py typesets its formulas; the hook hands it
each formula's plain-text reading, so a result shows `WiQ ∈ ℝdmodel × dk`, not TeX source.
"""
import json
import re

import pytest

from katex import plain_text, render
from pages import DOCS, EN, rel

EDITIONS = {"zh": ("", DOCS), "en": ("en", EN)}  # where each edition's site and pages are

TEX_DELIMITERS = re.compile(r"\\[()\[\]]")


def index(site, edition="zh"):
    return json.loads((site / EDITIONS[edition][0] / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]


def source_of(location, docs=DOCS):
    """`file:line` of the heading a search entry starts at (the page's title for a page's first entry)."""
    page, _, anchor = location.partition("#")
    stem = page.rstrip("/") or "index"
    path = next((p for p in (docs / f"{stem}.md", docs / f"{stem}.ipynb") if p.is_file()), None)
    if path is None:
        return location
    lines = path.read_text(encoding="utf-8").split("\n")
    pattern = re.compile(rf"\{{[^}}]*#{re.escape(anchor)}\b") if anchor else re.compile(r"^#\s")
    number = next((n for n, line in enumerate(lines, start=1) if pattern.search(line)), 1)
    return f"{rel(path)}:{number}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_formulas_read_as_text_in_search_results(site, edition):
    tex = [f"{entry['location']}: {entry['text'][m.start() - 40:m.end() + 40]!r}"
           for entry in index(site, edition) for m in TEX_DELIMITERS.finditer(entry["text"])]
    multi_head = next(entry["text"] for entry in index(site, edition) if entry["location"] == "transformer/#multi-head-attention")

    assert not tex, "TeX source in search excerpts:\n" + "\n".join(tex[:20])
    assert "WiQ ∈ ℝdmodel × dk" in multi_head


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_search_result_has_an_empty_excerpt(site, edition):
    empty = [f"{source_of(entry['location'], EDITIONS[edition][1])}: the section has no text of its own (search shows an "
             "empty excerpt for it); write a sentence under the heading that says what the section holds"
             for entry in index(site, edition) if not entry["text"].strip()]

    assert not empty, "\n".join(empty)


def test_a_formulas_plain_text_keeps_its_symbols():
    assert plain_text(render(r"\mathrm{softmax}\left(\frac{QK^{\top}}{\sqrt{d_k}}\right)V", False)) == "softmax(QK⊤√dk)V"
    assert plain_text(render(r"x \in \mathbb{R}^{n}", True)) == "x ∈ ℝn"
