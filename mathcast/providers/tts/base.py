"""Speech synthesis behind one small interface; engines are chosen by name from a registry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from mathcast.lesson import Language, SpokenAudio


class SpeechSynthesizer(Protocol):
    name: str

    @property
    def config_id(self) -> str:
        """Engine, version and voice settings: part of every speech cache key."""
        ...

    def synthesize(self, text: str, language: Language, out_wav: Path) -> SpokenAudio: ...


SYNTHESIZERS: dict[str, Callable[[], SpeechSynthesizer]] = {}


def register_synthesizer(name: str, factory: Callable[[], SpeechSynthesizer]) -> None:
    SYNTHESIZERS[name] = factory


def get_synthesizer(name: str) -> SpeechSynthesizer:
    from mathcast.providers.tts import espeak  # noqa: F401  (registers the default)

    try:
        return SYNTHESIZERS[name]()
    except KeyError:
        raise ValueError(
            f"unknown TTS provider {name!r}; available: {', '.join(sorted(SYNTHESIZERS))}"
        ) from None
