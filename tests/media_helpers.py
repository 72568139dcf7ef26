"""Real media made with ffmpeg's own generators, for tests that need a clip or a tone."""

from __future__ import annotations

from pathlib import Path

from mathcast.media.ffmpeg import run_ffmpeg


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
