"""The media gate: the produced file measured, then judged against the preset and the plan.

Every span (black, silence, subtitle cue, chapter) is its own row, so a failure names the
offending span, and the review packet shows the same rows whether the gate passed or not.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.expectations import Expectation
from pydantic import Field

from mathcast.lesson import LessonPlan, Model, QuestionCue, SyncMap, VideoFormat
from mathcast.media.ffmpeg import SAMPLE_RATE, MediaFacts, TimeSpan
from mathcast.media.mux import LOUDNESS_LUFS
from quality.gate import GateResult, combine, validate

# A narration clip carries some silence of its own at each end (a voice breathes in and trails
# off), so a measured pause is the planned pause plus up to this much.
CLIP_EDGE_SILENCE_MS = 500


class MediaRules(Model):
    """What the gate asks of a file beyond its preset; `media_rules` derives them from the plan."""

    target_lufs: float = LOUDNESS_LUFS
    lufs_tolerance: float = Field(default=1.0, gt=0)
    max_true_peak_dbtp: float = -1.0
    max_black_ms: int = Field(default=1000, ge=0)
    max_silence_ms: int = Field(default=3000, ge=0, description="The longest pause the plan allows.")
    think_time: list[TimeSpan] = Field(
        default_factory=list, description="Where a question leaves the learner silence to think."
    )


def media_rules(plan: LessonPlan, syncmap: SyncMap) -> MediaRules:
    """The longest planned pause, and the think time after each question, which may be longer."""

    def asks(segment_id: str) -> bool:
        segment = next(seg for _, seg in plan.segments() if seg.id == segment_id)
        return any(isinstance(c, QuestionCue) for c in segment.cues)

    pauses = {seg.id: seg.pause_after_ms for _, seg in plan.segments()}
    think = [
        TimeSpan(start_ms=span.end_ms, end_ms=span.end_ms + pauses[span.id], title=span.id)
        for span in syncmap.segments
        if asks(span.id)
    ]
    thinking = {t.title for t in think}
    longest = max((p for seg_id, p in pauses.items() if seg_id not in thinking), default=0)
    return MediaRules(max_silence_ms=longest + CLIP_EDGE_SILENCE_MS, think_time=think)


def _allowed_silence(span: TimeSpan, rules: MediaRules) -> int:
    """A silence inside a think window may last the window; any other, the longest pause."""
    for window in rules.think_time:
        if window.start_ms - CLIP_EDGE_SILENCE_MS <= span.start_ms and span.end_ms <= (
            window.end_ms + CLIP_EDGE_SILENCE_MS
        ):
            return max(rules.max_silence_ms, window.duration_ms + CLIP_EDGE_SILENCE_MS)
    return rules.max_silence_ms


def _uncovered_ms(chapters: list[TimeSpan], until_ms: int) -> int:
    """How much of [0, until_ms] no chapter covers."""
    covered, cursor = 0, 0
    for chapter in sorted(chapters, key=lambda c: c.start_ms):
        start, end = max(chapter.start_ms, cursor), min(chapter.end_ms, until_ms)
        covered += max(0, end - start)
        cursor = max(cursor, end)
    return until_ms - covered


def media_facts_table(facts: MediaFacts, rules: MediaRules) -> dict[str, pd.DataFrame]:
    """The facts as tables: the file in one row, then one row per span the gate judges."""
    video, audio, subtitles = facts.of("video"), facts.of("audio"), facts.of("subtitle")
    video_ms = video[0].duration_ms if video else 0
    audio_ms = audio[0].duration_ms if audio else 0
    file = {
        "table": "file",
        "video_streams": len(video),
        "audio_streams": len(audio),
        "subtitle_streams": len(subtitles),
        "subtitle_language": subtitles[0].language if subtitles else None,
        "video_codec": video[0].codec_name if video else None,
        "profile": video[0].profile if video else None,
        "pix_fmt": video[0].pix_fmt if video else None,
        "width": video[0].width if video else None,
        "height": video[0].height if video else None,
        "fps": video[0].fps if video else None,
        "frames": video[0].frames if video else None,
        "video_ms": video_ms,
        "audio_ms": audio_ms,
        "drift_ms": abs(video_ms - audio_ms),
        "audio_codec": audio[0].codec_name if audio else None,
        "audio_sample_rate": audio[0].sample_rate if audio else None,
        "integrated_lufs": facts.integrated_lufs,
        "true_peak_dbtp": facts.true_peak_dbtp,
        "loudness_range_lu": facts.loudness_range_lu,
        "chapters": len(facts.chapters),
        "chapters_uncovered_ms": _uncovered_ms(facts.chapters, video_ms),
        "max_silence_ms": rules.max_silence_ms,
    }

    def spans(table: str, items: list[TimeSpan], allowed: Callable[[TimeSpan], int]) -> pd.DataFrame:
        rows = [
            {"table": table, "start_ms": s.start_ms, "end_ms": s.end_ms, "duration_ms": s.duration_ms,
             "allowed_ms": allowed(s), "title": s.title}
            for s in items
        ]  # fmt: skip
        columns = ["table", "start_ms", "end_ms", "duration_ms", "allowed_ms", "title"]
        return pd.DataFrame(rows, columns=columns)

    return {
        "file": pd.DataFrame([file]),
        "black": spans("black", facts.black, lambda _: rules.max_black_ms),
        "silence": spans("silence", facts.silence, lambda s: _allowed_silence(s, rules)),
        "cues": spans("cues", facts.cues, lambda _: video_ms),
        "chapters": spans("chapters", facts.chapters, lambda _: video_ms),
    }


def media_gate(
    facts: MediaFacts, video: VideoFormat, sections: int, rules: MediaRules | None = None
) -> GateResult:
    rules = rules or MediaRules()
    e = gx.expectations
    frame_ms = 1000 / video.fps

    def exactly(column: str, value: float) -> Expectation:
        return e.ExpectColumnValuesToBeBetween(column=column, min_value=value, max_value=value)

    def one_of(column: str, *values: str) -> Expectation:
        return e.ExpectColumnValuesToBeInSet(column=column, value_set=list(values))

    def within_allowance(column: str) -> Expectation:
        return e.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="allowed_ms", column_B=column, or_equal=True, ignore_row_if="either_value_is_missing"
        )

    tables = media_facts_table(facts, rules)
    low, high = rules.target_lufs - rules.lufs_tolerance, rules.target_lufs + rules.lufs_tolerance
    return combine(
        "media_gate",
        [
            validate("media_gate", "file", tables["file"], [
                exactly("video_streams", 1),
                exactly("audio_streams", 1),
                exactly("subtitle_streams", 1),
                one_of("video_codec", "h264"),
                one_of("profile", "High"),
                one_of("pix_fmt", "yuv420p"),
                one_of("audio_codec", "aac"),
                exactly("audio_sample_rate", SAMPLE_RATE),
                exactly("width", video.width),
                exactly("height", video.height),
                exactly("fps", video.fps),
                e.ExpectColumnValuesToBeBetween(column="video_ms", min_value=1000),
                e.ExpectColumnValuesToBeBetween(column="drift_ms", min_value=0, max_value=frame_ms),
                e.ExpectColumnValuesToBeBetween(column="integrated_lufs", min_value=low, max_value=high),
                e.ExpectColumnValuesToBeBetween(column="true_peak_dbtp", max_value=rules.max_true_peak_dbtp),
                exactly("chapters", sections),
                e.ExpectColumnValuesToBeBetween(column="chapters_uncovered_ms", max_value=frame_ms),
            ]),
            validate("media_gate", "black", tables["black"], [within_allowance("duration_ms")]),
            validate("media_gate", "silence", tables["silence"], [within_allowance("duration_ms")]),
            validate("media_gate", "cues", tables["cues"], [
                e.ExpectColumnValuesToBeBetween(column="start_ms", min_value=0),
                within_allowance("end_ms"),
            ]),
            validate("media_gate", "chapters", tables["chapters"], [within_allowance("end_ms")]),
        ],
    )  # fmt: skip


def facts_markdown(result: GateResult) -> str:
    """The gate's verdict and facts as a reviewer reads them: the file's numbers, then each span."""
    verdict = "passed" if result.success else "FAILED"
    lines = [f"## Media gate {verdict}", "", "| check | column | verdict | observed | unexpected |"]
    lines += ["|---|---|---|---|---|"]

    def shown(value: Any) -> str:
        return "" if value is None or value == [] else repr(value)

    lines += [
        f"| {c.expectation} | {c.column or ''} | {'pass' if c.success else '**FAIL**'} | "
        f"{shown(c.observed)} | {shown(c.unexpected[:5])} |"
        for c in result.checks
    ]
    file = next((f for f in result.facts if f["table"] == "file"), {})
    lines += ["", "| fact | value |", "|---|---|"]
    lines += [f"| {name} | {value} |" for name, value in file.items() if name != "table"]
    spans = [f for f in result.facts if f["table"] != "file"]
    columns = ["table", "start_ms", "end_ms", "duration_ms", "allowed_ms", "title"]
    lines += ["", "| " + " | ".join(columns) + " |", "|---" * len(columns) + "|"]
    lines += ["| " + " | ".join(str(s[c] if s[c] is not None else "") for c in columns) + " |" for s in spans]
    return "\n".join(lines) + "\n"


def review_markdown(title: str, result: GateResult, pictures: Mapping[str, tuple[str, str]]) -> str:
    """The gate for the reviewer's page: the lesson, where its pictures are stored (name → key,
    location), then the verdict per check and the measured facts."""
    lines = [f"# {title}", "", "| picture | store key | location |", "|---|---|---|"]
    lines += [f"| {name} | `{key}` | {location} |" for name, (key, location) in pictures.items()]
    return "\n".join(lines) + "\n\n" + facts_markdown(result)
