"""Train snippets/micrograd.py's MLP on scikit-learn's two moons: the demo that micrograd's README shows.

Shown on docs/micrograd.md (section `train`) and run in docs/notebooks/micrograd-moons.ipynb;
tests/test_micrograd.py checks that it reaches at least 97 % accuracy on 500 held-out points.
Full-batch gradient descent with the logistic loss (micrograd's demo uses a max-margin loss and
SGD with a decaying step); pure Python floats, so the same seed gives the same model anywhere.

>>> X, ys = moons(4, seed=0)
>>> len(X), sorted(set(ys))
(4, [-1.0, 1.0])
"""
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
