"""Subtitles read back from SRT and made safe to mux: in order, not overlapping, inside the video.

A player shows overlapping cues stacked or drops one, and a cue past the end never shows, so
each is repaired here and the repair logged, rather than shipped as it came.
"""

from __future__ import annotations

import logging
import re

from mathcast.align.subtitles import SubtitleCue

log = logging.getLogger(__name__)

CLOCK = r"(\d+):(\d\d):(\d\d)[,.](\d{3})"


def _ms(hours: str, minutes: str, seconds: str, millis: str) -> int:
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


def read_srt(text: str) -> list[SubtitleCue]:
    """Cues of an SRT (or WebVTT) text; a cue of more than two lines keeps its text on two."""
    cues: list[SubtitleCue] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = block.splitlines()
        timing = next((i for i, line in enumerate(lines) if "-->" in line), None)
        match = re.search(rf"{CLOCK}\s*-->\s*{CLOCK}", lines[timing]) if timing is not None else None
        if timing is None or match is None:
            continue
        words = [line.strip() for line in lines[timing + 1 :] if line.strip()]
        if not words:
            continue
        groups = match.groups()
        cues.append(
            SubtitleCue(
                segment_id=f"cue-{len(cues) + 1}",
                start_ms=_ms(*groups[:4]),
                end_ms=_ms(*groups[4:]),
                lines=words if len(words) <= 2 else [words[0], " ".join(words[1:])],
            )
        )
    return cues


def repair(cues: list[SubtitleCue], video_ms: int) -> list[SubtitleCue]:
    """Sort the cues, end each one where the next begins, and keep them all inside the video."""
    ordered = sorted(cues, key=lambda c: (c.start_ms, c.end_ms))
    kept: list[SubtitleCue] = []
    for index, cue in enumerate(ordered):
        end = min(cue.end_ms, video_ms)
        if index + 1 < len(ordered) and ordered[index + 1].start_ms < end:
            log.warning(
                "subtitle cue at %d ms overlaps the next by %d ms: it now ends where the next begins",
                cue.start_ms,
                end - ordered[index + 1].start_ms,
            )
            end = ordered[index + 1].start_ms
        elif end < cue.end_ms:
            log.warning(
                "subtitle cue at %d ms ran past the video's end (%d ms): cut there", cue.start_ms, video_ms
            )
        if end <= cue.start_ms:
            log.warning(
                "subtitle cue at %d ms (%s) has no time left on screen: dropped", cue.start_ms, cue.lines[0]
            )
            continue
        kept.append(cue.model_copy(update={"end_ms": end}))
    return kept
