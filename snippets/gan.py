"""A generative adversarial network on scikit-learn's 8x8 digits.

Follows Goodfellow et al. 2014, "Generative Adversarial Nets", arXiv:1406.2661:
the value function of eq. (1), the non-saturating generator loss of section 3
(maximise log D(G(z)) instead of minimising log(1 - D(G(z)))) and Algorithm 1
(k discriminator steps, then one generator step). Small MLPs, so that one CPU
core trains it in about 25 seconds.

It learns from 1,197 of the 1,797 digits; the other 600 are held out, so that
snippets/gan_quality.py can judge samples against real digits the GAN never saw.

Shown on docs/gan.md (sections data, models, losses, train-step, train, sample)
and trained in docs/notebooks/gan-training.ipynb; tests/test_gan.py checks the
losses against their formulas, trains a discriminator with train_step on a small
discrete problem until it is the optimum of eq. (2), checks Algorithm 1's order of
updates, determinism and, on three seeds, the quality of the samples. Every random
draw comes from an explicit torch.Generator; train(threads=...) sets PyTorch's
thread count (one is fastest for matrices this small), and on one machine 1 and 2
threads give bitwise the same run. Another CPU gives other last bits, and after
6,000 steps visibly other samples: compare runs by quality, never bit for bit.

>>> G = Generator(torch.Generator().manual_seed(0))   # untrained
>>> sample(G, 4).shape
torch.Size([4, 8, 8])
"""
import hashlib
import os
import pathlib

try:
    import fcntl  # POSIX; without it two processes may train the same seed, only slower
except ImportError:
    fcntl = None

import torch
import torch.nn as nn
import torch.nn.functional as F

Z_DIM = 32            # dimension of the noise z
DEFAULT_STEPS = 6000  # iterations of Algorithm 1; from the sweep in scripts/bench_gan.py
N_HELD_OUT = 600      # digits the GAN never sees; snippets/gan_quality.py judges with them


# --8<-- [start:data]
def load_digits_tensor():
    """sklearn's bundled 1,797 digits (no download) as (N, 8, 8) in [-1, 1]."""
    from sklearn.datasets import load_digits

    x = torch.tensor(load_digits().images, dtype=torch.float32)  # (N, 8, 8) in 0..16
    return x / 8 - 1                                              # (N, 8, 8) in [-1, 1]


def split_indices(n):
    """(train, held_out): one fixed permutation of n digits; the GAN learns from train only."""
    idx = torch.randperm(n, generator=torch.Generator().manual_seed(0))  # the same for every run
    return idx[:n - N_HELD_OUT], idx[n - N_HELD_OUT:]                   # 1,197 and 600 of 1,797
# --8<-- [end:data]


# --8<-- [start:models]
class Generator(nn.Module):
    """G(z): noise (B, Z_DIM) -> image (B, 8, 8) in [-1, 1]."""

    def __init__(self, gen=None):
        super().__init__()
        self.net = nn.Sequential(
            nn.Linear(Z_DIM, 128), nn.LeakyReLU(0.2),
            nn.Linear(128, 256), nn.LeakyReLU(0.2),
            nn.Linear(256, 64), nn.Tanh(),
            nn.Unflatten(1, (8, 8)),
        )
        init_linear_(self, gen)

    def forward(self, z):
        return self.net(z)  # (B, 8, 8)


class Discriminator(nn.Module):
    """D(x) as a logit: image (B, 8, 8) -> (B,); D(x) = sigmoid(logit)."""

    def __init__(self, gen=None):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(64, 256), nn.LeakyReLU(0.2),
            nn.Linear(256, 128), nn.LeakyReLU(0.2),
            nn.Linear(128, 1),
        )
        init_linear_(self, gen)

    def forward(self, x):
        return self.net(x).squeeze(1)  # (B,)


def init_linear_(model, gen):
    """PyTorch's default nn.Linear init, U(-1/sqrt(fan_in), +1/sqrt(fan_in)), from gen."""
    for layer in model.modules():
        if isinstance(layer, nn.Linear):
            bound = layer.in_features ** -0.5
            with torch.no_grad():
                layer.weight.uniform_(-bound, bound, generator=gen)
                layer.bias.uniform_(-bound, bound, generator=gen)
# --8<-- [end:models]


# --8<-- [start:losses]
def discriminator_loss(d_real_logits, d_fake_logits):
    """-log D(x) - log(1 - D(G(z))): D ascends eq. (1) by descending this."""
    # log D = logsigmoid(l) and log(1 - D) = logsigmoid(-l): BCE with logits
    log_d_real = F.logsigmoid(d_real_logits).mean()
    log_one_minus_d_fake = F.logsigmoid(-d_fake_logits).mean()
    return -(log_d_real + log_one_minus_d_fake)


def generator_loss(d_fake_logits):
    """-log D(G(z)): the non-saturating generator loss of section 3."""
    return -F.logsigmoid(d_fake_logits).mean()
# --8<-- [end:losses]


# --8<-- [start:train-step]
def train_step(G, D, opt_G, opt_D, data, gen, k=1, m=128):
    """One iteration of Algorithm 1: k discriminator steps, then one generator step."""
    for _ in range(k):
        z = torch.randn(m, Z_DIM, generator=gen)                 # (m, Z_DIM) ~ p_z
        x = data[torch.randint(len(data), (m,), generator=gen)]  # (m, 8, 8) ~ p_data
        loss_D = discriminator_loss(D(x), D(G(z).detach()))      # G is fixed here
        opt_D.zero_grad()
        loss_D.backward()
        opt_D.step()
    z = torch.randn(m, Z_DIM, generator=gen)
    D.requires_grad_(False)                                      # D is fixed here
    loss_G = generator_loss(D(G(z)))
    D.requires_grad_(True)
    opt_G.zero_grad()
    loss_G.backward()
    opt_G.step()
    return loss_D.item(), loss_G.item()
# --8<-- [end:train-step]


# --8<-- [start:train]
def train(steps=DEFAULT_STEPS, seed=0, k=1, m=128, lr=5e-4, threads=1, callback=None):
    """Train from scratch; returns G and the losses, a (steps, 2) tensor (loss_D, loss_G)."""
    gen = torch.Generator().manual_seed(seed)
    x = load_digits_tensor()
    data = x[split_indices(len(x))[0]]  # (1197, 8, 8): the held-out 600 stay unseen
    G, D = Generator(gen), Discriminator(gen)
    betas = (0.5, 0.999)
    opt_G = torch.optim.Adam(G.parameters(), lr=lr, betas=betas, foreach=True)
    opt_D = torch.optim.Adam(D.parameters(), lr=lr, betas=betas, foreach=True)
    caller_threads = torch.get_num_threads()
    torch.set_num_threads(threads)  # 1 is fastest for matrices this small; the result is the same
    try:
        losses = []
        for step in range(1, steps + 1):
            losses.append(train_step(G, D, opt_G, opt_D, data, gen, k=k, m=m))
            if callback is not None:
                callback(step, G)
    finally:
        torch.set_num_threads(caller_threads)
    return G.eval(), torch.tensor(losses).reshape(-1, 2)
# --8<-- [end:train]


# --8<-- [start:sample]
@torch.no_grad()
def sample(G, n, seed=0):
    """n images (n, 8, 8) in [-1, 1]; z comes from its own seeded generator."""
    z = torch.randn(n, Z_DIM, generator=torch.Generator().manual_seed(seed))
    return G(z)  # (n, 8, 8)
# --8<-- [end:sample]


def train_cached(steps=DEFAULT_STEPS, seed=0):
    """train(steps, seed), reusing a saved run from $GAN_CACHE_DIR if that is set.

    The tests and the notebook so share one training run per seed. The file name holds
    everything that changes the result: steps, seed, the torch version and a hash of this
    file (edit a hyperparameter and an old run is not reused). A lock file makes a second
    process (a pytest-xdist worker, the notebook's kernel) wait for a run in progress
    instead of training the same seed again.
    """
    cache_dir = os.environ.get("GAN_CACHE_DIR")
    if not cache_dir:
        return train(steps, seed)
    source = hashlib.sha256(pathlib.Path(__file__).read_bytes()).hexdigest()[:12]
    path = pathlib.Path(cache_dir) / f"gan-steps{steps}-seed{seed}-torch{torch.__version__}-{source}.pt"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not path.exists():
            G, losses = train(steps, seed)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            torch.save({"G": G.state_dict(), "losses": losses}, tmp)
            tmp.replace(path)  # atomic: a reader never sees half a file
    saved = torch.load(path)
    G = Generator()
    G.load_state_dict(saved["G"])
    return G.eval(), saved["losses"]
