"""Speed of snippets/attention.py against torch.nn.functional.scaled_dot_product_attention on CPU.

Shapes (B, h, T, d) = (8, 8, 512, 64), float32, no mask and causal mask. Both functions get the
same inputs; each is warmed up, then timed `--repeats` times, and the median is printed with the
ratio ours / PyTorch. torch.set_num_threads(--threads) is set first, because the timing depends on
it and torch.set_num_threads is process-wide; the default 1 thread keeps the figure comparable on
a machine whose other cores are busy. Other processes on the machine still disturb the timings:
run it when the machine is quiet and report the date, machine and command it prints.

    python scripts/bench_attention.py                 # 1 thread, 20 repeats
    python scripts/bench_attention.py --threads 2 --repeats 50
"""
import argparse
import datetime
import os
import pathlib
import platform
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from snippets.attention import attention  # noqa: E402


def cpu_name():
    """The CPU model from /proc/cpuinfo on Linux, else what platform knows."""
    try:
        for line in pathlib.Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def median_seconds(fn, repeats, warmup):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)

    B, h, T, d = 8, 8, 512, 64
    g = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(B, h, T, d, generator=g) for _ in range(3))
    causal = torch.ones(T, T, dtype=torch.bool).tril()

    print(f"date     {datetime.date.today().isoformat()}")
    print(f"machine  {platform.platform()}, {cpu_name()}, "
          f"os.cpu_count() = {os.cpu_count()}, torch.get_num_threads() = {torch.get_num_threads()}")
    print(f"software Python {platform.python_version()}, torch {torch.__version__}")
    print(f"command  python {' '.join([pathlib.Path(sys.argv[0]).as_posix()] + sys.argv[1:])}")
    print(f"shape    (B, h, T, d) = ({B}, {h}, {T}, {d}), float32, median of {args.repeats} runs after {args.warmup} warm-up")
    print(f"{'mask':<8} {'ours ms':>9} {'torch ms':>9} {'ours / torch':>13}")
    with torch.no_grad():
        for name, mask in [("none", None), ("causal", causal)]:
            ours = median_seconds(lambda: attention(q, k, v, mask), args.repeats, args.warmup)
            ref = median_seconds(lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=mask), args.repeats, args.warmup)
            print(f"{name:<8} {ours * 1e3:>9.1f} {ref * 1e3:>9.1f} {ours / ref:>13.2f}")


if __name__ == "__main__":
    main()
