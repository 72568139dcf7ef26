"""Real media made with ffmpeg's own generators, for tests that need a clip or a tone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from mathcast.lesson import LessonPlan, QuestionCue, Section, Segment, Span, SyncMap
from mathcast.media.ffmpeg import decode_pcm, run_ffmpeg


def tone(path: Path, seconds: float, frequency: int = 440, rate: int = 22050, gain_db: float = 0) -> Path:
    """A sine (about -21 LUFS at 0 dB gain)."""
    run_ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency={frequency}:sample_rate={rate}:duration={seconds}",
        "-af",
        f"volume={gain_db}dB",
        "-ac",
        "1",
        str(path),
    )
    return path


def clip(path: Path, frames: int, fps: int, size: str = "854x480", source: str = "testsrc2") -> Path:
    """An H.264 High clip; `source` is a lavfi video source such as testsrc2 or color=black."""
    run_ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"{source}:size={size}:rate={fps}" if "=" in source else f"{source}=size={size}:rate={fps}",
        "-frames:v",
        str(frames),
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        str(path),
    )
    return path


def srt(path: Path, *cues: tuple[int, int, str]) -> Path:
    def clock(ms: int) -> str:
        return f"00:{ms // 60000:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"

    blocks = [f"{i}\n{clock(a)} --> {clock(b)}\n{text}" for i, (a, b, text) in enumerate(cues, start=1)]
    path.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return path


def question_lesson(
    think_ms: int, speech: dict[str, tuple[int, int]], total_ms: int
) -> tuple[LessonPlan, SyncMap]:
    """Two sections: a greeting (a), then a question (b) with think time, and its answer (c).

    `speech` gives where a, b and c speak; pauses are 300 ms except the think time after b.
    """

    def said(segment_id: str, text: str, **extra: Any) -> Segment:
        return Segment(id=segment_id, text=text, language="zh-CN", **extra)

    question = QuestionCue(id="q", question="k 变大会怎样?", think_ms=think_ms, answer="更陡")
    plan = LessonPlan(
        topic="t", title="一次函数", language="zh-CN", family="函数与方程",
        sections=[
            Section(id="intro", kind="intro", title="引入", segments=[said("a", "你好")]),
            Section(id="ask", kind="interact", title="互动", segments=[
                said("b", "想一想", cues=[question], pause_after_ms=think_ms), said("c", "答案"),
            ]),
        ],
    )  # fmt: skip
    syncmap = SyncMap(
        total_ms=total_ms,
        sections=[Span(id="intro", start_ms=0, end_ms=speech["b"][0]),
                  Span(id="ask", start_ms=speech["b"][0], end_ms=total_ms)],
        segments=[Span(id=k, start_ms=a, end_ms=b) for k, (a, b) in speech.items()],
    )  # fmt: skip
    return plan, syncmap


def tone_level_db(media: Path, frequency: int, start_s: float, seconds: float = 0.5) -> float:
    """dBFS of one frequency in a window of a file's sound (48 kHz, as decoded)."""
    pcm = decode_pcm(media).astype(float) / 32768
    window = pcm[int(start_s * 48000) : int((start_s + seconds) * 48000)]
    t = np.arange(window.size) / 48000
    amplitude = 2 * abs(np.sum(window * np.exp(-2j * np.pi * frequency * t))) / window.size
    return float(20 * np.log10(max(amplitude, 1e-12)))  # digital silence: -240 dB
