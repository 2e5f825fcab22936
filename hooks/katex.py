"""Render math to HTML at build time with KaTeX, so pages ship no math JavaScript.

pymdownx.arithmatex (generic mode) wraps formulas as `\\(...\\)` and `\\[...\\]`; this hook
hands each one to a single `node` process running hooks/katex_render.cjs (KaTeX pinned in
package.json) and copies KaTeX's CSS and fonts into the site. A formula KaTeX rejects fails
the build with the file, the line and KaTeX's message. The line is found before rendering: the
last on_page_markdown notes where each formula sits (through hooks/markers.py, so a formula
from a correction note names its ledger entry, and one in a notebook its line in the .ipynb), and
the n-th rendering of a formula on a page takes the n-th place it was written.

Search indexes a page before on_post_page typesets it; so that results show words, not TeX, each
formula first hands the index its plain-text reading (from KaTeX's MathML: W i Q ∈ ℝ …) and keeps
its TeX aside, in an attribute, for on_post_page.
"""
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

sys.path.insert(0, str(Path(__file__).parent))
from markers import FENCE, Problems, origins  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RENDERER = Path(__file__).with_name("katex_render.cjs")
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"

INLINE = re.compile(r'<span class="arithmatex" data-tex="\\\((.+?)\\\)">[^<]*</span>', re.S)
DISPLAY = re.compile(r'<div class="arithmatex" data-tex="\\\[(.+?)\\\]">[^<]*</div>', re.S)
ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(\\\((.+?)\\\)|\\\[(.+?)\\\])</\1>', re.S)
MATHML_TOKEN = re.compile(r"<(mi|mn|mo|mtext)\b([^>]*)>(.*?)</\1>|<(msqrt)>", re.S)
DOUBLE_STRUCK = str.maketrans("RNZQC", "ℝℕℤℚℂ")
SPACED = set("=<>≤≥≠≈∈∉⊂⊆→←×+−±∼∝⊙")

# In the page's Markdown: display math first (its $$ would otherwise start inline matches).
MARKDOWN_MATH = [re.compile(r"\$\$(.+?)\$\$", re.S), re.compile(r"\\\[(.+?)\\\]", re.S),
                 re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$"), re.compile(r"\\\((.+?)\\\)")]
CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
KATEX_STYLESHEET = re.compile(r'[ \t]*<link rel="stylesheet" href="[^"]*assets/katex/katex\.min\.css">\n?')

_node = None
_cache = {}
_formulas = {}  # page src_uri -> {formula without spaces: [Origin of each place it is written]}
# page src_uri -> (Markdown, its lines' origins, their formula_origins): under mkdocs serve (one
# process, hook files imported once) an unchanged page's formulas are not looked for again.
_origins = {}
_problems = Problems("katex")


def _renderer():  # pragma: no mutate block (starts node: tests/mutation-equivalents.md)
    global _node
    if _node is None or _node.poll() is not None:
        if not KATEX_DIST.is_dir():
            raise PluginError("KaTeX is not installed: run `npm ci` in the project root (see README.md).")
        _node = subprocess.Popen(
            ["node", str(RENDERER)], cwd=ROOT, text=True, encoding="utf-8",
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )
    return _node


def render(tex, display):  # pragma: no mutate block (needs node_modules/: tests/mutation-equivalents.md)
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


def plain_text(katex_html):
    """How a formula reads as text, from KaTeX's MathML: its symbols in order, operators spaced."""
    math = re.sub(r"<annotation\b.*?</annotation>", "", katex_html[katex_html.find("<math"):], flags=re.S)
    out = []
    for tag, attrs, text, sqrt in MATHML_TOKEN.findall(math[:math.find("</math>")]):
        text = "√" if sqrt else html.unescape(text)
        if "double-struck" in attrs:
            text = text.translate(DOUBLE_STRUCK)
        out.append(f" {text.strip()} " if tag == "mo" and text.strip() in SPACED else text)
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _key(tex):
    return re.sub(r"\s+", "", tex)


def formula_origins(markdown, page):
    """{formula without spaces: [Origin, ...]} for the math in a page's Markdown, in page order."""
    where = origins(markdown, page)
    known = _origins.get(page.file.src_uri)
    if known and known[0] == markdown and known[1] == where:  # mkdocs serve: an unchanged page
        return known[2]
    lines, fence = [], None
    for line in markdown.split("\n"):
        opening = FENCE.match(line)
        if opening and (fence is None or opening.group(1).startswith(fence)):
            fence = None if fence else opening.group(1)
            lines.append("")
        else:
            lines.append("" if fence else CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line))
    if page.file.src_uri.endswith(".ipynb"):  # a notebook's JSON: one source line per JSON string
        lines = [_json_string(line) for line in lines]
    text = "\n".join(lines)
    found = []
    for pattern in MARKDOWN_MATH:
        for match in pattern.finditer(text):
            start = match.start(1) + len(match.group(1)) - len(match.group(1).lstrip())
            found.append((match.start(), _key(match.group(1)), where[text.count("\n", 0, start)]))
        text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    places = {}
    for _, key, origin in sorted(found):
        places.setdefault(key, []).append(origin)
    _origins[page.file.src_uri] = (markdown, where, places)
    return places


def _json_string(line):
    """The text of a line of an .ipynb holding one JSON string (`    "…\\n",`), else ""."""
    try:
        value = json.loads(line.strip().rstrip(","))
    except ValueError:
        return ""
    return value.rstrip("\n") if isinstance(value, str) else ""


@event_priority(-100)  # last: after every hook that adds lines
def on_page_markdown(markdown, page, config, files):
    _formulas[page.file.src_uri] = formula_origins(markdown, page)
    return markdown


def _replace(pattern, display, content, page, seen):
    def one(match):
        tex = html.unescape(match.group(1))
        places = _formulas.get(page.file.src_uri, {}).get(_key(tex), [])
        nth = seen.setdefault(_key(tex), 0)
        seen[_key(tex)] += 1
        try:
            out = render(tex, display)
        except ValueError as err:
            where = places[min(nth, len(places) - 1)] if places else f"docs/{page.file.src_uri} (in text included into it)"
            _problems.add(f"{where}: KaTeX cannot render this formula: {err}; "
                          f"fix the LaTeX (KaTeX's strict mode: no bare Chinese, use \\text{{…}})\n    {tex.strip()[:200]}")
            return f'<code class="katex-error">{html.escape(tex)}</code>'
        if display:
            # Focusable, as a wide formula scrolls sideways.
            return f'<div class="math-display" tabindex="0">{out}</div>'
        return f'<span class="math-inline">{out}</span>'

    return pattern.sub(one, content)


def on_pre_build(config):
    _problems.clear()
    _renderer()  # start node now: it loads KaTeX while MkDocs reads and converts the pages


@event_priority(-100)  # after every hook that writes math (hooks/notebooks.py)
def on_page_content(content, page, config, files):
    # Before search indexes the page: the formula's text for the index, its TeX for on_post_page.
    def readable(match):
        tag, delimited = match.group(1), match.group(2)
        tex = html.unescape(match.group(3) or match.group(4))
        try:
            text = plain_text(render(tex, bool(match.group(4))))
        except ValueError:  # on_post_page reports it, with the line
            text = tex
        return f'<{tag} class="arithmatex" data-tex="{delimited.replace(chr(34), "&quot;")}">{html.escape(text)}</{tag}>'

    return ARITHMATEX.sub(readable, content)


def on_post_page(output, page, config):
    # After the search plugin has indexed the page: it then indexes each formula's TeX once,
    # instead of parsing KaTeX's thousands of spans (the slowest part of a build) and indexing
    # every formula three times.
    seen = {}
    output = _replace(DISPLAY, True, output, page, seen)
    return _stylesheet_only_for_math(_replace(INLINE, False, output, page, seen))


def on_post_template(output, template_name, config):
    return _stylesheet_only_for_math(output)  # 404.html


def _stylesheet_only_for_math(output):
    # A page without a formula does without KaTeX's stylesheet (mkdocs.yml's extra_css): 3.6 KB
    # less to load, and 250 rules fewer for the browser to match each time it restyles the page.
    if 'class="katex' in output:
        return output
    return KATEX_STYLESHEET.sub("", output)  # a page links it once


def on_post_build(config):  # pragma: no mutate block (writes the site: tests/mutation-equivalents.md)
    _problems.fail_if_any()
    target = Path(config["site_dir"]) / "assets" / "katex"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(KATEX_DIST / "katex.min.css", target / "katex.min.css")
    shutil.copytree(KATEX_DIST / "fonts", target / "fonts", dirs_exist_ok=True)


def on_shutdown():  # pragma: no mutate block (stops node: tests/mutation-equivalents.md)
    global _node
    if _node is not None:
        _node.stdin.close()
        _node.wait(timeout=5)
        _node = None
