"""ffmpeg and ffprobe as subprocesses with argument lists (never a shell), and their facts."""

from __future__ import annotations

import json
import re
import subprocess
from fractions import Fraction
from pathlib import Path

import numpy as np
from pydantic import Field

from mathcast.lesson import Model
from mathcast.media.subtitles import read_srt

SAMPLE_RATE = 48_000


class MediaToolError(RuntimeError):
    """ffmpeg or ffprobe failed; the message ends with the tool's own last words."""


def run_ffmpeg(*args: str, timeout: float = 1800) -> None:
    ffmpeg_log(*args, timeout=timeout, loglevel="error")


def ffmpeg_log(*args: str, timeout: float = 1800, loglevel: str = "info") -> str:
    """Run ffmpeg and return what it logged: analysis filters report their findings there."""
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-nostats", "-loglevel", loglevel, "-y", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise MediaToolError(f"ffmpeg {' '.join(args[:6])} ... failed: {result.stderr.strip()[-800:]}")
    return result.stderr


def ffmpeg_output(*args: str, failure: str, timeout: float = 600) -> bytes:
    """Run ffmpeg with its output on stdout ('-') and return those bytes; `failure` says what failed."""
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", *args],
        capture_output=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise MediaToolError(f"{failure}: {result.stderr.decode(errors='replace').strip()[-400:]}")
    return result.stdout


def decode_pcm(path: Path) -> np.ndarray:
    """Any audio ffmpeg reads, as mono int16 at 48 kHz."""
    raw = ffmpeg_output(
        "-i",
        str(path),
        "-ac",
        "1",
        "-ar",
        str(SAMPLE_RATE),
        "-f",
        "s16le",
        "-",
        failure=f"cannot decode {path.name}",
    )
    return np.frombuffer(raw, dtype=np.int16)


class StreamFacts(Model):
    codec_type: str
    codec_name: str
    duration_ms: int
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    frames: int | None = None
    sample_rate: int | None = None
    channels: int | None = None
    profile: str | None = None
    pix_fmt: str | None = None
    language: str | None = Field(default=None, description="The stream's ISO 639-2 tag (eng, chi ...).")


class TimeSpan(Model):
    start_ms: int
    end_ms: int
    title: str = ""

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


class MediaFacts(Model):
    """What a file is (ffprobe) and, after `measure`, what it sounds and looks like."""

    duration_ms: int
    streams: list[StreamFacts]
    chapters: list[TimeSpan] = Field(default_factory=list)
    integrated_lufs: float | None = None
    true_peak_dbtp: float | None = None
    loudness_range_lu: float | None = None
    black: list[TimeSpan] = Field(default_factory=list)
    silence: list[TimeSpan] = Field(default_factory=list)
    cues: list[TimeSpan] = Field(default_factory=list, description="The soft subtitle track's cue times.")

    def of(self, codec_type: str) -> list[StreamFacts]:
        return [s for s in self.streams if s.codec_type == codec_type]


def _ms(seconds: str | float) -> int:
    return round(float(seconds) * 1000)


def probe(path: Path, count_frames: bool = False) -> MediaFacts:
    if not path.is_file():
        raise MediaToolError(f"no such media file: {path}")
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
                duration_ms=_ms(s.get("duration", 0)),
                width=s.get("width"),
                height=s.get("height"),
                fps=fps,
                frames=int(frames) if frames else None,
                sample_rate=int(s["sample_rate"]) if "sample_rate" in s else None,
                channels=s.get("channels"),
                profile=s.get("profile"),
                pix_fmt=s.get("pix_fmt"),
                language=s.get("tags", {}).get("language"),
            )
        )
    return MediaFacts(
        duration_ms=_ms(raw.get("format", {}).get("duration", 0)),
        streams=streams,
        chapters=[
            TimeSpan(
                start_ms=_ms(c["start_time"]),
                end_ms=_ms(c["end_time"]),
                title=c.get("tags", {}).get("title", ""),
            )
            for c in raw.get("chapters", [])
        ],
    )


# Our scenes are drawn on a dark navy background (luma about 36 of 255), which ffmpeg's default
# threshold (0.10) calls black; 0.05 only catches true black, such as padding or a missing clip.
BLACK_PIXEL_THRESHOLD = 0.05
SILENCE_DB = -50
MIN_SPAN_S = 0.25


def _spans(log: str, start: str, end: str, until_ms: int) -> list[TimeSpan]:
    """Pairs of start/end marks from a detector's log; a span still open at the end runs to `until_ms`."""
    marks = re.findall(rf"({start}|{end})\s*:\s*(-?[\d.]+)", log)
    spans: list[TimeSpan] = []
    opened: int | None = None
    for mark, value in marks:
        if mark == start:
            opened = max(0, _ms(value))
        elif opened is not None:
            spans.append(TimeSpan(start_ms=opened, end_ms=_ms(value)))
            opened = None
    if opened is not None:
        spans.append(TimeSpan(start_ms=opened, end_ms=until_ms))
    return spans


def _summary_value(log: str, label: str, unit: str) -> float | None:
    found = re.findall(rf"{label}:\s+(-?(?:inf|[\d.]+))\s+{unit}", log)
    return float(found[-1]) if found else None


def _summary(log: str) -> str:
    """ebur128's closing summary (it also logs every frame above it)."""
    return log[log.rfind("Summary:") :] if "Summary:" in log else ""


def loudness(path: Path, chain: str = "anull") -> tuple[float | None, float | None]:
    """Integrated loudness (LUFS) and true peak (dBTP) of the first audio stream after `chain`."""
    log = ffmpeg_log(
        "-i",
        str(path),
        "-map",
        "0:a:0",
        "-af",
        f"{chain},ebur128=peak=true:framelog=verbose",
        "-f",
        "null",
        "-",
    )
    summary = _summary(log)
    return _summary_value(summary, "I", "LUFS"), _summary_value(summary, "Peak", "dBFS")


def subtitle_cues(path: Path) -> list[TimeSpan]:
    """The cue times of the first subtitle stream, read back from the file itself."""
    srt = ffmpeg_output(
        "-i",
        str(path),
        "-map",
        "0:s:0",
        "-f",
        "srt",
        "-",
        failure=f"cannot read the subtitles of {path.name}",
    )
    return [TimeSpan(start_ms=c.start_ms, end_ms=c.end_ms) for c in read_srt(srt.decode())]


def measure(path: Path) -> MediaFacts:
    """Everything the media gate judges, from one decode of the file: streams, chapters, loudness,
    black and silent spans, and the subtitle cues."""
    facts = probe(path, count_frames=True)
    graph = []
    if facts.of("video"):
        graph.append(f"[0:v:0]blackdetect=d={MIN_SPAN_S}:pix_th={BLACK_PIXEL_THRESHOLD}[v]")
    if facts.of("audio"):
        graph.append(
            f"[0:a:0]ebur128=peak=true:framelog=verbose,silencedetect=noise={SILENCE_DB}dB:d={MIN_SPAN_S}[a]"
        )
    if not graph:
        return facts
    outputs = [
        arg for label in ("v", "a") if f"[{label}]" in ";".join(graph) for arg in ("-map", f"[{label}]")
    ]
    log = ffmpeg_log("-i", str(path), "-filter_complex", ";".join(graph), *outputs, "-f", "null", "-")
    summary = _summary(log)
    return facts.model_copy(
        update={
            "integrated_lufs": _summary_value(summary, "I", "LUFS"),
            "true_peak_dbtp": _summary_value(summary, "Peak", "dBFS"),
            "loudness_range_lu": _summary_value(summary, "LRA", "LU"),
            "black": _spans(log, "black_start", "black_end", facts.duration_ms),
            "silence": _spans(log, "silence_start", "silence_end", facts.duration_ms),
            "cues": subtitle_cues(path) if facts.of("subtitle") else [],
        }
    )
