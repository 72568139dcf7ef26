"""Lays the narration clips end to end with their pauses and records where each one landed.

This is the simple aligner: clip boundaries are known because we placed them. Every clip is
padded to a whole millisecond, so the sync map's integer times are exact sample positions.
"""

from __future__ import annotations

import wave
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from mathcast.lesson import LessonPlan, Span, SyncMap
from mathcast.media.ffmpeg import SAMPLE_RATE, decode_pcm

SAMPLES_PER_MS = SAMPLE_RATE // 1000


def assemble(plan: LessonPlan, clips: Mapping[str, Path], out_wav: Path) -> SyncMap:
    """Concatenate one clip per segment (keyed by segment id) into `out_wav`; return the sync map."""
    missing = [seg.id for _, seg in plan.segments() if seg.id not in clips]
    if missing:
        raise ValueError(f"no narration clip for segments: {', '.join(missing)}")
    pieces: list[np.ndarray] = []
    sections: list[Span] = []
    segments: list[Span] = []
    cursor = 0
    for section in plan.sections:
        section_start = cursor
        for segment in section.segments:
            pcm = decode_pcm(clips[segment.id])
            if pcm.size == 0:
                raise ValueError(f"narration clip for segment {segment.id} is empty")
            clip_ms = -(-pcm.size // SAMPLES_PER_MS)
            pieces.append(np.pad(pcm, (0, clip_ms * SAMPLES_PER_MS - pcm.size)))
            segments.append(Span(id=segment.id, start_ms=cursor, end_ms=cursor + clip_ms))
            cursor += clip_ms
            pieces.append(np.zeros(segment.pause_after_ms * SAMPLES_PER_MS, dtype=np.int16))
            cursor += segment.pause_after_ms
        sections.append(Span(id=section.id, start_ms=section_start, end_ms=cursor))
    with wave.open(str(out_wav), "wb") as track:
        track.setnchannels(1)
        track.setsampwidth(2)
        track.setframerate(SAMPLE_RATE)
        track.writeframes(np.concatenate(pieces).astype("<i2").tobytes())
    return SyncMap(total_ms=cursor, sections=sections, segments=segments)
