"""docs/assets/generated/attention-heatmap.svg is what scripts/make_attention_figure.py writes, byte for byte."""
from pathlib import Path

import torch

from scripts import make_attention_figure

ROOT = Path(__file__).resolve().parents[1]

COMMITTED = ROOT / "docs" / "assets" / "generated" / "attention-heatmap.svg"


def test_committed_heatmap_is_regenerated_byte_for_byte(tmp_path):
    script = make_attention_figure

    first = script.main(tmp_path / "a").read_bytes()
    second = script.main(tmp_path / "b").read_bytes()

    assert first == second, "the figure is not deterministic"
    assert first == COMMITTED.read_bytes(), "run `python scripts/make_attention_figure.py` and commit the SVG"


def test_heatmap_shows_rows_that_sum_to_one_and_a_causal_upper_triangle_of_zeros():
    full, causal = make_attention_figure.weights()

    torch.testing.assert_close(full.sum(-1), torch.ones(8))
    torch.testing.assert_close(causal.sum(-1), torch.ones(8))
    assert (causal.triu(diagonal=1) == 0).all()
    assert (full > 0).all()
