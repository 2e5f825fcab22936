"""Cite works by key, from one bibliography file (docs/references.yml).

`[@vaswani2017]` or `[@vaswani2017; @goodfellow2014]` in a page becomes a short label
（Vaswani 等，2017）: a button that opens a popover with the full entry, the source's own words
(its `excerpts`) and a link to the entry on the references page, so a reader checks a claim
without leaving the page. The popovers are the browser's own (`popover`, `popovertarget`): mouse,
touch, keyboard, Esc and screen readers work without our JavaScript, which only places an open
popover next to its citation (docs/assets/javascripts/reading.js). Each cited work gets one
popover per page, at the end of the page, left out of the search index.
The line `<!-- bibliography -->` on the references page becomes the full list, each entry with
its excerpts. An unknown key fails the build, naming the file and line it was written on (the
page, or the ledger entry behind a note).
"""
import posixpath
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).parent))
import project_data  # noqa: E402
import words  # noqa: E402
from markers import Origin, Problems, Sourced, append_lines, find_markers, literal, map_outside_fences, origins  # noqa: E402
from words import say  # noqa: E402

CITATION = re.compile(r"\[(@[a-z0-9-]+(?:\s*;\s*@[a-z0-9-]+)*)\]")
REFERENCES_PAGE = "references.md"

_references = {}
_problems = Problems("citations")
# Each work's popover by (key, link to the references page, language), kept while the bibliography
# stays the same: under mkdocs serve (one process, hook files imported once) every rebuild would
# format the same entries again.
_popovers = {}
_popovers_of = {}   # the bibliography _popovers was made from


def on_pre_build(config):
    words.use(config)
    try:
        references = project_data.load_references()
    except project_data.DataError as err:
        raise PluginError(f"The bibliography has problems:\n{err}")
    _references.clear()
    _references.update(references)
    if references != _popovers_of:
        _popovers.clear()
        _popovers_of.clear()
        _popovers_of.update(references)
    _problems.clear()


def on_post_build(config):
    _problems.fail_if_any()


PARTICLES = {"van", "von", "de", "der", "den", "du", "da", "di", "la", "le"}


def family_name(author):
    """The family name as cited: Vaswani; van de Panne (lower-case particles belong to it)."""
    words_ = author.split()
    i = len(words_) - 1
    while i > 1 and words_[i - 1] in PARTICLES:
        i -= 1
    return " ".join(words_[i:])


def label(entry):
    """Short author–year label: Vaswani 等，2017 / Goodfellow 和 Bengio，2016 / OpenAI，2015 (Vaswani et
    al., 2017 in English)."""
    if entry.get("label"):
        return words.optional(entry, "label")
    authors = entry.get("authors") or []
    if not authors:
        name = entry.get("publisher") or entry["title"]
    else:
        family = [family_name(author) for author in authors]
        name = (family[0] if len(family) == 1 else f"{family[0]}{say('and')}{family[1]}" if len(family) == 2
                else f"{family[0]}{say('et_al')}")
    return say("label_year", name=name, year=entry["year"]) if entry.get("year") else name


def full(entry):
    """One bibliography line in Markdown."""
    parts = []
    if entry.get("authors"):
        parts.append(", ".join(entry["authors"]) + ".")
    title = words.optional(entry, "title").strip()
    parts.append(f"*{title}*." if entry["type"] in {"book", "course", "software"} else f"{title}.")
    if entry.get("venue"):
        parts.append(f"{words.optional(entry, 'venue')}.")
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
        ids.append(say("accessed", date=entry["accessed"]))
    parts.append(" · ".join(ids))
    note = words.field(entry, "note", f"{project_data.relative(project_data.REFERENCES)}:{entry['line']}: reference {entry['key']!r}")
    if note:
        parts.append(say("note", note=note.strip()))
    return " ".join(parts)


def excerpts(entry):
    """HTML lines quoting the entry's excerpts verbatim, each in its own language, with the date it was
    read and where a copy was read. Escaped like the original's words: a `$100` stays a price."""
    lines = []
    for excerpt in entry.get("excerpts") or []:
        text = literal(excerpt["text"].strip()).replace("\n", "<br>")
        read = say("read", date=excerpt["read"]) + (f" · {say('via', via=literal(excerpt['via'].strip()))}"
                                                    if excerpt.get("via") else "")
        translation = ""
        if excerpt["lang"] != words.language() and excerpt.get(words.language()):  # e.g. `en:` under a Chinese excerpt
            translation = (f'<p class="excerpt-translation" lang="{words.language()}">'
                           f'{literal(excerpt[words.language()].strip())}</p>')
        lines += [f'<figure class="excerpt"><blockquote lang="{excerpt["lang"]}"><p>{text}</p></blockquote>'
                  f"{translation}<figcaption>{read}</figcaption></figure>", ""]
    return lines


def _lines(entry, texts):
    where = project_data.relative(project_data.REFERENCES)
    return Sourced((text, Origin(where, entry["lines"].get("excerpts", entry["line"]) if text.startswith("<figure")
                                 else entry["line"])) for text in texts)


def bibliography():
    where = project_data.relative(project_data.REFERENCES)
    lines = Sourced()
    for kind, heading in say("types").items():
        entries = sorted((e for e in _references.values() if e["type"] == kind), key=lambda e: e["key"])
        if not entries:
            continue
        lines += [(f"## {heading} {{ #{kind} }}", Origin(where, 1)), ("", Origin(where, 1))]
        for entry in entries:
            lines += _lines(entry, [f'<div class="reference" id="ref-{entry["key"]}" markdown>', "", full(entry), "",
                                    *excerpts(entry), "</div>", ""])
    return lines


def popover(entry, target):
    """The popover a citation opens: the full entry, its excerpts and a link to the references page."""
    name = literal(label(entry))
    return _lines(entry, [
        f'<div class="citation-popover" id="cite-{entry["key"]}" popover="auto" role="dialog" '
        f'aria-label="{say("work", name=name)}" markdown>', "",
        full(entry), "",
        *excerpts(entry),
        f'<p class="citation-more" markdown>[{say("see_entry")}]({target}#ref-{entry["key"]})</p>', "",
        "</div>", "",
    ])


def on_page_markdown(markdown, page, config, files):
    target = posixpath.relpath(REFERENCES_PAGE, posixpath.dirname(page.file.src_uri) or ".")

    cited = {}  # key -> None, in the order first cited on the page

    def cite_line(line, origin):
        def cite(match):
            buttons = []
            for key in (key.strip().lstrip("@") for key in match.group(1).split(";")):
                if key not in _references:
                    _problems.add(f"{origin}: citation [@{key}] is not in docs/references.yml; "
                                  "check the key, or add the work there first")
                    continue
                cited[key] = None
                buttons.append(f'<button type="button" class="citation-ref" popovertarget="cite-{key}">'
                               f"{literal(label(_references[key]))}</button>")
            return f'<span class="citation">{say("cite_open")}' + say("cite_sep").join(buttons) + f'{say("cite_close")}</span>'

        return CITATION.sub(cite, line)

    if CITATION.search(markdown):
        markdown = map_outside_fences(markdown, cite_line, page)
    markdown = find_markers(markdown, lambda kind, value, origin: bibliography() if kind == "bibliography" else None, page)
    if not cited:
        return markdown
    popovers = Sourced()
    for key in cited:
        made = (key, target, words.language())
        if made not in _popovers:
            _popovers[made] = popover(_references[key], target)
        popovers += _popovers[made]
    below = origins(markdown, page)[-1]  # the popovers are reported at the page's last line
    return append_lines(markdown, Sourced([("", below), ('<div class="citation-popovers" data-search-exclude="popovers" markdown>', below),
                                           ("", below), *popovers, ("</div>", below)]), page)


def cited_keys(markdown):
    """Keys cited in a page's Markdown (used by the tests)."""
    return {key.strip().lstrip("@") for match in CITATION.finditer(markdown) for key in match.group(1).split(";")}
