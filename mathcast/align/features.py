"""Audio as 10 ms frames: MFCCs for matching two voices, frame energy for finding pauses.

Own numpy implementation (no librosa): float32, processed in chunks so an hour of audio stays
within a few hundred MB, and the cepstral mean is removed so a teacher's microphone and the
synthesiser's clean output compare on what was said rather than on the channel.
"""

from __future__ import annotations

import subprocess
import wave
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

RATE = 16_000
HOP = 160  # 10 ms
WINDOW = 400  # 25 ms
MELS = 40
COEFFICIENTS = 13  # c1..c12 kept: c0 is loudness, which differs between voices
FRAME_MS = 1000 * HOP // RATE
_CHUNK_FRAMES = 256  # 2.5 s of frames: 7 MB of FFT work at a time, and faster than larger chunks (cache)


class AudioError(ValueError):
    """The audio cannot be used: unreadable, empty, or silent."""


def load_audio(path: Path) -> tuple[np.ndarray, int]:
    """Any audio ffmpeg reads, as mono float32 in [-1, 1], and its sample rate. 16-bit WAV at 16 kHz
    or more is read as it is (features work at any rate, so no resampling); the rest is decoded by
    ffmpeg to 16 kHz."""
    if not path.is_file():
        raise AudioError(f"no such audio file: {path}")
    pcm, rate = _plain_wav(path) or _decoded(path)
    if pcm.size < WINDOW * rate // RATE:
        raise AudioError(f"{path.name} holds no audio")
    return pcm, rate


def _plain_wav(path: Path) -> tuple[np.ndarray, int] | None:
    """A 16-bit PCM WAV file's samples, channels averaged; None for anything else."""
    try:
        with wave.open(str(path)) as clip:
            if clip.getsampwidth() != 2 or clip.getframerate() < RATE:
                return None
            channels, rate = clip.getnchannels(), clip.getframerate()
            frames = np.frombuffer(clip.readframes(clip.getnframes()), dtype="<i2")
    except (wave.Error, EOFError, OSError):
        return None
    mono = frames.reshape(-1, channels).mean(axis=1) if channels > 1 else frames
    return as_float(mono), rate


def _decoded(path: Path) -> tuple[np.ndarray, int]:
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(path),
         "-vn", "-ac", "1", "-ar", str(RATE), "-f", "s16le", "-"],
        capture_output=True,
        timeout=600,
    )  # fmt: skip
    if result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip().splitlines()
        raise AudioError(f"cannot decode {path.name}: {reason[-1] if reason else 'ffmpeg failed'}")
    return as_float(np.frombuffer(result.stdout, dtype=np.int16)), RATE


def as_float(samples: np.ndarray) -> np.ndarray:
    """int16 samples as float32 in [-1, 1], scaled in place (no second copy of an hour of audio)."""
    out = samples.astype(np.float32)
    out *= 1 / 32768
    return out


@cache
def _mel_filters(rate: int, nfft: int) -> np.ndarray:
    """Triangular mel filters (HTK mel scale), 60 Hz to 7.6 kHz, shape (bins, MELS)."""

    def mel(hz: np.ndarray) -> np.ndarray:
        return 2595 * np.log10(1 + hz / 700)

    edges_mel = np.linspace(mel(np.array(60.0)), mel(np.array(7600.0)), MELS + 2)
    edges = 700 * (10 ** (edges_mel / 2595) - 1)
    bins = np.fft.rfftfreq(nfft, 1 / rate)
    rising = (bins[:, None] - edges[None, :-2]) / (edges[1:-1] - edges[:-2])
    falling = (edges[None, 2:] - bins[:, None]) / (edges[2:] - edges[1:-1])
    return np.maximum(0, np.minimum(rising, falling)).astype(np.float32)


def _frame_chunks(x: np.ndarray, rate: int) -> Iterator[tuple[int, np.ndarray]]:
    """Centred 25 ms frames every 10 ms at any sample rate (no resampling: the synthesiser speaks
    at 22.05 kHz), so frame i is time i*10 ms in every signal; zeros beyond either end. Yielded
    _CHUNK_FRAMES at a time with the index of the first, each chunk padded on its own: an hour
    of audio is never copied whole."""
    window = rate * WINDOW // RATE
    starts = np.arange(x.size * 100 // rate + 1) * rate // 100 - window // 2
    for first in range(0, starts.size, _CHUNK_FRAMES):
        chunk_starts = starts[first : first + _CHUNK_FRAMES]
        low, high = int(chunk_starts[0]), int(chunk_starts[-1]) + window
        stretch = np.zeros(high - low, x.dtype)
        stretch[max(low, 0) - low : min(high, x.size) - low] = x[max(low, 0) : min(high, x.size)]
        yield first, sliding_window_view(stretch, window)[chunk_starts - low]


def frame_energy_db(x: np.ndarray, rate: int = RATE) -> np.ndarray:
    """RMS level of each frame in dBFS (what ffmpeg's silencedetect compares with its noise level)."""
    out = np.empty(x.size * 100 // rate + 1, np.float32)
    for first, chunk in _frame_chunks(x, rate):
        out[first : first + chunk.shape[0]] = 10 * np.log10(np.mean(chunk * chunk, axis=1) + 1e-10)
    return out


@cache
def _dct_matrix() -> np.ndarray:
    """Orthonormal DCT-II of the mel bands, coefficients 1..12 only: a (MELS, 12) product is all
    the transform costs (and no scipy import at start-up)."""
    bands = np.arange(MELS)[:, None]
    orders = np.arange(1, COEFFICIENTS)[None, :]
    matrix: np.ndarray = np.sqrt(2 / MELS) * np.cos(np.pi * orders * (2 * bands + 1) / (2 * MELS))
    return matrix.astype(np.float32)


def mfcc(x: np.ndarray, rate: int = RATE) -> np.ndarray:
    """(frames, 12) MFCCs with the utterance mean removed."""
    width = rate * WINDOW // RATE
    nfft = 1 << (width - 1).bit_length()
    window = np.hamming(width).astype(np.float32)
    filters = _mel_filters(rate, nfft)
    out = np.empty((x.size * 100 // rate + 1, COEFFICIENTS - 1), np.float32)
    for first, frames in _frame_chunks(x, rate):
        chunk = (frames - frames.mean(axis=1, keepdims=True)) * window
        spectrum = np.fft.rfft(chunk, nfft, axis=1)
        power = spectrum.real**2 + spectrum.imag**2
        logmel = np.log(power @ filters + 1e-8)
        out[first : first + chunk.shape[0]] = logmel @ _dct_matrix()
    out -= out.mean(axis=0)
    return out


SPEECH_RANGE_DB = 35  # speech: frames within this of the recording's loud frames, above its noise


def speech_frames(level_db: np.ndarray) -> np.ndarray:
    """Which 10 ms frames are speech: near the loud frames and clear of the noise floor."""
    floor, loud = np.percentile(level_db, [5, 95])
    speech: np.ndarray = level_db >= max(loud - SPEECH_RANGE_DB, floor + 6)
    return speech


def speech_edges(speech: np.ndarray, first: int, last: int, edge_ms: int) -> tuple[int, int]:
    """The speech inside frames [first, last) in ms, `edge_ms` kept either side within them (the
    first and last sounds fade; they are not cut)."""
    voiced = np.flatnonzero(speech[first:last])
    if voiced.size == 0:
        return first * FRAME_MS, last * FRAME_MS
    begin = max(first * FRAME_MS, (first + int(voiced[0])) * FRAME_MS - edge_ms)
    end = min(last * FRAME_MS, (first + int(voiced[-1]) + 1) * FRAME_MS + edge_ms)
    return begin, end
