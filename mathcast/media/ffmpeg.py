"""ffmpeg and ffprobe as subprocesses with argument lists (never a shell), and their facts."""

from __future__ import annotations

import json
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
from pydantic import Field

from mathcast.lesson import Model

SAMPLE_RATE = 48_000


class MediaToolError(RuntimeError):
    """ffmpeg or ffprobe failed; the message ends with the tool's own last words."""


def run_ffmpeg(*args: str, timeout: float = 1800) -> None:
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise MediaToolError(f"ffmpeg {' '.join(args[:6])} ... failed: {result.stderr.strip()[-800:]}")


def decode_pcm(path: Path) -> np.ndarray:
    """Any audio ffmpeg reads, as mono int16 at 48 kHz."""
    result = subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-nostdin",
            "-loglevel",
            "error",
            "-i",
            str(path),
            "-ac",
            "1",
            "-ar",
            str(SAMPLE_RATE),
            "-f",
            "s16le",
            "-",
        ],
        capture_output=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise MediaToolError(f"cannot decode {path.name}: {result.stderr.decode(errors='replace')[-400:]}")
    return np.frombuffer(result.stdout, dtype=np.int16)


class StreamFacts(Model):
    codec_type: str
    codec_name: str
    duration_ms: int
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    frames: int | None = None
    sample_rate: int | None = None
    profile: str | None = None
    pix_fmt: str | None = None


class MediaFacts(Model):
    duration_ms: int
    streams: list[StreamFacts]
    chapters: list[str] = Field(default_factory=list)

    def of(self, codec_type: str) -> list[StreamFacts]:
        return [s for s in self.streams if s.codec_type == codec_type]


def probe(path: Path, count_frames: bool = False) -> MediaFacts:
    args = ["ffprobe", "-v", "error", "-show_streams", "-show_format", "-show_chapters", "-of", "json"]
    if count_frames:
        args.append("-count_frames")
    result = subprocess.run([*args, str(path)], capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise MediaToolError(f"ffprobe cannot read {path.name}: {result.stderr.strip()[-400:]}")
    raw = json.loads(result.stdout)
    streams = []
    for s in raw.get("streams", []):
        rate = s.get("avg_frame_rate") or s.get("r_frame_rate")
        fps = float(Fraction(rate)) if s.get("codec_type") == "video" and rate and rate != "0/0" else None
        frames = s.get("nb_read_frames") or s.get("nb_frames")
        streams.append(
            StreamFacts(
                codec_type=s.get("codec_type", "unknown"),
                codec_name=s.get("codec_name", "unknown"),
                duration_ms=round(float(s.get("duration", 0)) * 1000),
                width=s.get("width"),
                height=s.get("height"),
                fps=fps,
                frames=int(frames) if frames else None,
                sample_rate=int(s["sample_rate"]) if "sample_rate" in s else None,
                profile=s.get("profile"),
                pix_fmt=s.get("pix_fmt"),
            )
        )
    return MediaFacts(
        duration_ms=round(float(raw.get("format", {}).get("duration", 0)) * 1000),
        streams=streams,
        chapters=[c.get("tags", {}).get("title", "") for c in raw.get("chapters", [])],
    )
