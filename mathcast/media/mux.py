"""Joins scene clips and the narration into one MP4 that plays in class and on video sites.

Each clip is held to its planned frame count (trimmed, or its last frame held), and the audio
is padded or cut to the video's exact length, so picture and sound cannot drift apart.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from mathcast.lesson import Millis, Model, VideoFormat
from mathcast.media.ffmpeg import SAMPLE_RATE, run_ffmpeg

LOUDNESS_LUFS = -16.0
TRUE_PEAK_DBTP = -1.5
SUBTITLE_LANGUAGE = {"zh-CN": "chi", "en-US": "eng"}


class Clip(Model):
    path: str
    frames: int


class Chapter(Model):
    title: str
    start_ms: Millis
    end_ms: Millis


def _chapters_file(chapters: Sequence[Chapter], path: Path) -> Path:
    def escape(text: str) -> str:
        return "".join("\\" + c if c in "=;#\\\n" else c for c in text)

    lines = [";FFMETADATA1"]
    for chapter in chapters:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={chapter.start_ms}",
            f"END={chapter.end_ms}",
            f"title={escape(chapter.title)}",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def mux(
    clips: Sequence[Clip],
    narration: Path,
    subtitles_srt: Path,
    chapters: Sequence[Chapter],
    video: VideoFormat,
    language: str,
    out: Path,
) -> Path:
    if not clips:
        raise ValueError("nothing to mux: no scene clips")
    total_frames = sum(c.frames for c in clips)
    seconds = f"{total_frames / video.fps:.6f}"
    graph = [
        f"[{i}:v]fps={video.fps},scale={video.width}:{video.height},setsar=1,"
        f"tpad=stop_mode=clone:stop={c.frames},trim=end_frame={c.frames},setpts=PTS-STARTPTS[v{i}]"
        for i, c in enumerate(clips)
    ]
    n = len(clips)
    graph.append("".join(f"[v{i}]" for i in range(n)) + f"concat=n={n}:v=1:a=0,format=yuv420p[v]")
    graph.append(
        f"[{n}:a]loudnorm=I={LOUDNESS_LUFS}:TP={TRUE_PEAK_DBTP}:LRA=11,aresample={SAMPLE_RATE},aformat=channel_layouts=mono,"
        f"apad=whole_dur={seconds},atrim=end={seconds}[a]"
    )
    with tempfile.TemporaryDirectory(prefix="mathcast-mux-") as tmp:
        meta = _chapters_file(chapters, Path(tmp) / "chapters.txt")
        inputs = [arg for c in clips for arg in ("-i", c.path)]
        run_ffmpeg(
            *inputs,
            "-i",
            str(narration),
            "-i",
            str(subtitles_srt),
            "-i",
            str(meta),
            "-filter_complex",
            ";".join(graph),
            "-map",
            "[v]",
            "-map",
            "[a]",
            "-map",
            f"{n + 1}:s",
            "-map_chapters",
            str(n + 2),
            "-c:v",
            "libx264",
            "-profile:v",
            "high",
            "-preset",
            "medium",
            "-crf",
            "20",
            "-r",
            str(video.fps),
            "-c:a",
            "aac",
            "-b:a",
            "128k",
            "-ar",
            str(SAMPLE_RATE),
            "-c:s",
            "mov_text",
            "-metadata:s:s:0",
            f"language={SUBTITLE_LANGUAGE.get(language, 'und')}",
            "-movflags",
            "+faststart",
            "-t",
            seconds,
            str(out),
        )
    return out
