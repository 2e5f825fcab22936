"""Quality versus training time of snippets/gan.py, over seeds and step counts.

Prints one row per (seed, steps): seconds of training, and the judge's confidence,
classes covered, class entropy, Frechet distance and nearest-neighbour distance to
the training digits (snippets/gan_quality.py), then the worst and median over seeds
for each step count, then each seed's margins to the gate at the last step count. Steps 0 is the untrained
generator; the last line judges held-out real digits: the two bounds. DEFAULT_STEPS in snippets/gan.py is
read off this table. One training run per seed, judged at each checkpoint: the
first n steps of a long run are exactly a run of n steps (no schedule depends on
the total).

    python scripts/bench_gan.py                      # seeds 0-9, up to 10,000 steps
    python scripts/bench_gan.py --seeds 0 1 2 --steps 300 6000 --threads 2
    ATEN_CPU_CAPABILITY=default python scripts/bench_gan.py --seeds 0 1 2 --steps 6000

ATEN_CPU_CAPABILITY (default, avx2, avx512) forces PyTorch's CPU kernels to one level: a
cheap way to see how far the numbers move on another CPU.
"""
import argparse
import os
import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from snippets.gan import DEFAULT_STEPS, Generator, sample, train  # noqa: E402
from snippets.gan_quality import Judge, gate  # noqa: E402

ROW = "{:>6} {:>6} {:>8} {:>11} {:>8} {:>8} {:>8} {:>8}"


def fmt(seed, steps, seconds, q):
    return ROW.format(seed, steps, f"{seconds:.1f}", f"{q['confidence']:.3f}", q["classes"],
                      f"{q['entropy']:.3f}", f"{q['frechet']:.2f}", f"{q['nearest']:.3f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(range(10)))
    parser.add_argument("--steps", type=int, nargs="+",
                        default=[1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 10000])
    parser.add_argument("--threads", type=int, default=1, help="train(threads=...)")
    args = parser.parse_args(argv)
    checkpoints = sorted(set(args.steps))

    judge = Judge()
    n = len(judge.real)
    real = judge(judge.real)
    print(f"torch {torch.__version__}, ATEN_CPU_CAPABILITY={os.environ.get('ATEN_CPU_CAPABILITY', '')}, "
          f"threads {args.threads}, judge held-out accuracy {judge.accuracy:.3f}, "
          f"n = {n} samples per side, DEFAULT_STEPS = {DEFAULT_STEPS}")
    print(ROW.format("seed", "steps", "seconds", "confidence", "classes", "entropy", "frechet", "nearest"))
    results = {}  # steps -> list of judge dicts over seeds; steps 0 = untrained generator
    for seed in args.seeds:
        untrained = Generator(torch.Generator().manual_seed(seed)).eval()  # as train() inits it
        q = judge(sample(untrained, n, seed=seed))
        results.setdefault(0, []).append(q)
        print(fmt(seed, 0, 0.0, q), flush=True)
        clock = {"start": time.perf_counter(), "paused": 0.0}

        def callback(step, G, seed=seed, clock=clock):
            if step in checkpoints:
                t0 = time.perf_counter()
                seconds = t0 - clock["start"] - clock["paused"]
                q = judge(sample(G, n, seed=seed))
                results.setdefault(step, []).append(q)
                print(fmt(seed, step, seconds, q), flush=True)
                clock["paused"] += time.perf_counter() - t0  # judging is not training time

        train(checkpoints[-1], seed=seed, threads=args.threads, callback=callback)

    print()
    print("worst / median over seeds", args.seeds)
    print("{:>6} {:>16} {:>11} {:>16} {:>16}".format(
        "steps", "confidence", "classes", "entropy", "frechet"))
    for step in [0] + checkpoints:
        qs = results[step]

        def wm(key, worst):
            vals = [q[key] for q in qs]
            return f"{worst(vals):.3f} / {statistics.median(vals):.3f}"
        print("{:>6} {:>16} {:>11} {:>16} {:>16}".format(
            step, wm("confidence", min), f"{min(q['classes'] for q in qs)} / "
            f"{statistics.median(q['classes'] for q in qs):g}",
            wm("entropy", min), wm("frechet", max)))
    print(f"held-out real digits: confidence {real['confidence']:.3f}, classes {real['classes']}, "
          f"entropy {real['entropy']:.3f}, frechet {real['frechet']:.2f}, nearest {real['nearest']:.3f}")
    print()
    print(f"gate margins at {checkpoints[-1]} steps (>= 0 passes; frechet also as a multiple of REAL's)")
    for seed, q in zip(args.seeds, results[checkpoints[-1]]):
        margins = "  ".join(f"{k} {v:+.3f}" for k, v in gate(q, real).items())
        print(f"seed {seed}: {margins}  frechet/REAL {q['frechet'] / real['frechet']:.2f}")


if __name__ == "__main__":
    main()
