"""Each function of snippets/gan.py and snippets/gan_quality.py, quickly: the tests mutation testing runs.

tests/test_gan.py proves the claims of docs/gan.md, some of them by training GANs for seconds to a
minute. scripts/mutation.py runs these tests instead (and the quick ones of test_gan.py) for every
change mutmut makes to the two snippets: tiny batches, a few steps, stand-ins for training where a
test is about what is passed on, each test well under a second. Every random draw is seeded.
Floats are compared with tolerances, and the expected values come from the formulas (written out
with torch, numpy or scipy), never from numbers printed by the code under test on one machine.
"""
import hashlib
import math
import pathlib

import numpy as np
import pytest
import scipy.linalg
import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits

from snippets import gan, gan_quality
from snippets.gan import (
    DEFAULT_STEPS, N_HELD_OUT, Z_DIM, Discriminator, Generator, load_digits_tensor, sample,
    split_indices, train, train_cached, train_step,
)
from snippets.gan_quality import (
    Classifier, Judge, frechet_distance, gate, quality_table, split, sqrtm_psd, train_classifier,
)


def seeded(seed):
    return torch.Generator().manual_seed(seed)


def linear_layers(model):
    return [m for m in model.modules() if isinstance(m, torch.nn.Linear)]


def affine(layer, x):
    """x W^T + b, written out rather than calling the layer."""
    return x @ layer.weight.T + layer.bias


def same_parameters(a, b):
    return all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))


@pytest.fixture
def threads_2():
    """The caller runs on two threads, so that a function that sets one (or forgets to restore) shows."""
    caller = torch.get_num_threads()
    torch.set_num_threads(2)
    yield 2
    torch.set_num_threads(caller)


# ---------------------------------------------------------------- data

def test_digits_are_sklearns_images_scaled_from_0_16_to_minus_one_one():
    images = torch.from_numpy(load_digits().images)           # float64, 0..16

    x = load_digits_tensor()

    assert x.dtype == torch.float32
    torch.testing.assert_close(x, (images / 8 - 1).float(), rtol=0, atol=1e-7)


@pytest.mark.parametrize("n", [N_HELD_OUT + 50, 1797])
def test_split_indices_hold_out_the_last_600_of_a_permutation_seeded_0(n):
    perm = torch.randperm(n, generator=seeded(0))
    torch.manual_seed(1)                                       # not drawn from torch's global generator

    train_idx, held_out = split_indices(n)

    assert torch.equal(train_idx, perm[:n - 600]) and torch.equal(held_out, perm[n - 600:])
    assert len(held_out) == 600


def test_split_is_train_ref_real_with_their_labels():
    digits = load_digits()
    x = load_digits_tensor()
    train_idx, held_out = split_indices(len(x))

    parts = split()

    assert len(parts) == 3
    for (images, labels), idx in zip(parts, (train_idx, held_out[:300], held_out[300:]), strict=True):
        assert torch.equal(images, x[idx])
        assert torch.equal(labels, torch.from_numpy(digits.target)[idx])


# ---------------------------------------------------------------- models

MODELS = [Generator, Discriminator, Classifier]


@pytest.mark.parametrize("Model", MODELS)
def test_every_linear_layer_is_uniform_within_one_over_sqrt_fan_in(Model):
    """PyTorch's default init: U(-b, b) with b = 1/sqrt(fan_in), weights and biases. Matrices of 4,096
    numbers or more: the sample std is within 5 % of b/sqrt(3), the mean within 5 standard errors of 0."""
    for layer in linear_layers(Model(seeded(0))):
        b = 1 / math.sqrt(layer.in_features)
        w, bias = layer.weight.detach(), layer.bias.detach()
        assert w.abs().max() <= b and bias.abs().max() <= b
        if w.numel() >= 4096:
            assert w.std().item() == pytest.approx(b / math.sqrt(3), rel=0.05)
            assert abs(w.mean().item()) < 5 * b / math.sqrt(3 * w.numel())
        if bias.numel() >= 64:                                 # spread over both signs, not one value
            assert bias.min() < -b / 2 and bias.max() > b / 2


@pytest.mark.parametrize("Model", MODELS)
def test_initial_weights_come_from_the_given_generator_only(Model):
    torch.manual_seed(0)
    a = Model(seeded(7))
    torch.manual_seed(1)                                       # torch's global generator changes nothing
    b = Model(seeded(7))

    assert same_parameters(a, b)
    assert not any(torch.equal(p, q) for p, q in zip(a.parameters(), Model(seeded(8)).parameters()))


def test_generator_is_three_linear_layers_with_leaky_relu_0_2_then_tanh_into_8x8():
    G = Generator(seeded(0))
    z = torch.randn(5, Z_DIM, generator=seeded(1))
    l1, l2, l3 = linear_layers(G)

    h = F.leaky_relu(affine(l1, z), 0.2)
    h = F.leaky_relu(affine(l2, h), 0.2)
    expected = torch.tanh(affine(l3, h)).reshape(5, 8, 8)

    assert [tuple(l.weight.shape) for l in (l1, l2, l3)] == [(128, Z_DIM), (256, 128), (64, 256)]
    with torch.no_grad():
        torch.testing.assert_close(G(z), expected, rtol=1e-5, atol=1e-6)


def test_discriminator_is_three_linear_layers_with_leaky_relu_0_2_and_one_logit_per_image():
    D = Discriminator(seeded(0))
    x = load_digits_tensor()[:3]
    l1, l2, l3 = linear_layers(D)

    h = F.leaky_relu(affine(l1, x.reshape(3, 64)), 0.2)
    h = F.leaky_relu(affine(l2, h), 0.2)
    expected = affine(l3, h)[:, 0]

    assert [tuple(l.weight.shape) for l in (l1, l2, l3)] == [(256, 64), (128, 256), (1, 128)]
    with torch.no_grad():
        torch.testing.assert_close(D(x), expected, rtol=1e-5, atol=1e-6)
        assert D(x[:1]).shape == (1,)                          # a batch of one stays a batch


def test_classifier_features_are_a_relu_layer_of_128_and_forward_adds_10_logits():
    clf = Classifier(seeded(0))
    x = load_digits_tensor()[:4]
    hidden, out = linear_layers(clf)

    features = torch.relu(affine(hidden, x.reshape(4, 64)))

    assert tuple(hidden.weight.shape) == (128, 64) and tuple(out.weight.shape) == (10, 128)
    with torch.no_grad():
        torch.testing.assert_close(clf.features(x), features, rtol=1e-5, atol=1e-6)
        torch.testing.assert_close(clf(x), affine(out, features), rtol=1e-5, atol=1e-6)
    assert (features == 0).any()                               # the ReLU cuts something here


# ---------------------------------------------------------------- Algorithm 1

def reference_train_step(G, D, data, gen, k, m, lr):
    """Algorithm 1 written out with binary cross-entropy and plain SGD: k steps of D, each drawing
    a batch of noise then a batch of data from gen, then one step of G on new noise."""
    ones, zeros = torch.ones(m), torch.zeros(m)
    for _ in range(k):
        z = torch.randn(m, Z_DIM, generator=gen)
        x = data[torch.randint(len(data), (m,), generator=gen)]
        with torch.no_grad():
            fake = G(z)
        loss_D = (F.binary_cross_entropy_with_logits(D(x), ones)
                  + F.binary_cross_entropy_with_logits(D(fake), zeros))
        descend(D, loss_D, lr)
    z = torch.randn(m, Z_DIM, generator=gen)
    loss_G = F.binary_cross_entropy_with_logits(D(G(z)), ones)
    descend(G, loss_G, lr)
    return loss_D.item(), loss_G.item()


def descend(model, loss, lr):
    """One step of plain SGD on the model's parameters, by hand."""
    params = list(model.parameters())
    grads = torch.autograd.grad(loss, params)
    with torch.no_grad():
        for p, g in zip(params, grads):
            p -= lr * g


def test_train_step_is_k_sgd_steps_of_d_then_one_of_g_drawing_from_gen():
    data = load_digits_tensor()[:40]
    G, D = Generator(seeded(0)), Discriminator(seeded(1))
    G_ref, D_ref = Generator(seeded(0)), Discriminator(seeded(1))
    lr = 0.05
    opt_G = torch.optim.SGD(G.parameters(), lr=lr)
    opt_D = torch.optim.SGD(D.parameters(), lr=lr)
    gen, gen_ref = seeded(2), seeded(2)

    for _ in range(2):
        losses = train_step(G, D, opt_G, opt_D, data, gen, k=2, m=6)
        expected = reference_train_step(G_ref, D_ref, data, gen_ref, k=2, m=6, lr=lr)

        assert losses == pytest.approx(expected, rel=1e-5)
    for model, reference in ((G, G_ref), (D, D_ref)):
        for p, q in zip(model.parameters(), reference.parameters(), strict=True):
            torch.testing.assert_close(p, q, rtol=1e-5, atol=1e-6)
    assert torch.equal(gen.get_state(), gen_ref.get_state())     # the same number of draws


def test_train_step_defaults_to_one_discriminator_step_on_batches_of_128():
    gen = seeded(0)
    G, D = Generator(gen), Discriminator(gen)
    batches = []
    D.register_forward_pre_hook(lambda module, args: batches.append(len(args[0])))

    train_step(G, D, torch.optim.SGD(G.parameters()), torch.optim.SGD(D.parameters()), load_digits_tensor(), gen)

    assert batches == [128, 128, 128]                          # D(x), D(G(z)); then D(G(z)) for G


# ---------------------------------------------------------------- train

@pytest.fixture
def recorded_steps(monkeypatch):
    """train() with train_step replaced by a recorder: each step returns (step, -step), at no cost."""
    calls = []

    def fake_step(*args, **kwargs):
        calls.append((args, kwargs))
        return float(len(calls)), -float(len(calls))

    monkeypatch.setattr(gan, "train_step", fake_step)
    return calls


def test_train_calls_train_step_with_its_models_optimizers_the_train_digits_and_k_m(recorded_steps):
    x = load_digits_tensor()
    train_digits = x[split_indices(len(x))[0]]

    G, losses = train(3)

    assert len(recorded_steps) == 3
    (G_, D, opt_G, opt_D, data, gen), kwargs = recorded_steps[0]
    assert G_ is G and isinstance(D, Discriminator) and isinstance(gen, torch.Generator)
    assert torch.equal(data, train_digits)
    assert kwargs == {"k": 1, "m": 128}
    assert [p for g in opt_G.param_groups for p in g["params"]] == list(G.parameters())
    assert [p for g in opt_D.param_groups for p in g["params"]] == list(D.parameters())
    assert torch.equal(losses, torch.tensor([[1.0, -1.0], [2.0, -2.0], [3.0, -3.0]]))
    assert not G.training

    train(1, k=3, m=7)
    assert recorded_steps[-1][1] == {"k": 3, "m": 7}


def test_train_uses_adam_with_betas_0_5_0_999_at_the_given_rate(recorded_steps):
    train(1)
    train(1, lr=0.01)

    for call, lr in zip(recorded_steps, (5e-4, 0.01), strict=True):
        opt_G, opt_D = call[0][2:4]
        for opt in (opt_G, opt_D):
            assert type(opt) is torch.optim.Adam
            assert opt.defaults["lr"] == lr and opt.defaults["betas"] == (0.5, 0.999)


def test_train_starts_from_g_then_d_drawn_from_the_seed_and_steps_on_with_that_generator(recorded_steps):
    gen = seeded(3)
    G_start, D_start = Generator(gen), Discriminator(gen)   # in train()'s order: G first

    G, _ = train(0, seed=3)
    train(1, seed=3)

    assert same_parameters(G, G_start)
    (_, D, _, _, _, train_gen), _ = recorded_steps[0]
    assert same_parameters(D, D_start)
    assert torch.equal(train_gen.get_state(), gen.get_state())   # what is left of the seed's draws


def test_train_calls_back_after_each_step_on_the_given_threads_and_restores_the_callers(recorded_steps, threads_2):
    for threads in (None, 2):
        seen = []
        kwargs = {} if threads is None else {"threads": threads}

        G, _ = train(3, callback=lambda step, model: seen.append((step, model, torch.get_num_threads())), **kwargs)

        assert seen == [(1, G, threads or 1), (2, G, threads or 1), (3, G, threads or 1)]  # default: 1 thread
        assert torch.get_num_threads() == threads_2


def test_train_same_seed_same_run_and_seed_0_by_default():
    """Two real steps of 128: the same seed gives the same losses, another seed others."""
    _, default = train(2)
    _, seed_0 = train(2, seed=0)
    _, seed_1 = train(2, seed=1)

    assert default.shape == (2, 2) and torch.isfinite(default).all()
    assert torch.equal(default, seed_0) and not torch.equal(default, seed_1)


def test_sample_is_g_of_noise_from_its_own_generator_seeded_0_by_default():
    """(mutmut 3.8 leaves decorated functions like sample alone; its callers' tests rely on this.)"""
    G = Generator(seeded(0))
    with torch.no_grad():
        expected = {seed: G(torch.randn(6, Z_DIM, generator=seeded(seed))) for seed in (0, 5)}

    got = {5: sample(G, 6, seed=5), 0: sample(G, 6)}

    for seed in (0, 5):
        torch.testing.assert_close(got[seed], expected[seed], rtol=1e-6, atol=1e-7)
        assert not got[seed].requires_grad


# ---------------------------------------------------------------- train_cached

@pytest.fixture
def fake_training(monkeypatch):
    """gan.train replaced by an untrained generator of the seed and made-up losses; calls recorded."""
    calls = []

    def fake_train(*args):
        calls.append(args)
        steps, seed = args
        return Generator(seeded(seed)), torch.arange(2.0 * steps).reshape(-1, 2)

    monkeypatch.setattr(gan, "train", fake_train)
    return calls


def test_train_cached_without_a_cache_dir_trains_every_time(monkeypatch, fake_training):
    monkeypatch.delenv("GAN_CACHE_DIR", raising=False)
    train_cached()
    train_cached(5, seed=3)
    monkeypatch.setenv("GAN_CACHE_DIR", "")                    # set but empty: no cache either
    train_cached(5, seed=3)

    assert fake_training == [(DEFAULT_STEPS, 0), (5, 3), (5, 3)]


class RecordingLocks:
    """Stands in for the fcntl module: records each flock call in the shared event list."""
    LOCK_EX = 2

    def __init__(self, events):
        self.events = events

    def flock(self, file, operation):
        self.events.append(("flock", pathlib.Path(file.name).name, file.mode, operation))


def test_train_cached_saves_one_named_run_under_a_lock_then_loads_it(tmp_path, monkeypatch, fake_training):
    """A folder that does not exist yet; one .pt named after steps, seed, torch and a 12-digit hash of
    snippets/gan.py, its lock file beside it, nothing else; each call locks before it looks."""
    cache = tmp_path / "not" / "yet"
    monkeypatch.setenv("GAN_CACHE_DIR", str(cache))
    events = []
    monkeypatch.setattr(gan, "fcntl", RecordingLocks(events))
    monkeypatch.setattr(gan, "train", lambda *args, real=gan.train: events.append("train") or real(*args))
    source = hashlib.sha256(pathlib.Path(gan.__file__).read_bytes()).hexdigest()[:12]
    name = f"gan-steps4-seed2-torch{torch.__version__}-{source}"

    first, losses_first = train_cached(4, seed=2)
    second, losses_second = train_cached(4, seed=2)

    assert fake_training == [(4, 2)]
    lock = ("flock", name + ".lock", "w", RecordingLocks.LOCK_EX)
    assert events == [lock, "train", lock]
    assert sorted(p.name for p in cache.iterdir()) == [name + ".lock", name + ".pt"]
    for G, losses in ((first, losses_first), (second, losses_second)):
        assert isinstance(G, Generator) and not G.training
        assert same_parameters(G, Generator(seeded(2)))
        assert torch.equal(losses, torch.arange(8.0).reshape(4, 2))


def test_train_cached_without_fcntl_caches_all_the_same(tmp_path, monkeypatch, fake_training):
    monkeypatch.setenv("GAN_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(gan, "fcntl", None)                    # as on Windows

    train_cached(3)
    G, _ = train_cached(3)

    assert fake_training == [(3, 0)] and same_parameters(G, Generator(seeded(0)))


# ---------------------------------------------------------------- the classifier and the judge

class RecordingAdam(torch.optim.Adam):
    """Adam that keeps the gradients of its first step and counts its steps."""
    made = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.steps, self.first_grads = 0, None
        RecordingAdam.made.append(self)

    def step(self, closure=None):
        if self.first_grads is None:
            self.first_grads = [p.grad.clone() for g in self.param_groups for p in g["params"]]
        self.steps += 1
        return super().step(closure)


@pytest.fixture
def recording_adam(monkeypatch):
    RecordingAdam.made = []
    monkeypatch.setattr(torch.optim, "Adam", RecordingAdam)
    return RecordingAdam.made


def cross_entropy_grads(clf, x, y):
    """Gradients of the mean of -log softmax(clf(x))[y], written out."""
    logits = clf(x)
    loss = -(logits - logits.logsumexp(1, keepdim=True))[torch.arange(len(y)), y].mean()
    return torch.autograd.grad(loss, list(clf.parameters()))


@pytest.mark.parametrize("kwargs, steps, seed", [({}, 300, 0), ({"steps": 3, "seed": 2}, 3, 2)])
def test_train_classifier_is_full_batch_adam_on_cross_entropy(recording_adam, kwargs, steps, seed):
    x, y = load_digits_tensor()[:30], torch.from_numpy(load_digits().target[:30])

    clf = train_classifier(x, y, **kwargs)

    (opt,) = recording_adam
    assert opt.steps == steps
    assert opt.defaults["lr"] == 1e-2 and opt.defaults["weight_decay"] == 1e-4
    assert [p for g in opt.param_groups for p in g["params"]] == list(clf.parameters())
    for got, expected in zip(opt.first_grads, cross_entropy_grads(Classifier(seeded(seed)), x, y), strict=True):
        torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-7)
    assert not clf.training


@pytest.fixture
def quick_classifier(monkeypatch):
    """Judge's train_classifier, recorded and cut to 40 steps (a tenth of a second, about 96 % right)."""
    calls = []

    def quick(x, y, **kwargs):
        calls.append((x, y, kwargs, torch.get_num_threads()))
        return train_classifier(x, y, steps=40, seed=kwargs["seed"])

    monkeypatch.setattr(gan_quality, "train_classifier", quick)
    return calls


def test_judge_trains_on_train_on_one_thread_and_keeps_real_train_accuracy_and_ref_features(
        quick_classifier, threads_2):
    (x_tr, y_tr), (x_ref, y_ref), (x_real, y_real) = split()

    judge = Judge()

    ((x, y, kwargs, threads),) = quick_classifier
    assert torch.equal(x, x_tr) and torch.equal(y, y_tr) and kwargs == {"seed": 0}
    assert threads == 1 and torch.get_num_threads() == threads_2
    assert torch.equal(judge.real, x_real) and torch.equal(judge.train, x_tr)
    with torch.no_grad():
        right = (judge.clf(torch.cat([x_ref, x_real])).argmax(1) == torch.cat([y_ref, y_real])).double()
        np.testing.assert_allclose(judge.ref_features, judge.clf.features(x_ref).numpy(), rtol=1e-6)
    assert judge.accuracy == pytest.approx(right.mean().item(), abs=1e-6)
    assert 0.5 < judge.accuracy < 1                          # most right: counting the wrong ones would show

    Judge(seed=4)
    assert quick_classifier[-1][2] == {"seed": 4}


class EchoJudge:
    """Stands in for Judge: its 'row' for a batch of samples is the samples themselves."""

    def __init__(self):
        self.real = torch.linspace(-1, 1, 7 * 64).reshape(7, 8, 8)

    def __call__(self, samples):
        return samples


@pytest.mark.parametrize("kwargs, seed", [({}, 0), ({"seed": 3}, 3)])
def test_quality_table_judges_an_untrained_generator_g_and_real_with_samples_of_one_seed(kwargs, seed):
    G = Generator(seeded(11)).eval()
    judge = EchoJudge()
    untrained = Generator(seeded(seed)).eval()             # as train(seed=seed) starts

    table = quality_table(G, judge=judge, **kwargs)

    assert list(table) == ["untrained", "trained", "real"]
    assert torch.equal(table["untrained"], sample(untrained, 7, seed=seed))
    assert torch.equal(table["trained"], sample(G, 7, seed=seed))
    assert table["real"] is judge.real


def test_quality_table_makes_its_own_judge_when_given_none(monkeypatch):
    monkeypatch.setattr(gan_quality, "Judge", EchoJudge)

    table = quality_table(Generator(seeded(0)).eval())

    assert table["real"].shape == (7, 8, 8) and table["trained"].shape == (7, 8, 8)


# ---------------------------------------------------------------- the Frechet distance and the gate

def test_sqrtm_psd_takes_the_root_of_each_eigenvalue_and_clips_rounding_below_zero():
    rotation, _ = np.linalg.qr(np.random.default_rng(0).normal(size=(3, 3)))
    C = rotation @ np.diag([4.0, 0.25, -1e-12]) @ rotation.T   # PSD up to a rounding error

    root = sqrtm_psd(C)

    np.testing.assert_allclose(root, rotation @ np.diag([2.0, 0.5, 0.0]) @ rotation.T, atol=1e-9)
    A = np.random.default_rng(1).normal(size=(4, 4))
    np.testing.assert_allclose(sqrtm_psd(A @ A.T + np.eye(4)), scipy.linalg.sqrtm(A @ A.T + np.eye(4)).real,
                               rtol=1e-9, atol=1e-12)


def fid_by_formula(f1, f2):
    """|mu1 - mu2|^2 + Tr(C1 + C2 - 2 (C1 C2)^(1/2)), with scipy's general matrix square root."""
    f1, f2 = np.asarray(f1, dtype=np.float64), np.asarray(f2, dtype=np.float64)
    mu1, mu2 = f1.mean(axis=0), f2.mean(axis=0)
    C1 = (f1 - mu1).T @ (f1 - mu1) / (len(f1) - 1)
    C2 = (f2 - mu2).T @ (f2 - mu2) / (len(f2) - 1)
    return ((mu1 - mu2) ** 2).sum() + np.trace(C1 + C2 - 2 * scipy.linalg.sqrtm(C1 @ C2).real)


def test_frechet_distance_is_the_formula_in_float64_for_sets_of_different_sizes():
    """float32 features, as the judge's are, 40 and 60 of them: the distance is computed in float64."""
    rng = np.random.default_rng(0)
    f1 = rng.normal(size=(40, 5)).astype(np.float32)
    f2 = (rng.normal(size=(60, 5)) @ np.diag([0.5, 1, 2, 1, 0.2]) + [1, -1, 0, 2, 0.5]).astype(np.float32)

    assert frechet_distance(f1, f2) == pytest.approx(fid_by_formula(f1, f2), rel=1e-10)
    assert frechet_distance(f2, f1) == pytest.approx(fid_by_formula(f1, f2), rel=1e-10)


def test_frechet_distance_of_a_set_with_itself_is_0_with_more_features_than_samples():
    """20 features of 4 samples: 16 zero eigenvalues, which rounding makes about +-1e-17; their square
    roots, about 3e-9 each, are all the distance there is (the traces are about 0.2)."""
    f = 0.1 * np.random.default_rng(0).normal(size=(4, 20))

    assert frechet_distance(f, f) == pytest.approx(0, abs=1e-6)


def test_gate_margins_against_real_by_hand():
    row = {"classes": 9, "confidence": 0.85, "entropy": 2.0, "frechet": 30.0, "nearest": 2.0}
    real = {"classes": 10, "confidence": 0.9, "entropy": 2.25, "frechet": 5.0, "nearest": 3.0}

    margins = gate(row, real)

    assert margins == pytest.approx({
        "classes": -1,             # 9 of 10 digits drawn
        "confidence": 0.05,        # 0.85 against 0.9 - 0.1
        "entropy": -0.05,          # 2.0 against 2.25 - 0.2
        "frechet": 10.0,           # 30 within 8 x 5
        "nearest": -0.4,           # 2.0 against 0.8 x 3.0
    }, abs=1e-12)
