"""Drop the rules of a notebook page's inlined JupyterLab CSS that can match nothing on it.

mkdocs-jupyter inlines all of JupyterLab's stylesheet (574 KB, 86 KB gzip) into every notebook
page, for widgets, editors and menus a static page never has: a phone downloads and parses it
before it shows anything. This hook keeps a rule only if one of its selectors could match the
page, i.e. every class and id it names occurs in the page's HTML, and it does not look for the
document's root inside an element: mkdocs-jupyter prefixes every selector with .jupyter-wrapper,
so JupyterLab's `:root` and `body` rules (80 KB of custom properties) became
`.jupyter-wrapper :root`, which nothing matches. What a selector says inside
:not() and similar is not required (it may match without it); at-rules other than @media and
@supports (fonts, keyframes, @charset) are kept whole, and so is every rule about Material's own
`md-` classes, which its JavaScript adds after load (tables get .md-typeset__scrollwrap).
Only notebook pages are touched.
"""
import hashlib
import re

STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)
CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')
ID_ATTRIBUTE = re.compile(r'\bid="([^"]*)"')
FUNCTIONAL = re.compile(r":[\w-]+\(")
NAMES = re.compile(r"([.#])(-?[_a-zA-Z][\w-]*)")
ROOT_INSIDE = re.compile(r"[\s>+~](?::root|html|body)(?![\w-])")   # the root element below another one
# What moves the scan: braces, and the strings and comments in which a brace means nothing.
TOKEN = re.compile(r"""[{};]|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|/\*.*?\*/""", re.S)
GROUPS = ("@media", "@supports")   # at-rules holding rules, pruned inside
LARGE = 50_000   # characters: only JupyterLab's stylesheets are worth parsing

# Pruned stylesheets by a hash of their inputs, and each notebook page's last output and its
# pruned version. MkDocs 1.6 imports a hook file once per process, so these outlive `mkdocs serve`
# rebuilds, where a notebook rarely changes: an unchanged page is then not scanned at all.
_pruned = {}
_pages = {}   # page.file.src_uri -> (hash of the page's output, the output pruned)


def _without_functional(selector):
    """The selector without the arguments of :not(), :is(), :where(), :has() and the like."""
    while (match := FUNCTIONAL.search(selector)):
        depth, i = 1, match.end()
        while depth and i < len(selector):
            depth += {"(": 1, ")": -1}.get(selector[i], 0)
            i += 1
        selector = selector[:match.start()] + selector[i:]
    return selector


def _may_match(selector, classes, ids):
    selector = _without_functional(selector).strip()
    if ROOT_INSIDE.search(selector):
        return False
    names = NAMES.findall(selector)
    return all((name in classes or name.startswith("md-")) if kind == "." else (name in ids) for kind, name in names)


def _blocks(css):
    """[(prelude, body or None)] of the top-level statements of css; body is the text inside {…}."""
    out, start, depth, opened = [], 0, 0, 0
    for token in TOKEN.finditer(css):
        mark = token.group()
        if mark == "{":
            if depth == 0:
                opened = token.end()
            depth += 1
        elif mark == "}":
            depth -= 1
            if depth == 0:
                out.append((css[start:opened - 1], css[opened:token.start()]))
                start = token.end()
        elif mark == ";" and depth == 0:
            out.append((css[start:token.end()], None))   # @charset "…"; and the like
            start = token.end()
    return out


def _prune(css, classes, ids):
    kept = []
    for prelude, body in _blocks(css):
        head = prelude.strip()
        if body is None or (head.startswith("@") and not head.lower().startswith(GROUPS)):
            kept.append(prelude + ("" if body is None else "{" + body + "}"))
        elif head.startswith("@"):
            inner = _prune(body, classes, ids)
            if inner.strip():
                kept.append(prelude + "{" + inner + "}")
        elif any(_may_match(selector, classes, ids) for selector in head.split(",")):
            kept.append(prelude + "{" + body + "}")
    return "".join(kept)


def prune_css(css, html):
    """css without the rules that can match nothing in html."""
    classes = {name for value in CLASS_ATTRIBUTE.findall(html) for name in value.split()}
    ids = set(ID_ATTRIBUTE.findall(html))
    key = hashlib.sha256("\0".join([css, *sorted(classes), "#", *sorted(ids)]).encode("utf-8")).hexdigest()
    if key not in _pruned:
        _pruned[key] = _prune(css, classes, ids)
    return _pruned[key]


def on_post_page(output, page, config):
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    key = hashlib.sha256(output.encode("utf-8")).hexdigest()
    known = _pages.get(page.file.src_uri)
    if known and known[0] == key:
        return known[1]
    markup = STYLE.sub("", output)
    pruned = STYLE.sub(lambda m: m.group(1) + prune_css(m.group(2), markup) + m.group(3)
                       if len(m.group(2)) > LARGE else m.group(0), output)
    _pages[page.file.src_uri] = (key, pruned)
    return pruned
