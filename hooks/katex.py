"""Render math to HTML at build time with KaTeX, so pages ship no math JavaScript.

pymdownx.arithmatex (generic mode) wraps formulas as `\\(...\\)` and `\\[...\\]`; this hook
hands each one to a single `node` process running hooks/katex_render.cjs (KaTeX pinned in
package.json) and copies KaTeX's CSS and fonts into the site. A formula KaTeX rejects fails
the build with the page, the line and KaTeX's message.
"""
import html
import json
import re
import shutil
import subprocess
from pathlib import Path

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
RENDERER = Path(__file__).with_name("katex_render.cjs")
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"

INLINE = re.compile(r'<span class="arithmatex">\\\((.+?)\\\)</span>', re.S)
DISPLAY = re.compile(r'<div class="arithmatex">\\\[(.+?)\\\]</div>', re.S)

_node = None
_cache = {}


def _renderer():
    global _node
    if _node is None or _node.poll() is not None:
        if not KATEX_DIST.is_dir():
            raise PluginError("KaTeX is not installed: run `npm ci` in the project root (see README.md).")
        _node = subprocess.Popen(
            ["node", str(RENDERER)], cwd=ROOT, text=True, encoding="utf-8",
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )
    return _node


def render(tex, display):
    """Return KaTeX's HTML for `tex`, or raise ValueError with KaTeX's message."""
    key = (tex, display)
    if key not in _cache:
        node = _renderer()
        node.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
        node.stdin.flush()
        answer = json.loads(node.stdout.readline())
        if "error" in answer:
            raise ValueError(answer["error"])
        _cache[key] = answer["html"]
    return _cache[key]


def source_line(page, tex):
    """Line of the page's Markdown source where `tex` starts (1-based), or None."""
    try:
        text = Path(page.file.abs_src_path).read_text(encoding="utf-8")
    except (OSError, TypeError):
        return None
    first = tex.strip().splitlines()[0].strip() if tex.strip() else tex
    at = text.find(first)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def _replace(pattern, display, content, page):
    def one(match):
        tex = html.unescape(match.group(1))
        try:
            out = render(tex, display)
        except ValueError as err:
            line = source_line(page, tex)
            where = f"docs/{page.file.src_uri}" + (f":{line}" if line else "")
            raise PluginError(f"{where}: KaTeX cannot render this formula: {err}\n    {tex.strip()[:200]}")
        if display:
            # Focusable, as a wide formula scrolls sideways.
            return f'<div class="math-display" tabindex="0">{out}</div>'
        return f'<span class="math-inline">{out}</span>'

    return pattern.sub(one, content)


def on_post_page(output, page, config):
    # After the search plugin has indexed the page: it then indexes each formula's TeX once,
    # instead of parsing KaTeX's thousands of spans (the slowest part of a build) and indexing
    # every formula three times.
    output = _replace(DISPLAY, True, output, page)
    return _replace(INLINE, False, output, page)


def on_post_build(config):
    target = Path(config["site_dir"]) / "assets" / "katex"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(KATEX_DIST / "katex.min.css", target / "katex.min.css")
    shutil.copytree(KATEX_DIST / "fonts", target / "fonts", dirs_exist_ok=True)


def on_shutdown():
    global _node
    if _node is not None:
        _node.stdin.close()
        _node.wait(timeout=5)
        _node = None
