"""hooks/code_spans.py drops the spans of highlighted code that draw nothing of their own, and only those."""
import re
from types import SimpleNamespace

import pytest

import code_spans


def block(code):
    return f'<div class="highlight"><pre><span></span><code>{code}</code></pre></div>'


def page(uri):
    return SimpleNamespace(file=SimpleNamespace(src_uri=uri))


@pytest.mark.parametrize("code, thinned", [
    ('<span class="n">x</span> <span class="o">=</span> <span class="mi">1</span>',
     'x <span class="o">=</span> <span class="mi">1</span>'),
    ('<span class="k">def</span><span class="w"> </span><span class="nf">f</span>',
     '<span class="k">def</span> <span class="nf">f</span>'),
    ('<span class="p">(</span><span class="p">):</span><span class="o">*</span><span class="o">*</span><span class="p">.</span>',
     '<span class="p">():</span><span class="o">**</span><span class="p">.</span>'),
    ('<span class="p">)</span> <span class="p">:</span>', '<span class="p">)</span> <span class="p">:</span>'),  # not neighbours
    ('<span class="nn">torch</span><span class="nb">len</span><span class="na">x</span><span class="ow">in</span>',
     '<span class="nn">torch</span><span class="nb">len</span><span class="na">x</span><span class="ow">in</span>'),
    ('<span class="gd">a</span><span class="gd">b</span><span class="hll">c</span><span class="hll">d</span>',
     '<span class="gd">a</span><span class="gd">b</span><span class="hll">c</span><span class="hll">d</span>'),
    ('<span class="n">&lt;</span><span class="p">&amp;</span><span class="p">&gt;</span>',
     '&lt;<span class="p">&amp;&gt;</span>'),
])
def test_names_and_spaces_are_unwrapped_and_punctuation_or_operators_joined(code, thinned):
    assert code_spans.thin(code) == thinned


def test_the_code_reads_the_same_after_thinning():
    code = ('<span class="k">for</span><span class="w"> </span><span class="n">v</span> <span class="ow">in</span> '
            '<span class="nb">reversed</span><span class="p">(</span><span class="n">order</span><span class="p">):</span>'
            '<span class="w">  </span><span class="c1"># output first</span>')

    def text(markup):
        return re.sub(r"<[^>]+>", "", markup)

    assert text(code_spans.thin(code)) == text(code) == "for v in reversed(order):  # output first"
    assert (code.count("<span"), code_spans.thin(code).count("<span")) == (10, 6)


def test_only_code_blocks_of_markdown_pages_are_thinned():
    name = '<span class="n">x</span>'
    html = f"<p>{name}</p>" + block(name) + f'<code class="highlight">{name}</code>' + block(name)

    assert code_spans.on_page_content(html, page("gan.md"), {}, None) == (
        f"<p>{name}</p>" + block("x") + f'<code class="highlight">{name}</code>' + block("x"))
    assert code_spans.on_page_content(html, page("notebooks/gan.ipynb"), {}, None) == html
