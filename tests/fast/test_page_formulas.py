"""The numbered formulas on the pages stay the papers' formulas.

The code behind each formula is checked against PyTorch by the full suite; this pins the
typeset formula itself, so that "fixing" a page back to the original's version (attention
divided by sqrt(d_k) twice, min over G without max over D) fails here, in seconds. Spacing and
typographic variants (\\text vs \\mathrm, \\left/\\right, ^T vs ^\\top) do not matter.
"""
import re

import pytest

from pages import DISPLAY, DOCS, SEED_QUOTE

# (page, tag): the formula, normalised, as in Vaswani et al. 2017 and Goodfellow et al. 2014.
PAPER = {
    ("transformer.md", "1"): r"\mathrm{Attention}(Q,K,V)=\mathrm{softmax}(\frac{QK^T}{\sqrt{d_k}})V",
    ("transformer.md", "3"): r"\mathrm{FFN}(x)=\max(0,xW_1+b_1)W_2+b_2",
    ("transformer.md", "4"): r"x\leftarrow\mathrm{LayerNorm}(x+\mathrm{Dropout}(\mathrm{Sublayer}(x)))",
    ("gan.md", "1"): r"\min_G\max_DV(D,G)=\mathbb{E}_{x\simp_{\mathrm{data}}(x)}[\logD(x)]+\mathbb{E}_{z\simp_z(z)}[\log(1-D(G(z)))]",
    ("gan.md", "2"): r"D^*_G(x)=\frac{p_{\mathrm{data}}(x)}{p_{\mathrm{data}}(x)+p_g(x)}",
    ("gan.md", "4"): r"L_G=-\mathbb{E}_{z\simp_z(z)}[\logD(G(z))]",
}


def normalise(tex):
    tex = re.sub(r"\\(text|operatorname|textrm)\{", r"\\mathrm{", tex)
    tex = re.sub(r"\^\{?\\top\}?|\^\{T\}", "^T", tex)
    tex = re.sub(r"\\(left|right|big|Big|bigg|Bigg)\b", "", tex)
    tex = re.sub(r"\\[!,;:]|\\quad|\\qquad", "", tex)
    return re.sub(r"\s+", "", tex)


def tagged(page, tag):
    """The normalised TeX of the display formula carrying \\tag{tag} on a page (outside quotes)."""
    text = (DOCS / page).read_text(encoding="utf-8")
    text = SEED_QUOTE.sub("", text)
    for block in DISPLAY.findall(text):
        if rf"\tag{{{tag}}}" in block:
            return normalise(block.replace(rf"\tag{{{tag}}}", ""))
    return None


@pytest.mark.parametrize("page, tag", PAPER, ids=[f"{p}-eq{t}" for p, t in PAPER])
def test_numbered_formula_is_the_papers(page, tag):
    assert tagged(page, tag) == PAPER[page, tag], f"docs/{page}: equation ({tag}) no longer matches the paper"


def test_the_originals_attention_would_be_caught():
    original = r"\text{Attention}(Q, K, V) = \frac{1}{\sqrt{d_k}} \text{softmax}\left(\frac{QK^T}{\sqrt{d_k}}\right) V"

    assert normalise(original) != PAPER["transformer.md", "1"]


def test_the_originals_value_function_would_be_caught():
    original = (r"\min_G \max_D V(D, G) = \min_G \mathbb{E}_{x \sim p_{data}(x)}[\log D(x)] "
                r"+ \mathbb{E}_{z \sim p_z(z)}[\log (1 - D(G(z)))]")

    assert normalise(original) != PAPER["gan.md", "1"]
