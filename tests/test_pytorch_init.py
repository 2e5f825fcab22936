"""Which parameters PyTorch starts at 0 or 1: the claim on docs/transformer.md#residual-and-layer-norm.

torch 2.13.0's source: nn.MultiheadAttention._reset_parameters sets in_proj_bias and out_proj.bias
to 0 and draws in_proj_weight with xavier_uniform_; nn.LayerNorm.reset_parameters sets weight to 1
and bias to 0; nn.Linear.reset_parameters draws weight and bias from U(-1/sqrt(in_features),
1/sqrt(in_features)). nn.TransformerEncoderLayer builds its feed-forward network from two plain
nn.Linear (linear1, linear2) and changes nothing, so their biases are not 0. A page saying "PyTorch
initialises the biases to 0" would be true of the attention and false of the feed-forward network:
test_only_attention_and_layer_norm_parameters_start_constant fails if every bias started at 0.
"""
import math

import pytest
import torch
import torch.nn as nn

SEEDS = [0, 1, 2]


def constant_parameters(module):
    """{name: value} for every parameter whose entries all equal one value at initialisation."""
    return {name: p.flatten()[0].item() for name, p in module.named_parameters() if bool((p == p.flatten()[0]).all())}


@pytest.mark.parametrize("seed", SEEDS)
def test_multihead_attention_projection_biases_start_at_zero(seed):
    torch.manual_seed(seed)
    mha = nn.MultiheadAttention(embed_dim=32, num_heads=4)

    assert constant_parameters(mha) == {"in_proj_bias": 0.0, "out_proj.bias": 0.0}


@pytest.mark.parametrize("seed", SEEDS)
def test_only_attention_and_layer_norm_parameters_start_constant(seed):
    torch.manual_seed(seed)
    layer = nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64)

    assert constant_parameters(layer) == {
        "self_attn.in_proj_bias": 0.0, "self_attn.out_proj.bias": 0.0,
        "norm1.weight": 1.0, "norm1.bias": 0.0, "norm2.weight": 1.0, "norm2.bias": 0.0,
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_feed_forward_biases_keep_nn_linear_default_uniform_init(seed):
    torch.manual_seed(seed)
    layer = nn.TransformerEncoderLayer(d_model=32, nhead=4, dim_feedforward=64)

    for linear in (layer.linear1, layer.linear2):
        bound = 1 / math.sqrt(linear.in_features)
        assert linear.bias.abs().max().item() <= bound
        assert linear.bias.abs().max().item() > bound / 2, "the bias should fill its uniform range, not sit at 0"
