"""Cite works by key, from one bibliography file (docs/references.yml).

`[@vaswani2017]` or `[@vaswani2017; @goodfellow2014]` in a page becomes a short linked label
（Vaswani 等，2017） pointing at the work's entry on the references page, and the line
`<!-- bibliography -->` on that page becomes the full list. An unknown key fails the build,
naming the file and line it was written on (the page, or the ledger entry behind a note).
"""
import posixpath
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
import project_data  # noqa: E402
from markers import Origin, Problems, Sourced, find_markers, map_outside_fences  # noqa: E402

CITATION = re.compile(r"\[(@[a-z0-9-]+(?:\s*;\s*@[a-z0-9-]+)*)\]")
REFERENCES_PAGE = "references.md"
TYPE_TITLES = {
    "paper": "论文",
    "book": "书籍",
    "course": "课程",
    "software": "软件与代码",
    "web": "网页与文章",
    "news": "新闻与公告",
}

_references = {}
_problems = Problems("citations")


def on_pre_build(config):
    try:
        references = project_data.load_references()
    except project_data.DataError as err:
        raise PluginError(f"The bibliography has problems:\n{err}")
    _references.clear()
    _references.update(references)
    _problems.clear()


def on_post_build(config):
    _problems.fail_if_any()


def label(entry):
    """Short author–year label: Vaswani 等，2017 / Goodfellow 和 Bengio，2016 / OpenAI，2015."""
    if entry.get("label"):
        return entry["label"]
    authors = entry.get("authors") or []
    if not authors:
        name = entry.get("publisher") or entry["title"]
    else:
        family = [author.split()[-1] for author in authors]
        name = family[0] if len(family) == 1 else f"{family[0]} 和 {family[1]}" if len(family) == 2 else f"{family[0]} 等"
    return f"{name}，{entry['year']}" if entry.get("year") else name


def full(entry):
    """One bibliography line in Markdown."""
    parts = []
    if entry.get("authors"):
        parts.append(", ".join(entry["authors"]) + ".")
    title = entry["title"].strip()
    parts.append(f"*{title}*." if entry["type"] in {"book", "course", "software"} else f"{title}.")
    if entry.get("venue"):
        parts.append(f"{entry['venue']}.")
    if entry.get("year"):
        parts.append(f"{entry['year']}.")
    ids = []
    if entry.get("doi"):
        ids.append(f"DOI: [{entry['doi']}](https://doi.org/{entry['doi']})")
    if entry.get("arxiv"):
        ids.append(f"arXiv: [{entry['arxiv']}](https://arxiv.org/abs/{entry['arxiv']})")
    if entry.get("url"):
        ids.append(f"<{entry['url']}>")
    if entry.get("accessed"):
        ids.append(f"访问于 {entry['accessed']}")
    parts.append(" · ".join(ids))
    if entry.get("note"):
        parts.append(f"（{entry['note'].strip()}）")
    return " ".join(parts)


def bibliography():
    where = project_data.relative(project_data.REFERENCES)
    lines = Sourced()
    for kind, heading in TYPE_TITLES.items():
        entries = sorted((e for e in _references.values() if e["type"] == kind), key=lambda e: e["key"])
        if not entries:
            continue
        lines += [(f"## {heading} {{ #{kind} }}", Origin(where, 1)), ("", Origin(where, 1))]
        for entry in entries:
            lines += [(f'<p class="reference" id="ref-{entry["key"]}" markdown>{full(entry)}</p>', Origin(where, entry["line"])),
                      ("", Origin(where, entry["line"]))]
    return lines


def on_page_markdown(markdown, page, config, files):
    target = posixpath.relpath(REFERENCES_PAGE, posixpath.dirname(page.file.src_uri) or ".")

    def cite_line(line, origin):
        def cite(match):
            links = []
            for key in (key.strip().lstrip("@") for key in match.group(1).split(";")):
                if key not in _references:
                    _problems.add(f"{origin}: citation [@{key}] is not in docs/references.yml; "
                                  "check the key, or add the work there first")
                    continue
                links.append(f"[{label(_references[key])}]({target}#ref-{key})")
            return '<span class="citation">（' + "；".join(links) + "）</span>"

        return CITATION.sub(cite, line)

    markdown = map_outside_fences(markdown, cite_line, page)
    return find_markers(markdown, lambda kind, value, origin: bibliography() if kind == "bibliography" else None, page)


def cited_keys(markdown):
    """Keys cited in a page's Markdown (used by the tests)."""
    return {key.strip().lstrip("@") for match in CITATION.finditer(markdown) for key in match.group(1).split(";")}
