"""Write docs/assets/generated/attention-heatmap.svg: attention weights, without and with a causal mask.

One small fixed example (T = 8 tokens, d_k = 16, seed 0). The weights come from
snippets/attention.py (attention_weights), the code the page shows. The SVG is deterministic on
one machine: fixed hash salt, no date in the metadata, text kept as text; running this twice
gives byte-identical files. Its metadata (dc:description) records the hashes of this script and
of the snippets it imports (scripts/freshness.py), so tests/test_attention_figure.py can tell a
stale figure from one made on another CPU, whose float32 weights may differ in the last bits.
Labels are English and symbols only.

    python scripts/make_attention_figure.py
"""
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402

from scripts.freshness import fingerprint  # noqa: E402
from snippets.attention import attention_weights  # noqa: E402

NAME = "attention-heatmap.svg"
T, D_K, SEED = 8, 16, 0


def weights():
    """(no mask, causal mask) attention weights, each (T, T), for the fixed example."""
    g = torch.Generator().manual_seed(SEED)
    q, k = torch.randn(T, D_K, generator=g), torch.randn(T, D_K, generator=g)
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    return attention_weights(q, k), attention_weights(q, k, causal)


def inputs():
    """The fingerprint of the code this figure is made from: this script and its snippets."""
    return fingerprint({"scripts/make_attention_figure.py": pathlib.Path(__file__).read_text(encoding="utf-8")})


def main(out_dir: pathlib.Path):
    plt.rcParams.update({"svg.hashsalt": "attention-heatmap", "svg.fonttype": "none", "font.size": 9,
                         # transparent, with mid-grey text and axes: readable on the light and the dark page
                         "savefig.transparent": True, "text.color": "#808080", "axes.labelcolor": "#808080",
                         "axes.edgecolor": "#808080", "xtick.color": "#808080", "ytick.color": "#808080"})
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.4), layout="constrained")
    for ax, w, title in zip(axes, weights(), ["no mask", "causal mask: key s ≤ query t"]):
        mesh = ax.pcolormesh(w.numpy(), cmap="viridis", vmin=0, vmax=1, edgecolors="white", linewidth=0.5)
        ax.set_title(title)
        ax.set_xlabel("key position s")
        ax.set_ylabel("query position t")
        ax.set_xticks([i + 0.5 for i in range(T)], range(T))
        ax.set_yticks([i + 0.5 for i in range(T)], range(T))
        ax.invert_yaxis()
        ax.set_aspect("equal")
    fig.suptitle(f"attention weights softmax(q kᵀ / √d_k), T = {T}, d_k = {D_K}; each row sums to 1")
    fig.colorbar(mesh, ax=axes, label="attention weight", shrink=0.85)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / NAME
    fig.savefig(path, format="svg", metadata={"Date": None, "Description": json.dumps(inputs(), sort_keys=True)})
    plt.close(fig)
    return path


if __name__ == "__main__":
    print(main(pathlib.Path("docs/assets/generated")))
