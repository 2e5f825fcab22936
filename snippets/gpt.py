"""A tiny character-level GPT, in the spirit of Karpathy's minGPT and nanoGPT (model.py).

Decoder-only, as in GPT (Radford et al. 2018) and GPT-2 (Radford et al. 2019, section 2.3):
token embeddings plus learned position embeddings, N pre-LN blocks with a GELU feed-forward
network, a final LayerNorm and a linear head giving next-character logits. Each block IS
snippets/encoder_layer.py's EncoderLayer(norm_first=True, activation=F.gelu), called with a
causal mask: a decoder-only block has no cross-attention, so it is an encoder layer that may not
look ahead. Its self-attention is snippets/multi_head_attention.py, which calls
snippets/attention.py; docs/gpt.md teaches this composition, so this file imports them.

The text is Python's own documentation as it ships with CPython (pydoc_data.topics, the pages
behind help("for"); PSF License Version 2). Its content differs between Python releases, so
TEXT_SHA256 and len(TEXT) say which text a model saw. First 90 % for training, last 10 % for
validation. Training is budgeted in steps; every random draw comes from one seeded
torch.Generator, and training and sampling run on one thread (faster for matrices this small on
a shared machine, and the same bits whatever torch.get_num_threads() the caller set).

Shown on docs/gpt.md; trained in docs/notebooks/gpt-training.ipynb; checked by tests/test_gpt.py.

>>> model = GPT(vocab_size=len(chars), gen=torch.Generator().manual_seed(0))   # untrained
>>> logits = model(torch.tensor([encode("def f(x):")]))                      # (B, T) = (1, 9)
>>> logits.shape == (1, 9, len(chars))                                       # (B, T, vocab)
True
>>> decode(encode("while True:")) == "while True:"
True
"""
import contextlib
import fcntl
import hashlib
import math
import os
import pathlib

import torch
import torch.nn as nn
import torch.nn.functional as F
from pydoc_data.topics import topics

from snippets.encoder_layer import EncoderLayer

BLOCK_SIZE = 32      # T: characters of context
N_LAYER = 2          # blocks
N_HEAD = 4           # heads per block
N_EMBD = 64          # C = d_model
BATCH_SIZE = 96      # B: windows per step
LR = 4e-3            # peak learning rate (AdamW), after WARMUP steps; cosine decay to LR / 10
WARMUP = 30
DEFAULT_STEPS = 800  # read off scripts/bench_gpt.py --seeds 0 1 2 3: val loss 1.42-1.44, about 40 s
EVAL_EVERY = 200     # steps between two validation losses


# --8<-- [start:data]
def load_text():
    """Python's documentation topics (the pages behind help("for")), in key order."""
    return "\n\n".join(topics[key] for key in sorted(topics))


TEXT = load_text()
TEXT_SHA256 = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
chars = sorted(set(TEXT))                   # the vocabulary: every character of the text
stoi = {c: i for i, c in enumerate(chars)}  # character -> id


def encode(s):
    unknown = sorted(set(s) - set(stoi))
    if unknown:
        raise ValueError(f"characters not in the vocabulary: {unknown!r}")
    return [stoi[c] for c in s]


def decode(ids):
    return "".join(chars[int(i)] for i in ids)


def train_val_split(text=TEXT, frac=0.9):
    data = torch.tensor(encode(text))  # (N,) character ids
    n = int(frac * len(data))
    return data[:n], data[n:]          # first 90 %, last 10 %
# --8<-- [end:data]


# --8<-- [start:model]
class GPT(nn.Module):

    def __init__(self, vocab_size, block_size=BLOCK_SIZE, n_layer=N_LAYER, n_head=N_HEAD,
                 n_embd=N_EMBD, dropout=0.0, gen=None):
        super().__init__()
        self.block_size = block_size
        self.wte = nn.Embedding(vocab_size, n_embd)  # token embedding
        self.wpe = nn.Embedding(block_size, n_embd)  # learned position embedding
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(
            EncoderLayer(n_embd, n_head, 4 * n_embd, dropout, norm_first=True, activation=F.gelu)
            for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(n_embd)             # pre-LN needs one after the last block
        self.lm_head = nn.Linear(n_embd, vocab_size)
        causal = torch.ones(block_size, block_size, dtype=torch.bool).tril()  # True: s <= t
        self.register_buffer("causal", causal, persistent=False)
        init_gpt2_(self, gen, n_layer)

    def forward(self, idx):  # idx: (B, T) character ids, T <= block_size
        B, T = idx.shape
        if T > self.block_size:
            raise ValueError(f"sequence of {T} characters is longer than block_size={self.block_size}")
        x = self.drop(self.wte(idx) + self.wpe(torch.arange(T)))  # (B, T, C)
        for block in self.blocks:
            x = block(x, self.causal[:T, :T])                    # (B, T, C), t sees s <= t only
        return self.lm_head(self.ln_f(x))                        # (B, T, vocab_size) logits


def init_gpt2_(model, gen, n_layer):
    """GPT-2's init: weights N(0, 0.02), residual projections N(0, 0.02 / sqrt(2 N)), biases 0."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("bias"):
                p.zero_()
            elif p.dim() == 1:                                 # LayerNorm gain
                p.fill_(1.0)
            elif name.endswith(("W_O.weight", "W_2.weight")):  # end of a residual branch
                p.normal_(0.0, 0.02 / math.sqrt(2 * n_layer), generator=gen)
            else:
                p.normal_(0.0, 0.02, generator=gen)
# --8<-- [end:model]


# --8<-- [start:loss]
def cross_entropy(logits, targets):
    """Mean over positions of -log p(next character), in nats: logits (B, T, V), targets (B, T)."""
    log_p = logits.log_softmax(dim=-1)                           # (B, T, V)
    return -log_p.gather(-1, targets.unsqueeze(-1)).mean()       # (B, T, 1) -> scalar
# --8<-- [end:loss]


# --8<-- [start:train]
def get_batch(data, gen, batch_size=BATCH_SIZE, block_size=BLOCK_SIZE):
    i = torch.randint(len(data) - block_size, (batch_size, 1), generator=gen)  # (B, 1) starts
    t = i + torch.arange(block_size)                                            # (B, T) positions
    return data[t], data[t + 1]                    # inputs and targets: the next character


def learning_rate(step, steps):
    if step < WARMUP:
        return LR * (step + 1) / WARMUP                            # linear warmup
    progress = (step - WARMUP) / max(1, steps - WARMUP)            # 0 -> 1
    return LR * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))  # cosine to LR / 10


def train(steps=DEFAULT_STEPS, seed=0, callback=None):
    """Train from scratch; returns the model and its curve: train loss per step, val loss every EVAL_EVERY."""
    gen = torch.Generator().manual_seed(seed)
    train_data, val_data = train_val_split()
    model = GPT(len(chars), gen=gen)
    opt = torch.optim.AdamW(model.parameters(), lr=LR, betas=(0.9, 0.99), weight_decay=0.0)
    train_loss, val_loss = [], [(0, evaluate(model, val_data))]
    with one_thread():
        for step in range(steps):
            for group in opt.param_groups:
                group["lr"] = learning_rate(step, steps)
            x, y = get_batch(train_data, gen)
            loss = cross_entropy(model(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            train_loss.append(loss.item())
            if (step + 1) % EVAL_EVERY == 0 or step + 1 == steps:
                val_loss.append((step + 1, evaluate(model, val_data)))
            if callback is not None:
                callback(step + 1, model)
    curve = {"train": torch.tensor(train_loss), "val": torch.tensor(val_loss)}  # (steps,), (k, 2)
    return model.eval(), curve
# --8<-- [end:train]


@contextlib.contextmanager
def one_thread():
    """Run on one thread, then restore the caller's setting (set_num_threads is process-wide)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


# --8<-- [start:evaluate]
@torch.no_grad()
def evaluate(model, data, windows_per_batch=256):
    """Mean -log p over `data`, cut into windows of block_size: each character predicted from up
    to block_size earlier ones in its window, never from later ones."""
    T = model.block_size
    n = (len(data) - 1) // T                                       # whole windows
    x, y = data[:n * T].view(n, T), data[1:n * T + 1].view(n, T)   # (n, T) each
    was_training = model.training
    model.eval()
    total = 0.0
    with one_thread():
        for s in range(0, n, windows_per_batch):
            logits = model(x[s:s + windows_per_batch])             # (b, T, V)
            total += cross_entropy(logits, y[s:s + windows_per_batch]).item() * len(logits)
    model.train(was_training)
    return total / n
# --8<-- [end:evaluate]


# --8<-- [start:generate]
@torch.no_grad()
def generate(model, prompt, n, seed=0, temperature=1.0, top_k=None):
    """The prompt followed by n sampled characters."""
    gen = torch.Generator().manual_seed(seed)
    idx = torch.tensor([encode(prompt)])                            # (1, t)
    if idx.size(1) == 0:
        raise ValueError("the prompt must have at least one character")
    model.eval()
    with one_thread():
        for _ in range(n):
            logits = model(idx[:, -model.block_size:])[:, -1, :]    # (1, V): the next character
            logits = logits / temperature                           # < 1 sharper, > 1 flatter
            if top_k is not None:
                kth = torch.topk(logits, top_k).values[:, -1:]      # (1, 1) k-th largest logit
                logits = logits.masked_fill(logits < kth, float("-inf"))
            p = logits.softmax(dim=-1)                              # (1, V)
            idx = torch.cat([idx, torch.multinomial(p, 1, generator=gen)], dim=1)
    return decode(idx[0])
# --8<-- [end:generate]


def train_cached(steps=DEFAULT_STEPS, seed=0):
    """train(steps, seed), reusing a saved run from $GPT_CACHE_DIR if that is set.

    The tests and the notebook so share one training run. The file name holds everything that
    changes the result: steps, seed, the torch version, the text's hash, and a hash of this file
    and of the three snippets it is built from. A lock file makes a second process wait for the
    first instead of training again.
    """
    cache_dir = os.environ.get("GPT_CACHE_DIR")
    if not cache_dir:
        return train(steps, seed)
    here = pathlib.Path(__file__).parent
    sources = b"".join((here / f).read_bytes() for f in
                       ("gpt.py", "encoder_layer.py", "multi_head_attention.py", "attention.py"))
    key = hashlib.sha256(sources + TEXT_SHA256.encode()).hexdigest()[:12]
    path = pathlib.Path(cache_dir) / f"gpt-steps{steps}-seed{seed}-torch{torch.__version__}-{key}.pt"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)            # released when the file closes
        if not path.exists():
            model, curve = train(steps, seed)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            torch.save({"model": model.state_dict(), "curve": curve}, tmp)
            tmp.replace(path)                       # atomic: a reader never sees half a file
            return model, curve
    saved = torch.load(path)
    model = GPT(len(chars), gen=torch.Generator().manual_seed(seed))
    model.load_state_dict(saved["model"])
    return model.eval(), saved["curve"]
