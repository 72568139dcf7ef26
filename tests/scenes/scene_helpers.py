"""Builders for small render jobs, and a frame grabber for looking at rendered pixels."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from mathcast.lesson import QUALITIES, Cue, Section, Segment, Span, SyncMap, VideoFormat
from mathcast.scenes.timeline import SceneJob, scene_job

LOW = QUALITIES["low"]  # 854x480 @ 15 fps


def make_job(
    cues: Sequence[Sequence[Cue]],
    speech_ms: Sequence[int],
    pause_ms: int = 1000,
    lead_ms: int = 0,
    title: str = "一次函数的图像",
    video: VideoFormat = LOW,
) -> SceneJob:
    """One section with a segment per cue list; segment i speaks `speech_ms[i]` then pauses."""
    segments, spans = [], []
    at = lead_ms
    for i, (segment_cues, speech) in enumerate(zip(cues, speech_ms, strict=True)):
        segment = Segment(
            id=f"seg-{i}", text="旁白", language="zh-CN", cues=list(segment_cues), pause_after_ms=pause_ms
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
