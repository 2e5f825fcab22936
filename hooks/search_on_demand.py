"""Load the search index only when the reader opens search, not with every page.

Material requests search/search_index.json as each page loads; for this site that is more
than the page itself (about 100 KB gzip of a 150 KB budget). hooks/search_on_demand.js holds
that request until the search box is focused or the search toggle opened; this hook inlines it
into every page's <head>, before Material's bundle runs (an extra file would cost a request on
the critical path). The offline copy needs nothing: Material already waits there.
"""
from pathlib import Path

SCRIPT = Path(__file__).with_suffix(".js").read_text(encoding="utf-8")
TAG = "<script>" + SCRIPT + "</script>\n"


def on_post_page(output, page, config):
    plugin = config.plugins.get("material/offline")
    if plugin is not None and plugin.config.enabled:
        return output
    if "</head>" not in output:
        raise ValueError(f"docs/{page.file.src_uri}: no </head> in the rendered page; cannot add search_on_demand.js")
    return output.replace("</head>", TAG + "</head>", 1)
