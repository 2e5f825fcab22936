"""Scaled dot-product attention, Vaswani et al. 2017, eq. (1). arXiv:1706.03762

    Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k)) V

Shown on docs/transformer.md (sections `attention-weights` and `attention`).
q: (..., T, d_k), k: (..., S, d_k), v: (..., S, d_v) -> (..., T, d_v).

`mask` is boolean and broadcasts to (..., T, S); True means "query t may attend to key s",
as in torch.nn.functional.scaled_dot_product_attention. Careful: nn.MultiheadAttention's
`attn_mask` and `key_padding_mask` use the opposite convention (True = masked out), so pass
`~mask` there. A query row with nothing to attend to gets weights 0 and output 0, as PyTorch's
scaled_dot_product_attention returns, not the NaN that a plain softmax over -inf gives.

`dropout_p` drops attention weights as F.scaled_dot_product_attention(dropout_p=...) does (the
paper does not describe it; PyTorch's nn.MultiheadAttention applies it in training). With the
same torch.manual_seed both draw the same random mask, so the two can be compared exactly.

The doctest is the proof, not the lesson: it checks this code against PyTorch.
tests/test_attention.py does the same over shapes, seeds, dtypes and masks.

>>> import torch.nn.functional as F
>>> g = torch.Generator().manual_seed(0)
>>> q, k, v = (torch.randn(2, 4, 5, 8, generator=g) for _ in range(3))
>>> causal = torch.ones(5, 5, dtype=torch.bool).tril()
>>> torch.allclose(attention(q, k, v, causal), F.scaled_dot_product_attention(q, k, v, causal), atol=1e-6)
True
"""
import math

import torch
import torch.nn.functional as F


# --8<-- [start:attention-weights]
def attention_weights(q, k, mask=None, dropout_p=0.0):
    att = q @ k.transpose(-2, -1) / math.sqrt(k.size(-1))  # (..., T, S)
    if mask is not None:
        att = att.masked_fill(~mask, float("-inf"))  # (..., T, S)
    att = att.softmax(dim=-1)  # (..., T, S), each row sums to 1
    if mask is not None:
        empty = ~mask.any(dim=-1, keepdim=True)  # (..., T, 1) no key allowed
        att = att.masked_fill(empty, 0.0)        # 0 there, not NaN
    if dropout_p > 0:
        att = F.dropout(att, dropout_p)          # as PyTorch does; kept weights scaled by 1/(1-p)
    return att
# --8<-- [end:attention-weights]


# --8<-- [start:attention]
def attention(q, k, v, mask=None, dropout_p=0.0):
    return attention_weights(q, k, mask, dropout_p) @ v  # (..., T, S) @ (..., S, d_v)
# --8<-- [end:attention]
