"""Subtitle cues from the sync map: sentences split to fit the screen, timed by their share of
speech and moved onto the word onsets the voice reported; each cue on screen at least ~1 s.

Chinese breaks without spaces, at punctuation where it can; each cue holds at most two lines.
"""

from __future__ import annotations

import itertools
import re

from pydantic import Field

from mathcast.lesson import Language, LessonPlan, Millis, Model, Span, SyncMap, WordTiming

LINE_CHARS: dict[Language, int] = {"zh-CN": 18, "en-US": 42}
LINES_PER_CUE = 2
MIN_CUE_MS = 1000  # shorter than this a cue flashes past before it can be read
SNAP_MS = 800  # how far a character-share boundary may move to the pause between two words
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
    """Break into lines of at most `width` characters, after punctuation where it can (past a third
    the line), else between words (en) or anywhere but inside a formula (zh)."""
    if language == "en-US":
        lines: list[str] = []
        for word in text.split():
            if lines and len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += " " + word
                continue
            if lines:
                words = lines[-1].split(" ")
                at = max((i for i, w in enumerate(words[:-1]) if re.search(r"[,;:]$", w)), default=-1)
                if at >= 0 and len(" ".join(words[: at + 1])) >= width // 3:
                    carried = " ".join([*words[at + 1 :], word])
                    if len(carried) <= width:
                        lines[-1] = " ".join(words[: at + 1])
                        lines.append(carried)
                        continue
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


def _at_a_word(estimate_ms: int, words: list[WordTiming], after_ms: int, before_ms: int) -> int:
    """A cue boundary moved onto a word onset the voice reported, strictly between the previous
    boundary and the segment end: within SNAP_MS of the estimate, the word after the longest pause
    (cues break at punctuation, where the voice pauses), else the nearest onset."""
    onsets = [
        (word.start_ms, word.start_ms - before.end_ms)
        for before, word in itertools.pairwise(words)
        if after_ms < word.start_ms < before_ms
    ]
    near = [(gap, onset) for onset, gap in onsets if abs(onset - estimate_ms) <= SNAP_MS]
    if near:
        return max(near, key=lambda found: (found[0], -abs(found[1] - estimate_ms)))[1]
    return min(
        (onset for onset, _ in onsets), key=lambda onset: abs(onset - estimate_ms), default=estimate_ms
    )


def _segment_cues(
    segment_id: str, chunks: list[list[str]], span: Span, words: list[WordTiming]
) -> list[SubtitleCue]:
    """Each chunk gets its share of the segment's speech by characters; where word times are known
    the boundaries sit on word onsets."""
    weights = [sum(len(line) for line in chunk) for chunk in chunks]
    total, done = sum(weights), 0
    start, cues = span.start_ms, []
    for index, (chunk, weight) in enumerate(zip(chunks, weights, strict=True)):
        done += weight
        end = span.start_ms + (span.end_ms - span.start_ms) * done // total
        if index < len(chunks) - 1 and words:
            end = _at_a_word(end, words, start, span.end_ms)
        cues.append(SubtitleCue(segment_id=segment_id, start_ms=start, end_ms=end, lines=chunk))
        start = end
    return cues


def _long_enough(cues: list[SubtitleCue], total_ms: int) -> list[SubtitleCue]:
    """A cue under MIN_CUE_MS stays on into the pause after it, then comes on earlier in the pause
    before it, as far as its neighbours allow."""
    out: list[SubtitleCue] = []
    for index, cue in enumerate(cues):
        start, end = cue.start_ms, cue.end_ms
        if end - start < MIN_CUE_MS:
            following = cues[index + 1].start_ms if index + 1 < len(cues) else total_ms
            end = max(end, min(start + MIN_CUE_MS, following))
            previous = out[-1].end_ms if out else 0
            start = min(start, max(end - MIN_CUE_MS, previous))
        out.append(cue.model_copy(update={"start_ms": start, "end_ms": end}))
    return out


def subtitle_cues(plan: LessonPlan, syncmap: SyncMap) -> list[SubtitleCue]:
    cues: list[SubtitleCue] = []
    for _, segment in plan.segments():
        span = syncmap.segment(segment.id)
        chunks = _readable(
            _chunks(segment.text, segment.language), span.end_ms - span.start_ms, segment.language
        )
        cues.extend(_segment_cues(segment.id, chunks, span, syncmap.words.get(segment.id, [])))
    return _long_enough(cues, syncmap.total_ms)


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
