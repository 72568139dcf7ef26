"""Joins scene clips and the narration into one MP4 that plays in class and on video sites.

Each clip is held to its planned frame count (trimmed, or its last frame held), and the audio
is padded or cut to the video's exact length, so picture and sound cannot drift apart. Input
that would break that promise is repaired and logged, or refused with the reason.
"""

from __future__ import annotations

import logging
import math
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import Field

from mathcast.align.subtitles import to_srt, to_vtt
from mathcast.lesson import Millis, Model, PresetName, VideoFormat
from mathcast.media.ffmpeg import SAMPLE_RATE, StreamFacts, decode_pcm, loudness, probe, run_ffmpeg
from mathcast.media.subtitles import read_srt, repair

log = logging.getLogger(__name__)

LOUDNESS_LUFS = -16.0
# The limiter's ceiling, measured at 4x oversampling (close to true peak), four decibels under
# the gate's -1 dBTP: AAC adds up to 3.7 dB to the peaks of espeak-ng's buzzy narration (seen in
# bulk runs at a -3 ceiling: +0.7 dBTP); at -5 the demo lands at -16.2 LUFS, -3.5 dBTP.
PEAK_CEILING_DBTP = -5.0
LOUDNESS_TOLERANCE_LU = 0.2
SILENT_LUFS = -60.0  # a track this quiet has nothing to normalise (the render preview's silence)
SILENT_SAMPLE = 100  # int16 amplitude, about -50 dBFS
SUBTITLE_LANGUAGE = {"zh-CN": "chi", "en-US": "eng"}
MAX_CONFORM_MS = 500  # a clip this far from its planned length is a failed render, not a rounding
MUSIC_BED_LUFS = -32.0  # background music sits 16 LU under the voice, and ducks further while it speaks


class DeliveryPreset(Model):
    """Encoder settings for one place lessons go."""

    name: PresetName
    crf: int
    x264_preset: str
    audio_bitrate: str
    audio_channels: Literal[1, 2] = Field(
        default=1, description="Upload sites expect stereo; class speakers are fine with mono."
    )
    max_kbps: int | None = None
    keyframe_s: float | None = None
    closed_gop: bool = False
    copy_matching: bool = False


PRESETS: dict[PresetName, DeliveryPreset] = {
    # A file played from a laptop in class: small, and matching clips are joined without re-encoding.
    "classroom": DeliveryPreset(
        name="classroom", crf=20, x264_preset="medium", audio_bitrate="128k", copy_matching=True
    ),
    # Bilibili re-encodes anything above its upload bitrate cap; a keyframe every 2 s lets it cut fast.
    "bilibili": DeliveryPreset(
        name="bilibili",
        crf=18,
        x264_preset="slow",
        audio_bitrate="192k",
        audio_channels=2,
        max_kbps=6000,
        keyframe_s=2,
    ),
    # YouTube asks for a closed GOP of half the frame rate and high-bitrate AAC.
    "youtube": DeliveryPreset(
        name="youtube",
        crf=18,
        x264_preset="slow",
        audio_bitrate="384k",
        audio_channels=2,
        keyframe_s=0.5,
        closed_gop=True,
    ),
}


class MuxInputError(ValueError):
    """An input the mux cannot use without desynchronising picture and sound."""


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


def _same_rate(stream: StreamFacts, video: VideoFormat) -> bool:
    """The format's rate, give or take what a container's rounded duration does to the average."""
    return stream.fps is not None and math.isclose(stream.fps, video.fps, rel_tol=1e-3)


def _clip_facts(clips: Sequence[Clip], video: VideoFormat) -> list[StreamFacts]:
    """Probe every clip; refuse a missing, empty or far too long or short one, log what is conformed."""
    facts = []
    for clip in clips:
        path = Path(clip.path)
        if not path.is_file() or path.stat().st_size == 0:
            raise MuxInputError(f"scene clip {path} is {'missing' if not path.is_file() else 'empty'}")
        streams = probe(path).of("video")
        if not streams:
            raise MuxInputError(f"scene clip {path.name} has no video stream")
        stream = streams[0]
        planned_ms = clip.frames * 1000 // video.fps
        if abs(stream.duration_ms - planned_ms) > MAX_CONFORM_MS:
            raise MuxInputError(
                f"scene clip {path.name} lasts {stream.duration_ms} ms, the plan {planned_ms} ms: "
                "holding or cutting that much would show the wrong picture; render it again"
            )
        if not _same_rate(stream, video):
            log.warning("clip %s runs at %s fps: resampled to %d fps", path.name, stream.fps, video.fps)
        elif stream.frames is not None and abs(stream.frames - clip.frames) > 1:
            log.warning(
                "clip %s has %d frames, the plan %d: %s",
                path.name,
                stream.frames,
                clip.frames,
                "trimmed" if stream.frames > clip.frames else "last frame held",
            )
        facts.append(stream)
    return facts


def _matches(stream: StreamFacts, clip: Clip, video: VideoFormat) -> bool:
    """A clip that can be joined as it is: same codec, format and size, exactly the planned frames."""
    return (
        (stream.codec_name, stream.profile, stream.pix_fmt) == ("h264", "High", "yuv420p")
        and (stream.width, stream.height) == (video.width, video.height)
        and _same_rate(stream, video)
        and stream.frames == clip.frames
    )


def _check_narration(narration: Path, video_ms: int, frame_ms: float) -> None:
    """Narration past the video's end may only be silence: cutting speech would hide a desync."""
    narration_ms = probe(narration).duration_ms
    if narration_ms <= video_ms + frame_ms:
        return
    tail = decode_pcm(narration)[video_ms * SAMPLE_RATE // 1000 :]
    if tail.size and int(np.abs(tail.astype(np.int32)).max()) > SILENT_SAMPLE:
        raise MuxInputError(
            f"narration ({narration_ms} ms) runs {narration_ms - video_ms} ms past the video "
            f"({video_ms} ms) and is not silent there: the clips and the sync map disagree"
        )
    log.warning("narration's silent tail cut: %d ms past the video's end", narration_ms - video_ms)


def _gain_chain(gain_db: float) -> str:
    ceiling = 10 ** (PEAK_CEILING_DBTP / 20)
    return (
        f"aformat=channel_layouts=mono,aresample=192000,volume={gain_db:.2f}dB,"
        f"alimiter=limit={ceiling:.4f}:level=false:attack=5:release=50,aresample={SAMPLE_RATE}"
    )


def loudness_chain(narration: Path) -> str:
    """Filters that bring the narration to the target loudness with its peaks under the ceiling.

    Measured first, then a gain and a peak limiter at 4x oversampling; the limiter takes some
    loudness away (speech is peaky), so the result is measured and the gain corrected along
    the measured slope (secant steps). loudnorm's one pass misses by more than a decibel on
    espeak speech, and its dynamic mode pumps.
    """
    level, _ = loudness(narration)
    if level is None or level < SILENT_LUFS:
        return f"aformat=channel_layouts=mono,aresample={SAMPLE_RATE}"
    gain, slope = LOUDNESS_LUFS - level, 1.0
    tried: list[tuple[float, float]] = []
    for _ in range(3):
        chain = _gain_chain(gain)
        level, _ = loudness(narration, chain)
        if level is None or abs(level - LOUDNESS_LUFS) <= LOUDNESS_TOLERANCE_LU:
            break
        tried.append((gain, level))
        if len(tried) > 1:
            (g0, l0), (g1, l1) = tried[-2:]
            slope = min(1.0, max(0.2, (l1 - l0) / (g1 - g0))) if g1 != g0 else slope
        gain += (LOUDNESS_LUFS - level) / slope
    return chain


def _chapters_to_end(chapters: Sequence[Chapter], video_ms: int) -> list[Chapter]:
    """Chapters in order, the last one running to the video's end, none past it."""
    ordered = sorted(chapters, key=lambda c: c.start_ms)
    inside = [c for c in ordered if c.start_ms < video_ms]
    if len(inside) < len(ordered):
        log.warning("%d chapters start after the video's end: dropped", len(ordered) - len(inside))
    return [*inside[:-1], inside[-1].model_copy(update={"end_ms": video_ms})] if inside else []


def _video_args(
    clips: Sequence[Clip],
    facts: Sequence[StreamFacts],
    video: VideoFormat,
    preset: DeliveryPreset,
    work: Path,
) -> tuple[list[str], str, list[str]]:
    """Inputs, filter graph and codec arguments for the picture: copied when every clip already
    matches (the classroom preset), otherwise each clip conformed to the format and re-encoded."""
    if preset.copy_matching and all(_matches(s, c, video) for s, c in zip(facts, clips, strict=True)):
        listing = work / "clips.txt"
        listing.write_text(
            "".join("file '{}'\n".format(str(Path(c.path).resolve()).replace("'", "'\\''")) for c in clips)
        )
        # The concat demuxer offsets each clip by its duration rounded to microseconds, which
        # leaves timestamps up to a millisecond off the frame grid; snap them back onto it.
        grid = f"round({{0}}*TB*{video.fps})/({video.fps}*TB)"
        snap = f"setts=pts={grid.format('PTS')}:dts={grid.format('DTS')}"
        copy = ["-map", "0:v", "-c:v", "copy", "-bsf:v", snap]
        return ["-f", "concat", "-safe", "0", "-i", str(listing)], "", copy
    graph = [
        f"[{i}:v]fps={video.fps},scale={video.width}:{video.height},setsar=1,"
        f"tpad=stop_mode=clone:stop={c.frames},trim=end_frame={c.frames},setpts=PTS-STARTPTS[v{i}]"
        for i, c in enumerate(clips)
    ]
    n = len(clips)
    graph.append("".join(f"[v{i}]" for i in range(n)) + f"concat=n={n}:v=1:a=0,format=yuv420p[v]")
    codec = ["-map", "[v]", "-c:v", "libx264", "-profile:v", "high", "-preset", preset.x264_preset]
    codec += ["-crf", str(preset.crf), "-r", str(video.fps)]
    if preset.max_kbps:
        codec += ["-maxrate", f"{preset.max_kbps}k", "-bufsize", f"{2 * preset.max_kbps}k"]
    if preset.keyframe_s:
        gop = max(1, round(preset.keyframe_s * video.fps))
        codec += ["-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0"]
    if preset.closed_gop:
        codec += ["-flags", "+cgop", "-bf", "2"]
    return [arg for c in clips for arg in ("-i", c.path)], ";".join(graph), codec


def _ducked_under(voice: str, music_label: str, music: Path, gain_db: float) -> str:
    """The voice chain mixed with the music at bed level (raised by `gain_db`), compressed
    whenever the voice speaks."""
    level, _ = loudness(music)
    if level is None or level < SILENT_LUFS:
        raise MuxInputError(f"background music {music.name} is silent")
    return (
        f"{voice},asplit=2[voice][key];"
        f"{music_label}aformat=channel_layouts=mono,aresample={SAMPLE_RATE},"
        f"volume={MUSIC_BED_LUFS + gain_db - level:.2f}dB[bed];"
        "[bed][key]sidechaincompress=threshold=0.02:ratio=10:attack=20:release=500[ducked];"
        "[voice][ducked]amix=inputs=2:duration=first:normalize=0"
    )


def mux(
    clips: Sequence[Clip],
    narration: Path,
    subtitles_srt: Path,
    chapters: Sequence[Chapter],
    video: VideoFormat,
    language: str,
    out: Path,
    preset: DeliveryPreset = PRESETS["classroom"],
    music: Path | None = None,
    music_gain_db: float = 0.0,
) -> Path:
    """Write `out`, plus the repaired subtitles beside it as `out`.srt and `out`.vtt.

    `music`, when given, loops under the whole lesson at the bed level plus `music_gain_db`,
    ducked by the narration itself.
    """
    if not clips:
        raise ValueError("nothing to mux: no scene clips")
    facts = _clip_facts(clips, video)
    total_frames = sum(c.frames for c in clips)
    video_ms = total_frames * 1000 // video.fps
    seconds = f"{total_frames / video.fps:.6f}"
    _check_narration(narration, video_ms, 1000 / video.fps)
    cues = repair(read_srt(subtitles_srt.read_text(encoding="utf-8")), video_ms)
    srt, vtt = out.with_suffix(".srt"), out.with_suffix(".vtt")
    srt.write_text(to_srt(cues), encoding="utf-8")
    vtt.write_text(to_vtt(cues), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="mathcast-mux-") as tmp:
        inputs, graph, video_codec = _video_args(clips, facts, video, preset, Path(tmp))
        n = sum(1 for arg in inputs if arg == "-i")
        voice = f"[{n}:a]{loudness_chain(narration)}"
        if music is not None:
            voice = _ducked_under(voice, f"[{n + 3}:a]", music, music_gain_db)
        audio = f"{voice},apad=whole_dur={seconds},atrim=end={seconds},asetpts=PTS-STARTPTS[a]"
        music_input = ["-stream_loop", "-1", "-i", str(music)] if music is not None else []
        meta = _chapters_file(_chapters_to_end(chapters, video_ms), Path(tmp) / "chapters.txt")
        run_ffmpeg(
            *inputs,
            "-i", str(narration),
            "-i", str(srt),
            "-i", str(meta),
            *music_input,
            "-filter_complex", ";".join(part for part in (graph, audio) if part),
            *video_codec,
            "-map", "[a]",
            "-map", f"{n + 1}:s",
            "-map_chapters", str(n + 2),
            "-c:a", "aac",
            "-b:a", preset.audio_bitrate,
            "-ac", str(preset.audio_channels),
            "-ar", str(SAMPLE_RATE),
            "-c:s", "mov_text",
            "-metadata:s:s:0", f"language={SUBTITLE_LANGUAGE.get(language, 'und')}",
            "-movflags", "+faststart",
            "-t", seconds,
            str(out),
        )  # fmt: skip
    return out


def thumbnail(video: Path, at_ms: int, out: Path) -> Path:
    """One frame as a PNG: the title frame, for catalogs and upload pages."""
    run_ffmpeg("-ss", f"{at_ms / 1000:.3f}", "-i", str(video), "-frames:v", "1", "-update", "1", str(out))
    return out


def contact_sheet(video: Path, at_ms: Sequence[int], fps: int, out: Path, width: int = 426) -> Path:
    """One frame per moment (one per section), tiled three across, for the review packet."""
    if not at_ms:
        raise ValueError("a contact sheet needs at least one moment")
    select = "+".join(f"eq(n,{(ms * fps) // 1000})" for ms in at_ms)
    columns = min(3, len(at_ms))
    rows = math.ceil(len(at_ms) / columns)
    run_ffmpeg(
        "-i", str(video),
        "-vf", f"select='{select}',scale={width}:-2,tile={columns}x{rows}:padding=4:margin=4",
        "-frames:v", "1",
        "-fps_mode", "vfr",
        "-update", "1",
        str(out),
    )  # fmt: skip
    return out
