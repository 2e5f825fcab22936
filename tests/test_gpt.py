"""Claims of docs/gpt.md about snippets/gpt.py and snippets/char_baselines.py.

One GPT block against torch.nn.TransformerEncoderLayer(norm_first=True, activation="gelu",
batch_first=True), weight for weight, values and gradients; the causal mask as a property
(hypothesis); the formulas the page states (cross-entropy, GELU, LayerNorm); data, sampling and
determinism; and the quality of one training run at the default budget, shared by the whole test
session through $GPT_CACHE_DIR (snippets.gpt.train_cached; the notebook reuses it).
"""
import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from snippets import gpt
from snippets.char_baselines import bigram_loss, unigram_loss, uniform_loss
from snippets.gpt import (
    DEFAULT_STEPS, GPT, TEXT, chars, cross_entropy, decode, encode, evaluate, generate, get_batch,
    learning_rate, train, train_cached, train_val_split,
)

TOL = {torch.float32: dict(rtol=1e-4, atol=1e-5), torch.float64: dict(rtol=1e-10, atol=1e-12)}
C, H = 32, 4  # a small block: C = d_model, H heads


# ---------------------------------------------------------------- one block against PyTorch's layer

def twin_blocks(dropout, seed, dtype=torch.float32):
    """Our GPT block, with every bias and LayerNorm parameter moved off PyTorch's init, and
    nn.TransformerEncoderLayer holding the same weights."""
    g = torch.Generator().manual_seed(seed)
    ours = GPT(vocab_size=11, block_size=16, n_layer=1, n_head=H, n_embd=C, dropout=dropout, gen=g)
    ours = ours.blocks[0].to(dtype)
    with torch.no_grad():
        for name, p in ours.named_parameters():
            if name.endswith("bias") or name.startswith("norm"):
                p.add_(0.5 * torch.randn(p.shape, generator=g, dtype=dtype))
    ref = nn.TransformerEncoderLayer(C, H, 4 * C, dropout=dropout, activation="gelu", batch_first=True,
                                     norm_first=True, dtype=dtype)
    a = ours.self_attn
    with torch.no_grad():
        ref.self_attn.in_proj_weight.copy_(torch.cat([a.W_Q.weight, a.W_K.weight, a.W_V.weight]))
        ref.self_attn.in_proj_bias.copy_(torch.cat([a.W_Q.bias, a.W_K.bias, a.W_V.bias]))
        ref.self_attn.out_proj.load_state_dict(a.W_O.state_dict())
        ref.linear1.load_state_dict(ours.ffn.W_1.state_dict())
        ref.linear2.load_state_dict(ours.ffn.W_2.state_dict())
        ref.norm1.load_state_dict(ours.norm1.state_dict())
        ref.norm2.load_state_dict(ours.norm2.state_dict())
    return ours, ref, g


def parameter_grads(ours, ref):
    """Gradients of both layers, ours arranged like PyTorch's (in_proj stacks W_Q, W_K, W_V)."""
    a = ours.self_attn
    mine = [torch.cat([a.W_Q.weight.grad, a.W_K.weight.grad, a.W_V.weight.grad]),
            torch.cat([a.W_Q.bias.grad, a.W_K.bias.grad, a.W_V.bias.grad]),
            a.W_O.weight.grad, a.W_O.bias.grad,
            ours.ffn.W_1.weight.grad, ours.ffn.W_1.bias.grad, ours.ffn.W_2.weight.grad, ours.ffn.W_2.bias.grad,
            ours.norm1.weight.grad, ours.norm1.bias.grad, ours.norm2.weight.grad, ours.norm2.bias.grad]
    theirs = [ref.self_attn.in_proj_weight.grad, ref.self_attn.in_proj_bias.grad,
              ref.self_attn.out_proj.weight.grad, ref.self_attn.out_proj.bias.grad,
              ref.linear1.weight.grad, ref.linear1.bias.grad, ref.linear2.weight.grad, ref.linear2.bias.grad,
              ref.norm1.weight.grad, ref.norm1.bias.grad, ref.norm2.weight.grad, ref.norm2.bias.grad]
    return mine, theirs


def compare_block(dropout, B, T, seed, train_mode, dtype=torch.float32):
    ours, ref, g = twin_blocks(dropout, seed, dtype)
    ours.train(train_mode), ref.train(train_mode)
    x = torch.randn(B, T, C, generator=g, dtype=dtype)
    w = torch.randn(B, T, C, generator=g, dtype=dtype)          # a random linear loss: checks every output
    causal = torch.ones(T, T, dtype=torch.bool).tril()          # True = may attend
    x_ours, x_ref = x.clone().requires_grad_(), x.clone().requires_grad_()

    torch.manual_seed(seed)                                     # PyTorch's dropout draws from the global RNG
    out = ours(x_ours, causal)
    torch.manual_seed(seed)
    expected = ref(x_ref, src_mask=~causal)                     # True = blocked, for PyTorch
    (out * w).sum().backward()
    (expected * w).sum().backward()

    torch.testing.assert_close(out, expected, **TOL[dtype])
    torch.testing.assert_close(x_ours.grad, x_ref.grad, **TOL[dtype])
    mine, theirs = parameter_grads(ours, ref)
    for a, b in zip(mine, theirs):
        torch.testing.assert_close(a, b, **TOL[dtype])
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_gpt_block_matches_torch_encoder_layer_in_train_mode_with_dropout(seed):
    """Dropout 0.3 in training mode, at batch size 1. PyTorch draws a dropout mask in the memory
    order of the tensor it drops; nn.MultiheadAttention(batch_first=True) hands its output on as a
    transposed, non-contiguous view, so for B > 1 the two layers consume the same random numbers in
    a different element order. At B = 1 the layouts coincide and one torch.manual_seed gives both the
    same masks: attention weights, residual branches and inside the feed-forward network."""
    compare_block(dropout=0.3, B=1, T=9, seed=seed, train_mode=True)

    ours, _, g = twin_blocks(0.3, seed)
    x, causal = torch.randn(1, 9, C, generator=g), torch.ones(9, 9, dtype=torch.bool).tril()
    torch.manual_seed(0)
    first = ours.train()(x, causal)
    torch.manual_seed(1)
    assert not torch.allclose(first, ours(x, causal))       # dropout is live: another seed, other masks


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("seed", [0, 1])
def test_gpt_block_matches_torch_encoder_layer_without_dropout_at_batch_size_3(seed, dtype):
    compare_block(dropout=0.0, B=3, T=7, seed=seed, train_mode=True, dtype=dtype)


@pytest.mark.parametrize("seed", [0, 1])
def test_gpt_block_matches_torch_encoder_layer_in_eval_mode(seed):
    """Eval mode switches dropout off whatever its rate; B > 1 is then fine."""
    compare_block(dropout=0.3, B=4, T=8, seed=seed, train_mode=False)


def test_gpt_block_matches_torch_fused_fast_path():
    """eval() under no_grad: PyTorch's layer runs its fused kernel; we check that it did."""
    calls, fused = [], torch._transformer_encoder_layer_fwd
    ours, ref, g = twin_blocks(0.0, 3)
    ours.eval(), ref.eval()
    x = torch.randn(2, 6, C, generator=g)
    causal = torch.ones(6, 6, dtype=torch.bool).tril()
    torch._transformer_encoder_layer_fwd = lambda *a, **k: (calls.append(1), fused(*a, **k))[1]
    try:
        with torch.no_grad():
            expected = ref(x, src_mask=~causal)
            out = ours(x, causal)
    finally:
        torch._transformer_encoder_layer_fwd = fused

    assert calls
    torch.testing.assert_close(out, expected, **TOL[torch.float32])


# ---------------------------------------------------------------- the causal mask

SMALL = dict(vocab_size=len(chars), block_size=24, n_layer=2, n_head=2, n_embd=16)


@pytest.fixture(scope="module")
def small_gpt():
    return GPT(**SMALL, gen=torch.Generator().manual_seed(0)).eval()


@settings(max_examples=60, derandomize=True, deadline=None, database=None)
@given(st.data())
def test_changing_a_later_character_never_changes_earlier_logits(small_gpt, data):
    T = data.draw(st.integers(2, SMALL["block_size"]), label="T")
    ids = data.draw(st.lists(st.integers(0, len(chars) - 1), min_size=T, max_size=T), label="ids")
    p = data.draw(st.integers(1, T - 1), label="changed position")
    new = data.draw(st.integers(0, len(chars) - 1).filter(lambda c: c != ids[p]), label="new id")
    changed = ids[:p] + [new] + ids[p + 1:]

    with torch.no_grad():
        before, after = small_gpt(torch.tensor([ids])), small_gpt(torch.tensor([changed]))

    torch.testing.assert_close(after[:, :p], before[:, :p], rtol=0, atol=1e-6)   # nothing flows back
    assert (after[:, p] - before[:, p]).abs().max() > 1e-3                      # but it flows forward


def test_a_model_without_the_mask_would_be_caught(small_gpt):
    """The property above fails for attention that may look ahead (mask all True)."""
    leaky = GPT(**SMALL, gen=torch.Generator().manual_seed(0)).eval()
    leaky.causal.fill_(True)
    ids = encode("for x in y:")
    changed = ids[:-1] + encode("!")

    with torch.no_grad():
        before, after = leaky(torch.tensor([ids])), leaky(torch.tensor([changed]))

    assert (after[:, :-1] - before[:, :-1]).abs().max() > 1e-3


# ---------------------------------------------------------------- the formulas on the page

def test_cross_entropy_is_the_mean_negative_log_probability_of_the_next_character():
    g = torch.Generator().manual_seed(0)
    logits = 3 * torch.randn(2, 5, 7, generator=g, dtype=torch.float64)
    targets = torch.randint(7, (2, 5), generator=g)
    p = logits.softmax(-1)
    by_hand = -sum(math.log(p[b, t, targets[b, t]]) for b in range(2) for t in range(5)) / 10

    assert cross_entropy(logits, targets).item() == pytest.approx(by_hand, rel=1e-12)
    torch.testing.assert_close(cross_entropy(logits, targets), F.cross_entropy(logits.view(-1, 7), targets.view(-1)),
                               **TOL[torch.float64])
    assert cross_entropy(torch.zeros(1, 3, 7), torch.tensor([[0, 3, 6]])).item() == pytest.approx(math.log(7))


def test_gelu_in_every_block_is_x_times_the_normal_cdf():
    model = GPT(**SMALL)
    x = torch.linspace(-6, 6, 1201, dtype=torch.float64)
    exact = torch.tensor([v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x.tolist()], dtype=torch.float64)
    tanh_approx = F.gelu(x, approximate="tanh")

    for block in model.blocks:
        torch.testing.assert_close(block.ffn.activation(x), exact, rtol=0, atol=1e-12)
    assert (tanh_approx - exact).abs().max() > 1e-4     # GPT-2's tanh form differs: the check tells them apart


def test_layer_norm_normalises_each_position_over_its_channels():
    model = GPT(**SMALL).double()
    g = torch.Generator().manual_seed(1)
    x = 3 * torch.randn(2, 5, SMALL["n_embd"], generator=g, dtype=torch.float64) + 1
    for norm in [model.ln_f] + [n for block in model.blocks for n in (block.norm1, block.norm2)]:
        with torch.no_grad():
            norm.weight.copy_(torch.randn(norm.weight.shape, generator=g, dtype=torch.float64))
            norm.bias.copy_(torch.randn(norm.bias.shape, generator=g, dtype=torch.float64))
        mu = x.mean(-1, keepdim=True)
        var = ((x - mu) ** 2).mean(-1, keepdim=True)      # biased: divide by C, not C - 1
        expected = (x - mu) / torch.sqrt(var + 1e-5) * norm.weight + norm.bias

        torch.testing.assert_close(norm(x), expected, **TOL[torch.float64])


# ---------------------------------------------------------------- model, data and sampling

def test_model_maps_ids_to_next_character_logits():
    model = GPT(**SMALL)

    assert model(torch.zeros(3, 10, dtype=torch.long)).shape == (3, 10, len(chars))
    assert model(torch.zeros(1, 24, dtype=torch.long)).shape == (1, 24, len(chars))   # a full block
    with pytest.raises(ValueError, match="longer than block_size=24"):
        model(torch.zeros(1, 25, dtype=torch.long))


def test_init_is_gpt2s_and_comes_from_the_generator():
    a = GPT(**SMALL, gen=torch.Generator().manual_seed(0))
    b = GPT(**SMALL, gen=torch.Generator().manual_seed(0))
    c = GPT(**SMALL, gen=torch.Generator().manual_seed(1))
    big = GPT(vocab_size=50, block_size=64, n_layer=2, n_head=4, n_embd=256, gen=torch.Generator().manual_seed(0))

    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert not torch.equal(a.wte.weight, c.wte.weight)
    assert big.blocks[0].ffn.W_1.weight.std().item() == pytest.approx(0.02, rel=0.02)
    assert big.blocks[0].ffn.W_2.weight.std().item() == pytest.approx(0.02 / math.sqrt(4), rel=0.02)
    assert big.blocks[0].self_attn.W_O.weight.std().item() == pytest.approx(0.02 / math.sqrt(4), rel=0.05)
    assert all(p.abs().max() == 0 for n, p in big.named_parameters() if n.endswith("bias"))
    assert all((p == 1).all() for n, p in big.named_parameters() if n.endswith("norm1.weight") or n == "ln_f.weight")


def test_default_configuration_is_the_one_the_page_describes():
    model = GPT(len(chars))

    assert (model.block_size, len(model.blocks), model.blocks[0].self_attn.h, model.wte.embedding_dim) == (32, 2, 4, 64)
    assert model.blocks[0].ffn.W_1.out_features == 4 * 64 and model.blocks[0].norm_first
    assert (gpt.BATCH_SIZE, gpt.LR, gpt.WARMUP, DEFAULT_STEPS, gpt.EVAL_EVERY) == (96, 4e-3, 30, 800, 200)


def test_first_two_training_steps_are_adamw_steps_on_get_batch_windows():
    """train() = AdamW(betas 0.9 and 0.99, no weight decay) at the warm-up's rates, on get_batch's windows.
    Two steps: in the first, Adam's update is lr * sign(gradient) whatever the betas."""
    gen = torch.Generator().manual_seed(9)
    model = GPT(len(chars), gen=gen)
    opt = torch.optim.AdamW(model.parameters(), betas=(0.9, 0.99), weight_decay=0.0)
    train_data, losses = train_val_split()[0], []
    for step in range(2):
        opt.param_groups[0]["lr"] = gpt.LR * (step + 1) / gpt.WARMUP
        x, y = get_batch(train_data, gen)
        loss = cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())

    trained, curve = train(2, seed=9)

    assert curve["train"].tolist() == pytest.approx(losses, rel=1e-6)
    for p, q in zip(trained.parameters(), model.parameters()):
        torch.testing.assert_close(p, q, rtol=1e-5, atol=1e-7)


def test_text_is_pythons_documentation_split_90_10():
    from pydoc_data.topics import topics
    train_data, val_data = train_val_split()

    assert TEXT.startswith(topics[min(topics)]) and topics["for"] in TEXT
    assert len(TEXT) == sum(map(len, topics.values())) + 2 * (len(topics) - 1)   # joined by blank lines
    assert gpt.TEXT_SHA256 == __import__("hashlib").sha256(TEXT.encode()).hexdigest()
    assert len(TEXT) > 100_000
    assert len(train_data) == int(0.9 * len(TEXT)) and len(train_data) + len(val_data) == len(TEXT)
    assert decode(train_data[:200]) + decode(val_data[-200:]) == TEXT[:200] + TEXT[-200:]
    assert decode(val_data[:50]) == TEXT[len(train_data):len(train_data) + 50]


def test_vocabulary_is_every_character_of_the_text_once():
    assert chars == sorted(set(TEXT))
    assert decode(encode(TEXT[:5000])) == TEXT[:5000]
    assert encode("\n a") == [0, 1, chars.index("a")]
    with pytest.raises(ValueError, match="not in the vocabulary"):
        encode("λx")


def test_batches_are_windows_and_their_next_characters():
    data = torch.arange(1000)
    x, y = get_batch(data, torch.Generator().manual_seed(0), batch_size=5, block_size=8)
    x2, _ = get_batch(data, torch.Generator().manual_seed(0), batch_size=5, block_size=8)

    assert x.shape == y.shape == (5, 8)
    assert torch.equal(y, x + 1)                                   # the target is the next character
    assert torch.equal(x[:, 1:] - x[:, :-1], torch.ones(5, 7, dtype=torch.long))  # contiguous windows
    assert torch.equal(x, x2) and y.max() < 1000
    x, y = get_batch(torch.arange(9), torch.Generator().manual_seed(1), batch_size=50, block_size=8)
    assert torch.equal(x, torch.arange(8).expand(50, 8)) and torch.equal(y, x + 1)   # the only window there is


def test_learning_rate_warms_up_then_decays_to_a_tenth():
    steps = 500
    lrs = [learning_rate(s, steps) for s in range(steps)]

    assert lrs[0] == pytest.approx(gpt.LR / gpt.WARMUP)
    assert max(lrs) == pytest.approx(gpt.LR) and lrs.index(max(lrs)) == gpt.WARMUP - 1
    assert all(a >= b for a, b in zip(lrs[gpt.WARMUP - 1:], lrs[gpt.WARMUP:]))
    assert learning_rate(steps, steps) == pytest.approx(gpt.LR / 10)
    middle = gpt.WARMUP + (steps - gpt.WARMUP) // 2                # cosine at half way: 0.1 + 0.9 / 2
    assert learning_rate(middle, steps) == pytest.approx(0.55 * gpt.LR)


def test_evaluate_is_the_mean_loss_over_whole_windows():
    model = GPT(**SMALL, gen=torch.Generator().manual_seed(2))
    data = torch.randint(len(chars), (24 * 5 + 7,), generator=torch.Generator().manual_seed(3))
    x, y = data[:120].view(5, 24), data[1:121].view(5, 24)
    with torch.no_grad():
        expected = cross_entropy(model.eval()(x), y).item()
    model.train()

    assert evaluate(model, data, windows_per_batch=2) == pytest.approx(expected, rel=1e-5)
    assert model.training                                          # the caller's mode is restored


def test_generate_returns_the_prompt_and_n_characters_from_the_vocabulary(small_gpt):
    text = generate(small_gpt, "def ", 40, seed=0)

    assert text.startswith("def ") and len(text) == 44
    assert set(text) <= set(chars)
    assert generate(small_gpt, "def ", 40, seed=0) == text != generate(small_gpt, "def ", 40, seed=1)
    long_prompt = "".join(chars[i % len(chars)] for i in range(100))
    cropped = generate(small_gpt, long_prompt[-24:], 20, seed=0)   # block_size = 24: only those count
    assert generate(small_gpt, long_prompt, 20, seed=0) == long_prompt[:-24] + cropped
    with pytest.raises(ValueError, match="at least one character"):
        generate(small_gpt, "", 5)


def test_top_k_1_and_low_temperature_are_greedy(small_gpt):
    prompt = "class A:\n    pass\n" * 2                     # 30 characters: longer than block_size = 24
    ids = encode(prompt)
    with torch.no_grad():
        for _ in range(15):
            ids.append(small_gpt(torch.tensor([ids[-24:]]))[0, -1].argmax().item())
    greedy = decode(ids)

    assert generate(small_gpt, prompt, 15, seed=0, top_k=1) == greedy
    assert generate(small_gpt, prompt, 15, seed=1, top_k=1) == greedy
    assert generate(small_gpt, prompt, 15, seed=0, temperature=1e-4) == greedy


def test_top_k_samples_only_from_the_k_most_likely(small_gpt):
    with torch.no_grad():
        top3 = set(small_gpt(torch.tensor([encode("import")]))[0, -1].topk(3).indices.tolist())
    firsts = {generate(small_gpt, "import", 1, seed=s, top_k=3)[-1] for s in range(40)}

    assert set(encode("".join(firsts))) <= top3 and len(firsts) >= 2


# ---------------------------------------------------------------- determinism

def test_same_seed_gives_the_same_model_and_another_seed_does_not():
    a, curve_a = train(12, seed=3)
    b, curve_b = train(12, seed=3)
    c, _ = train(12, seed=4)

    assert torch.equal(curve_a["train"], curve_b["train"]) and torch.equal(curve_a["val"], curve_b["val"])
    assert generate(a, "if ", 30, seed=0) == generate(b, "if ", 30, seed=0)
    assert not torch.equal(a.wte.weight, c.wte.weight)


def test_thread_count_does_not_change_training_or_samples():
    """One thread inside train(): on this machine two threads give other last bits (matrix products
    split differently), so this test fails if train() ran on the caller's thread count."""
    threads = torch.get_num_threads()
    results = []
    try:
        for n in (1, 2):
            torch.set_num_threads(n)
            model, curve = train(12, seed=5)
            results.append((curve["train"], generate(model, "while ", 60, seed=0), model.wte.weight.detach()))
            assert torch.get_num_threads() == n                     # restored for the caller
    finally:
        torch.set_num_threads(threads)

    assert torch.equal(results[0][0], results[1][0])
    assert results[0][1] == results[1][1]
    assert torch.equal(results[0][2], results[1][2])


def test_train_cached_reuses_a_saved_run_without_training_again(tmp_path, monkeypatch):
    monkeypatch.setenv("GPT_CACHE_DIR", str(tmp_path))
    first, curve_first = train_cached(6, seed=2)
    monkeypatch.setattr(gpt, "train", lambda *a, **k: pytest.fail("trained again instead of reusing the cache"))
    second, curve_second = train_cached(6, seed=2)
    saved = list(tmp_path.glob("*.pt"))

    assert len(saved) == 1 and f"torch{torch.__version__}" in saved[0].name
    assert generate(first, "a", 20) == generate(second, "a", 20)
    assert torch.equal(curve_first["train"], curve_second["train"])


# ---------------------------------------------------------------- baselines and the trained model

def test_baselines_count_characters_and_pairs():
    train_data = torch.tensor([0, 1, 1, 2, 1, 0, 1])
    val_data = torch.tensor([1, 0, 2])
    V = 3
    unigram = [(train_data == c).sum().item() + 1 for c in range(V)]
    pairs = [[1 + sum(1 for a, b in zip(train_data.tolist(), train_data[1:].tolist()) if (a, b) == (i, j))
              for j in range(V)] for i in range(V)]

    assert uniform_loss(V) == pytest.approx(math.log(3))
    assert unigram_loss(train_data, val_data, V) == pytest.approx(
        -(math.log(unigram[0] / sum(unigram)) + math.log(unigram[2] / sum(unigram))) / 2)
    assert bigram_loss(train_data, val_data, V) == pytest.approx(
        -(math.log(pairs[1][0] / sum(pairs[1])) + math.log(pairs[0][2] / sum(pairs[0]))) / 2)


def test_a_character_never_seen_in_training_keeps_its_add_one_probability():
    """Add-one smoothing covers the whole vocabulary: character 2 never occurs in the training text
    (torch.bincount without minlength would count only 0 and 1), yet it has probability 1 / (3 + V)
    alone and 1 / 4 after character 0, whose row holds 1 + 1 (0 -> 1) + 1 + 1."""
    train_data, val_data, V = torch.tensor([0, 1, 0]), torch.tensor([0, 2]), 3

    assert unigram_loss(train_data, val_data, V) == pytest.approx(-math.log(1 / (3 + V)))
    assert bigram_loss(train_data, val_data, V) == pytest.approx(-math.log(1 / 4))


def test_bigram_loss_scores_each_validation_character_after_the_one_before_it():
    """All len(val) - 1 pairs (val[i], val[i + 1]) count, each once, and their probabilities differ:
    pairing a character with another neighbour changes the loss."""
    train_data = torch.tensor([0, 1, 2, 0, 1, 1, 0, 2, 2, 2])
    val_data = torch.tensor([2, 0, 1, 1, 2])
    V = 3
    pairs = [[1] * V for _ in range(V)]
    for a, b in zip(train_data.tolist(), train_data[1:].tolist()):
        pairs[a][b] += 1
    val_pairs = list(zip(val_data.tolist(), val_data[1:].tolist()))

    assert bigram_loss(train_data, val_data, V) == pytest.approx(
        -sum(math.log(pairs[a][b] / sum(pairs[a])) for a, b in val_pairs) / len(val_pairs))


@pytest.fixture(scope="session")
def trained():
    return train_cached(DEFAULT_STEPS, seed=0)


def test_default_budget_beats_every_baseline_and_reaches_1_5_nats_per_character(trained):
    model, curve = trained
    train_data, val_data = train_val_split()
    V = len(chars)
    val_loss = curve["val"][-1, 1].item()
    baselines = [uniform_loss(V), unigram_loss(train_data, val_data, V), bigram_loss(train_data, val_data, V)]

    assert curve["train"].shape == (DEFAULT_STEPS,)
    assert curve["val"][:, 0].tolist() == list(range(0, DEFAULT_STEPS + 1, gpt.EVAL_EVERY))
    assert val_loss == pytest.approx(evaluate(model, val_data), abs=1e-6)
    assert val_loss <= 1.50
    assert baselines[0] > baselines[1] > baselines[2] > val_loss + 0.5
    assert curve["val"][0, 1].item() == pytest.approx(math.log(V), abs=0.05)     # untrained: about uniform


def test_samples_at_two_temperatures_differ_and_lower_temperature_is_more_likely(trained):
    model, _ = trained
    cold = generate(model, "The ", 300, seed=0, temperature=0.5)
    warm = generate(model, "The ", 300, seed=0, temperature=1.0)
    nll = lambda text: evaluate(model, torch.tensor(encode(text)))

    assert cold != warm
    assert nll(cold) < nll(warm)


# ---------------------------------------------------------------- each function, quickly (mutation testing)
# scripts/mutation.py runs these for every change it makes to snippets/gpt.py: small models, few
# steps, and train() on a slice of the text (small_split), so that a run of them takes seconds.

@pytest.fixture
def small_split(monkeypatch):
    """train() on 3,000 training and 700 validation characters of the real split: same code, fast."""
    train_data, val_data = train_val_split()
    small = train_data[:3000], val_data[:700]
    monkeypatch.setattr(gpt, "train_val_split", lambda: small)
    return small


def test_load_text_joins_every_topic_in_key_order_with_a_blank_line_between():
    from pydoc_data.topics import topics
    keys = sorted(topics)
    text = gpt.load_text()

    assert text == "\n\n".join(topics[key] for key in keys)
    assert text.startswith(topics[keys[0]] + "\n\n" + topics[keys[1]] + "\n\n")
    assert text.endswith("\n\n" + topics[keys[-1]])


def test_encode_names_every_unknown_character_once_in_order():
    with pytest.raises(ValueError, match=r"^characters not in the vocabulary: \['λ', 'μ'\]$"):
        encode("aμλμ")


def test_train_val_split_cuts_any_text_at_the_given_fraction():
    train_data, val_data = train_val_split("abcdefghij")          # 90 % of 10 characters
    assert decode(train_data) == "abcdefghi" and decode(val_data) == "j"
    train_data, val_data = train_val_split("abcdefghij", frac=0.3)
    assert decode(train_data) == "abc" and decode(val_data) == "defghij"


def test_default_gpt_has_no_dropout_and_a_dropout_rate_reaches_every_dropout():
    ids = torch.tensor([encode("for i in range(3):")])
    model = GPT(**SMALL, gen=torch.Generator().manual_seed(0))
    with torch.no_grad():
        torch.manual_seed(0)
        in_training = model.train()(ids)
        in_eval = model.eval()(ids)

    assert torch.equal(in_training, in_eval)                        # dropout=0.0: nothing dropped
    leaky = GPT(**SMALL, dropout=0.25)
    rates = [m.p for m in leaky.modules() if isinstance(m, nn.Dropout)]
    assert len(rates) >= 1 + SMALL["n_layer"] and set(rates) == {0.25}
    assert all(block.self_attn.dropout == 0.25 for block in leaky.blocks)   # on the attention weights too


def test_causal_mask_is_a_lower_triangular_boolean_buffer_left_out_of_the_state_dict():
    model = GPT(**SMALL)

    assert model.causal.dtype == torch.bool
    assert torch.equal(model.causal, torch.ones(24, 24, dtype=torch.bool).tril())
    assert set(model.state_dict()) == {name for name, _ in model.named_parameters()}   # weights only


def test_forward_is_embeddings_then_masked_blocks_then_final_norm_and_head(small_gpt):
    idx = torch.tensor([encode("def f(x):"), encode("    pass\n")])   # (2, 9)
    T = idx.shape[1]
    with torch.no_grad():
        x = small_gpt.wte(idx) + small_gpt.wpe(torch.arange(T))     # token + position
        for block in small_gpt.blocks:
            x = block(x, torch.ones(T, T, dtype=torch.bool).tril())
        expected = small_gpt.lm_head(small_gpt.ln_f(x))

        torch.testing.assert_close(small_gpt(idx), expected, rtol=1e-6, atol=1e-6)


def test_every_weight_is_drawn_from_its_gpt2_normal_and_the_residual_scale_uses_n_layer():
    """n_layer = 3: the residual projections (W_O, W_2) have std 0.02 / sqrt(6), every other weight
    0.02, all with mean 0; biases 0, LayerNorm gains 1. Matrices of 8,192 numbers or more, one seed:
    the sample std is within 5 % of the true one, the mean within 5 standard errors of 0."""
    model = GPT(vocab_size=64, block_size=64, n_layer=3, n_head=4, n_embd=128, gen=torch.Generator().manual_seed(0))
    residual = []
    for name, p in model.named_parameters():
        if name.endswith("bias"):
            assert (p == 0).all(), name
        elif p.dim() == 1:
            assert (p == 1).all(), name
        else:
            std = 0.02 / math.sqrt(2 * 3) if name.endswith(("W_O.weight", "W_2.weight")) else 0.02
            residual += [name] if std < 0.02 else []
            assert p.std().item() == pytest.approx(std, rel=0.05), name
            assert abs(p.mean().item()) < 5 * std / math.sqrt(p.numel()), name
    assert len(residual) == 2 * 3                                  # two per block


def test_learning_rate_ends_at_a_tenth_even_one_step_after_warmup():
    steps = gpt.WARMUP + 1
    assert learning_rate(gpt.WARMUP, steps) == pytest.approx(gpt.LR)          # cosine starts at the peak
    assert learning_rate(steps, steps) == pytest.approx(gpt.LR / 10)


def test_train_evaluates_every_eval_every_steps_and_after_the_last(monkeypatch, small_split):
    """EVAL_EVERY = 3 and 7 steps: validation losses at 0, 3, 6 and 7, each the loss of the model as
    it was then (the callback sees the model after each step); the callback sees every step."""
    monkeypatch.setattr(gpt, "EVAL_EVERY", 3)
    seen = []
    model, curve = train(7, seed=1, callback=lambda step, m: seen.append((step, m, m.training, evaluate(m, small_split[1]))))
    untrained = GPT(len(chars), gen=torch.Generator().manual_seed(1))

    assert [step for step, *_ in seen] == [1, 2, 3, 4, 5, 6, 7]
    assert all(m is model and training for _, m, training, _ in seen) and not model.training
    assert curve["train"].shape == (7,)
    assert curve["val"][:, 0].tolist() == [0, 3, 6, 7]
    assert curve["val"][:, 1].tolist() == pytest.approx(
        [evaluate(untrained, small_split[1]), seen[2][3], seen[5][3], seen[6][3]], rel=1e-6)


def test_train_steps_adamw_without_weight_decay_at_the_scheduled_rates(monkeypatch, small_split):
    """WARMUP = 2 so that 4 steps reach the cosine part of the schedule."""
    monkeypatch.setattr(gpt, "WARMUP", 2)
    made = []

    class RecordingAdamW(torch.optim.AdamW):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.rates = []
            made.append(self)

        def step(self, closure=None):
            self.rates.append([group["lr"] for group in self.param_groups])
            return super().step(closure)

    monkeypatch.setattr(torch.optim, "AdamW", RecordingAdamW)
    model, _ = train(4, seed=0)

    (opt,) = made
    assert opt.defaults["betas"] == (0.9, 0.99) and opt.defaults["weight_decay"] == 0.0
    assert opt.rates == [[learning_rate(step, 4)] for step in range(4)]
    assert opt.rates[-1][0] < opt.rates[1][0] == gpt.LR           # the cosine part was reached
    assert [id(p) for g in opt.param_groups for p in g["params"]] == [id(p) for p in model.parameters()]


def test_train_seed_defaults_to_0(small_split):
    _, default = train(2)
    _, seed_0 = train(2, seed=0)
    _, seed_1 = train(2, seed=1)

    assert torch.equal(default["train"], seed_0["train"]) and not torch.equal(default["train"], seed_1["train"])


def test_train_cached_without_a_cache_dir_just_trains(monkeypatch):
    monkeypatch.delenv("GPT_CACHE_DIR", raising=False)
    calls = []
    monkeypatch.setattr(gpt, "train", lambda *args: calls.append(args) or ("model", "curve"))

    assert train_cached() == ("model", "curve")
    assert train_cached(5, seed=3) == ("model", "curve")
    assert calls == [(DEFAULT_STEPS, 0), (5, 3)]


def test_train_cached_names_the_file_after_the_run_and_the_sources(tmp_path, monkeypatch, small_split):
    """A folder that does not exist yet; one .pt named after steps, seed, torch and a 12-digit hash of
    the four sources and the text; its lock beside it, nothing else."""
    import hashlib
    import re
    from pathlib import Path

    cache = tmp_path / "not" / "yet"
    monkeypatch.setenv("GPT_CACHE_DIR", str(cache))
    calls, real_train = [], gpt.train
    monkeypatch.setattr(gpt, "train", lambda *args: calls.append(args) or real_train(*args))
    torch.manual_seed(0)
    first, curve_first = train_cached(3, seed=2)
    after_training = torch.get_rng_state()
    torch.manual_seed(0)
    second, curve_second = train_cached(3, seed=2)

    assert calls == [(3, 2)]
    # torch's global generator ends where training leaves it (PyTorch's own init of the layers
    # draws from it; the GPT-2 init draws from the seeded generator): a notebook's next cell
    # draws the same numbers whether the run was trained or loaded
    assert torch.equal(torch.get_rng_state(), after_training)
    here = Path(gpt.__file__).parent
    sources = b"".join((here / f).read_bytes() for f in ("gpt.py", "encoder_layer.py", "multi_head_attention.py", "attention.py"))
    key = hashlib.sha256(sources + gpt.TEXT_SHA256.encode()).hexdigest()[:12]
    name = f"gpt-steps3-seed2-torch{torch.__version__}-{key}"
    assert re.fullmatch(r"[0-9a-f]{12}", key)
    assert sorted(p.name for p in cache.iterdir()) == [name + ".lock", name + ".pt"]
    assert torch.equal(curve_first["train"], curve_second["train"]) and curve_first["train"].shape == (3,)
    assert not second.training
    for p, q in zip(first.parameters(), second.parameters(), strict=True):
        assert torch.equal(p, q)
