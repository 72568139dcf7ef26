"""A teacher's own narration: one audio file per segment, or one file of the whole lesson.

Per segment, the file named by the segment id (s1.wav, s1.m4a ..., anything ffmpeg reads) is
trimmed of the silence at its ends. A whole-lesson file is cut by forced alignment: every cut
carries the aligner's confidence and word times, and a cut it is unsure of stops the stage,
saying where.
"""

from __future__ import annotations

import hashlib
import wave
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np

from mathcast.align.features import FRAME_MS, as_float, frame_energy_db, speech_edges, speech_frames
from mathcast.align.forced import AlignmentError, align_file
from mathcast.lesson import SpokenAudio, WordTiming
from mathcast.media.ffmpeg import SAMPLE_RATE, MediaToolError, decode_pcm
from mathcast.providers.tts.base import PermanentSpeechError, SpeechRequest
from mathcast.settings import Settings

CUT_VERSION = "1"  # how clips are trimmed and cut: part of their cache keys
EDGE_MS = 60  # kept around the speech: the first and last sounds fade, they are not cut
SAMPLES_PER_MS = SAMPLE_RATE // 1000


class RecordingError(PermanentSpeechError):
    """A recording is missing, unreadable, silent, or does not match the script."""


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()[:16]


def _decoded(path: Path, what: str) -> np.ndarray:
    """The recording as 48 kHz mono int16; unreadable or empty audio is an error naming `what`."""
    try:
        pcm = decode_pcm(path)
    except MediaToolError as error:
        raise RecordingError(f"{what}: {path.name} is not audio ffmpeg can read ({error})") from None
    if pcm.size < SAMPLES_PER_MS * FRAME_MS:
        raise RecordingError(f"{what}: {path.name} holds no audio")
    return pcm


def _speech(pcm: np.ndarray, what: str, path: Path) -> np.ndarray:
    """Which 10 ms frames are speech: near the loud frames and clear of the noise floor."""
    level = frame_energy_db(as_float(pcm), SAMPLE_RATE)
    if np.percentile(level, 95) < -60:
        raise RecordingError(f"{what}: {path.name} is silent")
    return speech_frames(level)


def _write(pcm: np.ndarray, out_wav: Path) -> None:
    with wave.open(str(out_wav), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(SAMPLE_RATE)
        clip.writeframes(pcm.astype("<i2").tobytes())


class RecordedClips:
    """A directory with one recording per segment, named by segment id."""

    name = "recorded"

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _file(self, segment_id: str) -> Path:
        found = sorted(
            p for p in self.directory.iterdir() if p.is_file() and p.stem == segment_id and p.name[0] != "."
        )
        if not found:
            raise RecordingError(
                f"no recording for segment {segment_id}: expected a file named {segment_id}.wav (or "
                f"{segment_id}.m4a, .mp3 ... any audio ffmpeg reads) in {self.directory}"
            )
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise RecordingError(f"segment {segment_id} has {len(found)} recordings ({names}): keep one")
        return found[0]

    @cached_property
    def config_id(self) -> str:
        files = sorted(p for p in self.directory.iterdir() if p.is_file())
        return f"recorded-clips:{CUT_VERSION}:{[(p.name, _digest(p)) for p in files]}"

    def clip_id(self, request: SpeechRequest) -> str:
        return f"recorded-clip:{CUT_VERSION}:{_digest(self._file(request.segment_id))}"

    def synthesize(self, request: SpeechRequest, out_wav: Path) -> SpokenAudio:
        """The segment's recording without the silence before and after it."""
        source = self._file(request.segment_id)
        what = f"segment {request.segment_id}"
        pcm = _decoded(source, what)
        speech = _speech(pcm, what, source)
        begin, end = speech_edges(speech, 0, speech.size, EDGE_MS)
        clip = pcm[begin * SAMPLES_PER_MS : end * SAMPLES_PER_MS]
        _write(clip, out_wav)
        return SpokenAudio(
            duration_ms=clip.size // SAMPLES_PER_MS, sample_rate=SAMPLE_RATE, voice=f"recorded:{source.name}"
        )


class RecordedLesson:
    """One recording of the whole lesson, cut into segments where forced alignment finds them."""

    name = "recorded"

    def __init__(self, path: Path, min_confidence: float | None = None) -> None:
        self.path = path
        self.min_confidence = min_confidence

    @cached_property
    def config_id(self) -> str:
        return f"recorded-lesson:{CUT_VERSION}:{_digest(self.path)}:min-confidence={self.min_confidence}"

    def narrate(self, requests: Sequence[SpeechRequest], out_dir: Path) -> list[SpokenAudio]:
        languages = {r.language for r in requests}
        if len(languages) != 1:
            raise RecordingError(f"one recording holds one language; the script mixes {sorted(languages)}")
        try:
            alignment = align_file(self.path, [r.text for r in requests], languages.pop())
        except AlignmentError as error:
            raise RecordingError(
                f"the recording {self.path.name} cannot be aligned to the script: {error}"
            ) from None
        unsure = [
            f"{r.segment_id} ({f.begin_ms / 1000:.1f}-{f.end_ms / 1000:.1f} s, confidence {f.confidence:.2f})"
            for r, f in zip(requests, alignment.fragments, strict=True)
            if (f.low_confidence if self.min_confidence is None else f.confidence < self.min_confidence)
        ]
        if unsure:
            raise RecordingError(
                f"the recording {self.path.name} does not clearly hold segment(s) {'; '.join(unsure)}: "
                f"{alignment.warning or 'is it a take of this script?'} Re-record them, or set "
                "MATHCAST_RECORDED_MIN_CONFIDENCE lower to accept these cuts"
            )
        what = f"the recording {self.path.name}"
        pcm = _decoded(self.path, what)
        speech = _speech(pcm, what, self.path)
        spans = [
            speech_edges(
                speech, f.begin_ms // FRAME_MS, max(f.end_ms // FRAME_MS, f.begin_ms // FRAME_MS + 1), EDGE_MS
            )
            for f in alignment.fragments
        ]
        clips = []
        for k, (request, fragment) in enumerate(zip(requests, alignment.fragments, strict=True)):
            begin, end = spans[k]
            _write(pcm[begin * SAMPLES_PER_MS : end * SAMPLES_PER_MS], out_dir / f"{request.segment_id}.wav")
            pause = spans[k + 1][0] - end if k + 1 < len(spans) else 0
            words = [
                WordTiming(
                    text=w.text,
                    start_ms=min(max(w.begin_ms - begin, 0), end - begin),
                    end_ms=min(max(w.end_ms - begin, 0), end - begin),
                )
                for w in fragment.words
            ]
            clips.append(
                SpokenAudio(
                    duration_ms=end - begin,
                    sample_rate=SAMPLE_RATE,
                    voice=f"recorded:{self.path.name}",
                    words=words,
                    confidence=fragment.confidence,
                    pause_after_ms=max(0, pause),
                )
            )
        return clips


def recorded_narration(settings: Settings | None = None) -> RecordedClips | RecordedLesson:
    """MATHCAST_RECORDED_NARRATION: a directory is one file per segment, a file the whole lesson."""
    settings = settings or Settings()
    path = settings.recorded_narration
    if path is None:
        raise RecordingError(
            "tts=recorded needs MATHCAST_RECORDED_NARRATION: a directory with one audio file per segment "
            "(named by segment id), or one audio file of the whole lesson"
        )
    if path.is_dir():
        return RecordedClips(path)
    if path.is_file():
        return RecordedLesson(path, settings.recorded_min_confidence)
    raise RecordingError(f"MATHCAST_RECORDED_NARRATION={path}: no such file or directory")
