"""The media gate's judgement on measured facts: each rule fails on its own and names the span."""

from __future__ import annotations

from pathlib import Path

import pytest

from mathcast.lesson import QUALITIES
from mathcast.media.ffmpeg import MediaFacts, StreamFacts, TimeSpan, measure, run_ffmpeg
from quality.media import MediaRules, media_gate, media_rules
from tests.media_helpers import question_lesson

LOW = QUALITIES["low"]
VIDEO = StreamFacts(codec_type="video", codec_name="h264", duration_ms=20_000, width=854, height=480,
                    fps=15.0, frames=300, profile="High", pix_fmt="yuv420p")  # fmt: skip
AUDIO = StreamFacts(codec_type="audio", codec_name="aac", duration_ms=20_000, sample_rate=48_000)
SUBS = StreamFacts(codec_type="subtitle", codec_name="mov_text", duration_ms=19_000)
GOOD = MediaFacts(
    duration_ms=20_000,
    streams=[VIDEO, AUDIO, SUBS],
    chapters=[
        TimeSpan(start_ms=0, end_ms=8000, title="引入"),
        TimeSpan(start_ms=8000, end_ms=20_000, title="互动"),
    ],
    integrated_lufs=-16.2,
    true_peak_dbtp=-1.4,
    silence=[TimeSpan(start_ms=5000, end_ms=5700), TimeSpan(start_ms=12_000, end_ms=15_300)],
    cues=[TimeSpan(start_ms=0, end_ms=5000), TimeSpan(start_ms=15_300, end_ms=19_000)],
)


PLAN, SYNC = question_lesson(3000, {"a": (0, 5000), "b": (8000, 12_200), "c": (15_200, 19_000)}, 20_000)


def _failed(facts: MediaFacts, rules: MediaRules | None = None) -> set[str]:
    result = media_gate(facts, LOW, sections=2, rules=rules or media_rules(PLAN, SYNC))
    return {f"{c.expectation}:{c.column or ''}" for c in result.failures()}


def test_rules_allow_the_longest_pause_and_the_think_time_after_a_question() -> None:
    rules = media_rules(PLAN, SYNC)
    assert rules.max_silence_ms == 300 + 500
    assert [(t.start_ms, t.end_ms) for t in rules.think_time] == [(12_200, 15_200)]
    assert _failed(GOOD) == set()


@pytest.mark.parametrize(
    ("change", "failure"),
    [
        ({"integrated_lufs": -17.3}, "expect_column_values_to_be_between:integrated_lufs"),
        ({"true_peak_dbtp": -0.4}, "expect_column_values_to_be_between:true_peak_dbtp"),
        (
            {"black": [TimeSpan(start_ms=2000, end_ms=3500)]},
            "expect_column_pair_values_a_to_be_greater_than_b:",
        ),
        (
            {"silence": [TimeSpan(start_ms=1000, end_ms=2100)]},
            "expect_column_pair_values_a_to_be_greater_than_b:",
        ),
        (
            {"cues": [TimeSpan(start_ms=19_000, end_ms=20_400)]},
            "expect_column_pair_values_a_to_be_greater_than_b:",
        ),
        (
            {
                "chapters": [
                    TimeSpan(start_ms=0, end_ms=8000, title="引入"),
                    TimeSpan(start_ms=8000, end_ms=18_000, title="互动"),
                ]
            },
            "expect_column_values_to_be_between:chapters_uncovered_ms",
        ),
        ({"streams": [VIDEO, AUDIO, AUDIO, SUBS]}, "expect_column_values_to_be_between:audio_streams"),
        (
            {"streams": [VIDEO, AUDIO.model_copy(update={"duration_ms": 20_100}), SUBS]},
            "expect_column_values_to_be_between:drift_ms",
        ),
        (
            {"streams": [VIDEO.model_copy(update={"fps": 30.0}), AUDIO, SUBS]},
            "expect_column_values_to_be_between:fps",
        ),
        (
            {"streams": [VIDEO, AUDIO.model_copy(update={"sample_rate": 44_100}), SUBS]},
            "expect_column_values_to_be_between:audio_sample_rate",
        ),
    ],
)
def test_each_rule_fails_on_its_own(change: dict[str, object], failure: str) -> None:
    assert _failed(GOOD.model_copy(update=change)) == {failure}


def test_a_failure_carries_the_offending_span() -> None:
    result = media_gate(GOOD.model_copy(update={"black": [TimeSpan(start_ms=2000, end_ms=3500)]}), LOW, 2)
    (black,) = [f for f in result.facts if f["table"] == "black"]
    assert (black["start_ms"], black["duration_ms"], black["allowed_ms"]) == (2000, 1500, 1000)


@pytest.mark.integration
def test_measure_finds_black_and_silence(tmp_path: Path) -> None:
    """1 s of picture, 1.5 s of black; 1 s of tone, then silence."""
    out = tmp_path / "spans.mp4"
    run_ffmpeg(
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=15:duration=1",
        "-f", "lavfi", "-i", "color=black:size=320x240:rate=15:duration=1.5",
        "-f", "lavfi", "-i", "sine=duration=1:sample_rate=48000",
        "-filter_complex", "[0:v][1:v]concat=n=2:v=1:a=0[v];[2:a]apad=whole_dur=2.5[a]",
        "-map", "[v]", "-map", "[a]", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac", str(out),
    )  # fmt: skip
    facts = measure(out)
    (black,) = facts.black
    (silence,) = facts.silence
    assert abs(black.start_ms - 1000) <= 70 and abs(black.end_ms - 2500) <= 70
    assert abs(silence.start_ms - 1000) <= 50 and abs(silence.end_ms - 2500) <= 70
    assert facts.integrated_lufs is not None and facts.cues == []
