"""A judge for generated 8x8 digits: a small digit classifier, five numbers and a gate.

A classifier's confidence alone says nothing (a generator that draws one digit
over and over can score high), so judge() reports five numbers together: the
mean top-class confidence, how many of the 10 classes the samples cover, the
entropy of the predicted-class histogram (ln 10 = 2.30 when all classes are
equally frequent), the Frechet distance between Gaussians fitted to the
classifier's hidden features of the samples and of held-out real digits (the
squared distance of FID, Heusel et al. 2017, arXiv:1706.08500, in our own
feature space), and how close the samples come to the digits the GAN learnt
from (a generator that copies its training digits would pass the other four).

The GAN (snippets/gan.py) and the classifier both learn from the same 1,197
digits, TRAIN; the other 600 are never trained on and form two halves of 300:
REF (the Frechet reference) and REAL (real digits judged like samples). REAL
is what a perfect generator would score, so gate() sets its bar relative to
REAL; an untrained generator shows the other end.

Shown on docs/gan.md (sections split, classifier, frechet, judge, gate) and used
in docs/notebooks/gan-training.ipynb. It imports snippets/gan.py (the data and
its split, and the generator for the untrained bound): the page teaches the two
together. tests/test_gan.py applies the gate to three seeds and shows that a
generator trained 300 steps, or one that copies training digits, fails it.

>>> f = np.random.default_rng(0).normal(size=(100, 3))
>>> round(frechet_distance(f, f + 2), 6)   # same covariance, means 2 apart per axis
12.0
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets.gan import Generator, init_linear_, load_digits_tensor, sample, split_indices

# --8<-- [start:split]
def split():
    """[(x, y)] for TRAIN (the GAN's digits), REF and REAL (300 each, never trained on)."""
    from sklearn.datasets import load_digits

    x, y = load_digits_tensor(), torch.tensor(load_digits().target)
    train, held_out = split_indices(len(x))          # as snippets/gan.py trains
    ref, real = held_out.chunk(2)
    return [(x[i], y[i]) for i in (train, ref, real)]
# --8<-- [end:split]


# --8<-- [start:classifier]
class Classifier(nn.Module):
    """image (B, 8, 8) -> 10 logits; features() gives the hidden layer."""

    def __init__(self, gen=None):
        super().__init__()
        self.hidden = nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.ReLU())
        self.out = nn.Linear(128, 10)
        init_linear_(self, gen)

    def features(self, x):
        return self.hidden(x)  # (B, 128)

    def forward(self, x):
        return self.out(self.hidden(x))  # (B, 10)


def train_classifier(x, y, steps=300, seed=0):
    """Full-batch Adam with a little weight decay; a second or two on one core."""
    clf = Classifier(torch.Generator().manual_seed(seed))
    opt = torch.optim.Adam(clf.parameters(), lr=1e-2, weight_decay=1e-4)
    for _ in range(steps):
        loss = F.cross_entropy(clf(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return clf.eval()
# --8<-- [end:classifier]


# --8<-- [start:frechet]
def sqrtm_psd(C):
    """Square root of a symmetric positive semi-definite matrix, by eigh."""
    w, V = np.linalg.eigh(C)
    return (V * np.sqrt(np.clip(w, 0, None))) @ V.T


def frechet_distance(f1, f2):
    """Eq. (5) of docs/gan.md for two feature sets (n, d): Gaussians fitted to each."""
    f1, f2 = np.asarray(f1, dtype=np.float64), np.asarray(f2, dtype=np.float64)
    mu1, mu2 = f1.mean(0), f2.mean(0)
    C1, C2 = np.cov(f1, rowvar=False), np.cov(f2, rowvar=False)
    s1 = sqrtm_psd(C1)
    cross = np.clip(np.linalg.eigvalsh(s1 @ C2 @ s1), 0, None)  # symmetric PSD
    trace = np.trace(C1) + np.trace(C2) - 2 * np.sqrt(cross).sum()
    return float(((mu1 - mu2) ** 2).sum() + trace)
# --8<-- [end:frechet]


# --8<-- [start:judge]
class Judge:
    """Trains the classifier once; then judge(samples) as often as needed."""

    def __init__(self, seed=0):
        (x_tr, y_tr), (x_ref, y_ref), (x_real, y_real) = split()
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            self.clf = train_classifier(x_tr, y_tr, seed=seed)
        finally:
            torch.set_num_threads(threads)
        self.real = x_real  # (300, 8, 8): the REAL bound, never trained on
        self.train = x_tr   # (1197, 8, 8): TRAIN, what the GAN learnt from
        x_test, y_test = torch.cat([x_ref, x_real]), torch.cat([y_ref, y_real])
        with torch.no_grad():
            correct = self.clf(x_test).argmax(1) == y_test
            self.accuracy = correct.float().mean().item()
            self.ref_features = self.clf.features(x_ref).numpy()  # (300, 128)

    @torch.no_grad()
    def __call__(self, samples):
        """samples: (n, 8, 8) with n = 300, as many as REF (equal Frechet sides)."""
        assert len(samples) == len(self.ref_features), "judge as many samples as REF"
        p = self.clf(samples).softmax(1)                          # (n, 10)
        counts = torch.bincount(p.argmax(1), minlength=10).double()
        freq = counts[counts > 0] / counts.sum()
        features = self.clf.features(samples).numpy()             # (n, 128)
        distances = torch.cdist(samples.flatten(1).double(), self.train.flatten(1).double())
        nearest = distances.min(1).values                         # (n,) to the closest TRAIN digit
        return {
            "confidence": p.max(1).values.mean().item(),
            "classes": int((counts > 0).sum()),
            "entropy": -(freq * freq.log()).sum().item(),
            "frechet": frechet_distance(features, self.ref_features),
            "nearest": nearest.quantile(0.1).item(),  # 10% of samples are closer to TRAIN
        }
# --8<-- [end:judge]


# --8<-- [start:gate]
def gate(row, real):
    """Margin of each check of a judge() row against REAL's row; the row passes if all are >= 0."""
    return {
        "classes": row["classes"] - 10,                                  # every digit drawn
        "confidence": row["confidence"] - (real["confidence"] - 0.1),   # nearly as recognisable
        "entropy": row["entropy"] - (real["entropy"] - 0.2),            # nearly as balanced
        "frechet": 8 * real["frechet"] - row["frechet"],                # within 8x real-vs-real
        "nearest": row["nearest"] - 0.8 * real["nearest"],              # no copies of TRAIN
    }
# --8<-- [end:gate]


def quality_table(G, seed=0, judge=None):
    """judge() rows for an untrained generator, G, and the REAL digits."""
    judge = judge or Judge()
    n = len(judge.real)
    untrained = Generator(torch.Generator().manual_seed(seed)).eval()  # as train() starts
    return {
        "untrained": judge(sample(untrained, n, seed=seed)),
        "trained": judge(sample(G, n, seed=seed)),
        "real": judge(judge.real),
    }
