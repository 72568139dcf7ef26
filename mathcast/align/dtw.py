"""Banded DTW over feature arrays, memory linear in the number of audio frames.

Row `i` (an audio frame) may only match reference frames `lo[i] .. lo[i] + width - 1`. The band
is a Sakoe–Chiba stripe around the diagonal in the coarse pass, and a stripe around the coarse
path in the fine pass. Each row is solved in a handful of numpy calls: the within-row recurrence
D[j] = min(A[j], D[j-1] + c[j]) is a running minimum of A - cumsum(c), shifted back by cumsum(c).
Only one byte per cell (the step taken) is kept for the backtrack.
"""

from __future__ import annotations

import numpy as np

DIAGONAL, UP, LEFT = 0, 1, 2
_ROWS_PER_BLOCK = 256


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


def _costs(a: np.ndarray, b: np.ndarray, lo: np.ndarray, width: int) -> np.ndarray:
    """Euclidean distances of rows `a` to their band of `b`; cells past the end of `b` cost infinity.

    One matrix product over the block's span of `b` (BLAS), then each row's band is cut out of it.
    """
    start, stop = int(lo[0]), min(int(lo[-1]) + width, b.shape[0])
    span = b[start:stop]
    squared = (a * a).sum(axis=1)[:, None] + (span * span).sum(axis=1)[None, :] - 2 * (a @ span.T)
    squared = np.pad(squared, ((0, 0), (0, width)), constant_values=np.inf)
    columns = (lo - start)[:, None] + np.arange(width)
    band = np.take_along_axis(squared, columns, axis=1)
    distance: np.ndarray = np.sqrt(np.maximum(band, 0), dtype=np.float64)
    return distance


def banded_dtw(a: np.ndarray, b: np.ndarray, lo: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """The cheapest monotone warp of `a` (rows) onto `b` (columns) within the band, as (rows, cols) arrays."""
    rows, cols = a.shape[0], b.shape[0]
    if lo[0] != 0 or lo[-1] + width < cols or np.any(np.diff(lo) >= width) or np.any(np.diff(lo) < 0):
        raise BandError("the band must start at (0, 0), reach the last column and stay connected")
    steps = np.empty((rows, width), np.int8)
    extended = np.full(2 * width + 1, np.inf)  # the previous row, shifted by the band's move
    previous = np.empty(width)
    for block in range(0, rows, _ROWS_PER_BLOCK):
        cost_block = _costs(a[block : block + _ROWS_PER_BLOCK], b, lo[block : block + _ROWS_PER_BLOCK], width)
        for r in range(cost_block.shape[0]):
            i = block + r
            cost = cost_block[r]
            cumulative = np.cumsum(cost)
            if i == 0:
                previous = cumulative
                steps[0] = LEFT
                steps[0, 0] = DIAGONAL
                continue
            shift = int(lo[i] - lo[i - 1])
            extended[1 : width + 1] = previous
            up = extended[shift + 1 : shift + 1 + width]
            diagonal = extended[shift : shift + width]
            entry = cost + np.minimum(up, diagonal) - cumulative
            running = np.minimum.accumulate(entry)
            previous = running + cumulative
            step = (running < entry).view(np.int8) * LEFT
            step += ((up < diagonal) & (running >= entry)).view(np.int8) * UP
            steps[i] = step
        del cost_block
    if not np.isfinite(previous[cols - 1 - lo[-1]]):
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
