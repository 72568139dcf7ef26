"""Banded DTW over feature arrays, memory linear in the number of audio frames.

Row `i` (an audio frame) may only match reference frames `lo[i] .. lo[i] + width - 1`. The band
is a Sakoe–Chiba stripe around the diagonal in the coarse pass, and a stripe around the coarse
path in the finer passes. The recurrence is a small C function (a Python loop per row cost more
than the rest of the aligner); only one byte per cell (the step taken) is kept for the backtrack.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from functools import cache
from pathlib import Path

import numpy as np

from mathcast.cache import cache_dir

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


_SOURCE = Path(__file__).with_name("dtw_fill.c")
_lock = threading.Lock()


@cache
def _library() -> ctypes.CDLL:
    """The recurrence in C, compiled once per source version into the cache (a shared object
    loads in a millisecond; a JIT costs most of a second at every start)."""
    source = _SOURCE.read_bytes()
    native = cache_dir() / "native"
    built = native / f"dtw-{hashlib.sha256(source).hexdigest()[:16]}.so"
    with _lock:
        if not built.exists():
            compiler = shutil.which(os.environ.get("CC", "cc"))
            if compiler is None:
                raise RuntimeError(
                    "no C compiler to build the DTW core: install build-essential (scripts/setup.sh does)"
                )
            native.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=native) as scratch:
                partial = Path(scratch) / built.name
                subprocess.run(
                    [compiler, "-O3", "-shared", "-fPIC", "-o", str(partial), str(_SOURCE), "-lm"],
                    check=True, capture_output=True, timeout=120,
                )  # fmt: skip
                partial.replace(built)  # atomic: a parallel build never loads half a file
    library = ctypes.CDLL(str(built))
    library.dtw_fill.restype = ctypes.c_double
    library.dtw_fill.argtypes = [
        _DOUBLES,
        _DOUBLES,
        _INT64S,
        ctypes.c_int64,
        ctypes.c_int64,
        ctypes.c_int64,
        ctypes.c_int64,
        _INT8S,
    ]
    return library


_DOUBLES = np.ctypeslib.ndpointer(np.float64, flags="C_CONTIGUOUS")
_INT64S = np.ctypeslib.ndpointer(np.int64, flags="C_CONTIGUOUS")
_INT8S = np.ctypeslib.ndpointer(np.int8, flags="C_CONTIGUOUS")


def _fill(a: np.ndarray, b: np.ndarray, lo: np.ndarray, steps: np.ndarray) -> float:
    """The recurrence over the whole band (dtw_fill.c); returns the total at the last cell."""
    rows, width = steps.shape
    cols, dims = b.shape
    total = _library().dtw_fill(a, b, lo, rows, cols, dims, width, steps)
    if np.isnan(total):
        raise MemoryError("the DTW core could not allocate two rows of the band")
    return float(total)


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
