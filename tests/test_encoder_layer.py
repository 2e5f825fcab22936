"""snippets/encoder_layer.py is one encoder layer of Vaswani et al. 2017 (post-LN) or its pre-LN variant.

Reference: torch.nn.TransformerEncoderLayer(batch_first=True) with norm_first=False (the paper) and
norm_first=True (pre-LN), ReLU and GELU, our weights copied in. Every bias and every LayerNorm
weight and bias is perturbed first: at PyTorch's init (attention biases 0, LayerNorm 1 and 0;
tests/test_pytorch_init.py) a layer that dropped them would still match. Compared: outputs at dropout 0, dropout at 0 < p < 1 under one
torch.manual_seed, masks of every shape, fully masked rows, and the gradient of every parameter
and of the input through torch.autograd.

Dropout with 0 < p < 1 is compared at batch size B = 1 only. PyTorch draws a dropout mask in the
memory order of the tensor it drops, and nn.MultiheadAttention(batch_first=True) returns a
transposed view, (T, B, d_model) in memory; our layer's tensor is (B, T, d_model) in memory. At
B = 1 the two orders are the same, so the same seed gives the same masks; at B > 1 the masks are
the same numbers assigned to other positions. The batch dimension itself is covered at p = 0.
"""
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets.encoder_layer import EncoderLayer, FeedForward

TOL = {torch.float32: dict(rtol=1e-4, atol=1e-5), torch.float64: dict(rtol=1e-10, atol=1e-12)}
ACTIVATIONS = {"relu": torch.relu, "gelu": F.gelu}
PROPERTIES = settings(max_examples=25, deadline=None, derandomize=True, database=None)


def twin_layers(d_model, h, d_ff, norm_first, seed, dtype=torch.float32, P_drop=0.0, activation="relu"):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    ours = EncoderLayer(d_model, h, d_ff, P_drop=P_drop, norm_first=norm_first,
                        activation=ACTIVATIONS[activation]).to(dtype)
    with torch.no_grad():
        for name, p in ours.named_parameters():
            if name.endswith("bias") or name.startswith("norm"):
                p.add_(0.5 * torch.randn(p.shape, generator=g, dtype=dtype))
    ref = nn.TransformerEncoderLayer(d_model, h, d_ff, dropout=P_drop, activation=activation,
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


def torch_mask_arguments(mask, h):
    """Our mask (True = may attend) as nn.TransformerEncoderLayer's arguments (True = masked out)."""
    if mask is None:
        return {}
    if mask.dim() == 2:                                   # (T, T)
        return {"src_mask": ~mask}
    if mask.size(1) == 1:                                 # (B, 1, T): key padding
        return {"src_key_padding_mask": ~mask[:, 0]}
    return {"src_mask": (~mask).repeat_interleave(h, dim=0)}   # (B, T, T) -> (B*h, T, T)


def run_torch(ref, x, mask=None):
    return ref(x, **torch_mask_arguments(mask, ref.self_attn.num_heads))


def grads(layer, forward, x, seed):
    """forward's output and the gradient of sum(out * w), w fixed, for the input and every parameter."""
    x = x.detach().clone().requires_grad_()
    layer.zero_grad()
    out = forward(x)
    w = torch.randn(out.shape, generator=torch.Generator().manual_seed(seed), dtype=out.dtype)
    (out * w).sum().backward()
    return out.detach(), x.grad


def assert_same_gradients(ours, ref, got, expected, tol):
    for name, a, b in zip(["output", "dx"], got, expected):
        torch.testing.assert_close(a, b, **tol, msg=lambda m, name=name: f"{name}: {m}")
    q, k, v = ref.self_attn.in_proj_weight.grad.chunk(3)
    bq, bk, bv = ref.self_attn.in_proj_bias.grad.chunk(3)
    pairs = {
        "self_attn.W_Q.weight": q, "self_attn.W_K.weight": k, "self_attn.W_V.weight": v,
        "self_attn.W_Q.bias": bq, "self_attn.W_K.bias": bk, "self_attn.W_V.bias": bv,
        "self_attn.W_O.weight": ref.self_attn.out_proj.weight.grad, "self_attn.W_O.bias": ref.self_attn.out_proj.bias.grad,
        "ffn.W_1.weight": ref.linear1.weight.grad, "ffn.W_1.bias": ref.linear1.bias.grad,
        "ffn.W_2.weight": ref.linear2.weight.grad, "ffn.W_2.bias": ref.linear2.bias.grad,
        "norm1.weight": ref.norm1.weight.grad, "norm1.bias": ref.norm1.bias.grad,
        "norm2.weight": ref.norm2.weight.grad, "norm2.bias": ref.norm2.bias.grad,
    }
    ours_grads = {name: p.grad for name, p in ours.named_parameters()}
    assert ours_grads.keys() == pairs.keys()
    for name, expected_grad in pairs.items():
        torch.testing.assert_close(ours_grads[name], expected_grad, **tol, msg=lambda m, name=name: f"{name}: {m}")


def compare_with_torch(norm_first, causal, d_model, h, d_ff, B, T, seed, dtype, activation):
    ours, ref, g = twin_layers(d_model, h, d_ff, norm_first, seed, dtype, activation=activation)
    ours.train(), ref.train()                      # dropout is 0, so train mode is deterministic
    x = torch.randn(B, T, d_model, generator=g, dtype=dtype)
    mask = torch.ones(T, T, dtype=torch.bool).tril() if causal else None

    out = ours(x, mask)
    expected = run_torch(ref, x, mask)

    torch.testing.assert_close(out, expected, **TOL[dtype])


CASES = pytest.mark.parametrize("d_model, h, d_ff, B, T", [(8, 2, 32, 2, 5), (32, 4, 64, 3, 11)])
DTYPES = pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
SEEDS = pytest.mark.parametrize("seed", [0, 1, 2])
CAUSAL = pytest.mark.parametrize("causal", [False, True], ids=["no-mask", "causal"])
ACTIVATION = pytest.mark.parametrize("activation", ["relu", "gelu"])
NORM_FIRST = pytest.mark.parametrize("norm_first", [False, True], ids=["post-ln", "pre-ln"])


@ACTIVATION
@DTYPES
@SEEDS
@CASES
@CAUSAL
def test_post_ln_encoder_layer_matches_torch_encoder_layer(causal, d_model, h, d_ff, B, T, seed, dtype, activation):
    """The paper's layer: LayerNorm(x + Dropout(Sublayer(x))) for both sub-layers."""
    compare_with_torch(False, causal, d_model, h, d_ff, B, T, seed, dtype, activation)


@ACTIVATION
@DTYPES
@SEEDS
@CASES
@CAUSAL
def test_pre_ln_encoder_layer_matches_torch_encoder_layer(causal, d_model, h, d_ff, B, T, seed, dtype, activation):
    """The pre-LN variant: x + Dropout(Sublayer(LayerNorm(x))), PyTorch's norm_first=True."""
    compare_with_torch(True, causal, d_model, h, d_ff, B, T, seed, dtype, activation)


@pytest.mark.parametrize("p", [0.1, 0.5])
@CAUSAL
@ACTIVATION
@NORM_FIRST
@DTYPES
def test_encoder_layer_dropout_matches_torch_under_the_same_seed(dtype, norm_first, activation, causal, p):
    """Training mode, 0 < p < 1, B = 1 (see the module docstring): four dropouts, on the attention
    weights, inside the FFN and on each sub-layer's output, in PyTorch's order. Dropout applied
    twice, in another place or without the 1/(1-p) rescaling changes the output or a gradient."""
    ours, ref, g = twin_layers(16, 4, 32, norm_first, 0, dtype, P_drop=p, activation=activation)
    x = torch.randn(1, 7, 16, generator=g, dtype=dtype)
    mask = torch.ones(7, 7, dtype=torch.bool).tril() if causal else None

    torch.manual_seed(7)
    got = grads(ours, lambda x: ours(x, mask), x, seed=1)
    torch.manual_seed(7)
    expected = grads(ref, lambda x: run_torch(ref, x, mask), x, seed=1)

    assert_same_gradients(ours, ref, got, expected, TOL[dtype])
    evaluated = ours.eval()(x, mask)                              # no dropout in eval mode
    torch.testing.assert_close(evaluated, run_torch(ref.eval(), x, mask), **TOL[dtype])
    assert (got[0] - evaluated).abs().max() > 0.05                # in training it did act


def test_torch_draws_dropout_masks_in_memory_order():
    """Why the dropout comparison needs B = 1: the same seed gives a transposed view the
    transposed mask of the contiguous tensor, not the mask of a contiguous tensor of its shape."""
    x = torch.ones(3, 4)
    torch.manual_seed(0)
    on_view = F.dropout(x.t(), 0.5)                        # (4, 3), memory order (3, 4)
    torch.manual_seed(0)
    on_contiguous = F.dropout(x, 0.5)                      # (3, 4)
    torch.manual_seed(0)
    on_new_tensor = F.dropout(torch.ones(4, 3), 0.5)       # (4, 3), memory order (4, 3)

    assert torch.equal(on_view, on_contiguous.t())
    assert not torch.equal(on_view, on_new_tensor)


@NORM_FIRST
@ACTIVATION
@pytest.mark.parametrize("mask_kind", ["none", "causal", "per-sequence", "key-padding"])
@DTYPES
def test_encoder_layer_gradients_match_torch_autograd(dtype, mask_kind, activation, norm_first):
    ours, ref, g = twin_layers(16, 4, 32, norm_first, 0, dtype, activation=activation)
    x = torch.randn(4, 6, 16, generator=g, dtype=dtype)   # B == h: a per-head mix-up would show
    mask = {
        "none": None,
        "causal": torch.ones(6, 6, dtype=torch.bool).tril(),
        "per-sequence": torch.rand(4, 6, 6, generator=g) < 0.6,
        "key-padding": (torch.arange(6) < torch.tensor([6, 4, 2, 1])[:, None])[:, None, :],
    }[mask_kind]

    got = grads(ours, lambda x: ours(x, mask), x, seed=1)
    expected = grads(ref, lambda x: run_torch(ref, x, mask), x, seed=1)

    assert_same_gradients(ours, ref, got, expected, TOL[dtype])


@NORM_FIRST
def test_fully_masked_row_matches_torch_in_training_and_stays_finite(norm_first):
    """A query with no key: our attention gives 0 there, so the sub-layer adds W^O's bias, as
    nn.TransformerEncoderLayer does in training mode. PyTorch 2.13's fused path (eval mode under
    no_grad) returns NaN for that row; ours does the same arithmetic in both modes."""
    ours, ref, g = twin_layers(16, 4, 32, norm_first, 0)
    x = torch.randn(2, 5, 16, generator=g)
    mask = torch.ones(5, 5, dtype=torch.bool)
    mask[2] = False

    out = ours(x, mask)
    expected = run_torch(ref.train(), x, mask)
    with torch.no_grad():
        fused = run_torch(ref.eval(), x, mask)
        ours_eval = ours.eval()(x, mask)

    torch.testing.assert_close(out, expected, **TOL[torch.float32])
    assert out.isfinite().all() and fused[:, 2].isnan().all()
    torch.testing.assert_close(ours_eval, out.detach(), **TOL[torch.float32])
    torch.testing.assert_close(fused[:, [0, 1, 3, 4]], out[:, [0, 1, 3, 4]].detach(), **TOL[torch.float32])


@NORM_FIRST
@pytest.mark.parametrize("seed", [0, 1])
def test_encoder_layer_matches_torch_fused_fast_path(seed, norm_first, monkeypatch):
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


def test_default_layer_is_the_papers_post_ln_layer_with_p_drop_0_1():
    """Without arguments the layer is the paper's: post-LN, with residual dropout P_drop = 0.1 (section
    5.4, base model), the same rate on the attention weights and inside the FFN as PyTorch's layer,
    whose defaults are the same (dropout=0.1, norm_first=False)."""
    ours, ref = EncoderLayer(16, 4, 32), nn.TransformerEncoderLayer(16, 4, 32)

    assert ours.norm_first is False and ref.norm_first is False
    assert ours.dropout.p == ours.ffn.dropout.p == ours.self_attn.dropout == ref.dropout.p == 0.1


def test_feed_forward_is_max_0_xw1_b1_w2_b2_at_every_position():
    torch.manual_seed(0)
    ffn = FeedForward(8, 32).double()
    x = torch.randn(2, 5, 8, dtype=torch.float64)
    W_1, b_1 = ffn.W_1.weight.T, ffn.W_1.bias      # W_1: (d_model, d_ff), as written in the paper
    W_2, b_2 = ffn.W_2.weight.T, ffn.W_2.bias

    out = ffn(x)

    for t in range(5):
        torch.testing.assert_close(out[:, t], torch.clamp(x[:, t] @ W_1 + b_1, min=0) @ W_2 + b_2, **TOL[torch.float64])


@NORM_FIRST
def test_residual_dropout_acts_on_whole_sub_layer_output_before_the_add(norm_first):
    """Section 5.4. With P_drop = 1 in training mode every sub-layer output is dropped, so only
    the residual path is left: LayerNorm(LayerNorm(x)) for post-LN, x itself for pre-LN."""
    torch.manual_seed(0)
    layer = EncoderLayer(16, 4, 32, P_drop=1.0, norm_first=norm_first).train()
    x = torch.randn(2, 5, 16)

    out = layer(x)

    torch.testing.assert_close(out, x if norm_first else layer.norm2(layer.norm1(x)))
    assert (layer.eval()(x) - out).abs().max() > 0.1   # in eval mode dropout is off again


@st.composite
def layer_case(draw):
    """Any small B, T, h, d_k, d_ff; post- or pre-LN; ReLU or GELU; any mask shape; either dtype."""
    B, T, h, d_k, d_ff = (draw(st.integers(1, n)) for n in (4, 6, 4, 4, 16))
    norm_first = draw(st.booleans())
    activation = draw(st.sampled_from(sorted(ACTIVATIONS)))
    dtype = draw(st.sampled_from([torch.float32, torch.float64]))
    shape = draw(st.sampled_from([None, (T, T), (B, T, T), (B, 1, T)]))
    seed = draw(st.integers(0, 2**16))
    ours, ref, g = twin_layers(h * d_k, h, d_ff, norm_first, seed, dtype, activation=activation)
    mask = None if shape is None else torch.rand(shape, generator=g) < draw(st.sampled_from([0.3, 0.7, 1.0]))
    return ours, ref, torch.randn(B, T, h * d_k, generator=g, dtype=dtype), mask, seed


@PROPERTIES
@given(layer_case())
def test_encoder_layer_and_its_gradients_match_torch_on_any_shape_and_mask(case):
    ours, ref, x, mask, seed = case

    got = grads(ours, lambda x: ours(x, mask), x, seed)
    expected = grads(ref, lambda x: run_torch(ref, x, mask), x, seed)

    assert_same_gradients(ours, ref, got, expected, TOL[x.dtype])
