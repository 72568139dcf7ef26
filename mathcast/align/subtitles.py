"""Subtitle cues from the sync map: sentences split to fit the screen, timed by their share of speech.

Chinese breaks without spaces, at punctuation where it can; each cue holds at most two lines.
"""

from __future__ import annotations

import re

from pydantic import Field

from mathcast.lesson import Language, LessonPlan, Millis, Model, SyncMap

LINE_CHARS: dict[Language, int] = {"zh-CN": 18, "en-US": 42}
LINES_PER_CUE = 2
MIN_CUE_MS = 1000  # shorter than this a cue flashes past before it can be read
# A sentence ends at its punctuation; in English a full stop only when a space follows (not 9.11).
SENTENCE: dict[Language, str] = {
    "zh-CN": r"[^。！？!?；;…]+(?:[。！？!?；;]|…+)?|…+",
    "en-US": r".+?(?:[.!?;](?=\s|$)|$)",
}


class SubtitleCue(Model):
    segment_id: str
    start_ms: Millis
    end_ms: Millis
    lines: list[str] = Field(min_length=1, max_length=LINES_PER_CUE)


def _wrap(text: str, width: int, language: Language) -> list[str]:
    """Break into lines of at most `width` characters, after punctuation or (en) between words."""
    if language == "en-US":
        lines: list[str] = []
        for word in text.split():
            if lines and len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
        return lines
    lines = []
    rest = text.strip()
    while len(rest) > width:
        window = rest[:width]
        cut = max((m.end() for m in re.finditer(r"[，、：；,:;]", window)), default=0)
        if cut < width // 2:
            cut = width
            while cut > width // 2 and re.match(r"[A-Za-z0-9=+\-.() ]{2}", rest[cut - 1 : cut + 1]):
                cut -= 1  # keep a formula such as "y = kx + b" on one line
        lines.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        lines.append(rest)
    return lines


def _chunks(text: str, language: Language) -> list[list[str]]:
    """Sentences, each wrapped, regrouped into cues of at most two lines."""
    found = re.findall(SENTENCE[language], text)
    sentences = [s.strip() for s in found if s.strip()]
    cues: list[list[str]] = []
    for sentence in sentences:
        lines = _wrap(sentence, LINE_CHARS[language], language)
        cues.extend(lines[i : i + LINES_PER_CUE] for i in range(0, len(lines), LINES_PER_CUE))
    return cues


def _merged(first: list[str], second: list[str], language: Language) -> list[str] | None:
    """Two cues as one, rewrapped, when that still fits on the screen's two lines."""
    joiner = " " if language == "en-US" else ""
    lines = _wrap(joiner.join([*first, *second]), LINE_CHARS[language], language)
    return lines if len(lines) <= LINES_PER_CUE else None


def _readable(chunks: list[list[str]], span_ms: int, language: Language) -> list[list[str]]:
    """Cues shorter than MIN_CUE_MS on screen are joined to a neighbour when the two fit together."""
    chunks = list(chunks)
    changed = True
    while changed and len(chunks) > 1:
        changed = False
        total = sum(sum(len(line) for line in chunk) for chunk in chunks)
        for i, chunk in enumerate(chunks):
            if span_ms * sum(len(line) for line in chunk) // total >= MIN_CUE_MS:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(chunks):
                    low, high = min(i, j), max(i, j)
                    joined = _merged(chunks[low], chunks[high], language)
                    if joined is not None:
                        chunks[low : high + 1] = [joined]
                        changed = True
                        break
            if changed:
                break
    return chunks


def subtitle_cues(plan: LessonPlan, syncmap: SyncMap) -> list[SubtitleCue]:
    cues: list[SubtitleCue] = []
    for _, segment in plan.segments():
        span = syncmap.segment(segment.id)
        chunks = _readable(
            _chunks(segment.text, segment.language), span.end_ms - span.start_ms, segment.language
        )
        weights = [sum(len(line) for line in chunk) for chunk in chunks]
        total, done = sum(weights), 0
        for chunk, weight in zip(chunks, weights, strict=True):
            start = span.start_ms + (span.end_ms - span.start_ms) * done // total
            done += weight
            end = span.start_ms + (span.end_ms - span.start_ms) * done // total
            cues.append(SubtitleCue(segment_id=segment.id, start_ms=start, end_ms=end, lines=chunk))
    return cues


def _clock(ms: int, separator: str) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def to_srt(cues: list[SubtitleCue]) -> str:
    blocks = [
        f"{i}\n{_clock(c.start_ms, ',')} --> {_clock(c.end_ms, ',')}\n" + "\n".join(c.lines)
        for i, c in enumerate(cues, start=1)
    ]
    return "\n\n".join(blocks) + "\n"


def to_vtt(cues: list[SubtitleCue]) -> str:
    """WebVTT: what browsers' <track> elements and most web players read."""
    blocks = [f"{_clock(c.start_ms, '.')} --> {_clock(c.end_ms, '.')}\n" + "\n".join(c.lines) for c in cues]
    return "WEBVTT\n\n" + "\n\n".join(blocks) + "\n"
