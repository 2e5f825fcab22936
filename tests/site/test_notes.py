"""Correction notes and the 勘误表 in the built site: titled, linked, the original's formulas typeset."""
import html
import re

import project_data
from corrections import title_html

SEED = project_data.SEED.read_text(encoding="utf-8")


def built(site, page):
    return (site / (page.removesuffix(".md") if page != "index.md" else "") / "index.html").read_text(encoding="utf-8")


def visible_text(page_html):
    """The page's text as a reader sees it: KaTeX's MathML copy and the TeX kept for it left out."""
    page_html = re.sub(r'<span class="katex-mathml">.*?</math></span>', "", page_html, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", page_html))


def test_every_note_is_titled_and_links_its_ledger_entry(site):
    problems = []
    for entry in project_data.load_ledger():
        page = built(site, entry["page"])
        note = re.search(rf'<details class="correction" id="correction-{entry["id"]}">(.*?)</details>', page, re.S)
        if not note:
            problems.append(f"docs/corrections.yml:{entry['line']}: no note for {entry['id']!r} on {entry['page']}")
            continue
        summary = re.search(r"<summary>(.*?)</summary>", note.group(1), re.S).group(1)
        if title_html(entry["title"]) not in summary:
            problems.append(f"{entry['id']}: the note's summary is not its title: {summary!r}")
        if f'href="../corrections/#{entry["id"]}"' not in note.group(1) and f'href="corrections/#{entry["id"]}"' not in note.group(1):
            problems.append(f"{entry['id']}: the note does not link its ledger entry")
        if f'href="#correction-{entry["id"]}"' not in page:
            problems.append(f"{entry['id']}: the page's list of notes does not link it")

    assert not problems, "\n".join(problems)


def test_the_originals_formulas_are_typeset_and_its_code_stays_code(site):
    ledger = built(site, "corrections.md")
    kinds = {entry["id"]: project_data.original_kind(entry["original"], SEED) for entry in project_data.load_ledger()}
    blocks = dict(re.findall(r'<div class="ledger-entry" id="([^"]+)">(.*?)\n</div>', ledger, re.S))
    math = [ident for ident, kind in kinds.items() if kind == "math"]
    code = [ident for ident, kind in kinds.items() if kind == "code"]

    assert len(math) >= 5 and len(code) >= 8
    assert all('class="correction-original correction-original-math"' in blocks[i] and 'class="katex' in blocks[i] for i in math)
    assert all('<pre class="correction-code"><code>' in blocks[i] for i in code)
    assert "\\text{" not in visible_text(ledger), "raw TeX on the 勘误表 page"
