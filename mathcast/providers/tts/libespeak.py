"""espeak-ng through libespeak-ng: one call for a whole text, with its events.

SSML marks around every fragment give its exact start and end in the audio, and the synth
callback hands over word events too; one library call avoids a process per fragment. The
offline voice speaks with it, and the aligner's reference synthesis is made with it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading
from dataclasses import dataclass
from xml.sax.saxutils import escape

import numpy as np
from pydantic import Field

from mathcast.lesson import Language, Model

VOICES: dict[Language, str] = {"zh-CN": "cmn-latn-pinyin", "en-US": "en-us"}
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_SSML = 0x10
_RATE = 1
_EVENT_END_OF_LIST, _EVENT_WORD, _EVENT_MARK = 0, 1, 3
BREAK_MS = 200  # between fragments: a pause where a narrator usually makes one


class SynthesisError(RuntimeError):
    """libespeak-ng is missing or refused the text."""


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_CALLBACK = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


class SynthesizedWord(Model):
    """A word event: where espeak started it, in samples, and which characters of the fragment it reads."""

    fragment: int
    sample: int
    start_char: int = Field(description="0-based, in the fragment's own text")
    length: int


@dataclass(frozen=True)
class Synthesis:
    """Audio with each fragment's span in samples (start after the pause before it)."""

    samples: np.ndarray
    sample_rate: int
    spans: list[tuple[int, int]]
    words: list[SynthesizedWord]


class _Engine:
    """libespeak-ng keeps global state: one engine per process, one synthesis at a time."""

    def __init__(self) -> None:
        name = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
        try:
            self.lib = ctypes.CDLL(name)
        except OSError as error:
            raise SynthesisError(f"libespeak-ng not found ({error}); install espeak-ng") from None
        self.lib.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
            ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        self.lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        self.sample_rate = int(
            self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None, _INITIALIZE_DONT_EXIT)
        )
        if self.sample_rate <= 0:
            raise SynthesisError("libespeak-ng failed to initialise (espeak-ng-data missing?)")
        self.lock = threading.Lock()
        self._chunks: list[np.ndarray] = []
        self._events: list[tuple[int, int, int, int, str]] = []
        self._callback = _CALLBACK(self._collect)  # kept referenced: C holds the pointer
        self.lib.espeak_SetSynthCallback(self._callback)

    def _collect(
        self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: ctypes._Pointer[_Event]
    ) -> int:
        if count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, (count,)).copy())
        i = 0
        while events[i].type != _EVENT_END_OF_LIST:
            event = events[i]
            name = event.id.name.decode() if event.type == _EVENT_MARK and event.id.name else ""
            self._events.append((event.type, event.sample, event.text_position, event.length, name))
            i += 1
        return 0

    def synthesize(
        self, ssml: str, voice: str, rate: int
    ) -> tuple[np.ndarray, list[tuple[int, int, int, int, str]]]:
        with self.lock:
            self._chunks, self._events = [], []
            if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
                raise SynthesisError(f"espeak-ng has no voice {voice!r}")
            self.lib.espeak_SetParameter(_RATE, rate, 0)
            data = ssml.encode()
            status = self.lib.espeak_Synth(
                data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8 | _SSML, None, None
            )
            if status != 0:
                raise SynthesisError(f"espeak-ng refused the text (error {status})")
            samples = np.concatenate(self._chunks) if self._chunks else np.zeros(0, np.int16)
            return samples, self._events


_engine: _Engine | None = None
_engine_lock = threading.Lock()


def _get_engine() -> _Engine:
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = _Engine()
        return _engine


def synthesize_fragments(
    fragments: list[str],
    language: Language,
    rate: int = 175,
    voice: str | None = None,
    pause_ms: int = BREAK_MS,
) -> Synthesis:
    """One SSML document, a mark before and after every fragment, a short break between them.
    `voice` (e.g. "cmn-latn-pinyin+f2") overrides the language's default voice."""
    engine = _get_engine()
    parts = ["<speak>"]
    offsets: list[int] = []  # character offset of each fragment's text in the SSML, for word events
    for i, text in enumerate(fragments):
        if i and pause_ms:
            parts.append(f'<break time="{pause_ms}ms"/>')
        parts.append(f'<mark name="s{i}"/>')
        offsets.append(sum(len(p) for p in parts))
        parts.append(escape(text))
        parts.append(f'<mark name="e{i}"/>')
    parts.append("</speak>")
    samples, events = engine.synthesize("".join(parts), voice or VOICES[language], rate)
    marks = {name: sample for kind, sample, _, _, name in events if kind == _EVENT_MARK}
    spans: list[tuple[int, int]] = []
    cursor = 0
    for i in range(len(fragments)):
        start = max(marks.get(f"s{i}", cursor), cursor)
        end = max(marks.get(f"e{i}", start), start)
        spans.append((start, end))
        cursor = end
    words = []
    for kind, sample, position, length, _ in events:
        if kind != _EVENT_WORD:
            continue
        char = position - 1  # espeak counts from 1
        fragment = max((i for i, o in enumerate(offsets) if o <= char), default=0)
        if length > 0:
            words.append(
                SynthesizedWord(
                    fragment=fragment, sample=sample, start_char=char - offsets[fragment], length=length
                )
            )
    return Synthesis(samples=samples, sample_rate=engine.sample_rate, spans=spans, words=words)
