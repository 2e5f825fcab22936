"""docs/assets/generated/attention-heatmap.svg is current: made from today's code, and a fresh run agrees.

Staleness is checked by hash: the SVG records the hashes of scripts/make_attention_figure.py and of
the snippets it imports (scripts/freshness.py), and they must equal today's. A fresh figure made
here is then compared with the committed one token by token, never byte for byte: the same text,
coordinates within TOLERANCE["coordinate"] pt, colours within TOLERANCE["colour"] of 255 per channel
(one step of the viridis colormap: float32 weights from another CPU may differ in the last bits and
move a cell across a step). On one machine the script gives the same bytes twice.
"""
import json
import re
from pathlib import Path

import torch

from scripts import make_attention_figure
from scripts.freshness import REGENERATE, changes

ROOT = Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "docs" / "assets" / "generated" / "attention-heatmap.svg"
NAME = COMMITTED.relative_to(ROOT).as_posix()
TOLERANCE = {"coordinate": 0.01, "colour": 3}
TOKEN = re.compile(r"#[0-9a-f]{6}\b|-?\d+(?:\.\d+)?")
METADATA = re.compile(r"<metadata>.*?</metadata>", re.S)


def recorded_inputs(svg):
    match = re.search(r"<dc:description>(.*?)</dc:description>", svg, re.S)
    return json.loads(match.group(1)) if match else None


def differences(committed, fresh):
    """`line N: ...` for the first token where the fresh SVG leaves the tolerance, else []."""
    committed, fresh = METADATA.sub("", committed), METADATA.sub("", fresh)   # metadata: hashes, checked apart
    if TOKEN.split(committed) != TOKEN.split(fresh):
        line = next(n for n, (a, b) in enumerate(zip(committed.split("\n"), fresh.split("\n")), 1) if a != b)
        return [f"line {line}: the text differs, not just numbers"]
    for match, new in zip(TOKEN.finditer(committed), TOKEN.findall(fresh)):
        old = match.group(0)
        if old.startswith("#"):
            apart = max(abs(int(old[i:i + 2], 16) - int(new[i:i + 2], 16)) for i in (1, 3, 5))
            ok = apart <= TOLERANCE["colour"]
        else:
            ok = abs(float(old) - float(new)) <= TOLERANCE["coordinate"]
        if not ok:
            return [f"line {committed.count(chr(10), 0, match.start()) + 1}: {old} committed, {new} now"]
    return []


def test_committed_heatmap_was_made_from_the_current_code():
    recorded = recorded_inputs(COMMITTED.read_text(encoding="utf-8"))

    assert recorded is not None, f"{NAME} records no hashes of its code: run {REGENERATE}"
    stale = changes(recorded, make_attention_figure.inputs())
    assert not stale, f"{NAME} is stale: " + "; ".join(stale) + f" since it was made. Run {REGENERATE}"


def test_a_fresh_heatmap_agrees_with_the_committed_one_within_tolerance(tmp_path):
    first = make_attention_figure.main(tmp_path / "a").read_text(encoding="utf-8")
    second = make_attention_figure.main(tmp_path / "b").read_text(encoding="utf-8")

    assert first == second, "the figure is not deterministic on one machine"
    found = differences(COMMITTED.read_text(encoding="utf-8"), first)
    assert not found, f"{NAME}: a fresh run differs beyond tolerance at " + "; ".join(found) + f". Run {REGENERATE}"


def test_comparison_accepts_one_colormap_step_and_rejects_more():
    svg = COMMITTED.read_text(encoding="utf-8")
    colour = re.search(r"fill: (#[0-9a-f]{6}); stroke", svg).group(1)
    nudged = f"#{int(colour[1:3], 16) ^ 1:02x}{colour[3:]}"                 # one unit in red
    far = f"#{(int(colour[1:3], 16) + 40) % 256:02x}{colour[3:]}"

    assert differences(svg, svg.replace(colour, nudged, 1)) == []
    assert differences(svg, svg.replace(colour, far, 1))
    assert differences(svg, svg.replace("no mask", "no masks", 1))
    assert differences(svg, svg.replace("37.822221", "37.9", 1))


def test_heatmap_shows_rows_that_sum_to_one_and_a_causal_upper_triangle_of_zeros():
    full, causal = make_attention_figure.weights()

    torch.testing.assert_close(full.sum(-1), torch.ones(8))
    torch.testing.assert_close(causal.sum(-1), torch.ones(8))
    assert (causal.triu(diagonal=1) == 0).all()
    assert (full > 0).all()
