"""The banded DTW against a plain full-matrix DTW on recorded random arrays."""

from __future__ import annotations

import numpy as np
import pytest

from mathcast.align.dtw import BandError, banded_dtw, diagonal_band


def _full_dtw_cost(a: np.ndarray, b: np.ndarray) -> float:
    cost = np.linalg.norm(a[:, None] - b[None], axis=2)
    total = np.full((len(a) + 1, len(b) + 1), np.inf)
    total[0, 0] = 0
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            total[i, j] = cost[i - 1, j - 1] + min(total[i - 1, j], total[i, j - 1], total[i - 1, j - 1])
    return float(total[-1, -1])


@pytest.mark.parametrize("seed", range(12))
def test_wide_band_finds_the_optimal_warp(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = rng.normal(size=(int(rng.integers(1, 40)), 4)).astype(np.float32)
    b = rng.normal(size=(int(rng.integers(1, 40)), 4)).astype(np.float32)
    lo, width = diagonal_band(len(a), len(b), radius=100)
    rows, cols = banded_dtw(a, b, lo, width)
    assert (rows[0], cols[0], rows[-1], cols[-1]) == (0, 0, len(a) - 1, len(b) - 1)
    steps = np.stack([np.diff(rows), np.diff(cols)])
    assert np.all((steps >= 0) & (steps <= 1)) and np.all(steps.sum(axis=0) >= 1)
    found = float(np.linalg.norm(a[rows] - b[cols], axis=1).sum())
    assert found == pytest.approx(_full_dtw_cost(a, b), rel=1e-4)


def test_narrow_band_follows_a_stretched_copy() -> None:
    rng = np.random.default_rng(1)
    b = rng.normal(size=(300, 6)).astype(np.float32)
    a = np.repeat(b, 2, axis=0)  # the same sequence spoken at half speed
    lo, width = diagonal_band(len(a), len(b), radius=10)
    rows, cols = banded_dtw(a, b, lo, width)
    assert np.all(cols == rows // 2)


def test_disconnected_band_is_refused() -> None:
    a = np.zeros((10, 2), np.float32)
    with pytest.raises(BandError):
        banded_dtw(a, a, np.array([0, 0, 0, 5, 5, 5, 5, 5, 5, 5]), 3)
