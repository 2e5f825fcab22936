"""snippets/attention.py computes eq. (1) of Vaswani et al. 2017 exactly as PyTorch does.

Reference: torch.nn.functional.scaled_dot_product_attention (boolean mask, True = may attend).
Tolerances come from shared/STACK.md (measured: <= 8.3e-7 float32, <= 1.7e-15 float64).
"""
import math

import pytest
import torch
import torch.nn.functional as F

from snippets.attention import attention, attention_weights

TOL = {torch.float32: dict(rtol=1e-4, atol=1e-5), torch.float64: dict(rtol=1e-10, atol=1e-12)}
SHAPES = [  # (batch dims..., T, S, d_k, d_v)
    ((), 1, 1, 4, 4),
    ((3,), 7, 7, 8, 8),
    ((2, 4), 5, 9, 16, 8),      # cross-attention: S != T, d_v != d_k
    ((2, 4), 33, 33, 64, 64),
]


def qkv(batch, T, S, d_k, d_v, dtype, seed):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(*batch, T, d_k, generator=g, dtype=dtype)
    k = torch.randn(*batch, S, d_k, generator=g, dtype=dtype)
    v = torch.randn(*batch, S, d_v, generator=g, dtype=dtype)
    return q, k, v, g


def make_mask(kind, T, S, g):
    if kind == "none":
        return None
    if kind == "causal":
        return torch.ones(T, S, dtype=torch.bool).tril()
    return torch.rand(T, S, generator=g) < 0.6   # random; some rows may be fully masked


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, (*s[0], *s[1:]))))
@pytest.mark.parametrize("mask_kind", ["none", "causal", "random"])
def test_attention_matches_torch_sdpa(mask_kind, shape, seed, dtype):
    q, k, v, g = qkv(*shape, dtype=dtype, seed=seed)
    mask = make_mask(mask_kind, q.size(-2), k.size(-2), g)

    ours = attention(q, k, v, mask)

    torch.testing.assert_close(ours, F.scaled_dot_product_attention(q, k, v, attn_mask=mask), **TOL[dtype])


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_fully_masked_query_row_gives_zeros_like_torch(dtype):
    q, k, v, _ = qkv((2, 3), 4, 6, 8, 5, dtype=dtype, seed=0)
    mask = torch.ones(4, 6, dtype=torch.bool)
    mask[2] = False                                 # query 2 may attend to nothing

    ours = attention(q, k, v, mask)
    ref = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)

    assert not ours.isnan().any()
    assert (ours[..., 2, :] == 0).all()
    torch.testing.assert_close(ours, ref, **TOL[dtype])


def test_naive_masked_softmax_would_give_nan_on_fully_masked_row():
    """Why attention_weights zeroes such rows: the plain formula gives NaN there."""
    q, k, _, _ = qkv((), 3, 3, 4, 4, dtype=torch.float64, seed=0)
    mask = torch.tensor([[True, False, False], [False, False, False], [True, True, True]])
    naive = (q @ k.T / math.sqrt(4)).masked_fill(~mask, float("-inf")).softmax(-1)

    assert naive[1].isnan().all()
    assert not attention_weights(q, k, mask).isnan().any()


@pytest.mark.parametrize("seed", [0, 1])
def test_attention_weights_rows_sum_to_one_and_respect_mask(seed):
    q, k, _, g = qkv((2,), 6, 6, 8, 8, dtype=torch.float64, seed=seed)
    causal = torch.ones(6, 6, dtype=torch.bool).tril()

    w = attention_weights(q, k, causal)

    torch.testing.assert_close(w.sum(-1), torch.ones(2, 6, dtype=torch.float64))
    assert (w[..., ~causal] == 0).all()
