"""The offline voice: espeak-ng through libespeak-ng, Mandarin through its pinyin voice (plain
`cmn` spells hanzi). The synth callback reports every word and a mark before each sentence."""

from __future__ import annotations

import subprocess
import wave
from functools import cached_property
from pathlib import Path

from mathcast.align.features import as_float, frame_energy_db, speech_edges, speech_frames
from mathcast.lesson import Bookmark, SpokenAudio, WordTiming
from mathcast.providers.tts.base import PermanentSpeechError, SpeechRequest
from mathcast.providers.tts.libespeak import VOICES, SynthesisError, synthesize_fragments
from mathcast.providers.tts.speech_text import SENTENCE_MARK, sentences, spoken

WORDS_PER_MINUTE = {"zh-CN": 190, "en-US": 165}
EDGE_MS = 80  # kept around the speech when the silence espeak-ng adds at both ends is cut


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
        """The words said (so a change in how math is read out re-speaks the clip), voice and rate."""
        voice, rate = VOICES[request.language], WORDS_PER_MINUTE[request.language]
        return f"espeak:{self.version}:{voice}:{rate}:{spoken(request.text, request.language)}"

    def synthesize(self, request: SpeechRequest, out_wav: Path) -> SpokenAudio:
        voice = VOICES[request.language]
        said = sentences(spoken(request.text, request.language)) or [request.text]
        try:
            synthesis = synthesize_fragments(
                said, request.language, WORDS_PER_MINUTE[request.language], voice
            )
        except SynthesisError as error:
            raise PermanentSpeechError(
                f"espeak-ng ({voice}) failed on segment {request.segment_id}: {error}"
            ) from None
        if synthesis.samples.size == 0:
            raise PermanentSpeechError(f"espeak-ng ({voice}) said nothing for segment {request.segment_id}")
        rate = synthesis.sample_rate
        speech = speech_frames(frame_energy_db(as_float(synthesis.samples), rate))
        begin_ms, end_ms = speech_edges(speech, 0, speech.size, EDGE_MS)  # the voice's own lead-in and tail
        first, last = begin_ms * rate // 1000, end_ms * rate // 1000
        samples = synthesis.samples[first:last]
        with wave.open(str(out_wav), "wb") as clip:
            clip.setnchannels(1)
            clip.setsampwidth(2)
            clip.setframerate(rate)
            clip.writeframes(samples.astype("<i2").tobytes())

        def ms(sample: int) -> int:
            return min(max(sample - first, 0), samples.size) * 1000 // rate

        ends = {w.fragment: synthesis.spans[w.fragment][1] for w in synthesis.words}
        starts = [w.sample for w in synthesis.words]
        words = [
            WordTiming(
                text=said[w.fragment][w.start_char : w.start_char + w.length],
                start_ms=ms(w.sample),
                end_ms=ms(max(w.sample, min([ends[w.fragment], *starts[i + 1 : i + 2]]))),
            )
            for i, w in enumerate(synthesis.words)
        ]
        marks = [
            Bookmark(name=SENTENCE_MARK.format(i), at_ms=ms(start))
            for i, (start, _) in enumerate(synthesis.spans)
            if i
        ]
        return SpokenAudio(
            duration_ms=samples.size * 1000 // rate,
            sample_rate=rate,
            voice=voice,
            words=words,
            marks=marks,
        )
