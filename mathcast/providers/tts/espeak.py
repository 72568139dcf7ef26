"""The offline voice: espeak-ng, Mandarin through its pinyin voice (plain `cmn` spells hanzi)."""

from __future__ import annotations

import subprocess
import wave
from functools import cached_property
from pathlib import Path

from mathcast.lesson import Language, SpokenAudio
from mathcast.providers.tts.base import SpeechError, SpeechRequest
from mathcast.providers.tts.speech_text import spoken

VOICES: dict[Language, str] = {"zh-CN": "cmn-latn-pinyin", "en-US": "en-us"}
WORDS_PER_MINUTE: dict[Language, int] = {"zh-CN": 190, "en-US": 165}


class EspeakSynthesizer:
    name = "espeak"

    @cached_property
    def version(self) -> str:
        result = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True, check=True)
        return result.stdout.strip()

    @property
    def config_id(self) -> str:
        return f"espeak:{self.version}:{sorted(VOICES.items())}:{sorted(WORDS_PER_MINUTE.items())}"

    def clip_id(self, request: SpeechRequest) -> str:
        return f"espeak:{self.version}:{VOICES[request.language]}:{WORDS_PER_MINUTE[request.language]}"

    def synthesize(self, request: SpeechRequest, out_wav: Path) -> SpokenAudio:
        voice = VOICES[request.language]
        # Text goes through stdin: a narration starting with "-" must never read as an option.
        result = subprocess.run(
            [
                "espeak-ng", "-v", voice, "-s", str(WORDS_PER_MINUTE[request.language]),
                "-w", str(out_wav), "--stdin",
            ],
            input=spoken(request.text, request.language),
            capture_output=True,
            text=True,
            timeout=120,
        )  # fmt: skip
        if result.returncode != 0 or not out_wav.is_file():
            raise SpeechError(
                f"espeak-ng ({voice}) failed on segment {request.segment_id}: {result.stderr.strip()[-400:]}"
            )
        with wave.open(str(out_wav)) as clip:
            rate, frames = clip.getframerate(), clip.getnframes()
        return SpokenAudio(duration_ms=frames * 1000 // rate, sample_rate=rate, voice=voice)
