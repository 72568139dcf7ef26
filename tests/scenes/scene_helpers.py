"""Builders for small render jobs, and a frame grabber for looking at rendered pixels."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from mathcast.lesson import QUALITIES, Cue, Language, Section, Segment, Span, SyncMap, VideoFormat
from mathcast.scenes.cues import Drawing
from mathcast.scenes.timeline import SceneJob, scene_job

LOW = QUALITIES["low"]  # 854x480 @ 15 fps


def make_job(
    cues: Sequence[Sequence[Cue]],
    speech_ms: Sequence[int],
    pause_ms: int = 1000,
    lead_ms: int = 0,
    title: str = "一次函数的图像",
    video: VideoFormat = LOW,
    language: Language = "zh-CN",
) -> SceneJob:
    """One section with a segment per cue list; segment i speaks `speech_ms[i]` then pauses."""
    segments, spans = [], []
    at = lead_ms
    for i, (segment_cues, speech) in enumerate(zip(cues, speech_ms, strict=True)):
        segment = Segment(
            id=f"seg-{i}", text="旁白", language=language, cues=list(segment_cues), pause_after_ms=pause_ms
        )
        segments.append(segment)
        spans.append(Span(id=f"seg-{i}", start_ms=at, end_ms=at + speech))
        at += speech + pause_ms
    section = Section(id="sec", kind="explain", title=title, segments=segments)
    syncmap = SyncMap(total_ms=at, sections=[Span(id="sec", start_ms=0, end_ms=at)], segments=spans)
    return scene_job("一次函数", section, syncmap, video)


def frame_rgb(video: Path, index: int, width: int, height: int) -> np.ndarray:
    """Decode one frame as an (height, width, 3) uint8 array through ffmpeg's rawvideo output."""
    result = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-nostdin",
            "-i",
            str(video),
            "-vf",
            f"select=eq(n\\,{index})",
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "rgb24",
            "-",
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return np.frombuffer(result.stdout, dtype=np.uint8).reshape(height, width, 3)


def settled_drawing(job: SceneJob, slot: int = 0) -> Drawing:
    """Plan one slot in this process at the job's format: the geometry the runner draws."""
    from manim import tempconfig

    from mathcast.scenes.cues import SlotTime, plan
    from mathcast.scenes.runner import configure

    with tempfile.TemporaryDirectory() as scratch, tempconfig({}):
        configure(job, Path(scratch))
        cue = job.slots[slot]
        time = SlotTime(
            frames=cue.end_frame - cue.start_frame, speech_end=cue.speech_end_frame, fps=job.format.fps
        )
        return plan(cue.cue, time, job.section.segments[0].language)


def to_pixel(point: Sequence[float], video: VideoFormat = LOW) -> tuple[int, int]:
    """(row, column) of a scene point in a frame: the frame is 8 units high, centred on the origin."""
    height = 8.0
    width = height * video.width / video.height
    column = (point[0] + width / 2) / width * video.width
    row = (height / 2 - point[1]) / height * video.height
    return round(row), round(column)


def near(frame: np.ndarray, row: int, column: int, color: str, radius: int = 2, tolerance: int = 60) -> bool:
    """Whether any pixel within `radius` of (row, column) has `color` (#rrggbb) within `tolerance`."""
    rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    patch = frame[row - radius : row + radius + 1, column - radius : column + radius + 1].astype(int)
    return bool((np.abs(patch - rgb).max(axis=2) <= tolerance).any())
