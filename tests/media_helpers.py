"""Real media made with ffmpeg's own generators, for tests that need a clip or a tone."""

from __future__ import annotations

from pathlib import Path

from mathcast.media.ffmpeg import run_ffmpeg


def tone(path: Path, seconds: float, frequency: int = 440, rate: int = 22050) -> Path:
    run_ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency={frequency}:sample_rate={rate}:duration={seconds}",
        "-ac",
        "1",
        str(path),
    )
    return path


def clip(path: Path, frames: int, fps: int, size: str = "854x480") -> Path:
    run_ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"testsrc2=size={size}:rate={fps}",
        "-frames:v",
        str(frames),
        "-c:v",
        "libx264",
        "-pix_fmt",
        "yuv420p",
        str(path),
    )
    return path
