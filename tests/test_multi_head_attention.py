"""snippets/multi_head_attention.py is the multi-head attention of Vaswani et al. 2017, 3.2.2.

Reference: torch.nn.MultiheadAttention(batch_first=True, bias=True) with our weights copied in.
PyTorch initialises every bias to 0, and a version that forgot its biases would match at init;
so every bias is perturbed first, and one test shows that this comparison catches such a bug.
"""
import pytest
import torch
import torch.nn as nn

from snippets.attention import attention
from snippets.multi_head_attention import MultiHeadAttention

TOL = {torch.float32: dict(rtol=1e-4, atol=1e-5), torch.float64: dict(rtol=1e-10, atol=1e-12)}


def perturb_biases_(module, gen):
    with torch.no_grad():
        for name, p in module.named_parameters():
            if name.endswith("bias"):
                p.copy_(0.5 * torch.randn(p.shape, generator=gen, dtype=p.dtype))


def twin_modules(d_model, h, seed, dtype=torch.float32):
    """Our module with perturbed biases, and nn.MultiheadAttention holding the same weights."""
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    ours = MultiHeadAttention(d_model, h).to(dtype)
    perturb_biases_(ours, g)
    ref = nn.MultiheadAttention(d_model, h, bias=True, batch_first=True, dtype=dtype)
    with torch.no_grad():
        ref.in_proj_weight.copy_(torch.cat([ours.W_Q.weight, ours.W_K.weight, ours.W_V.weight]))
        ref.in_proj_bias.copy_(torch.cat([ours.W_Q.bias, ours.W_K.bias, ours.W_V.bias]))
        ref.out_proj.weight.copy_(ours.W_O.weight)
        ref.out_proj.bias.copy_(ours.W_O.bias)
    return ours, ref, g


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("d_model, h, B, T, S", [(8, 1, 2, 5, 5), (16, 4, 3, 7, 9), (64, 8, 2, 12, 12)])
@pytest.mark.parametrize("causal", [False, True])
def test_multi_head_attention_matches_torch_in_train_mode(causal, d_model, h, B, T, S, seed, dtype):
    ours, ref, g = twin_modules(d_model, h, seed, dtype)
    ref.train()
    Q = torch.randn(B, T, d_model, generator=g, dtype=dtype)
    K = torch.randn(B, S, d_model, generator=g, dtype=dtype)
    V = torch.randn(B, S, d_model, generator=g, dtype=dtype)
    mask = torch.ones(T, S, dtype=torch.bool).tril() if causal else None

    out = ours(Q, K, V, mask)
    expected, _ = ref(Q, K, V, attn_mask=None if mask is None else ~mask, need_weights=False)  # True = blocked there

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
        expected, _ = ref(x, x, x, attn_mask=None if mask is None else ~mask, need_weights=False)

    assert calls, "nn.MultiheadAttention did not take its fused fast path"
    torch.testing.assert_close(out, expected, rtol=1e-4, atol=1e-5)


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
