"""Multi-head attention, Vaswani et al. 2017, section 3.2.2. arXiv:1706.03762

    MultiHead(Q, K, V) = Concat(head_1, ..., head_h) W^O
    head_i = Attention(Q W_i^Q, K W_i^K, V W_i^V)

Shown on docs/transformer.md (section `multi-head-attention`). This file imports attention()
from snippets/attention.py on purpose: the page teaches that multi-head attention is h copies
of scaled dot-product attention on learned projections, concatenated and projected again.

The h matrices W_i^Q (d_model x d_k) sit side by side in one nn.Linear W_Q (d_model x h*d_k),
likewise W_K, W_V; d_k = d_v = d_model / h as in the paper. Every projection has a bias, like
torch.nn.MultiheadAttention (bias=True), so the two can be compared weight for weight:
tests/test_multi_head_attention.py does that, with perturbed biases, in training mode and in
eval mode under torch.no_grad (PyTorch's fused fast path). `dropout` acts on the attention
weights in training mode, like nn.MultiheadAttention's `dropout`.

`mask` follows snippets/attention.py (True = may attend), the opposite of nn.MultiheadAttention's
`attn_mask` and `key_padding_mask` (True = masked out). Accepted shapes:

    shape          which queries may attend to which keys    nn.MultiheadAttention equivalent
    (T, S)         the same for every sequence and head      attn_mask=~mask
    (B, T, S)      one per sequence, the same for every head attn_mask=(~mask).repeat_interleave(h, 0)
    (B, 1, S)      key padding: False at padded keys         key_padding_mask=~mask[:, 0]
    (B, h, T, S)   one per sequence and head                 attn_mask=(~mask).flatten(0, 1)

A 3-D mask gets a head axis, (B, 1, T, S), before it meets the scores (B, h, T, S): broadcast as
it is, its batch axis would line up with the head axis, which is silently wrong when B == h.
A query with no key to attend to gets attention output 0, so its row of the result is W^O's bias.

>>> _ = torch.manual_seed(0)
>>> mha = MultiHeadAttention(d_model=16, h=4)
>>> x = torch.randn(2, 5, 16)
>>> mha(x, x, x).shape
torch.Size([2, 5, 16])
"""
import torch
import torch.nn as nn

from snippets.attention import attention


# --8<-- [start:multi-head-attention]
class MultiHeadAttention(nn.Module):

    def __init__(self, d_model, h, dropout=0.0):
        super().__init__()
        assert d_model % h == 0
        self.h, self.d_k = h, d_model // h      # d_k = d_v = d_model / h
        self.dropout = dropout                  # on attention weights, as nn.MultiheadAttention
        self.W_Q = nn.Linear(d_model, d_model)  # [W_1^Q ... W_h^Q] + bias
        self.W_K = nn.Linear(d_model, d_model)  # [W_1^K ... W_h^K] + bias
        self.W_V = nn.Linear(d_model, d_model)  # [W_1^V ... W_h^V] + bias
        self.W_O = nn.Linear(d_model, d_model)  # W^O + bias

    def forward(self, Q, K, V, mask=None):
        B, T, S, h, d_k = Q.size(0), Q.size(1), K.size(1), self.h, self.d_k
        q = self.W_Q(Q).view(B, T, h, d_k).transpose(1, 2)  # (B, h, T, d_k)
        k = self.W_K(K).view(B, S, h, d_k).transpose(1, 2)  # (B, h, S, d_k)
        v = self.W_V(V).view(B, S, h, d_k).transpose(1, 2)  # (B, h, S, d_v)
        if mask is not None and mask.dim() == 3:            # (B, T, S) or (B, 1, S)
            mask = mask.unsqueeze(1)                        # (B, 1, T, S): every head alike
        p = self.dropout if self.training else 0.0
        heads = attention(q, k, v, mask, p)                 # (B, h, T, d_v)
        concat = heads.transpose(1, 2).reshape(B, T, h * d_k)  # (B, T, h*d_v)
        return self.W_O(concat)                             # (B, T, d_model)
# --8<-- [end:multi-head-attention]
