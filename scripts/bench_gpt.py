"""Training speed and quality of snippets/gpt.py, with our attention and with PyTorch's fused one.

Trains the same GPT (same seed, same batches, same steps) three ways and prints, for each, the
training time (wall clock, and CPU time of this process), the throughput in characters per second
(steps x B x T / seconds, by wall clock and by CPU time) and the validation loss reached:

    ours                    snippets/attention.py: explicit Q K^T / sqrt(d_k), masked_fill, softmax
    sdpa(attn_mask)         F.scaled_dot_product_attention with the same boolean causal mask
    sdpa(is_causal)         F.scaled_dot_product_attention(is_causal=True), no mask tensor

The swap replaces the name `attention` that snippets/multi_head_attention.py imported, so
everything else (projections, blocks, optimizer, data) is the same code. Then the uniform,
unigram and bigram baselines on the same split. Training runs on one thread (snippets/gpt.py
sets it); the machine's load average is printed before and after, because other processes on a
shared machine slow every row: the wall clock then counts time spent waiting for a core, the
CPU time does not (it still grows a little, as the processes share caches). Repeat with --repeats and read the fastest run of each; --seeds
shows how much the validation loss moves from seed to seed (DEFAULT_STEPS was read off that).

    python scripts/bench_gpt.py                             # DEFAULT_STEPS, seed 0, 1 repeat
    python scripts/bench_gpt.py --repeats 2
    python scripts/bench_gpt.py --variants ours --seeds 0 1 2 3
"""
import argparse
import datetime
import os
import pathlib
import platform
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import snippets.multi_head_attention as mha  # noqa: E402
from snippets import gpt  # noqa: E402
from snippets.char_baselines import bigram_loss, unigram_loss, uniform_loss  # noqa: E402


def sdpa_with_mask(q, k, v, mask=None, dropout_p=0.0):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=dropout_p)


def sdpa_is_causal(q, k, v, mask=None, dropout_p=0.0):
    return F.scaled_dot_product_attention(q, k, v, dropout_p=dropout_p, is_causal=True)


VARIANTS = {"ours": mha.attention, "sdpa(attn_mask)": sdpa_with_mask, "sdpa(is_causal)": sdpa_is_causal}


def cpu_name():
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def run(variant, steps, seed):
    mha.attention = VARIANTS[variant]
    try:
        start, cpu_start = time.perf_counter(), time.process_time()
        model, curve = gpt.train(steps, seed)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    finally:
        mha.attention = VARIANTS["ours"]
    return seconds, cpu, curve["val"][-1, 1].item(), curve["train"][-20:].mean().item()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=gpt.DEFAULT_STEPS)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    args = parser.parse_args(argv)

    print(f"date     {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
    print(f"machine  {cpu_name()}, {os.cpu_count()} logical CPUs, {platform.platform()}")
    print(f"torch    {torch.__version__}, CPU capability {torch.backends.cpu.get_cpu_capability()}, "
          f"ATEN_CPU_CAPABILITY={os.environ.get('ATEN_CPU_CAPABILITY', '(unset)')}, training on 1 thread")
    print(f"command  python {' '.join(sys.argv)}")
    print(f"text     pydoc_data.topics, {len(gpt.TEXT):,} characters, sha256 {gpt.TEXT_SHA256[:16]}…, "
          f"vocabulary {len(gpt.chars)}")
    print(f"model    {gpt.N_LAYER} blocks, {gpt.N_HEAD} heads, C = {gpt.N_EMBD}, T = {gpt.BLOCK_SIZE}, "
          f"B = {gpt.BATCH_SIZE}, {args.steps} steps, seeds {args.seeds}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    chars_per_run = args.steps * gpt.BATCH_SIZE * gpt.BLOCK_SIZE
    print(f"{'variant':<16} {'seed':>4} {'seconds':>8} {'CPU s':>6} {'chars/s':>9} {'chars/CPU s':>11} "
          f"{'val loss':>9} {'train loss':>11}")
    best, best_cpu = {}, {}
    for _ in range(args.repeats):
        for seed in args.seeds:
            for variant in args.variants:
                seconds, cpu, val, train_loss = run(variant, args.steps, seed)
                best[variant] = min(best.get(variant, seconds), seconds)
                best_cpu[variant] = min(best_cpu.get(variant, cpu), cpu)
                print(f"{variant:<16} {seed:>4} {seconds:>8.1f} {cpu:>6.1f} {chars_per_run / seconds:>9,.0f} "
                      f"{chars_per_run / cpu:>11,.0f} {val:>9.4f} {train_loss:>11.4f}", flush=True)
    print(f"load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if "ours" in best:
        for variant in best:
            if variant != "ours":
                print(f"{variant} against ours, fastest runs: {best['ours'] / best[variant]:.2f}x the throughput "
                      f"by wall clock, {best_cpu['ours'] / best_cpu[variant]:.2f}x by CPU time")
    train_data, val_data = gpt.train_val_split()
    V = len(gpt.chars)
    print(f"baselines on the same split (nats/char): uniform {uniform_loss(V):.4f}, "
          f"unigram {unigram_loss(train_data, val_data, V):.4f}, bigram {bigram_loss(train_data, val_data, V):.4f}")


if __name__ == "__main__":
    main()
