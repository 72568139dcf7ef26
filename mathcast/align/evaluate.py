"""The accuracy measure of issue 5: a boundary is right when it falls inside the pause between the
two lines (pauses from ffmpeg's silencedetect), otherwise its error is the distance to that pause.

`anchors` say which pause is "between the two lines": the one nearest each anchor time (a
reference map's boundary, or where a synthetic narration put its pause). Boundaries with no
pause near their anchor have no clear pause and are not scored.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from pydantic import Field

from mathcast.lesson import Model

ANCHOR_REACH_MS = 400
_MERGE_GAP_MS = 20  # silencedetect splits one pause when a click interrupts it


class BoundaryScore(Model):
    scored: int = Field(description="Boundaries that have a clear pause.")
    errors_ms: list[int]

    @property
    def mean_ms(self) -> float:
        return sum(self.errors_ms) / len(self.errors_ms) if self.errors_ms else 0.0

    @property
    def worst_ms(self) -> int:
        return max(self.errors_ms, default=0)


def detect_pauses(audio: Path, noise_db: int = -35, min_s: float = 0.15) -> list[tuple[int, int]]:
    """Pauses as ffmpeg `silencedetect=noise=-35dB:d=0.15` reports them, in ms, touching ones merged."""
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-i", str(audio),
         "-af", f"silencedetect=noise={noise_db}dB:d={min_s}", "-f", "null", "-"],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    starts = [round(float(s) * 1000) for s in re.findall(r"silence_start: (-?[\d.]+)", result.stderr)]
    ends = [round(float(s) * 1000) for s in re.findall(r"silence_end: ([\d.]+)", result.stderr)]
    pauses: list[tuple[int, int]] = []
    for start, end in zip(starts, ends, strict=False):
        if pauses and start - pauses[-1][1] <= _MERGE_GAP_MS:
            pauses[-1] = (pauses[-1][0], end)
        else:
            pauses.append((max(start, 0), end))
    return pauses


def score_boundaries(
    boundaries_ms: list[int], anchors_ms: list[int], pauses: list[tuple[int, int]]
) -> BoundaryScore:
    """Error of each boundary against the pause nearest its anchor (0 inside it)."""
    errors = []
    for boundary, anchor in zip(boundaries_ms, anchors_ms, strict=True):
        near = [(max(0, s - anchor, anchor - e), s, e) for s, e in pauses]
        near = [n for n in near if n[0] <= ANCHOR_REACH_MS]
        if not near:
            continue
        _, start, end = min(near)
        errors.append(max(0, start - boundary, boundary - end))
    return BoundaryScore(scored=len(errors), errors_ms=errors)


def score_words(predicted: list[list[int]], truth: list[list[int]]) -> BoundaryScore:
    """Word starts against the synthesiser's own, sentence by sentence; a sentence whose word count
    differs (the aligner split it otherwise) is not scored."""
    errors = [
        abs(p - t)
        for said, true in zip(predicted, truth, strict=True)
        if len(said) == len(true)
        for p, t in zip(said, true, strict=True)
    ]
    return BoundaryScore(scored=len(errors), errors_ms=errors)
