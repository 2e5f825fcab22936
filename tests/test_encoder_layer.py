"""snippets/encoder_layer.py is one encoder layer of Vaswani et al. 2017 (post-LN) or its pre-LN variant.

Reference: torch.nn.TransformerEncoderLayer(activation="relu", batch_first=True, dropout=0.0) with
norm_first=False (the paper) and norm_first=True (pre-LN), our weights copied in. Every bias and
every LayerNorm weight and bias is perturbed first: at PyTorch's init (attention biases 0, LayerNorm
1 and 0; tests/test_pytorch_init.py) a layer that dropped them would still match.
"""
import pytest
import torch
import torch.nn as nn

from snippets.encoder_layer import EncoderLayer, FeedForward

TOL = {torch.float32: dict(rtol=1e-4, atol=1e-5), torch.float64: dict(rtol=1e-10, atol=1e-12)}


def twin_layers(d_model, h, d_ff, norm_first, seed, dtype=torch.float32):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    ours = EncoderLayer(d_model, h, d_ff, P_drop=0.0, norm_first=norm_first).to(dtype)
    with torch.no_grad():
        for name, p in ours.named_parameters():
            if name.endswith("bias") or name.startswith("norm"):
                p.add_(0.5 * torch.randn(p.shape, generator=g, dtype=dtype))
    ref = nn.TransformerEncoderLayer(d_model, h, d_ff, dropout=0.0, activation="relu",
                                     batch_first=True, norm_first=norm_first, dtype=dtype)
    a = ours.self_attn
    with torch.no_grad():
        ref.self_attn.in_proj_weight.copy_(torch.cat([a.W_Q.weight, a.W_K.weight, a.W_V.weight]))
        ref.self_attn.in_proj_bias.copy_(torch.cat([a.W_Q.bias, a.W_K.bias, a.W_V.bias]))
        ref.self_attn.out_proj.load_state_dict(a.W_O.state_dict())
        ref.linear1.load_state_dict(ours.ffn.W_1.state_dict())
        ref.linear2.load_state_dict(ours.ffn.W_2.state_dict())
        ref.norm1.load_state_dict(ours.norm1.state_dict())
        ref.norm2.load_state_dict(ours.norm2.state_dict())
    return ours, ref, g


def compare_with_torch(norm_first, causal, d_model, h, d_ff, B, T, seed, dtype):
    ours, ref, g = twin_layers(d_model, h, d_ff, norm_first, seed, dtype)
    ours.train(), ref.train()                      # dropout is 0, so train mode is deterministic
    x = torch.randn(B, T, d_model, generator=g, dtype=dtype)
    mask = torch.ones(T, T, dtype=torch.bool).tril() if causal else None

    out = ours(x, mask)
    expected = ref(x, src_mask=None if mask is None else ~mask)   # True = blocked, for PyTorch

    torch.testing.assert_close(out, expected, **TOL[dtype])


CASES = pytest.mark.parametrize("d_model, h, d_ff, B, T", [(8, 2, 32, 2, 5), (32, 4, 64, 3, 11)])
DTYPES = pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
SEEDS = pytest.mark.parametrize("seed", [0, 1, 2])
CAUSAL = pytest.mark.parametrize("causal", [False, True], ids=["no-mask", "causal"])


@DTYPES
@SEEDS
@CASES
@CAUSAL
def test_post_ln_encoder_layer_matches_torch_encoder_layer(causal, d_model, h, d_ff, B, T, seed, dtype):
    """The paper's layer: LayerNorm(x + Dropout(Sublayer(x))) for both sub-layers."""
    compare_with_torch(False, causal, d_model, h, d_ff, B, T, seed, dtype)


@DTYPES
@SEEDS
@CASES
@CAUSAL
def test_pre_ln_encoder_layer_matches_torch_encoder_layer(causal, d_model, h, d_ff, B, T, seed, dtype):
    """The pre-LN variant: x + Dropout(Sublayer(LayerNorm(x))), PyTorch's norm_first=True."""
    compare_with_torch(True, causal, d_model, h, d_ff, B, T, seed, dtype)


@pytest.mark.parametrize("norm_first", [False, True], ids=["post-ln", "pre-ln"])
@pytest.mark.parametrize("seed", [0, 1])
def test_encoder_layer_matches_torch_fused_fast_path(norm_first, seed, monkeypatch):
    """Eval mode under no_grad: PyTorch takes torch._transformer_encoder_layer_fwd; we check it did."""
    calls = []
    fused = torch._transformer_encoder_layer_fwd
    monkeypatch.setattr(torch, "_transformer_encoder_layer_fwd", lambda *a, **kw: calls.append(1) or fused(*a, **kw))
    ours, ref, g = twin_layers(32, 4, 64, norm_first, seed)
    ours.eval(), ref.eval()
    x = torch.randn(3, 9, 32, generator=g)

    with torch.no_grad():
        out = ours(x)
        expected = ref(x)

    assert calls, "nn.TransformerEncoderLayer did not take its fused fast path"
    torch.testing.assert_close(out, expected, rtol=1e-4, atol=1e-5)


def test_post_ln_and_pre_ln_are_different_functions():
    """norm_first changes the function, not just the code: same weights, different outputs."""
    post, _, g = twin_layers(16, 4, 32, norm_first=False, seed=0)
    pre = EncoderLayer(16, 4, 32, P_drop=0.0, norm_first=True)
    pre.load_state_dict(post.state_dict())
    x = torch.randn(2, 5, 16, generator=g)

    assert (post(x) - pre(x)).abs().max() > 0.1


def test_feed_forward_is_max_0_xw1_b1_w2_b2_at_every_position():
    torch.manual_seed(0)
    ffn = FeedForward(8, 32).double()
    x = torch.randn(2, 5, 8, dtype=torch.float64)
    W_1, b_1 = ffn.W_1.weight.T, ffn.W_1.bias      # W_1: (d_model, d_ff), as written in the paper
    W_2, b_2 = ffn.W_2.weight.T, ffn.W_2.bias

    out = ffn(x)

    for t in range(5):
        torch.testing.assert_close(out[:, t], torch.clamp(x[:, t] @ W_1 + b_1, min=0) @ W_2 + b_2, **TOL[torch.float64])


@pytest.mark.parametrize("norm_first", [False, True], ids=["post-ln", "pre-ln"])
def test_residual_dropout_acts_on_whole_sub_layer_output_before_the_add(norm_first):
    """Section 5.4. With P_drop = 1 in training mode every sub-layer output is dropped, so only
    the residual path is left: LayerNorm(LayerNorm(x)) for post-LN, x itself for pre-LN."""
    torch.manual_seed(0)
    layer = EncoderLayer(16, 4, 32, P_drop=1.0, norm_first=norm_first).train()
    x = torch.randn(2, 5, 16)

    out = layer(x)

    torch.testing.assert_close(out, x if norm_first else layer.norm2(layer.norm1(x)))
    assert (layer.eval()(x) - out).abs().max() > 0.1   # in eval mode dropout is off again
