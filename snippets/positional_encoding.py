"""Sinusoidal positional encoding, Vaswani et al. 2017, section 3.5. arXiv:1706.03762

    PE(pos, 2i)   = sin(pos / 10000^(2i / d_model))
    PE(pos, 2i+1) = cos(pos / 10000^(2i / d_model))

The paper adds PE to the input embeddings at the bottom of the encoder and decoder stacks.
Shown on docs/transformer.md (section `positional-encoding`); tests/test_positional_encoding.py
checks every element against the formula computed with Python's math module. Computed in
float64, returned in `dtype`.

>>> PE = positional_encoding(n_pos=50, d_model=16)
>>> PE.shape
torch.Size([50, 16])
>>> PE[0, 0::2].abs().max().item(), PE[0, 1::2].min().item()  # pos 0: sin 0 = 0, cos 0 = 1
(0.0, 1.0)
"""
import torch


# --8<-- [start:positional-encoding]
def positional_encoding(n_pos, d_model, dtype=torch.float32):
    assert d_model % 2 == 0
    pos = torch.arange(n_pos, dtype=torch.float64).unsqueeze(1)  # (n_pos, 1)
    two_i = torch.arange(0, d_model, 2, dtype=torch.float64)  # 2i = 0, 2, 4, ...
    angle = pos / 10000 ** (two_i / d_model)  # (n_pos, d_model/2)
    PE = torch.empty(n_pos, d_model, dtype=torch.float64)
    PE[:, 0::2] = torch.sin(angle)  # PE(pos, 2i)
    PE[:, 1::2] = torch.cos(angle)  # PE(pos, 2i+1)
    return PE.to(dtype)             # (n_pos, d_model)
# --8<-- [end:positional-encoding]
