"""One Transformer encoder layer, Vaswani et al. 2017, sections 3.1, 3.3 and 5.4. arXiv:1706.03762

Two sub-layers, multi-head self-attention and the position-wise feed-forward network

    FFN(x) = max(0, x W_1 + b_1) W_2 + b_2                      (eq. 2)

each wrapped in a residual connection and layer normalization. Dropout is applied to the
output of each sub-layer, before it is added to the sub-layer input and normalized (5.4):

    post-LN, the paper (norm_first=False):  x = LayerNorm(x + Dropout(Sublayer(x)))
    pre-LN (norm_first=True):               x = x + Dropout(Sublayer(LayerNorm(x)))

Pre-LN is a deviation from the paper: GPT-2 (Radford et al. 2019, section 2.3) moved layer
normalization to the input of each sub-block, and Karpathy's nanoGPT (model.py, Block) does the
same. A pre-LN stack also needs a final LayerNorm after its last layer; that belongs to the
stack, not to this layer.

Shown on docs/transformer.md (sections `feed-forward` and `encoder-layer`). It imports
MultiHeadAttention from snippets/multi_head_attention.py: the page teaches the layer as a
composition of the pieces above it. tests/test_encoder_layer.py checks it against
torch.nn.TransformerEncoderLayer (dropout 0, batch_first=True, norm_first False and True) with
copied, perturbed weights. PyTorch's layer also applies dropout to the attention weights and
inside the FFN, which the paper does not describe; this layer does the same, in the same order,
so that with one torch.manual_seed the two draw the same dropout masks and can be compared in
training mode too. At P_drop = 0 it is the paper's layer. `activation` (ReLU in the paper)
lets GPT-2's GELU block reuse it.

>>> _ = torch.manual_seed(0)
>>> layer = EncoderLayer(d_model=16, h=4, d_ff=64, P_drop=0.1)
>>> x = torch.randn(2, 5, 16)
>>> layer(x).shape
torch.Size([2, 5, 16])
"""
import torch
import torch.nn as nn

from snippets.multi_head_attention import MultiHeadAttention


# --8<-- [start:feed-forward]
class FeedForward(nn.Module):

    def __init__(self, d_model, d_ff, P_drop=0.0, activation=torch.relu):
        super().__init__()
        self.W_1 = nn.Linear(d_model, d_ff)  # x W_1 + b_1
        self.W_2 = nn.Linear(d_ff, d_model)  # (.) W_2 + b_2
        self.activation = activation         # max(0, .) in the paper
        self.dropout = nn.Dropout(P_drop)    # PyTorch's, between the two; not in the paper

    def forward(self, x):  # (B, T, d_model), each position t alike
        return self.W_2(self.dropout(self.activation(self.W_1(x))))  # (B, T, d_model)
# --8<-- [end:feed-forward]


# --8<-- [start:encoder-layer]
class EncoderLayer(nn.Module):

    def __init__(self, d_model, h, d_ff, P_drop=0.1, norm_first=False, activation=torch.relu):
        super().__init__()
        self.self_attn = MultiHeadAttention(d_model, h, dropout=P_drop)
        self.ffn = FeedForward(d_model, d_ff, P_drop, activation)
        self.norm1 = nn.LayerNorm(d_model)
        self.norm2 = nn.LayerNorm(d_model)
        self.dropout = nn.Dropout(P_drop)  # residual dropout, section 5.4
        self.norm_first = norm_first

    def forward(self, x, mask=None):  # x: (B, T, d_model)
        if self.norm_first:  # pre-LN: x + Sublayer(LayerNorm(x))
            a = self.norm1(x)
            x = x + self.dropout(self.self_attn(a, a, a, mask))
            x = x + self.dropout(self.ffn(self.norm2(x)))
        else:  # post-LN, the paper: LayerNorm(x + Sublayer(x))
            x = self.norm1(x + self.dropout(self.self_attn(x, x, x, mask)))
            x = self.norm2(x + self.dropout(self.ffn(x)))
        return x  # (B, T, d_model)
# --8<-- [end:encoder-layer]
