"""Under `mkdocs serve`, convert again only the pages whose Markdown, or a file they include, changed.

Each rebuild converts every page's Markdown to HTML again (about a quarter of a rebuild here),
although an edit touches one page or one snippet. This hook keeps each page's conversion from
earlier builds of the same `mkdocs serve` process (MkDocs 1.6 imports a hook file once per
process), keyed by a hash of everything the conversion reads: the Markdown after every other
hook has run, the page's source and URL, the names of all files (links resolve against them),
mkdocs.yml, and the text of every file the page includes with --8<--, recursively. On a hit the
Markdown is swapped for an empty placeholder, which MkDocs converts at once, and the saved HTML,
table of contents, title and anchors are put back before any other on_page_content handler runs.

A conversion that logged a warning (a broken link, say) is never kept, so it is reported again on
every rebuild. `mkdocs build` never uses this: a build always converts everything.
"""
import hashlib
import logging
import re
from pathlib import Path

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent   # pymdownx.snippets' base_path
INCLUDE = re.compile(r"""--8<--\s+["']([^"':]+)""")
PLACEHOLDER = ""

_serving = False
_saved = {}   # key -> (content, toc, title, anchor ids, {linked page's src_uri: links})


class _Warnings(logging.Handler):
    """Counts warnings MkDocs and its extensions log while one page is converted."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1


_warnings = _Warnings()


def on_startup(command, dirty):
    global _serving
    _serving = command == "serve"


def _included(text, seen):
    """Hash material for the files `text` includes with --8<--, and the files they include."""
    parts = []
    for name in INCLUDE.findall(text):
        path = ROOT / name
        if name in seen or not path.is_file():
            continue
        seen.add(name)
        content = path.read_text(encoding="utf-8", errors="replace")
        parts += [name, content, *_included(content, seen)]
    return parts


def _key(markdown, page, config, files):
    material = [markdown, page.file.src_uri, page.url, "\n".join(sorted(f.src_uri for f in files)),
                Path(config.config_file_path).read_text(encoding="utf-8"), *_included(markdown, set())]
    return hashlib.sha256("\0".join(material).encode("utf-8")).hexdigest()


@event_priority(-200)  # after every hook that changes the Markdown
def on_page_markdown(markdown, page, config, files):
    page.render_cache_key = None
    if not _serving or not page.file.src_uri.endswith(".md"):
        return markdown
    page.render_cache_key = _key(markdown, page, config, files)
    if page.render_cache_key in _saved:
        return PLACEHOLDER
    _warnings.count = 0
    logging.getLogger("mkdocs").addHandler(_warnings)
    return markdown


@event_priority(100)  # before every other handler sees the HTML
def on_page_content(html, page, config, files):
    key = getattr(page, "render_cache_key", None)
    if key is None:
        return html
    if key in _saved:
        html, page.toc, page._title_from_render, page.present_anchor_ids, links = _saved[key]
        page.links_to_anchors = {files.get_file_from_path(uri): anchors for uri, anchors in links.items()}
        return html
    logging.getLogger("mkdocs").removeHandler(_warnings)
    if _warnings.count == 0:
        links = {target.src_uri: anchors for target, anchors in (page.links_to_anchors or {}).items()}
        _saved[key] = (html, page.toc, page._title_from_render, page.present_anchor_ids, links)
    return html
