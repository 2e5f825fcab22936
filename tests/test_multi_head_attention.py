"""snippets/multi_head_attention.py is the multi-head attention of Vaswani et al. 2017, 3.2.2.

Reference: torch.nn.MultiheadAttention(batch_first=True, bias=True) with our weights copied in:
outputs, dropout on the attention weights (the same random mask under the same torch.manual_seed),
every kind of mask, and the gradients of every parameter and input through torch.autograd.
PyTorch initialises every bias to 0, and a version that forgot its biases would match at init;
so every bias is perturbed first, and one test shows that this comparison catches such a bug.
"""
import pytest
import torch
import torch.nn as nn
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.attention import attention
from snippets.multi_head_attention import MultiHeadAttention

TOL = {torch.float32: dict(rtol=1e-4, atol=1e-5), torch.float64: dict(rtol=1e-10, atol=1e-12)}
PROPERTIES = settings(max_examples=30, deadline=None, derandomize=True, database=None)


def perturb_biases_(module, gen):
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("bias"):
                p.copy_(0.5 * torch.randn(p.shape, generator=gen, dtype=p.dtype))


def twin_modules(d_model, h, seed, dtype=torch.float32, dropout=0.0):
    """Our module with perturbed biases, and nn.MultiheadAttention holding the same weights."""
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    ours = MultiHeadAttention(d_model, h, dropout=dropout).to(dtype)
    perturb_biases_(ours, g)
    ref = nn.MultiheadAttention(d_model, h, dropout=dropout, bias=True, batch_first=True, dtype=dtype)
    with torch.no_grad():
        ref.in_proj_weight.copy_(torch.cat([ours.W_Q.weight, ours.W_K.weight, ours.W_V.weight]))
        ref.in_proj_bias.copy_(torch.cat([ours.W_Q.bias, ours.W_K.bias, ours.W_V.bias]))
        ref.out_proj.weight.copy_(ours.W_O.weight)
        ref.out_proj.bias.copy_(ours.W_O.bias)
    return ours, ref, g


def torch_mask_arguments(mask, h):
    """Our mask (True = may attend) as nn.MultiheadAttention's arguments (True = masked out)."""
    if mask is None:
        return {}
    if mask.dim() == 2:                                   # (T, S)
        return {"attn_mask": ~mask}
    if mask.dim() == 3 and mask.size(1) == 1:             # (B, 1, S): key padding
        return {"key_padding_mask": ~mask[:, 0]}
    if mask.dim() == 3:                                   # (B, T, S): PyTorch wants (B*h, T, S)
        return {"attn_mask": (~mask).repeat_interleave(h, dim=0)}
    return {"attn_mask": (~mask).flatten(0, 1)}           # (B, h, T, S)


def run_torch(ref, Q, K, V, mask=None):
    out, _ = ref(Q, K, V, need_weights=False, **torch_mask_arguments(mask, ref.num_heads))
    return out


def inputs(B, T, S, d_model, g, dtype=torch.float32):
    return tuple(torch.randn(B, n, d_model, generator=g, dtype=dtype) for n in (T, S, S))


def grads(module, forward, Q, K, V, seed):
    """forward's output and the gradient of sum(out * w), w fixed, for every input and parameter."""
    Q, K, V = (t.detach().clone().requires_grad_() for t in (Q, K, V))
    module.zero_grad()
    out = forward(Q, K, V)
    w = torch.randn(out.shape, generator=torch.Generator().manual_seed(seed), dtype=out.dtype)
    (out * w).sum().backward()
    return out.detach(), Q.grad, K.grad, V.grad


def assert_same_gradients(ours, ref, got, expected, tol):
    """Output, dQ, dK, dV, then every parameter of ours against the same one in ref."""
    for name, a, b in zip(["output", "dQ", "dK", "dV"], got, expected):
        torch.testing.assert_close(a, b, **tol, msg=lambda m, name=name: f"{name}: {m}")
    in_proj_weight, in_proj_bias = (g.chunk(3) for g in (ref.in_proj_weight.grad, ref.in_proj_bias.grad))
    pairs = {
        "W_Q.weight": in_proj_weight[0], "W_K.weight": in_proj_weight[1], "W_V.weight": in_proj_weight[2],
        "W_Q.bias": in_proj_bias[0], "W_K.bias": in_proj_bias[1], "W_V.bias": in_proj_bias[2],
        "W_O.weight": ref.out_proj.weight.grad, "W_O.bias": ref.out_proj.bias.grad,
    }
    ours_grads = {name: p.grad for name, p in ours.named_parameters()}
    assert ours_grads.keys() == pairs.keys()
    for name, expected_grad in pairs.items():
        torch.testing.assert_close(ours_grads[name], expected_grad, **tol, msg=lambda m, name=name: f"{name}: {m}")


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("d_model, h, B, T, S", [(8, 1, 2, 5, 5), (16, 4, 3, 7, 9), (64, 8, 2, 12, 12)])
@pytest.mark.parametrize("causal", [False, True])
def test_multi_head_attention_matches_torch_in_train_mode(causal, d_model, h, B, T, S, seed, dtype):
    ours, ref, g = twin_modules(d_model, h, seed, dtype)
    ref.train()
    Q, K, V = inputs(B, T, S, d_model, g, dtype)
    mask = torch.ones(T, S, dtype=torch.bool).tril() if causal else None

    out = ours(Q, K, V, mask)
    expected = run_torch(ref, Q, K, V, mask)

    torch.testing.assert_close(out, expected, **TOL[dtype])


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("causal", [False, True])
def test_multi_head_attention_matches_torch_fused_fast_path(causal, seed, monkeypatch):
    """Eval mode under no_grad: PyTorch takes torch._native_multi_head_attention; we check it did."""
    calls = []
    fused = torch._native_multi_head_attention
    monkeypatch.setattr(torch, "_native_multi_head_attention", lambda *a, **kw: calls.append(1) or fused(*a, **kw))
    ours, ref, g = twin_modules(32, 4, seed)
    ours.eval(), ref.eval()
    x = torch.randn(3, 10, 32, generator=g)
    mask = torch.ones(10, 10, dtype=torch.bool).tril() if causal else None

    with torch.no_grad():
        out = ours(x, x, x, mask)
        expected = run_torch(ref, x, x, x, mask)

    assert calls, "nn.MultiheadAttention did not take its fused fast path"
    torch.testing.assert_close(out, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("p", [0.1, 0.5])
@pytest.mark.parametrize("causal", [False, True])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_multi_head_attention_dropout_matches_torch_under_the_same_seed(dtype, causal, p):
    """Dropout on the attention weights (B, h, T, S), as nn.MultiheadAttention does in training.
    Both draw the mask in the same order, so one torch.manual_seed makes the runs comparable."""
    ours, ref, g = twin_modules(16, 4, 0, dtype, dropout=p)
    Q, K, V = inputs(3, 6, 7, 16, g, dtype)
    mask = torch.ones(6, 7, dtype=torch.bool).tril() if causal else None

    torch.manual_seed(7)
    got = grads(ours, lambda *x: ours(*x, mask), Q, K, V, seed=1)
    torch.manual_seed(7)
    expected = grads(ref, lambda *x: run_torch(ref, *x, mask), Q, K, V, seed=1)

    assert_same_gradients(ours, ref, got, expected, TOL[dtype])
    evaluated = ours.eval()(Q, K, V, mask)                            # no dropout in eval mode
    torch.testing.assert_close(evaluated, run_torch(ref.eval(), Q, K, V, mask), **TOL[dtype])
    assert (got[0] - evaluated).abs().max() > 0.05                    # in training it did act


def test_per_sequence_mask_applies_to_its_sequence_not_to_a_head():
    """A (B, T, S) mask with B == h: each sequence has its own mask, shared by its heads."""
    B = h = 4
    ours, ref, g = twin_modules(16, h, 0, torch.float64)
    Q, K, V = inputs(B, 5, 6, 16, g, torch.float64)
    mask = torch.rand(B, 5, 6, generator=g) < 0.5
    mask[..., 0] = True                                   # no empty rows here; see the next tests

    out = ours(Q, K, V, mask)
    expected = run_torch(ref, Q, K, V, mask)
    mask_per_head, _ = ref(Q, K, V, need_weights=False, attn_mask=(~mask).repeat(B, 1, 1))  # the old bug

    torch.testing.assert_close(out, expected, **TOL[torch.float64])
    assert (out - mask_per_head).abs().max() > 0.1


@pytest.mark.parametrize("causal", [False, True])
def test_key_padding_mask_matches_torch_key_padding_mask(causal):
    """(B, 1, S), False at padded keys; sequence 2 is all padding, so all its rows are empty."""
    ours, ref, g = twin_modules(16, 4, 0, torch.float64)
    x, _, _ = inputs(3, 6, 6, 16, g, torch.float64)
    lengths = torch.tensor([6, 3, 0])
    keep = torch.arange(6) < lengths[:, None]             # (B, S)
    mask = keep[:, None, :]                               # (B, 1, S)
    if causal:
        mask = mask & torch.ones(6, 6, dtype=torch.bool).tril()   # (B, T, S)

    out = ours(x, x, x, mask)
    expected, _ = ref(x, x, x, need_weights=False, key_padding_mask=~keep,
                      attn_mask=~torch.ones(6, 6, dtype=torch.bool).tril() if causal else None)

    torch.testing.assert_close(out, expected, **TOL[torch.float64])
    torch.testing.assert_close(out[2], ours.W_O.bias.detach().expand(6, 16))  # nothing to attend to


def test_fully_masked_query_row_gives_the_output_bias_like_torch():
    """Attention output 0 for a query with no key, so its row is W^O's bias: so says
    nn.MultiheadAttention in training with need_weights=False. PyTorch 2.13's other two paths
    return NaN there (need_weights=True; the fused path in eval mode under no_grad)."""
    ours, ref, g = twin_modules(16, 4, 0)
    x, _, _ = inputs(2, 5, 5, 16, g)
    mask = torch.ones(5, 5, dtype=torch.bool)
    mask[3] = False                                       # query 3 may attend to nothing

    out = ours(x, x, x, mask)
    expected = run_torch(ref.train(), x, x, x, mask)
    with_weights, _ = ref(x, x, x, attn_mask=~mask, need_weights=True)
    with torch.no_grad():
        fused = run_torch(ref.eval(), x, x, x, mask)

    torch.testing.assert_close(out, expected, **TOL[torch.float32])
    torch.testing.assert_close(out[:, 3], ours.W_O.bias.detach().expand(2, 16))
    assert with_weights[:, 3].isnan().all() and fused[:, 3].isnan().all()
    torch.testing.assert_close(fused[:, [0, 1, 2, 4]], out[:, [0, 1, 2, 4]].detach(), **TOL[torch.float32])


@pytest.mark.parametrize("mask_kind", ["none", "causal", "per-sequence", "key-padding"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
def test_multi_head_attention_gradients_match_torch_autograd(dtype, mask_kind):
    """Cross-attention (Q, K, V different), so dQ, dK and dV are three separate checks."""
    ours, ref, g = twin_modules(16, 4, 0, dtype)
    Q, K, V = inputs(3, 5, 7, 16, g, dtype)
    mask = {
        "none": None,
        "causal": torch.ones(5, 7, dtype=torch.bool).tril(),
        "per-sequence": torch.rand(3, 5, 7, generator=g) < 0.6,
        "key-padding": (torch.arange(7) < torch.tensor([7, 4, 1])[:, None])[:, None, :],
    }[mask_kind]

    got = grads(ours, lambda *x: ours(*x, mask), Q, K, V, seed=1)
    expected = grads(ref, lambda *x: run_torch(ref, *x, mask), Q, K, V, seed=1)

    assert_same_gradients(ours, ref, got, expected, TOL[dtype])


def without_biases(mha, Q, K, V):
    """The bug we guard against: the same module with every bias dropped."""
    B, T, S, h, d_k = Q.size(0), Q.size(1), K.size(1), mha.h, mha.d_k
    q = (Q @ mha.W_Q.weight.T).view(B, T, h, d_k).transpose(1, 2)
    k = (K @ mha.W_K.weight.T).view(B, S, h, d_k).transpose(1, 2)
    v = (V @ mha.W_V.weight.T).view(B, S, h, d_k).transpose(1, 2)
    return attention(q, k, v).transpose(1, 2).reshape(B, T, h * d_k) @ mha.W_O.weight.T


def test_comparison_catches_a_module_that_drops_its_biases():
    torch.manual_seed(0)
    ours = MultiHeadAttention(16, 4)
    ref = nn.MultiheadAttention(16, 4, batch_first=True)
    x = torch.randn(2, 6, 16)
    with torch.no_grad():
        ours.W_Q.weight.copy_(ref.in_proj_weight[:16])
        ours.W_K.weight.copy_(ref.in_proj_weight[16:32])
        ours.W_V.weight.copy_(ref.in_proj_weight[32:])
        ours.W_O.weight.copy_(ref.out_proj.weight)
        for lin in (ours.W_Q, ours.W_K, ours.W_V, ours.W_O):
            lin.bias.zero_()                       # PyTorch's own init: every bias is 0
        buggy_at_init = without_biases(ours, x, x, x)
        expected_at_init, _ = ref(x, x, x, need_weights=False)
        perturb_biases_(ours, torch.Generator().manual_seed(1))
        ref.in_proj_bias.copy_(torch.cat([ours.W_Q.bias, ours.W_K.bias, ours.W_V.bias]))
        ref.out_proj.bias.copy_(ours.W_O.bias)
        buggy = without_biases(ours, x, x, x)
        expected, _ = ref(x, x, x, need_weights=False)

    torch.testing.assert_close(buggy_at_init, expected_at_init, rtol=1e-4, atol=1e-5)  # at init the bug hides
    assert (buggy - expected).abs().max() > 0.1                                       # perturbed: it shows
    torch.testing.assert_close(ours(x, x, x).detach(), expected, rtol=1e-4, atol=1e-5)


@st.composite
def mha_case(draw):
    """Any small B, h, d_k, T, S; any accepted mask shape, empty rows allowed; either dtype."""
    B, h, d_k, T, S = (draw(st.integers(1, n)) for n in (4, 4, 4, 5, 5))
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    shape = draw(st.sampled_from([None, (T, S), (B, T, S), (B, 1, S), (B, h, T, S)]))
    seed = draw(st.integers(0, 2**16))
    ours, ref, g = twin_modules(h * d_k, h, seed, dtype)
    mask = None if shape is None else torch.rand(shape, generator=g) < draw(st.sampled_from([0.3, 0.7, 1.0]))
    return ours, ref, inputs(B, T, S, h * d_k, g, dtype), mask, seed


@PROPERTIES
@given(mha_case())
def test_multi_head_attention_and_its_gradients_match_torch_on_any_shape_and_mask(case):
    ours, ref, (Q, K, V), mask, seed = case

    got = grads(ours, lambda *x: ours(*x, mask), Q, K, V, seed)
    expected = grads(ref, lambda *x: run_torch(ref, *x, mask), Q, K, V, seed)

    assert_same_gradients(ours, ref, got, expected, TOL[Q.dtype])
