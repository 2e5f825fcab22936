"""Three baselines for a character-level language model: uniform, unigram and bigram.

Each gives the validation loss in nats per character (mean -log p of each validation character
after the first), so it can stand beside a model's: the uniform model knows only the vocabulary
size, the unigram model each character's frequency in the training text, the bigram model each
character's frequency after the previous one (Karpathy builds this one first in makemore). Counts
start at 1 (add-one smoothing), so a character or pair never seen in training has a probability
above 0 and the loss stays finite.

Shown on docs/gpt.md (section `baselines`); tests/test_gpt.py checks them against counting by hand.

>>> train, val = torch.tensor([0, 1, 0, 1, 0, 1]), torch.tensor([0, 1, 0])
>>> round(uniform_loss(2), 4), round(unigram_loss(train, val, 2), 4), round(bigram_loss(train, val, 2), 4)
(0.6931, 0.6931, 0.2554)
"""
import math

import torch


# --8<-- [start:baselines]
def uniform_loss(vocab_size):
    return math.log(vocab_size)                                       # -log(1 / V)


def unigram_loss(train, val, vocab_size):
    counts = torch.bincount(train, minlength=vocab_size).double() + 1  # (V,)
    log_p = (counts / counts.sum()).log()                              # log p(c)
    return -log_p[val[1:]].mean().item()


def bigram_loss(train, val, vocab_size):
    counts = torch.ones(vocab_size, vocab_size, dtype=torch.float64)  # (V, V), add-one
    counts.index_put_((train[:-1], train[1:]), torch.ones(len(train) - 1, dtype=torch.float64),
                      accumulate=True)                                 # counts[a, b]: b after a
    log_p = (counts / counts.sum(dim=1, keepdim=True)).log()           # log p(b | a)
    return -log_p[val[:-1], val[1:]].mean().item()
# --8<-- [end:baselines]
