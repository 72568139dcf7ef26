"""Forced alignment of a narration to its script: the aeneas method, finer and faster.

1. A reference synthesis of the text (espeak-ng) with every fragment's span known exactly.
2. MFCCs of both at 10 ms; banded DTW coarse to fine (160 ms frames in a ±60 s stripe, 40 ms
   frames ±1 s around that path, 10 ms frames ±300 ms around that): memory linear in the length.
3. Fragment edges mapped through the warp, then moved into the pause the narrator made there.
4. A confidence per fragment: how much better the warp matches than chance, and whether the
   narration there is speech at all. Unusable input raises `AlignmentError` with the reason.
"""

from __future__ import annotations

import re
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import numpy as np
from pydantic import Field

from mathcast.align.dtw import banded_dtw, diagonal_band, path_band
from mathcast.align.features import FRAME_MS, AudioError, as_float, frame_energy_db, load_audio, mfcc
from mathcast.lesson import Language, Millis, Model
from mathcast.providers.tts.libespeak import Synthesis, synthesize_fragments
from mathcast.providers.tts.speech_text import spoken

# (fine frames pooled per frame, stripe half-width in ms): a wide stripe only at the coarsest level,
# each finer level searching a narrow stripe around the path of the level above
LEVELS = ((16, 60_000), (4, 1_000), (1, 300))
MIN_PAUSE_MS = 100
SNAP_MS = 500  # how far from the warp's guess a pause may be and still take the boundary
LOW_CONFIDENCE = 0.3
MISMATCH_MARGIN = 1.05  # measured: a human reading 1.095, espeak 1.3-1.9; another language or text 0.93-1.04
MARGIN_SAMPLES = 24  # fragments compared with their neighbours: bounded work on long narrations
LONE_PIECES = 3  # a lone fragment is compared with itself in thirds (five pieces measured noisier)
MIN_PIECE_FRAMES = 40  # 0.4 s: a piece of a lone fragment shorter than this says too little
_SPEAKABLE = re.compile(r"\w")


class AlignmentError(ValueError):
    """The input cannot be aligned; the message says what is wrong with it."""


class AlignedWord(Model):
    """A word as the narration says it (for Chinese, a character): its text as spoken, and its times."""

    text: str
    begin_ms: Millis
    end_ms: Millis


class AlignedFragment(Model):
    text: str
    begin_ms: Millis
    end_ms: Millis
    confidence: float = Field(ge=0, le=1, description="1: clean match; below LOW_CONFIDENCE: check it.")
    words: list[AlignedWord] = Field(default_factory=list)

    @property
    def low_confidence(self) -> bool:
        return self.confidence < LOW_CONFIDENCE


class Alignment(Model):
    language: Language
    duration_ms: Millis
    fragments: list[AlignedFragment]
    match_margin: float | None = Field(
        default=None, description="How much better each stretch matches its own text than its neighbours'."
    )
    warning: str = ""

    @property
    def flagged(self) -> list[int]:
        return [i for i, f in enumerate(self.fragments) if f.low_confidence]


def _silences(level_db: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Runs of quiet frames at least MIN_PAUSE_MS long, as (starts, stops) in frames, and the threshold.

    The threshold follows the recording: 25 dB under its loud frames (never above -35 dBFS, the
    usual silence level) and clear of its noise floor.
    """
    floor, loud = np.percentile(level_db, [5, 95])
    threshold = float(max(floor + 6, min(-35.0, loud - 25)))
    quiet = np.concatenate([[False], level_db < threshold, [False]])
    edges = np.flatnonzero(np.diff(quiet.astype(np.int8)))
    starts, stops = edges[::2], edges[1::2]
    keep = (stops - starts) * FRAME_MS >= MIN_PAUSE_MS
    return starts[keep], stops[keep], threshold


def _snap(low: int, high: int, starts: np.ndarray, stops: np.ndarray, floor: int, ceiling: int) -> int:
    """The middle of the pause nearest the warp's guess [low, high], longer ones preferred; else the guess."""
    reach = SNAP_MS // FRAME_MS
    distance = np.maximum(0, np.maximum(starts - high, low - stops))
    length = np.minimum(stops - starts, 600 // FRAME_MS)
    candidates = np.flatnonzero((distance <= reach) & (starts < ceiling) & (stops > floor))
    if candidates.size == 0:
        return min(max((low + high) // 2, floor), ceiling)
    best = candidates[np.argmin(distance[candidates] - length[candidates] / 2)]
    middle = (max(int(starts[best]), floor) + min(int(stops[best]), ceiling)) // 2
    return min(max(middle, floor), ceiling)


def _first_at(path_rows: np.ndarray, path_cols: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """The first audio frame the warp pairs with each reference frame."""
    index = np.minimum(np.searchsorted(path_cols, frames), path_cols.size - 1)
    return path_rows[index]


def align_samples(
    audio: np.ndarray,
    rate: int,
    fragments: list[str],
    language: Language,
    pending: Future[Synthesis] | None = None,
) -> Alignment:
    """Align float audio at `rate` to the text fragments (one per subtitle line or script segment).
    `pending` is the reference synthesis of the fragments' spoken form, when already under way."""
    said = _speakable(fragments, language)
    level = frame_energy_db(audio, rate)
    starts, stops, threshold = _silences(level)
    speech_frames = int(np.count_nonzero(level >= threshold))
    if level.max() < -60 or speech_frames * FRAME_MS < 200:
        raise AlignmentError("the audio is silent: no speech to align")
    a = mfcc(audio, rate)
    reference = pending.result() if pending is not None else synthesize_fragments(said, language)
    ref_audio, ref_rate = as_float(reference.samples), reference.sample_rate
    ref_level = frame_energy_db(ref_audio, ref_rate)
    ref_speech = int(np.count_nonzero(ref_level >= -35))
    if speech_frames * 4 < ref_speech:
        raise AlignmentError(
            f"the audio holds {speech_frames * FRAME_MS / 1000:.1f} s of speech, far too little for a text "
            f"that takes about {ref_speech * FRAME_MS / 1000:.1f} s to say: wrong file or wrong text?"
        )
    b = mfcc(ref_audio, ref_rate)
    frames_per_s = reference.sample_rate / (1000 / FRAME_MS)
    spans = np.array(
        [(min(round(s / frames_per_s), b.shape[0] - 1), min(round(e / frames_per_s), b.shape[0] - 1))
         for s, e in reference.spans]
    ).reshape(-1, 2)  # fmt: skip

    rows, cols = _warp(a, b)
    step_cost = np.linalg.norm(a[rows] - b[cols], axis=1)
    sample = a[np.linspace(0, a.shape[0] - 1, 64).astype(np.int64)]

    begin_guess = _first_at(rows, cols, spans[:, 0])
    end_guess = _first_at(rows, cols, spans[:, 1])
    last = a.shape[0] - 1
    edges = [_snap_onset(int(begin_guess[0]), starts, stops)]
    for k in range(1, len(fragments)):
        low, high = sorted((int(end_guess[k - 1]), int(begin_guess[k])))
        edges.append(_snap(low, high, starts, stops, edges[-1], last))
    edges.append(max(_snap_offset(int(end_guess[-1]), starts, stops), edges[-1]))

    aligned = []
    for k, text in enumerate(fragments):
        on_path = (cols >= spans[k, 0]) & (cols < max(spans[k, 1], spans[k, 0] + 1))
        begin, end = edges[k], edges[k + 1]
        confidence = 0.0
        if _SPEAKABLE.search(text) and on_path.any() and end > begin:
            ref_frames = b[spans[k, 0] : max(spans[k, 1], spans[k, 0] + 1)]
            chance = float(np.linalg.norm(ref_frames[:, None, :] - sample[None, :, :], axis=2).mean())
            match = float(step_cost[on_path].mean())
            voiced = float(np.mean(level[begin:end] >= threshold))
            confidence = float(np.clip(2 * (1 - match / chance), 0, 1)) * min(1.0, voiced / 0.3)
        aligned.append(
            AlignedFragment(text=text, begin_ms=begin * FRAME_MS, end_ms=end * FRAME_MS,
                            confidence=round(confidence, 3),
                            words=_words(k, said[k], reference, rows, cols, frames_per_s, begin, end))
        )  # fmt: skip
    alignment = Alignment(language=language, duration_ms=audio.size * 1000 // rate, fragments=aligned)
    return _checked_match(alignment, a, [b[s : max(e, s + 1)] for s, e in spans])


def _checked_match(alignment: Alignment, audio: np.ndarray, reference: list[np.ndarray]) -> Alignment:
    """Whether the audio says this text at all: a stretch of narration should match its own
    fragment's reference better than the neighbouring fragments'. Speech in another language, or
    another text, matches all of them about equally — then every fragment is flagged. A single
    fragment is compared piece by piece: its thirds in the audio against the reference's thirds."""
    fragments = alignment.fragments
    stretches = [
        audio[f.begin_ms // FRAME_MS : max(f.end_ms // FRAME_MS, f.begin_ms // FRAME_MS + 1)]
        for f in fragments
    ]
    if len(fragments) == 1:
        stretches, reference = (
            np.array_split(stretches[0], LONE_PIECES),
            np.array_split(reference[0], LONE_PIECES),
        )
        if min(len(piece) for piece in [*stretches, *reference]) < MIN_PIECE_FRAMES:
            return alignment  # too short to tell one part of it from another
    ratios = []
    for k in np.unique(np.linspace(0, len(stretches) - 1, MARGIN_SAMPLES).round().astype(int)):
        own = _warp_cost(stretches[k], reference[k])
        others = min(
            _warp_cost(stretches[k], reference[j]) for j in (k - 1, k + 1) if 0 <= j < len(stretches)
        )
        ratios.append(others / max(own, 1e-9))
    margin = round(float(np.median(ratios)), 3)
    if margin >= MISMATCH_MARGIN:
        return alignment.model_copy(update={"match_margin": margin})
    flagged = [f.model_copy(update={"confidence": min(f.confidence, LOW_CONFIDENCE / 2)}) for f in fragments]
    warning = (
        f"the narration matches its own lines no better than their neighbours' (margin {margin:.2f}, "
        f"expected ≥ {MISMATCH_MARGIN}): another language or another text? Every fragment is flagged."
    )
    return alignment.model_copy(update={"fragments": flagged, "match_margin": margin, "warning": warning})


def _warp_cost(x: np.ndarray, y: np.ndarray) -> float:
    """Mean frame distance along the best warp of x onto y (a full band: the pieces are short)."""
    lo, width = diagonal_band(x.shape[0], y.shape[0], max(x.shape[0], y.shape[0]))
    rows, cols = banded_dtw(x, y, lo, width)
    return float(np.linalg.norm(x[rows] - y[cols], axis=1).mean())


def _words(
    fragment: int,
    said: str,
    reference: Synthesis,
    rows: np.ndarray,
    cols: np.ndarray,
    samples_per_frame: float,
    begin: int,
    end: int,
) -> list[AlignedWord]:
    """The fragment's words through the warp: each starts at the first narration frame paired with
    the reference frame where the synthesiser started it, kept in order inside the fragment."""
    events = [w for w in reference.words if w.fragment == fragment]
    if not events:
        return []
    ref_frames = np.array([round(w.sample / samples_per_frame) for w in events])
    starts = np.clip(_first_at(rows, cols, ref_frames), begin, end)
    starts = np.maximum.accumulate(starts)
    stops = [*starts[1:], end]
    starts = [int(a) for a in starts]
    return [
        AlignedWord(
            text=said[w.start_char : w.start_char + w.length],
            begin_ms=int(a) * FRAME_MS,
            end_ms=int(b) * FRAME_MS,
        )
        for w, a, b in zip(events, starts, stops, strict=True)
    ]


def _snap_onset(frame: int, starts: np.ndarray, stops: np.ndarray) -> int:
    """Out of a pause forwards: a first fragment starts where the speech does."""
    inside = np.flatnonzero((starts <= frame) & (stops > frame))
    return int(stops[inside[0]]) if inside.size else frame


def _snap_offset(frame: int, starts: np.ndarray, stops: np.ndarray) -> int:
    """Out of a pause backwards: a last fragment ends where the speech does."""
    inside = np.flatnonzero((starts < frame) & (stops >= frame))
    return int(starts[inside[0]]) if inside.size else frame


def _warp(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Warp on pooled frames over a wide stripe, then refine level by level around the path found."""

    def pooled(x: np.ndarray, factor: int) -> np.ndarray:
        padded = np.pad(x, ((0, -x.shape[0] % factor), (0, 0)), mode="edge")
        means: np.ndarray = padded.reshape(-1, factor, x.shape[1]).mean(axis=1)
        return means

    path: tuple[np.ndarray, np.ndarray] | None = None
    previous = 1
    for factor, radius_ms in LEVELS:
        level_a, level_b = pooled(a, factor), pooled(b, factor)
        radius = radius_ms // (FRAME_MS * factor)
        if path is None:
            lo, width = diagonal_band(level_a.shape[0], level_b.shape[0], radius)
        else:
            lo, width = path_band(*path, previous // factor, level_a.shape[0], level_b.shape[0], radius)
        path = banded_dtw(level_a, level_b, lo, width)
        previous = factor
    assert path is not None
    return path


def _speakable(fragments: list[str], language: Language) -> list[str]:
    """The fragments as the reference voice says them; text with nothing to say is an error."""
    if not fragments or not any(_SPEAKABLE.search(f) for f in fragments):
        raise AlignmentError("the text has nothing to speak: no letters, digits or characters")
    return [spoken(f, language) for f in fragments]


def align_file(audio_path: Path, fragments: list[str], language: Language) -> Alignment:
    """Align any audio file ffmpeg reads; unreadable or unusable audio raises `AlignmentError`.
    The reference is synthesised meanwhile (libespeak-ng runs without the GIL while ffmpeg decodes
    and the narration's MFCCs are computed)."""
    said = _speakable(fragments, language)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(synthesize_fragments, said, language)
        try:
            audio, rate = load_audio(audio_path)
        except AudioError as error:
            raise AlignmentError(str(error)) from None
        return align_samples(audio, rate, fragments, language, pending)
