"""A judge for generated 8x8 digits: a small digit classifier and four numbers.

A classifier's confidence alone says nothing (a generator that draws one digit
over and over can score high), so judge() reports four numbers together: the
mean top-class confidence, how many of the 10 classes the samples cover, the
entropy of the predicted-class histogram (ln 10 = 2.30 when all classes are
equally frequent), and the Frechet distance between Gaussians fitted to the
classifier's hidden features of the samples and of held-out real digits: the
squared distance of FID (Heusel et al. 2017, arXiv:1706.08500), in our own
feature space.

The classifier trains on a fixed TRAIN split of sklearn's digits; the other 600
digits form two halves of 300: REF (the Frechet reference) and REAL (real digits
judged like samples). Read a generator's numbers between two bounds: an untrained
generator and REAL.

Shown on docs/gan.md (sections split, classifier, frechet, judge) and used in
docs/notebooks/gan-training.ipynb. It imports snippets/gan.py (the data, and the
generator for the untrained bound): the page teaches the two together.

>>> f = np.random.default_rng(0).normal(size=(100, 3))
>>> round(frechet_distance(f, f + 2), 6)   # same covariance, means 2 apart per axis
12.0
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from snippets.gan import Generator, init_linear_, load_digits_tensor, sample

N_TRAIN = 1197  # the classifier's digits; the other 600 are REF and REAL, 300 each


# --8<-- [start:split]
def split(seed=0):
    """[(x, y)] for TRAIN, REF and REAL, from one fixed permutation of the digits."""
    from sklearn.datasets import load_digits

    x, y = load_digits_tensor(), torch.tensor(load_digits().target)
    idx = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    n_ref = (len(x) - N_TRAIN) // 2
    parts = idx[:N_TRAIN], idx[N_TRAIN:N_TRAIN + n_ref], idx[N_TRAIN + n_ref:]
    return [(x[i], y[i]) for i in parts]
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
        (x_tr, y_tr), (x_ref, y_ref), (x_real, y_real) = split(seed)
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            self.clf = train_classifier(x_tr, y_tr, seed=seed)
        finally:
            torch.set_num_threads(threads)
        self.real = x_real  # (300, 8, 8): the REAL bound, never trained on
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
        return {
            "confidence": p.max(1).values.mean().item(),
            "classes": int((counts > 0).sum()),
            "entropy": -(freq * freq.log()).sum().item(),
            "frechet": frechet_distance(features, self.ref_features),
        }
# --8<-- [end:judge]


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
