"""Train snippets/micrograd.py's MLP on scikit-learn's two moons: the demo that micrograd's README shows.

Shown on docs/micrograd.md (section `train`) and run in docs/notebooks/micrograd-moons.ipynb
(and its English edition, which reuses the run through train_moons_cached); tests/test_micrograd.py checks that it reaches at least 97 % accuracy on 500 held-out points.
Full-batch gradient descent with the logistic loss (micrograd's demo uses a max-margin loss and
SGD with a decaying step); pure Python floats, so the same seed gives the same model on the same machine.

>>> X, ys = moons(4, seed=0)
>>> len(X), sorted(set(ys))
(4, [-1.0, 1.0])
"""
import hashlib
import json
import os
import pathlib

try:
    import fcntl  # POSIX; without it two processes may train the same run, only slower
except ImportError:
    fcntl = None

from snippets.micrograd import MLP


# --8<-- [start:train]
def moons(n, seed):
    """n points of scikit-learn's two interleaving half circles (generated, no download), labels +-1."""
    from sklearn.datasets import make_moons
    X, labels = make_moons(n_samples=n, noise=0.1, random_state=seed)
    return X.tolist(), [1.0 if label == 1 else -1.0 for label in labels]


def logistic_loss(score, y):
    return (1 + (-y * score).exp()).log()        # -log sigmoid(y * score)


def train_moons(steps=100, lr=1.0, seed=0):
    """Full-batch gradient descent on 60 moons; returns the MLP and the loss at each step."""
    X, ys = moons(60, seed=0)
    model, losses = MLP([2, 8, 8, 1], seed=seed), []
    for _ in range(steps):
        scores = [model(x)[0] for x in X]
        loss = sum(logistic_loss(s, y) for s, y in zip(scores, ys)) / len(X)
        for p in model.parameters():
            p.grad = 0.0                         # leaves accumulate: reset before each backward
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad                # a step against the gradient
        losses.append(loss.data)
    return model, losses


def accuracy(model, X, ys):
    return sum((model(x)[0].data > 0) == (y > 0) for x, y in zip(X, ys)) / len(X)
# --8<-- [end:train]


def train_moons_cached(steps=100, lr=1.0, seed=0):
    """train_moons(steps, lr, seed), reusing a saved run from $MICROGRAD_CACHE_DIR if that is set.

    The tests and the notebook's two editions so share one training run. The run is saved as
    JSON (Python writes a float so that it reads back bit for bit); the file name holds the
    arguments and a hash of this file and of snippets/micrograd.py, so an edit is never served an
    old run. A lock file makes a second process wait for the first instead of training again.
    """
    cache_dir = os.environ.get("MICROGRAD_CACHE_DIR")
    if not cache_dir:
        return train_moons(steps, lr, seed)
    here = pathlib.Path(__file__).parent
    key = hashlib.sha256(b"".join((here / f).read_bytes() for f in ("micrograd_moons.py", "micrograd.py"))).hexdigest()[:12]
    path = pathlib.Path(cache_dir) / f"moons-steps{steps}-lr{lr}-seed{seed}-{key}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)        # released when the file closes
        if not path.exists():
            model, losses = train_moons(steps, lr, seed)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"parameters": [p.data for p in model.parameters()], "losses": losses}))
            tmp.replace(path)                       # atomic: a reader never sees half a file
            return model, losses
    saved = json.loads(path.read_text())
    model = MLP([2, 8, 8, 1], seed=seed)
    for p, data in zip(model.parameters(), saved["parameters"], strict=True):
        p.data = data
    return model, saved["losses"]
