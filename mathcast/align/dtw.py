"""Banded DTW over feature arrays, memory linear in the number of audio frames.

Row `i` (an audio frame) may only match reference frames `lo[i] .. lo[i] + width - 1`. The band
is a Sakoe–Chiba stripe around the diagonal in the coarse pass, and a stripe around the coarse
path in the finer passes. The recurrence is compiled with numba (a Python loop per row cost more
than the rest of the aligner); only one byte per cell (the step taken) is kept for the backtrack.
"""

from __future__ import annotations

import numpy as np
from numba import njit

DIAGONAL, UP, LEFT = 0, 1, 2


class BandError(ValueError):
    """The band does not connect the first cells to the last: the warp cannot be found."""


def diagonal_band(rows: int, cols: int, radius: int) -> tuple[np.ndarray, int]:
    """A stripe of half-width `radius` around the straight line from (0, 0) to (rows-1, cols-1)."""
    width = min(2 * radius + 1, cols)
    centre = np.round(np.arange(rows) * ((cols - 1) / max(rows - 1, 1))).astype(np.int64)
    lo = np.clip(centre - radius, 0, cols - width)
    return lo, width


def path_band(coarse_rows: np.ndarray, coarse_cols: np.ndarray, factor: int, rows: int, cols: int,
              radius: int) -> tuple[np.ndarray, int]:  # fmt: skip
    """A stripe `radius` fine frames either side of a coarse path (`factor` fine frames per coarse one)."""
    coarse_count = int(coarse_rows.max()) + 1
    first = np.full(coarse_count, np.iinfo(np.int64).max)
    last = np.zeros(coarse_count, np.int64)
    np.minimum.at(first, coarse_rows, coarse_cols)
    np.maximum.at(last, coarse_rows, coarse_cols)
    row_coarse = np.minimum(np.arange(rows) // factor, coarse_count - 1)
    lo = first[row_coarse] * factor - radius
    hi = last[row_coarse] * factor + factor - 1 + radius
    width = int(min(np.max(hi - lo) + 1, cols))
    lo = np.maximum.accumulate(np.clip(lo, 0, cols - width))
    return lo, width


@njit(cache=True, nogil=True)
def _fill(a: np.ndarray, b: np.ndarray, lo: np.ndarray, steps: np.ndarray) -> float:
    """The recurrence over the whole band, one row at a time; returns the total at the last cell.

    D[i, j] = c[i, j] + min(D[i-1, j] (up), D[i-1, j-1] (diagonal), D[i, j-1] (left)), with each row
    stored from its own band start `lo[i]` and c the Euclidean distance of the two feature frames
    (computed here, so no cost matrix is ever held); ties prefer the diagonal, then up. Only the
    step taken is kept, one byte per cell.
    """
    rows, width = steps.shape
    cols, dims = b.shape
    previous = np.full(width, np.inf)
    current = np.empty(width)
    for i in range(rows):
        shift = lo[i] - lo[i - 1] if i > 0 else 0
        for j in range(width):
            col = lo[i] + j
            cost = np.inf
            if col < cols:
                total = 0.0
                for d in range(dims):
                    delta = a[i, d] - b[col, d]
                    total += delta * delta
                cost = np.sqrt(total)
            if i == 0:
                current[j] = cost + (current[j - 1] if j > 0 else 0.0)
                steps[i, j] = DIAGONAL if j == 0 else LEFT
                continue
            k = j + shift
            up = previous[k] if 0 <= k < width else np.inf
            diagonal = previous[k - 1] if 1 <= k <= width else np.inf
            left = current[j - 1] if j > 0 else np.inf
            if left < up and left < diagonal:
                current[j] = cost + left
                steps[i, j] = LEFT
            elif up < diagonal:
                current[j] = cost + up
                steps[i, j] = UP
            else:
                current[j] = cost + diagonal
                steps[i, j] = DIAGONAL
        previous[:] = current
    last = cols - 1 - lo[rows - 1]
    return previous[last] if 0 <= last < width else np.inf


def banded_dtw(a: np.ndarray, b: np.ndarray, lo: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The cheapest monotone warp of `a` (rows) onto `b` (columns) within the band, as (rows, cols) arrays."""
    rows, cols = a.shape[0], b.shape[0]
    if lo[0] != 0 or lo[-1] + width < cols or np.any(np.diff(lo) >= width) or np.any(np.diff(lo) < 0):
        raise BandError("the band must start at (0, 0), reach the last column and stay connected")
    steps = np.empty((rows, width), np.int8)
    total = _fill(
        np.ascontiguousarray(a, np.float64), np.ascontiguousarray(b, np.float64), lo.astype(np.int64), steps
    )
    if not np.isfinite(total):
        raise BandError("no warp reaches the last frame inside the band")
    return _backtrack(steps, lo, cols)


def _backtrack(steps: np.ndarray, lo: np.ndarray, cols: int) -> tuple[np.ndarray, np.ndarray]:
    """Follow the stored steps back from the last cell; scalar reads, one per path cell."""
    i, j = steps.shape[0] - 1, cols - 1
    path_rows: list[int] = []
    path_cols: list[int] = []
    lo_list = lo.tolist()
    while i > 0 or j > 0:
        path_rows.append(i)
        path_cols.append(j)
        step = steps[i, j - lo_list[i]]
        if step == LEFT:
            j -= 1
            continue
        if step == DIAGONAL:
            j -= 1
        i -= 1
    path_rows.append(0)
    path_cols.append(0)
    return np.array(path_rows[::-1], np.int64), np.array(path_cols[::-1], np.int64)
