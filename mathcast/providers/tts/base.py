"""Speech behind one small interface; engines are chosen by name from a registry.

A synthesizer speaks one clip per call (a cloud voice, the offline voice, a teacher's clip per
segment). A narrator hands back every clip of one whole recording at once (a teacher's take of
the lesson, cut by forced alignment). A clip's cache key names everything that decides its
sound: text, voice, style, rate, engine and version.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from mathcast.lesson import Identifier, Language, LessonPlan, Model, SectionKind, SpokenAudio

_SPEAKABLE = re.compile(r"\w")


class SpeechError(RuntimeError):
    """A clip could not be spoken; the message says which one and why, and never carries a key."""


class PermanentSpeechError(SpeechError):
    """Retrying cannot help: a wrong key, an unknown voice, refused SSML, a missing or broken recording."""


class TransientSpeechError(SpeechError, ConnectionError):
    """Throttled, a server fault, a timeout, a lost connection: worth another attempt.

    A ConnectionError, so the stages' retry policy (tasks/policy.py) retries it as well.
    """


class SpeechRequest(Model):
    """One clip to speak: its written text, and the section it belongs to, which sets its delivery."""

    segment_id: Identifier
    text: str
    language: Language
    section_kind: SectionKind


def speech_requests(plan: LessonPlan) -> list[SpeechRequest]:
    """One request per segment, in lesson order; a segment with nothing to say is refused here."""
    requests = []
    for section in plan.sections:
        for segment in section.segments:
            if not _SPEAKABLE.search(segment.text):
                raise PermanentSpeechError(
                    f"segment {segment.id} has nothing to speak: {segment.text!r} holds no letter, "
                    "digit or character"
                )
            requests.append(
                SpeechRequest(
                    segment_id=segment.id,
                    text=segment.text,
                    language=segment.language,
                    section_kind=section.kind,
                )
            )
    return requests


class SpeechSynthesizer(Protocol):
    """Speaks one clip per call."""

    name: str

    @property
    def config_id(self) -> str:
        """Engine, version, endpoint and voice settings (never a key): names the provider in manifests."""
        ...

    def clip_id(self, request: SpeechRequest) -> str:
        """What decides this clip's sound besides its text: voice, style, rate, engine and version."""
        ...

    def synthesize(self, request: SpeechRequest, out_wav: Path) -> SpokenAudio: ...


@runtime_checkable
class LessonNarrator(Protocol):
    """Hands back the clips of one recording of the whole lesson: they stand or fall together."""

    name: str

    @property
    def config_id(self) -> str:
        """The recording's digest and how it is cut: with the texts, the cache key of every clip."""
        ...

    def narrate(self, requests: Sequence[SpeechRequest], out_dir: Path) -> list[SpokenAudio]:
        """One clip per request, in order, written to `out_dir/<segment_id>.wav`."""
        ...


Voice = SpeechSynthesizer | LessonNarrator


def _espeak() -> Voice:
    from mathcast.providers.tts.espeak import EspeakSynthesizer

    return EspeakSynthesizer()


def _azure() -> Voice:
    from mathcast.providers.tts.azure import AzureSynthesizer  # the SDK loads only when Azure speaks

    return AzureSynthesizer.from_settings()


def _recorded() -> Voice:
    from mathcast.providers.tts.recorded import recorded_narration

    return recorded_narration()


SYNTHESIZERS: dict[str, Callable[[], Voice]] = {"espeak": _espeak, "azure": _azure, "recorded": _recorded}


def get_synthesizer(name: str) -> Voice:
    try:
        factory = SYNTHESIZERS[name]
    except KeyError:
        raise ValueError(
            f"unknown TTS provider {name!r}; available: {', '.join(sorted(SYNTHESIZERS))}"
        ) from None
    return factory()
