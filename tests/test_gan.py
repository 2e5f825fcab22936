"""Claims of docs/gan.md: the formulas of Goodfellow et al. 2014 (arXiv:1406.2661),
what is wrong with the seed's formula and listing, and what snippets/gan.py delivers.

The formulas are checked through the snippet's own code: its losses, and its
train_step on a four-point space where the optimal discriminator is known. The
quality gate (snippets/gan_quality.py) is applied to the default budget on three
seeds, each trained once per run (about 25 s on one core) and shared with the
notebook through $GAN_CACHE_DIR (snippets.gan.train_cached); a generator trained
300 steps and one that copies training digits must fail it. Everything else runs
in about a second or less. tests/test_gan_units.py checks each function of the two
snippets on its own, in well under a second each: the tests mutation testing runs
(scripts/mutation.py), with the ones here that train real runs left out.
"""
import ast
import contextlib
import math
import pathlib
import threading

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from scipy.spatial.distance import jensenshannon

from snippets import gan
from snippets.gan import (
    DEFAULT_STEPS, Discriminator, Generator, discriminator_loss, generator_loss,
    load_digits_tensor, sample, split_indices, train, train_cached, train_step,
)
from snippets.gan_quality import Judge, frechet_distance, gate, quality_table, split, sqrtm_psd

ROOT = pathlib.Path(__file__).resolve().parents[1]
SEED_TEXT = (ROOT / "docs/seed/original.txt").read_text(encoding="utf-8")
LISTING = (ROOT / "snippets/seed/gan_listing.txt").read_text(encoding="utf-8")


# ---------------------------------------------------------------- the value function
# On a space of four points a discriminator can be any function, so the optimum of eq. (1) over D
# is reachable; D is a table of four logits. Point i is the one-hot vector e_i.

POINTS = torch.eye(4)                                      # (4, 4)
P_DATA = torch.tensor([0.1, 0.2, 0.3, 0.4], dtype=torch.float64)
P_G = P_DATA.flip(0)


def exact_batch(p, n=10):
    """Point indices with point i repeated n * p_i times: a batch mean is then an exact expectation."""
    counts = torch.round(p * n).long()
    assert counts.sum() == n
    return torch.repeat_interleave(torch.arange(4), counts)


def V(D, p_data=P_DATA, p_g=P_G):
    """V(D, G) of eq. (1) on the four points, as -discriminator_loss of snippets/gan.py."""
    logit = torch.logit(torch.as_tensor(D, dtype=torch.float64))
    return -discriminator_loss(logit[exact_batch(p_data)], logit[exact_batch(p_g)]).item()


class TableDiscriminator(torch.nn.Module):
    """Any function of the four points: one logit per point."""

    def __init__(self):
        super().__init__()
        self.logit = torch.nn.Parameter(torch.zeros(4))

    def forward(self, x):                                  # (B, 4) -> (B,)
        return x @ self.logit


class FixedGenerator(torch.nn.Module):
    """G(z) = point i with probability p_g[i]; its one parameter changes nothing."""

    def __init__(self, p_g):
        super().__init__()
        self.edges = p_g.float().cumsum(0)[:-1]
        self.unused = torch.nn.Parameter(torch.zeros(()))

    def forward(self, z):
        u = torch.special.ndtr(z[:, 0])                    # uniform on (0, 1)
        return POINTS[torch.bucketize(u, self.edges)] + 0 * self.unused


@contextlib.contextmanager
def one_thread():
    """For tiny tensors a second intra-op thread only waits, and on a busy machine for long."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)


def train_discriminator(p_data, p_g, steps=200, m=4096, lr=2.0):
    """Algorithm 1 with snippets/gan.py's train_step, G fixed: only D learns."""
    gen = torch.Generator().manual_seed(0)
    G, D = FixedGenerator(p_g), TableDiscriminator()
    data = POINTS[exact_batch(p_data)]                     # sampling it uniformly draws p_data
    opt_D = torch.optim.SGD(D.parameters(), lr=lr)
    opt_G = torch.optim.SGD(G.parameters(), lr=0.0)
    with one_thread():
        for _ in range(steps):
            train_step(G, D, opt_G, opt_D, data, gen, k=1, m=m)
    return torch.sigmoid(D.logit.detach().double())        # D(x) at the four points


def test_optimal_discriminator_is_p_data_over_p_data_plus_p_g():
    """Proposition 1: training D with train_step and discriminator_loss ends at eq. (2)'s D*,
    and no other discriminator has a higher V(D, G)."""
    d_star = P_DATA / (P_DATA + P_G)
    others = torch.rand(200, 4, generator=torch.Generator().manual_seed(0), dtype=torch.float64) * 0.98 + 0.01

    trained = train_discriminator(P_DATA, P_G)

    torch.testing.assert_close(trained, d_star, rtol=0, atol=0.01)
    with one_thread():
        assert all(V(D) < V(d_star) for D in others)


def test_value_at_optimal_discriminator_is_minus_log4_plus_2jsd():
    """Eq. (3), C(G) = max_D V(D, G): -discriminator_loss at the D that training reaches, and at
    eq. (2)'s D*, against scipy's Jensen-Shannon distance; -log 4 when p_g = p_data."""
    jsd = jensenshannon(P_DATA.numpy(), P_G.numpy()) ** 2   # scipy returns the square root, base e
    d_star = P_DATA / (P_DATA + P_G)

    c_of_g = V(train_discriminator(P_DATA, P_G))

    assert V(d_star) == pytest.approx(-math.log(4) + 2 * jsd, abs=1e-12)
    assert c_of_g == pytest.approx(-math.log(4) + 2 * jsd, abs=1e-4)
    assert V(train_discriminator(P_DATA, P_DATA), P_DATA, P_DATA) == pytest.approx(-math.log(4), abs=1e-4)
    assert c_of_g > -math.log(4) + 0.1                     # p_g != p_data costs 2 JSD > 0


def test_seed_value_function_without_max_is_not_eq1():
    # The seed's first line: min_G max_D V(D, G) = min_G E[log D(x)] + E[log(1 - D(G(z)))].
    # Its right side has no max over D: for a fixed G it is V(D, G) for whatever D we pick.
    d_star = P_DATA / (P_DATA + P_G)
    max_d_v = V(d_star)                                    # what eq. (1) takes for this G
    seed_rhs = {name: V(D) for name, D in {
        "D = 1/2": torch.full((4,), 0.5),
        "D = 0.9": torch.full((4,), 0.9),
        "D = D*": d_star,
    }.items()}

    assert len({round(v, 6) for v in seed_rhs.values()}) == 3  # depends on D: not a function of G
    assert seed_rhs["D = 1/2"] < max_d_v - 0.1
    assert seed_rhs["D = 0.9"] < max_d_v - 0.1
    assert seed_rhs["D = D*"] == pytest.approx(max_d_v)        # equal only where D = D*


# ---------------------------------------------------------------- the losses

LOGITS = torch.randn(2, 256, generator=torch.Generator().manual_seed(0), dtype=torch.float64) * 3


def test_discriminator_loss_is_minus_log_d_x_minus_log_one_minus_d_g_z():
    real, fake = LOGITS
    D_x, D_G_z = torch.sigmoid(real), torch.sigmoid(fake)
    explicit = -(torch.log(D_x).mean() + torch.log(1 - D_G_z).mean())
    bce = (F.binary_cross_entropy_with_logits(real, torch.ones_like(real))
           + F.binary_cross_entropy_with_logits(fake, torch.zeros_like(fake)))

    torch.testing.assert_close(discriminator_loss(real, fake), explicit, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(discriminator_loss(real, fake), bce, rtol=1e-12, atol=1e-12)


def test_generator_loss_is_minus_log_d_g_z():
    fake = LOGITS[1]
    explicit = -torch.log(torch.sigmoid(fake)).mean()
    bce = F.binary_cross_entropy_with_logits(fake, torch.ones_like(fake))

    torch.testing.assert_close(generator_loss(fake), explicit, rtol=1e-12, atol=1e-12)
    torch.testing.assert_close(generator_loss(fake), bce, rtol=1e-12, atol=1e-12)


def test_non_saturating_loss_has_strong_gradient_when_d_rejects_fakes():
    # Early in training D(G(z)) is near 0. Section 3: log(1 - D(G(z))) then saturates.
    logit = torch.tensor([-6.0], dtype=torch.float64, requires_grad=True)   # D(G(z)) = 0.0025
    (g_saturating,) = torch.autograd.grad(torch.log(1 - torch.sigmoid(logit)).sum(), logit)
    (g_non_saturating,) = torch.autograd.grad(generator_loss(logit), logit)

    assert abs(g_saturating.item()) < 0.003        # minimise log(1 - D): almost no signal
    assert abs(g_non_saturating.item()) > 0.99     # minimise -log D: full signal
    assert torch.sign(g_saturating) == torch.sign(g_non_saturating)  # same direction, same fixed point


# ---------------------------------------------------------------- Algorithm 1

def test_train_step_takes_k_discriminator_steps_per_generator_step():
    gen = torch.Generator().manual_seed(0)
    G, D = Generator(gen), Discriminator(gen)
    opt_G = torch.optim.Adam(G.parameters())
    opt_D = torch.optim.Adam(D.parameters())
    calls = []
    for name, opt in (("D", opt_D), ("G", opt_G)):
        step = opt.step
        opt.step = lambda step=step, name=name: (calls.append(name), step())[1]

    train_step(G, D, opt_G, opt_D, load_digits_tensor(), gen, k=3, m=8)

    assert calls == ["D", "D", "D", "G"]


def test_generator_step_leaves_discriminator_untouched():
    gen = torch.Generator().manual_seed(0)
    G, D = Generator(gen), Discriminator(gen)
    opt_G = torch.optim.Adam(G.parameters())
    opt_D = torch.optim.Adam(D.parameters())
    d_grads = {}  # D's gradients as each optimizer steps
    for name, opt in (("D", opt_D), ("G", opt_G)):
        step = opt.step
        opt.step = lambda step=step, name=name: (
            d_grads.__setitem__(name, [p.grad.clone() for p in D.parameters()]), step())[1]

    train_step(G, D, opt_G, opt_D, load_digits_tensor(), gen, k=1, m=8)

    assert {id(p) for p in opt_G.param_groups[0]["params"]} == {id(p) for p in G.parameters()}
    assert all(torch.equal(a, b) for a, b in zip(d_grads["D"], d_grads["G"]))  # G's backward added nothing
    assert all(p.requires_grad for p in D.parameters())   # unfrozen again for the next D step


# ---------------------------------------------------------------- data, sampling, determinism

def test_digits_are_1797_images_8x8_in_minus_one_one():
    x = load_digits_tensor()

    assert x.shape == (1797, 8, 8) and x.dtype == torch.float32
    assert x.min().item() == -1.0 and x.max().item() == 1.0
    assert len(torch.unique(x)) == 17                      # grey levels 0..16


def test_sample_shape_and_range():
    G = Generator(torch.Generator().manual_seed(0))
    x = sample(G, 5, seed=1)

    assert x.shape == (5, 8, 8) and x.dtype == torch.float32
    assert x.min() >= -1 and x.max() <= 1
    assert not x.requires_grad


def test_gan_learns_only_from_train_never_from_the_judges_held_out_digits(monkeypatch):
    seen = []
    monkeypatch.setattr(gan, "train_step", lambda *args, **kwargs: seen.append(args[4]) or (0.0, 0.0))
    train(1, seed=0)
    x = load_digits_tensor()
    train_idx, held_out = split_indices(len(x))
    (x_train, _), (x_ref, _), (x_real, _) = split()

    assert torch.equal(seen[0], x[train_idx]) and torch.equal(x_train, x[train_idx])
    assert torch.equal(torch.cat([x_ref, x_real]), x[held_out])
    assert len(set(train_idx.tolist()) | set(held_out.tolist())) == len(x) == 1797  # disjoint


def test_same_seed_gives_identical_samples():
    a, _ = train(100, seed=3)
    b, _ = train(100, seed=3)
    c, _ = train(100, seed=4)

    assert torch.equal(sample(a, 16, seed=0), sample(b, 16, seed=0))
    assert not torch.equal(sample(a, 16, seed=0), sample(c, 16, seed=0))


def test_one_and_two_threads_train_the_same_gan():
    """train(threads=n) runs on n threads (seen from inside the run) and restores the caller's
    setting; on one machine the thread count does not change a single bit of the result."""
    caller = torch.get_num_threads()
    runs = {}
    for n in (1, 2):
        inside = set()
        G, losses = train(100, seed=5, threads=n, callback=lambda step, G: inside.add(torch.get_num_threads()))
        runs[n] = sample(G, 64, seed=0), losses
        assert inside == {n} and torch.get_num_threads() == caller

    assert torch.equal(runs[1][0], runs[2][0])
    assert torch.equal(runs[1][1], runs[2][1])


@pytest.fixture
def counted_training(monkeypatch):
    """snippets.gan.train, counting its calls: how train_cached shows whether it trained."""
    calls = []
    real_train = gan.train
    monkeypatch.setattr(gan, "train", lambda *a, **kw: calls.append(a) or real_train(*a, **kw))
    return calls


def test_train_cached_trains_once_then_loads_the_saved_run(tmp_path, monkeypatch, counted_training):
    monkeypatch.setenv("GAN_CACHE_DIR", str(tmp_path))
    first, losses_first = train_cached(50, seed=2)
    saved = list(tmp_path.glob("*.pt"))
    second, losses_second = train_cached(50, seed=2)
    other_seed, _ = train_cached(50, seed=3)

    assert counted_training == [(50, 2), (50, 3)]          # the second call for seed 2 did not train
    assert len(saved) == 1 and f"torch{torch.__version__}" in saved[0].name
    assert torch.equal(sample(first, 8), sample(second, 8))
    assert torch.equal(losses_first, losses_second)
    assert not torch.equal(sample(first, 8), sample(other_seed, 8))


def test_train_cached_trains_every_time_without_a_cache_dir(monkeypatch, counted_training):
    monkeypatch.delenv("GAN_CACHE_DIR", raising=False)
    train_cached(20, seed=2)
    train_cached(20, seed=2)

    assert counted_training == [(20, 2), (20, 2)]


def test_concurrent_train_cached_calls_train_a_seed_once(tmp_path, monkeypatch, counted_training):
    """Two pytest-xdist workers asking for the same seed: the second waits on the lock file."""
    monkeypatch.setenv("GAN_CACHE_DIR", str(tmp_path))
    results = []
    threads = [threading.Thread(target=lambda: results.append(train_cached(50, seed=4))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert counted_training == [(50, 4)]
    assert torch.equal(sample(results[0][0], 8), sample(results[1][0], 8))


# ---------------------------------------------------------------- the judge

def test_frechet_distance_of_a_shifted_and_scaled_copy():
    f = np.random.default_rng(0).normal(size=(500, 6)) @ np.diag([1, 2, 3, 0.5, 0.1, 0])
    shift = np.arange(6.0)
    a = 0.5   # f2 = a f: C2 = a^2 C1, so the trace term is (1 - a)^2 Tr C1

    assert frechet_distance(f, f) == pytest.approx(0, abs=1e-9)
    assert frechet_distance(f, f + shift) == pytest.approx(shift @ shift, rel=1e-9)
    expected = (1 - a) ** 2 * (f.mean(0) @ f.mean(0) + np.trace(np.cov(f, rowvar=False)))
    assert frechet_distance(f, a * f) == pytest.approx(expected, rel=1e-7)


def test_sqrtm_psd_squares_back_even_when_singular():
    X = np.random.default_rng(1).normal(size=(3, 5))
    C = X.T @ X                                             # rank 3 of 5

    np.testing.assert_allclose(sqrtm_psd(C) @ sqrtm_psd(C), C, atol=1e-10)


SEEDS = [0, 1, 2]  # the default budget must pass the gate on each


@pytest.fixture(scope="session")
def judge():
    return Judge()


@pytest.fixture(scope="session")
def real_row(judge):
    return judge(judge.real)


def failures(margins):
    return {name: round(margin, 3) for name, margin in margins.items() if margin < 0}


def test_judge_classifier_is_accurate_on_held_out_digits(judge):
    assert judge.accuracy >= 0.95


@pytest.mark.parametrize("seed", SEEDS)
def test_default_budget_passes_the_gate(seed, judge):
    """Trained once per seed and run: train_cached shares it with the notebook (seed 0)."""
    G, losses = train_cached(DEFAULT_STEPS, seed=seed)
    table = quality_table(G, seed=seed, judge=judge)

    margins = gate(table["trained"], table["real"])

    assert losses.shape == (DEFAULT_STEPS, 2) and torch.isfinite(losses).all()
    assert not failures(margins), f"seed {seed} fails the gate by {failures(margins)}: {table}"


def test_gate_rejects_an_untrained_generator_and_the_judge_tells_it_from_real_digits(judge, real_row):
    untrained = judge(sample(Generator(torch.Generator().manual_seed(0)).eval(), 300))

    assert {"confidence", "entropy", "frechet"} <= failures(gate(untrained, real_row)).keys()
    assert not failures(gate(real_row, real_row))
    assert real_row["frechet"] <= 0.05 * untrained["frechet"]


def test_gate_rejects_a_generator_trained_300_steps(judge, real_row):
    G, _ = train(300, seed=0)

    assert "frechet" in failures(gate(judge(sample(G, 300)), real_row))


@pytest.mark.parametrize("copied", [300, 60], ids=["all-copies", "one-in-five-copies"])
def test_gate_rejects_a_generator_that_copies_training_digits(copied, judge, real_row):
    """Copies of TRAIN look like real digits to the classifier: only the nearest-neighbour check
    can catch them, and it does even when one sample in five is a copy."""
    (_, _), (x_ref, _), _ = split()
    pick = torch.randperm(len(judge.train), generator=torch.Generator().manual_seed(0))[:copied]
    samples = torch.cat([judge.train[pick], x_ref[copied:]])        # (300, 8, 8)

    assert failures(gate(judge(samples), real_row)).keys() == {"nearest"}


# ---------------------------------------------------------------- the seed's listing

def test_seed_listing_is_verbatim_from_the_seed():
    assert LISTING in SEED_TEXT
    assert LISTING.startswith("import tensorflow as tf\n")


def test_seed_listing_is_not_valid_python():
    with pytest.raises(SyntaxError) as err:
        ast.parse(LISTING)

    assert err.value.lineno == 35
    assert err.value.text.strip() == "def noise samples(batch size, noise dim):"


def test_seed_listing_has_spaces_inside_four_names():
    lines = LISTING.splitlines()

    assert "def noise samples(batch size, noise dim):" in lines[34]
    assert any(line.startswith("def train GAN(") for line in lines)
    assert any(line.startswith("train GAN(GAN_model,") for line in lines)
    assert LISTING.count("batch size") == 9


def repaired_listing():
    """The listing with its four spaced names joined, so the rest can be checked statically."""
    text = LISTING
    for spaced in ("noise samples", "batch size", "noise dim", "train GAN"):
        text = text.replace(spaced, spaced.replace(" ", "_"))
    return ast.parse(text)


def names_used_and_bound(tree):
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    bound |= {a.asname or a.name for n in ast.walk(tree)
              if isinstance(n, (ast.Import, ast.ImportFrom)) for a in n.names}
    bound |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    bound |= {a.arg for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) for a in n.args.args}
    return used, bound


def method_calls(tree, method):
    return [n for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == method]


def test_seed_listing_uses_np_and_x_train_without_defining_them():
    used, bound = names_used_and_bound(repaired_listing())

    assert {"np", "x_train"} <= used
    assert "np" not in bound
    assert "x_train" not in {n.id for n in ast.walk(repaired_listing())
                             if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}


def test_seed_listing_calls_builders_without_their_required_argument():
    tree = repaired_listing()
    defs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    calls = {n.value.func.id: n.value for n in tree.body if isinstance(n, ast.Assign)
             and isinstance(n.value, ast.Call) and isinstance(n.value.func, ast.Name)}

    for name in ("generator", "discriminator"):
        params = [a.arg for a in defs[name].args.args]
        body_names = {n.id for n in ast.walk(defs[name]) if isinstance(n, ast.Name)}
        assert len(params) == 1 and not defs[name].args.defaults
        assert params[0] not in body_names              # the parameter is never used
        assert calls[name].args == []                   # called with no argument: TypeError


def test_seed_listing_compiles_only_the_stacked_model():
    compiled = [c.func.value.id for c in method_calls(repaired_listing(), "compile")]
    trained = [c.func.value.id for c in method_calls(repaired_listing(), "train_on_batch")]

    assert compiled == ["model"]                        # inside GAN(): the stack G + D
    assert trained == ["discriminator"]                 # the only model trained: never compiled


def test_seed_listing_feeds_two_inputs_and_2m_labels_to_a_one_input_model():
    (call,) = method_calls(repaired_listing(), "train_on_batch")
    x, labels = call.args

    assert isinstance(x, ast.List) and len(x.elts) == 2  # [x_batch, gen_samples]: two inputs
    assert isinstance(labels, ast.Name) and labels.id == "labels"
    assert "[1] * batch_size + [0] * batch_size" in ast.unparse(repaired_listing())


def test_seed_listing_never_trains_the_generator():
    tree = repaired_listing()
    train_fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "train_GAN")
    calls_on_generator = {c.func.attr for c in method_calls(train_fn, "predict")
                          + method_calls(train_fn, "train_on_batch") + method_calls(train_fn, "fit")
                          if isinstance(c.func.value, ast.Name) and c.func.value.id == "generator"}
    (top_call,) = [n.value for n in tree.body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)]

    assert calls_on_generator == {"predict"}            # the generator is only ever run forward
    assert ast.unparse(top_call.args[0]) == "GAN_model"  # and "generator" is really the G + D stack


def test_seed_listing_prints_a_loss_on_real_data_as_accuracy():
    (call,) = method_calls(repaired_listing(), "test_on_batch")
    src = ast.unparse(repaired_listing())

    assert ast.unparse(call.args[0]) == "x_train"                       # real digits only
    assert ast.unparse(call.args[1]) == "np.array([1] * x_train.shape[0])"  # all labelled real
    assert "metrics" not in src                                          # no metric compiled
    assert 'accuracy={acc}' in src


def test_seed_listing_flattens_a_vector_in_the_generator():
    tree = repaired_listing()
    gen_fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "generator")
    layers = [ast.unparse(e) for e in next(n for n in ast.walk(gen_fn) if isinstance(n, ast.List)).elts]

    assert layers[2:4] == ["Dense(512, activation='relu')", "Flatten()"]  # (B, 512) stays (B, 512)


def test_seed_listing_never_freezes_the_discriminator():
    attributes = {n.attr for n in ast.walk(repaired_listing()) if isinstance(n, ast.Attribute)}

    assert "trainable" not in attributes
    assert [c.func.value.id for c in method_calls(repaired_listing(), "compile")] == ["model"]  # the G + D stack
