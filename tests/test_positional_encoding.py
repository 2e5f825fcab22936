"""snippets/positional_encoding.py is the sinusoidal encoding of Vaswani et al. 2017, section 3.5.

Reference: the two formulas of the paper, evaluated element by element with Python's math module.
"""
import math

import pytest
import torch

from snippets.positional_encoding import positional_encoding


def paper_formula(n_pos, d_model):
    PE = [[0.0] * d_model for _ in range(n_pos)]
    for pos in range(n_pos):
        for i in range(d_model // 2):
            PE[pos][2 * i] = math.sin(pos / 10000 ** (2 * i / d_model))
            PE[pos][2 * i + 1] = math.cos(pos / 10000 ** (2 * i / d_model))
    return torch.tensor(PE, dtype=torch.float64)


@pytest.mark.parametrize("n_pos, d_model", [(1, 2), (10, 8), (64, 512), (200, 30)])
def test_positional_encoding_matches_paper_formula(n_pos, d_model):
    ours = positional_encoding(n_pos, d_model, dtype=torch.float64)

    torch.testing.assert_close(ours, paper_formula(n_pos, d_model), rtol=1e-10, atol=1e-12)


def test_positional_encoding_float32_is_the_rounded_float64():
    ours = positional_encoding(128, 64)

    assert ours.dtype == torch.float32
    torch.testing.assert_close(ours, paper_formula(128, 64).float(), rtol=0, atol=1e-6)


def test_wavelengths_form_geometric_progression_from_2pi_toward_10000_times_2pi():
    """Section 3.5: 'The wavelengths form a geometric progression from 2π to 10000 · 2π.'
    Read each frequency off the encoding itself: PE(1, 2i) = sin(ω_i) with ω_i <= 1 < π/2."""
    d_model = 512
    omega = torch.asin(positional_encoding(2, d_model, dtype=torch.float64)[1, 0::2])
    wavelength = 2 * math.pi / omega
    ratio = wavelength[1:] / wavelength[:-1]

    assert wavelength[0].item() == pytest.approx(2 * math.pi)
    assert 0.95 * 10000 * 2 * math.pi < wavelength[-1].item() < 10000 * 2 * math.pi   # last pair: 2i = d_model - 2
    torch.testing.assert_close(ratio, torch.full_like(ratio, 10000 ** (2 / d_model)), rtol=1e-6, atol=0)
