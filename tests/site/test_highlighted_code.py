"""Highlighted code on the built pages, after hooks/code_spans.py: the spans it drops really drew nothing.

It unwraps `n` and `w` spans because Material colours a name like the code around it and gives
whitespace no style. If a Material upgrade, or our own stylesheet, starts styling either, names
would lose their colour without anyone noticing: these tests fail first.
"""
import re

CODE_BLOCK = re.compile(r"<pre><span></span><code>(.*?)</code></pre>", re.S)


def stylesheet(site, name):
    return "".join(path.read_text(encoding="utf-8") for path in (site / "assets" / "stylesheets").glob(name))


def test_code_blocks_on_markdown_pages_hold_no_name_or_space_spans(site):
    pages = [path for path in site.rglob("index.html") if "notebooks" not in path.parts]
    blocks = [block for path in pages for block in CODE_BLOCK.findall(path.read_text(encoding="utf-8"))]

    assert len(blocks) > 50
    assert not [block[:120] for block in blocks if re.search(r'<span class="[nw]">', block)]


def test_material_draws_names_in_the_code_colour_and_whitespace_unstyled(site):
    main, palette = stylesheet(site, "main.*.min.css"), stylesheet(site, "palette.*.min.css")
    ours = (site / "assets" / "stylesheets" / "extra.css").read_text(encoding="utf-8")

    assert ".highlight .kc,.highlight .n{color:var(--md-code-hl-name-color)}" in main
    assert "--md-code-hl-name-color:var(--md-code-fg-color)" in main   # the light scheme
    assert "--md-code-hl-name-color:var(--md-code-fg-color)" in palette   # the dark one
    assert "--md-code-hl-name-color:" not in palette.replace("--md-code-hl-name-color:var(--md-code-fg-color)", "")
    assert not re.search(r"\.highlight \.w\b", main + palette)
    assert not re.search(r"\.(?:n|w)\b(?![\w-])", re.sub(r"\.jupyter-wrapper[^{]*\{[^}]*\}", "", ours))
    assert "--md-code-hl-name-color" not in ours
