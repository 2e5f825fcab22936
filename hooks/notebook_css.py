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
import re

import tinycss2

STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)
CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')
ID_ATTRIBUTE = re.compile(r'\bid="([^"]*)"')
FUNCTIONAL = re.compile(r":[\w-]+\(")
NAMES = re.compile(r"([.#])(-?[_a-zA-Z][\w-]*)")
ROOT_INSIDE = re.compile(r"[\s>+~](?::root|html|body)(?![\w-])")   # the root element below another one
LARGE = 50_000   # characters: only JupyterLab's stylesheets are worth parsing


def _without_functional(selector):
    """The selector without the arguments of :not(), :is(), :where(), :has() and the like."""
    out, depth, i = [], 0, 0
    while i < len(selector):
        match = FUNCTIONAL.match(selector, i) if depth == 0 else None
        if match:
            depth, i = 1, match.end()
            continue
        char = selector[i]
        if depth:
            depth += {"(": 1, ")": -1}.get(char, 0)
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _may_match(selector, classes, ids):
    selector = _without_functional(selector).strip()
    if ROOT_INSIDE.search(selector):
        return False
    names = NAMES.findall(selector)
    return all((name in classes or name.startswith("md-")) if kind == "." else (name in ids) for kind, name in names)


def _prune(nodes, classes, ids):
    kept = []
    for node in nodes:
        if node.type == "qualified-rule":
            selectors = tinycss2.serialize(node.prelude).split(",")
            if any(_may_match(selector, classes, ids) for selector in selectors):
                kept.append(node)
        elif node.type == "at-rule" and node.lower_at_keyword in {"media", "supports"} and node.content is not None:
            inner = _prune(tinycss2.parse_rule_list(node.content), classes, ids)
            if any(rule.type in {"qualified-rule", "at-rule"} for rule in inner):
                node.content = inner
                kept.append(node)
        elif node.type not in {"whitespace", "comment"}:
            kept.append(node)
    return kept


def prune_css(css, html):
    """css without the rules that can match nothing in html."""
    classes = {name for value in CLASS_ATTRIBUTE.findall(html) for name in value.split()}
    ids = set(ID_ATTRIBUTE.findall(html))
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    return tinycss2.serialize(_prune(rules, classes, ids))


def on_post_page(output, page, config):
    if not page.file.src_uri.endswith(".ipynb"):
        return output
    markup = STYLE.sub("", output)
    return STYLE.sub(lambda m: m.group(1) + prune_css(m.group(2), markup) + m.group(3)
                     if len(m.group(2)) > LARGE else m.group(0), output)
