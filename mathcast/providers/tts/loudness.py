"""Every clip at one loudness, so a lesson's voices (cloud, offline, a teacher's) sound alike.

The mux's own gain and peak limiter (`loudness_chain`), applied per clip at the speak stage:
-16 LUFS integrated, true peak under -1 dBTP, no clipping; the mux then only confirms the level.
"""

from __future__ import annotations

from pathlib import Path

from mathcast.media.ffmpeg import run_ffmpeg
from mathcast.media.mux import LOUDNESS_LUFS, PEAK_CEILING_DBTP, loudness_chain

TARGET_ID = f"{LOUDNESS_LUFS}LUFS/{PEAK_CEILING_DBTP}dBTP"  # part of every clip's cache key


def normalized(raw: Path, out_wav: Path) -> Path:
    """`raw` brought to the target as 16-bit PCM WAV (mono, 48 kHz, as the chain leaves it)."""
    run_ffmpeg("-i", str(raw), "-af", loudness_chain(raw), "-c:a", "pcm_s16le", str(out_wav))
    return out_wav
