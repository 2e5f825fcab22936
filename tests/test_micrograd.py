"""snippets/micrograd.py computes what torch.autograd computes, and its MLP learns the two moons.

The main check is property-based: hypothesis writes random programs over a few scalar inputs, each
step one of micrograd's operations applied to earlier inputs or results, and the output is the sum
of every input and every result. So every node a step uses is shared (used by the step and by the
output sum, often by more steps): its gradient must collect one term per use. The same program runs on torch.float64 tensors; every value and every gradient
(inputs and intermediate nodes) must agree within rtol = atol = 1e-9, where float64 arithmetic
in a different order leaves differences near 1e-15. derandomize=True: the same graphs every run.
"""
import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from snippets.micrograd import MLP, Layer, Neuron, Value, topological_order
from snippets import micrograd_moons
from snippets.micrograd_moons import accuracy, logistic_loss, moons, train_moons, train_moons_cached

TOL = dict(rtol=1e-9, atol=1e-9)

# Each operation works on micrograd Values and on torch tensors alike: (a, b, constant k) -> result.
OPS = {
    "add": lambda a, b, k: a + b,
    "sub": lambda a, b, k: a - b,
    "mul": lambda a, b, k: a * b,
    "div": lambda a, b, k: a / b,
    "pow": lambda a, b, k: a ** k,
    "neg": lambda a, b, k: -a,
    "exp": lambda a, b, k: a.exp(),
    "log": lambda a, b, k: a.log(),
    "tanh": lambda a, b, k: a.tanh(),
    "relu": lambda a, b, k: a.relu(),
    "add_const": lambda a, b, k: a + k,
    "radd_const": lambda a, b, k: k + a,
    "rsub_const": lambda a, b, k: k - a,
    "rmul_const": lambda a, b, k: k * a,
    "rdiv_const": lambda a, b, k: k / a,
}
EXPONENTS = [2, 3, -1, -2, 0.5, 1.5]


def safe(op, x, y, k):
    """Keep every step inside the operation's domain and far from overflow: swap in tanh if not."""
    if op == "div" and abs(y) < 0.2 or op == "rdiv_const" and abs(x) < 0.2:
        return "tanh"
    if op == "log" and x < 0.2 or op == "exp" and x > 4:
        return "tanh"
    if op == "pow" and (k != int(k) and x < 0.2 or k < 0 and abs(x) < 0.2 or abs(x) > 30):
        return "tanh"
    if op == "relu" and 0 < abs(x) < 1e-9:
        return "tanh"
    return op


steps = st.tuples(st.sampled_from(sorted(OPS)), st.integers(0, 10**6), st.integers(0, 10**6),
                  st.sampled_from(EXPONENTS))
programs = st.tuples(st.lists(st.floats(-2, 2, allow_nan=False), min_size=1, max_size=4),
                     st.lists(steps, min_size=1, max_size=25))


def f64(x):
    return torch.tensor(x, dtype=torch.float64)


def run_program(inputs, program):
    """Build the graph twice, in micrograd and in torch; returns both node lists, both outputs, uses."""
    ours = [Value(x) for x in inputs]
    ref = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in inputs]
    uses = [1] * len(inputs)                            # each node is used once by the output sum
    for op, i, j, k in program:
        a, b = i % len(ours), j % len(ours)
        op = safe(op, ours[a].data, ours[b].data, k)
        result = OPS[op](ours[a], ours[b], k)
        if not abs(result.data) < 1e6:
            op, result = "tanh", ours[a].tanh()
        uses[a] += 1
        uses[b] += op in {"add", "sub", "mul", "div"}
        ours.append(result)
        ref.append(OPS[op](ref[a], ref[b], k))
        ref[-1].retain_grad()
        uses.append(1)
    out_ours, out_ref = sum(ours), sum(ref)
    return ours, ref, out_ours, out_ref, uses


@settings(max_examples=400, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(programs)
def test_values_and_gradients_match_torch_autograd_on_random_graphs(program):
    inputs, steps_ = program
    ours, ref, out_ours, out_ref, uses = run_program(inputs, steps_)

    out_ours.backward()
    out_ref.backward()

    torch.testing.assert_close(f64([v.data for v in ours]), torch.stack([t.detach() for t in ref]), **TOL)
    torch.testing.assert_close(f64(out_ours.data), out_ref.detach(), **TOL)
    torch.testing.assert_close(f64([v.grad for v in ours]), torch.stack([t.grad for t in ref]), **TOL)
    assert max(uses) >= 2                                 # at least one shared node, by construction


def test_gradient_of_a_shared_node_is_the_sum_over_its_uses():
    a, b = Value(2.0), Value(-3.0)
    c = a * b                                   # c is used twice below
    out = c + c.tanh() + a

    out.backward()

    dc = 1 + (1 - math.tanh(-6.0) ** 2)         # d out / d c: one term per use
    assert c.grad == pytest.approx(dc, rel=1e-15)
    assert a.grad == pytest.approx(dc * b.data + 1, rel=1e-15)
    assert b.grad == pytest.approx(dc * a.data, rel=1e-15)


@pytest.mark.parametrize("make", [lambda x: x + x, lambda x: x * x, lambda x: x - x, lambda x: x / x,
                                  lambda x: (x * x) / x, lambda x: x ** 2 + 3 * x, lambda x: (x - x).relu() + x],
                         ids=["x+x", "x*x", "x-x", "x/x", "x*x/x", "x**2+3x", "relu(x-x)+x"])
def test_self_interaction_matches_torch(make):
    x = Value(1.7)
    t = torch.tensor(1.7, dtype=torch.float64, requires_grad=True)

    make(x).backward()
    make(t).backward()

    assert x.grad == pytest.approx(t.grad.item(), rel=1e-12, abs=1e-12)


def test_leaf_gradients_accumulate_over_backward_calls_like_torch():
    x, t = Value(0.3), torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    y_ours = (x * x).exp() * x
    y_ref = (t * t).exp() * t

    y_ours.backward()
    y_ours.backward()                          # leaves add up: twice the gradient
    y_ref.backward(retain_graph=True)
    y_ref.backward()

    assert x.grad == pytest.approx(t.grad.item(), rel=1e-12)
    assert x.grad == pytest.approx(2 * (1 + 2 * 0.3**2) * math.exp(0.3**2), rel=1e-12)


def test_backward_of_a_leaf_accumulates_one_per_call():
    x, t = Value(5.0), torch.tensor(5.0, requires_grad=True)

    x.backward(), x.backward()
    t.backward(), t.backward()

    assert x.grad == t.grad.item() == 2.0


def test_topological_order_puts_every_value_after_its_parents():
    inputs, program = [0.5, -1.0], [("mul", 0, 1, 2), ("add", 2, 0, 2), ("tanh", 3, 0, 2), ("mul", 4, 2, 2)]
    nodes, *_ = run_program(inputs, program)
    order = topological_order(nodes[-1])
    position = {id(v): i for i, v in enumerate(order)}

    assert len(order) == len(nodes) == len(position)
    assert all(position[id(p)] < position[id(v)] for v in order for p, _ in v.parents)
    assert order[-1] is nodes[-1]


def test_deep_graph_needs_no_recursion():
    x = Value(1.0)
    y = x
    for _ in range(20_000):                    # far deeper than Python's recursion limit
        y = y + x * 0.0001

    y.backward()

    assert x.grad == pytest.approx(1 + 20_000 * 0.0001, rel=1e-12)


def test_operations_on_plain_numbers_on_either_side():
    x = Value(4.0)

    values = [(2 + x).data, (x + 2).data, (2 - x).data, (x - 2).data, (2 * x).data, (2 / x).data, (x / 2).data]

    assert values == [6.0, 6.0, -2.0, 2.0, 8.0, 0.5, 2.0]


# ---------------------------------------------------------------- the network

def to_torch(model):
    """The MLP's weights as float64 tensors: [(W (n_out, n_in), b (n_out,), nonlinear)] per layer."""
    return [(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64, requires_grad=True),
             torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64, requires_grad=True),
             layer.neurons[0].nonlinear) for layer in model.layers]


@pytest.mark.parametrize("sizes", [[2, 8, 8, 1], [3, 5, 2], [4, 1]])
def test_mlp_forward_and_backward_match_a_torch_mlp(sizes):
    model = MLP(sizes, seed=1)
    for p in model.parameters():
        p.data += 0.1                          # biases start at 0: move them so a lost bias shows
    layers = to_torch(model)
    x = [0.3 * (i + 1) * (-1) ** i for i in range(sizes[0])]

    out = model([Value(v) for v in x])
    loss = sum(o * o for o in out)
    loss.backward()
    h = torch.tensor(x, dtype=torch.float64)
    for W, b, nonlinear in layers:
        h = W @ h + b
        h = torch.tanh(h) if nonlinear else h
    (h * h).sum().backward()

    assert len(out) == sizes[-1]
    torch.testing.assert_close(f64([o.data for o in out]), h.detach(), **TOL)
    for layer, (W, b, _) in zip(model.layers, layers):
        torch.testing.assert_close(f64([[w.grad for w in n.w] for n in layer.neurons]), W.grad, **TOL)
        torch.testing.assert_close(f64([n.b.grad for n in layer.neurons]), b.grad, **TOL)


def test_mlp_has_tanh_hidden_layers_and_a_linear_output():
    model = MLP([2, 8, 8, 1])

    assert [layer.neurons[0].nonlinear for layer in model.layers] == [True, True, False]
    assert all(n.b.data == 0.0 for layer in model.layers for n in layer.neurons)   # biases start at 0
    assert len(model.parameters()) == (2 + 1) * 8 + (8 + 1) * 8 + (8 + 1) * 1
    assert len({id(p) for p in model.parameters()}) == len(model.parameters())


def test_neuron_and_layer_compute_w_dot_x_plus_b():
    rng = __import__("random").Random(0)
    n = Neuron(3, nonlinear=False, rng=rng)
    n.b.data = 0.25
    layer = Layer(3, 2, nonlinear=True, rng=rng)
    x = [1.0, -2.0, 0.5]

    assert n(x).data == pytest.approx(sum(w.data * xi for w, xi in zip(n.w, x)) + 0.25, rel=1e-15)
    assert [o.data for o in layer(x)] == pytest.approx(
        [math.tanh(sum(w.data * xi for w, xi in zip(m.w, x)) + m.b.data) for m in layer.neurons], rel=1e-15)


def test_mlp_weights_come_from_the_seed():
    a, b, c = MLP([2, 4, 1], seed=3), MLP([2, 4, 1], seed=3), MLP([2, 4, 1], seed=4)
    weights = lambda m: [p.data for p in m.parameters()]

    assert weights(a) == weights(b) != weights(c)
    assert all(-1 <= w <= 1 for w in weights(a))


def test_mlp_without_a_seed_draws_its_weights_from_random_seed_0():
    """The default seed is 0: MLP(sizes) draws its weights in order, neuron by neuron, from
    random.Random(0).uniform(-1, 1), the same on every machine (pure Python floats)."""
    rng = __import__("random").Random(0)
    expected = [rng.uniform(-1, 1) for _ in range(2 * 4 + 4 * 1)]
    model = MLP([2, 4, 1])

    assert [w.data for layer in model.layers for n in layer.neurons for w in n.w] == expected


def test_logistic_loss_is_softplus_of_minus_margin():
    for score, y in [(2.0, 1.0), (2.0, -1.0), (-0.3, 1.0), (0.0, -1.0)]:
        s = torch.tensor(score, dtype=torch.float64)
        assert logistic_loss(Value(score), y).data == pytest.approx(F.softplus(-y * s).item(), rel=1e-14)


def test_moons_are_generated_with_labels_plus_minus_one():
    X, ys = moons(50, seed=0)

    assert len(X) == len(ys) == 50 and all(len(x) == 2 for x in X)
    assert sorted(set(ys)) == [-1.0, 1.0] and ys.count(1.0) == 25
    assert moons(50, seed=0) == (X, ys) != moons(50, seed=1)


def test_one_training_step_is_a_gradient_step_with_rate_1_on_the_mean_loss():
    X, ys = moons(60, seed=0)
    model = MLP([2, 8, 8, 1], seed=7)
    loss = sum(logistic_loss(model(x)[0], y) for x, y in zip(X, ys)) * (1 / 60)
    loss.backward()
    expected = [p.data - 1.0 * p.grad for p in model.parameters()]

    stepped, losses = train_moons(steps=1, seed=7)

    assert losses == [pytest.approx(loss.data, rel=1e-12)]
    assert [p.data for p in stepped.parameters()] == pytest.approx(expected, rel=1e-12, abs=1e-15)


def test_training_is_deterministic():
    first, losses_first = train_moons(steps=3, seed=5)
    second, losses_second = train_moons(steps=3, seed=5)

    assert losses_first == losses_second
    assert [p.data for p in first.parameters()] == [p.data for p in second.parameters()]


def test_mlp_learns_the_moons_to_97_percent_on_held_out_points():
    model, losses = train_moons_cached(seed=0)   # the notebook's run: trained once per test session
    held_out = moons(500, seed=1)

    assert accuracy(model, *held_out) >= 0.97
    assert accuracy(model, *moons(60, seed=0)) >= 0.97
    assert len(losses) == 100 and losses[-1] < losses[0] / 4
    assert accuracy(MLP([2, 8, 8, 1], seed=0), *held_out) < 0.9   # untrained: far from it


def test_train_moons_cached_trains_once_then_loads_the_same_model(tmp_path, monkeypatch):
    monkeypatch.setenv("MICROGRAD_CACHE_DIR", str(tmp_path))
    first, losses_first = train_moons_cached(steps=2, seed=3)
    monkeypatch.setattr(micrograd_moons, "train_moons", lambda *a, **k: pytest.fail("trained again instead of reusing the cache"))
    second, losses_second = train_moons_cached(steps=2, seed=3)
    fresh, losses_fresh = train_moons(steps=2, seed=3)

    assert len(list(tmp_path.glob("*.json"))) == 1
    assert losses_first == losses_second == losses_fresh
    assert [p.data for p in first.parameters()] == [p.data for p in second.parameters()] == [p.data for p in fresh.parameters()]


def test_train_moons_cached_keeps_runs_with_other_arguments_apart(tmp_path, monkeypatch):
    monkeypatch.setenv("MICROGRAD_CACHE_DIR", str(tmp_path))
    one, _ = train_moons_cached(steps=1, seed=3)
    other, _ = train_moons_cached(steps=1, seed=4)

    assert len(list(tmp_path.glob("*.json"))) == 2
    assert [p.data for p in one.parameters()] != [p.data for p in other.parameters()]


# ---------------------------------------------------------------- micrograd_moons.py, each function quickly
# scripts/mutation.py runs these for every change it makes to snippets/micrograd_moons.py; the
# 97 % test above trains 100 steps on 60 points (seconds per run) and is left out of that run.

def test_moons_are_sklearns_make_moons_with_noise_0_1_and_labels_plus_minus_one():
    from sklearn.datasets import make_moons
    X, labels = make_moons(n_samples=40, noise=0.1, random_state=3)

    assert moons(40, seed=3) == (X.tolist(), [1.0 if label == 1 else -1.0 for label in labels])


def test_accuracy_counts_the_points_whose_score_has_the_labels_sign():
    """A stand-in model whose score is the point's first coordinate (and a second output, 1, that
    accuracy must ignore). A score of exactly 0 counts as the negative class."""
    model = lambda x: [Value(x[0]), Value(1.0)]
    X = [[-1.0, 0.0], [0.0, 0.0], [0.5, 0.0], [2.0, 0.0], [-0.3, 0.0], [1.5, 0.0]]
    ys = [-1.0, -1.0, 1.0, -1.0, 1.0, 1.0]                      # right, right, right, wrong, wrong, right

    assert accuracy(model, X, ys) == pytest.approx(4 / 6)
    assert accuracy(model, X[:3], ys[:3]) == 1.0 and accuracy(model, X[3:5], ys[3:5]) == 0.0


def test_train_moons_uses_60_moons_of_seed_0_and_its_defaults(monkeypatch):
    """moons() replaced by two points, so that the default 100 steps take a moment: train_moons asks
    for moons(60, seed=0), and its defaults are 100 steps at rate 1.0 from MLP seed 0."""
    asked = []
    monkeypatch.setattr(micrograd_moons, "moons", lambda n, seed: asked.append((n, seed)) or ([[0.5, -0.2], [-1.0, 0.3]], [1.0, -1.0]))
    model, losses = train_moons()
    same, same_losses = train_moons(steps=100, lr=1.0, seed=0)
    _, other_rate = train_moons(steps=100, lr=0.5, seed=0)
    _, other_seed = train_moons(steps=100, lr=1.0, seed=1)

    assert asked == [(60, 0)] * 4
    assert len(losses) == 100 and losses == same_losses
    assert [p.data for p in model.parameters()] == [p.data for p in same.parameters()]
    assert other_rate != losses and other_seed != losses


def test_train_moons_cached_without_a_cache_dir_just_trains(monkeypatch):
    monkeypatch.delenv("MICROGRAD_CACHE_DIR", raising=False)
    calls = []
    monkeypatch.setattr(micrograd_moons, "train_moons", lambda *args: calls.append(args) or ("model", "losses"))

    assert train_moons_cached() == ("model", "losses")
    assert train_moons_cached(7, 0.5, 2) == ("model", "losses")
    assert calls == [(100, 1.0, 0), (7, 0.5, 2)]


def test_train_moons_cached_names_the_file_after_the_run_and_the_sources(tmp_path, monkeypatch):
    """A folder that does not exist yet; one .json named after steps, rate, seed and a 12-digit hash
    of micrograd_moons.py and micrograd.py; its lock beside it, nothing else."""
    import hashlib
    import json
    import re
    from pathlib import Path

    cache = tmp_path / "not" / "yet"
    monkeypatch.setenv("MICROGRAD_CACHE_DIR", str(cache))
    calls, real_train = [], micrograd_moons.train_moons
    monkeypatch.setattr(micrograd_moons, "train_moons", lambda *args: calls.append(args) or real_train(*args))
    first, losses_first = train_moons_cached(2, 0.5, 3)
    second, losses_second = train_moons_cached(2, 0.5, 3)

    here = Path(micrograd_moons.__file__).parent
    key = hashlib.sha256((here / "micrograd_moons.py").read_bytes() + (here / "micrograd.py").read_bytes()).hexdigest()[:12]
    name = f"moons-steps2-lr0.5-seed3-{key}"
    assert re.fullmatch(r"[0-9a-f]{12}", key)
    assert calls == [(2, 0.5, 3)]
    assert sorted(p.name for p in cache.iterdir()) == [name + ".json", name + ".lock"]
    saved = json.loads((cache / (name + ".json")).read_text())
    assert saved == {"parameters": [p.data for p in first.parameters()], "losses": losses_first}
    assert len(losses_first) == 2 and losses_second == losses_first
    assert [p.data for p in second.parameters()] == [p.data for p in first.parameters()]


def test_concurrent_train_moons_cached_calls_train_once(tmp_path, monkeypatch):
    """Two threads asking for the same run: the second waits on the lock file, then loads."""
    import threading
    import time

    monkeypatch.setenv("MICROGRAD_CACHE_DIR", str(tmp_path))
    calls, real_train = [], micrograd_moons.train_moons

    def slow_train(*args):
        calls.append(args)
        time.sleep(0.5)                                         # the other thread arrives meanwhile
        return real_train(*args)

    monkeypatch.setattr(micrograd_moons, "train_moons", slow_train)
    results = []
    threads = [threading.Thread(target=lambda: results.append(train_moons_cached(1, 1.0, 6))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert calls == [(1, 1.0, 6)]
    assert results[0][1] == results[1][1]


def test_train_moons_cached_rejects_a_saved_run_with_a_parameter_missing(tmp_path, monkeypatch):
    """The MLP has 2*8+8 + 8*8+8 + 8+1 = 105 parameters; a file holding 104 is not loaded by halves."""
    import hashlib
    import json
    from pathlib import Path

    monkeypatch.setenv("MICROGRAD_CACHE_DIR", str(tmp_path))
    here = Path(micrograd_moons.__file__).parent
    key = hashlib.sha256((here / "micrograd_moons.py").read_bytes() + (here / "micrograd.py").read_bytes()).hexdigest()[:12]
    (tmp_path / f"moons-steps1-lr1.0-seed0-{key}.json").write_text(json.dumps({"parameters": [0.5] * 104, "losses": [0.7]}))

    assert len(MLP([2, 8, 8, 1]).parameters()) == 105
    with pytest.raises(ValueError, match="zip"):
        train_moons_cached(1, 1.0, 0)
