"""snippets/attention.py computes eq. (1) of Vaswani et al. 2017 exactly as PyTorch does.

Reference: torch.nn.functional.scaled_dot_product_attention (boolean mask, True = may attend):
its output, its dropout (the same random mask under the same torch.manual_seed) and its gradients
through torch.autograd. Tolerances come from shared/STACK.md (measured: <= 8.3e-7 float32,
<= 1.7e-15 float64).
"""
import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.attention import attention, attention_weights

TOL = {torch.float32: dict(rtol=1e-4, atol=1e-5), torch.float64: dict(rtol=1e-10, atol=1e-12)}
SHAPES = [  # (batch dims..., T, S, d_k, d_v)
    ((), 1, 1, 4, 4),
    ((3,), 7, 7, 8, 8),
    ((2, 4), 5, 9, 16, 8),      # cross-attention: S != T, d_v != d_k
    ((2, 4), 33, 33, 64, 64),
]
# Few examples, no deadline, the same examples on every run: CI stays fast and deterministic.
PROPERTIES = settings(max_examples=40, deadline=None, derandomize=True, database=None)


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


def gradients(fn, q, k, v, mask, seed):
    """fn's output and d(sum(out * w))/d(q, k, v) for a fixed random w."""
    q, k, v = (t.detach().clone().requires_grad_() for t in (q, k, v))
    out = fn(q, k, v, mask)
    w = torch.randn(out.shape, generator=torch.Generator().manual_seed(seed), dtype=out.dtype)
    return (out.detach(), *torch.autograd.grad((out * w).sum(), (q, k, v)))


def sdpa(q, k, v, mask=None, dropout_p=0.0):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=dropout_p)


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
@pytest.mark.parametrize("mask_kind", ["none", "causal", "random"])
def test_attention_gradients_match_torch_sdpa(mask_kind, dtype):
    q, k, v, g = qkv((2, 3), 6, 7, 8, 5, dtype=dtype, seed=0)
    mask = make_mask(mask_kind, 6, 7, g)

    ours = gradients(attention, q, k, v, mask, seed=1)
    ref = gradients(sdpa, q, k, v, mask, seed=1)

    for name, a, b in zip(["output", "dq", "dk", "dv"], ours, ref):
        torch.testing.assert_close(a, b, **TOL[dtype], msg=lambda m, name=name: f"{name}: {m}")


@pytest.mark.parametrize("p", [0.1, 0.5])
@pytest.mark.parametrize("mask_kind", ["none", "causal", "random"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_attention_dropout_matches_torch_sdpa_under_the_same_seed(dtype, mask_kind, p):
    """Both draw one Bernoulli mask over the weights (..., T, S) and scale kept weights by 1/(1-p):
    dropping the output instead, dropping twice or forgetting the rescaling all fail here."""
    q, k, v, g = qkv((2, 3), 5, 6, 8, 4, dtype=dtype, seed=0)
    mask = make_mask(mask_kind, 5, 6, g)

    torch.manual_seed(7)
    ours = gradients(lambda *a: attention(*a, dropout_p=p), q, k, v, mask, seed=1)
    torch.manual_seed(7)
    ref = gradients(lambda *a: sdpa(*a, dropout_p=p), q, k, v, mask, seed=1)
    torch.manual_seed(7)
    no_dropout = attention(q, k, v, mask)

    assert (ours[0] - no_dropout).abs().max() > 0.05    # dropout did act
    for name, a, b in zip(["output", "dq", "dk", "dv"], ours, ref):
        torch.testing.assert_close(a, b, **TOL[dtype], msg=lambda m, name=name: f"{name}: {m}")


def test_attention_dropout_keeps_the_expected_weights_unbiased():
    """E[Dropout(w)] = w: over many draws the mean of the dropped weights is the weights."""
    q, k, _, _ = qkv((), 4, 5, 8, 8, dtype=torch.float64, seed=0)
    torch.manual_seed(0)
    draws = torch.stack([attention_weights(q, k, dropout_p=0.5) for _ in range(4000)])

    torch.testing.assert_close(draws.mean(0), attention_weights(q, k), rtol=0, atol=0.03)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_fully_masked_query_row_gives_zeros_like_torch(dtype):
    q, k, v, _ = qkv((2, 3), 4, 6, 8, 5, dtype=dtype, seed=0)
    mask = torch.ones(4, 6, dtype=torch.bool)
    mask[2] = False                                 # query 2 may attend to nothing

    ours = gradients(attention, q, k, v, mask, seed=0)
    ref = gradients(sdpa, q, k, v, mask, seed=0)

    assert not any(t.isnan().any() for t in ours)
    assert (ours[0][..., 2, :] == 0).all() and (ours[1][..., 2, :] == 0).all()  # output and dq
    for a, b in zip(ours, ref):
        torch.testing.assert_close(a, b, **TOL[dtype])


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


@st.composite
def attention_inputs(draw):
    """Any small shape, a mask of any broadcastable shape (rows may be fully masked), either dtype."""
    batch = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
    T, S, d_k, d_v = (draw(st.integers(1, n)) for n in (6, 6, 16, 8))
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    mask_shape = draw(st.sampled_from([None, (T, S), (*batch, T, S), (*batch, 1, S)]))
    seed = draw(st.integers(0, 2**16))
    q, k, v, g = qkv(batch, T, S, d_k, d_v, dtype, seed)
    mask = None if mask_shape is None else torch.rand(mask_shape, generator=g) < draw(st.sampled_from([0.2, 0.6, 1.0]))
    return q, k, v, mask, seed


@PROPERTIES
@given(attention_inputs())
def test_attention_and_its_gradients_match_torch_sdpa_on_any_shape_and_mask(inputs):
    q, k, v, mask, seed = inputs

    ours = gradients(attention, q, k, v, mask, seed)
    ref = gradients(sdpa, q, k, v, mask, seed)

    for name, a, b in zip(["output", "dq", "dk", "dv"], ours, ref):
        torch.testing.assert_close(a, b, **TOL[q.dtype], msg=lambda m, name=name: f"{name}: {m}")
