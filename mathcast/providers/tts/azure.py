"""Azure neural voices through the Speech SDK: SSML with a style per section, word and bookmark
events in integer ms, and the SDK's `Canceled` results turned into typed errors.

Throttling, server faults, timeouts and lost connections are retried here with backoff and
jitter, then left to the stages' retry policy (they are ConnectionErrors); a refused key, an
unknown voice or refused SSML fail at once. The key goes to the SDK and nowhere else.
"""

from __future__ import annotations

import os
import threading
import wave
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from functools import cached_property
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from pydantic import Field, SecretStr

from mathcast.lesson import Bookmark, Language, Model, SpokenAudio, WordTiming
from mathcast.providers.llm.chat import RetryPolicy, redact
from mathcast.providers.tts.base import PermanentSpeechError, SpeechRequest, TransientSpeechError
from mathcast.providers.tts.speech_text import SENTENCE_MARK, sentences, spoken
from mathcast.settings import AzureSpeechSettings

OUTPUT_FORMAT = "Riff24Khz16BitMonoPcm"
TICKS_PER_MS = 10_000  # the SDK counts audio offsets in 100-ns ticks
EVENTS_WAIT_S = 10.0

# The styles of the voices we use, from Azure's voice list; any other voice speaks without a style.
# fmt: off
VOICE_STYLES: dict[str, frozenset[str]] = {
    "zh-CN-XiaoxiaoNeural": frozenset({
        "affectionate", "angry", "assistant", "calm", "chat", "cheerful", "customerservice", "disgruntled",
        "fearful", "friendly", "gentle", "lyrical", "newscast", "poetry-reading", "sad", "serious",
        "sorry", "whisper"
    }),
    "zh-CN-YunxiNeural": frozenset({
        "angry", "assistant", "chat", "cheerful", "depressed", "disgruntled", "embarrassed", "fearful",
        "narration-relaxed", "newscast", "sad", "serious"
    }),
    "zh-CN-YunyangNeural": frozenset({
        "customerservice", "narration-professional", "newscast-casual"
    }),
    "en-US-JennyNeural": frozenset({
        "angry", "assistant", "chat", "cheerful", "customerservice", "excited", "friendly", "hopeful",
        "newscast", "sad", "shouting", "terrified", "unfriendly", "whispering"
    }),
    "en-US-AriaNeural": frozenset({
        "angry", "chat", "cheerful", "customerservice", "empathetic", "excited", "friendly", "hopeful",
        "narration-professional", "newscast-casual", "newscast-formal", "sad", "shouting", "terrified",
        "unfriendly", "whispering"
    }),
    "en-US-GuyNeural": frozenset({
        "angry", "cheerful", "excited", "friendly", "hopeful", "newscast", "sad", "shouting", "terrified",
        "unfriendly", "whispering"
    }),
}
# fmt: on

# CancellationErrorCode names (the SDK's enum) that another attempt may cure.
_TRANSIENT = {
    "TooManyRequests": "throttled (429)",
    "ConnectionFailure": "connection failed",
    "ServiceTimeout": "timed out",
    "ServiceError": "server error",
    "ServiceUnavailable": "unavailable",
    "ServiceRedirectTemporary": "redirected",
}


class SpeechAuthError(PermanentSpeechError):
    """The service refused the key (or its region): retrying cannot help."""


class SpeechRequestError(PermanentSpeechError):
    """The service refused the request itself: an unknown voice, a style it lacks, bad SSML."""


class SpeechUnavailableError(TransientSpeechError):
    """Transient faults outlasted this provider's retries; the stage may still retry later."""


class Delivery(Model):
    """How one clip is voiced: with its text, it decides the audio (and its cache key)."""

    voice: str
    style: str | None = Field(description="mstts:express-as style; None where the voice has none.")
    style_degree: float
    rate: str
    pitch: str


class AzureEndpoint(Model):
    """Where the service is and the key it wants (none for a container reached by host)."""

    key: SecretStr | None = None
    region: str | None = None
    endpoint: str | None = None
    host: str | None = None

    @property
    def where(self) -> str:
        return self.host or self.endpoint or f"region:{self.region}"


def ssml(text: str, language: Language, delivery: Delivery) -> str:
    """The SSML the service reads: the spoken form of the text, a bookmark before each later sentence."""
    body = "".join(
        (f"<bookmark mark={quoteattr(SENTENCE_MARK.format(i))}/>" if i else "") + escape(sentence)
        for i, sentence in enumerate(sentences(spoken(text, language)))
    )
    body = f"<prosody rate={quoteattr(delivery.rate)} pitch={quoteattr(delivery.pitch)}>{body}</prosody>"
    if delivery.style is not None:
        body = (
            f"<mstts:express-as style={quoteattr(delivery.style)} "
            f'styledegree="{delivery.style_degree:g}">{body}</mstts:express-as>'
        )
    return (
        '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" '
        f'xmlns:mstts="https://www.w3.org/2001/mstts" xml:lang="{language}">'
        f"<voice name={quoteattr(delivery.voice)}>{body}</voice></speak>"
    )


def _sdk() -> Any:
    import azure.cognitiveservices.speech as speechsdk  # loads a native library: only when Azure speaks

    return speechsdk


def endpoint_from_settings(settings: AzureSpeechSettings) -> AzureEndpoint:
    """A named Azure Speech Credentials block, else AZURE_SPEECH_KEY with a region, host or endpoint."""
    if settings.credentials_block:
        from blocks.credentials import AzureSpeechCredentials  # Prefect loads only when a block is named

        block: Any = AzureSpeechCredentials.load(settings.credentials_block)
        return AzureEndpoint(
            key=block.key,
            region=settings.region or block.region,
            endpoint=settings.endpoint or block.endpoint,
            host=settings.host or block.host,
        )
    key = os.environ.get("AZURE_SPEECH_KEY")
    found = AzureEndpoint(
        key=SecretStr(key) if key else None,
        region=settings.region,
        endpoint=settings.endpoint,
        host=settings.host,
    )
    if found.host is None and (found.key is None or (found.region is None and found.endpoint is None)):
        raise PermanentSpeechError(
            "no Azure Speech credentials: set AZURE_SPEECH_KEY and AZURE_SPEECH_REGION (or "
            "MATHCAST_AZURE_ENDPOINT), MATHCAST_AZURE_HOST for a Speech container, or save an Azure "
            "Speech Credentials block and name it in MATHCAST_AZURE_CREDENTIALS_BLOCK"
        )
    return found


class AzureSynthesizer:
    name = "azure"

    def __init__(self, settings: AzureSpeechSettings, endpoint: AzureEndpoint, retry: RetryPolicy) -> None:
        self.settings = settings
        self.endpoint = endpoint
        self.retry = retry
        self._lock = threading.Lock()  # one SDK synthesizer, one request at a time
        self._waiter = ThreadPoolExecutor(1, thread_name_prefix="azure-speech")  # `.get()` has no timeout
        # The SDK hands events over on its own thread, some after `.get()` returned: they are kept
        # by result id, and a result is read once its `synthesis_completed` event (the last) arrived.
        self._events = threading.Condition()
        self._words: dict[str, list[WordTiming]] = defaultdict(list)
        self._marks: dict[str, list[Bookmark]] = defaultdict(list)
        self._completed: set[str] = set()

    @classmethod
    def from_settings(cls, settings: AzureSpeechSettings | None = None) -> AzureSynthesizer:
        settings = settings or AzureSpeechSettings()
        retry = RetryPolicy(retries=settings.retries, base_s=settings.backoff_s, max_s=settings.max_backoff_s)
        return cls(settings, endpoint_from_settings(settings), retry)

    @property
    def config_id(self) -> str:
        return f"azure:sdk-{_sdk().__version__}:{self.endpoint.where}:{OUTPUT_FORMAT}"

    def delivery(self, request: SpeechRequest) -> Delivery:
        voice = self.settings.voices[request.language]
        style = self.settings.styles.get(request.section_kind)
        return Delivery(
            voice=voice,
            style=style if style in VOICE_STYLES.get(voice, ()) else None,
            style_degree=self.settings.style_degree,
            rate=self.settings.rate,
            pitch=self.settings.pitch,
        )

    def clip_id(self, request: SpeechRequest) -> str:
        """Delivery and the words said: a change in how math is read out re-speaks the clip."""
        said = spoken(request.text, request.language)
        return f"{self.config_id}:{self.delivery(request).model_dump_json()}:{said}"

    def synthesize(self, request: SpeechRequest, out_wav: Path) -> SpokenAudio:
        delivery = self.delivery(request)
        document = ssml(request.text, request.language, delivery)
        attempt = 1
        while True:
            try:
                return self._speak(document, delivery.voice, out_wav)
            except TransientSpeechError as fault:
                if attempt > self.retry.retries:
                    raise SpeechUnavailableError(
                        f"segment {request.segment_id}: {fault} (gave up after {attempt} attempts)"
                    ) from None
                self.retry.sleep(self.retry.delay(attempt, None))
                attempt += 1

    @cached_property
    def _synthesizer(self) -> Any:
        sdk = _sdk()
        key = self.endpoint.key.get_secret_value() if self.endpoint.key else None
        if self.endpoint.host:
            config = sdk.SpeechConfig(host=self.endpoint.host, subscription=key)
        elif self.endpoint.endpoint:
            config = sdk.SpeechConfig(endpoint=self.endpoint.endpoint, subscription=key)
        else:
            config = sdk.SpeechConfig(subscription=key, region=self.endpoint.region)
        config.set_speech_synthesis_output_format(getattr(sdk.SpeechSynthesisOutputFormat, OUTPUT_FORMAT))
        synthesizer = sdk.SpeechSynthesizer(speech_config=config, audio_config=None)  # audio comes back
        synthesizer.synthesis_word_boundary.connect(self._on_word)
        synthesizer.bookmark_reached.connect(self._on_bookmark)
        synthesizer.synthesis_completed.connect(self._on_completed)
        return synthesizer

    def _on_word(self, event: Any) -> None:
        if event.boundary_type == _sdk().SpeechSynthesisBoundaryType.Word:
            start = event.audio_offset // TICKS_PER_MS
            length = round(event.duration.total_seconds() * 1000)
            with self._events:
                self._words[event.result_id].append(
                    WordTiming(text=event.text, start_ms=start, end_ms=start + length)
                )

    def _on_bookmark(self, event: Any) -> None:
        with self._events:
            self._marks[event.result_id].append(
                Bookmark(name=event.text, at_ms=event.audio_offset // TICKS_PER_MS)
            )

    def _on_completed(self, event: Any) -> None:
        with self._events:
            self._completed.add(event.result.result_id)
            self._events.notify_all()

    def _reported(self, result_id: str) -> tuple[list[WordTiming], list[Bookmark]]:
        """The events of one result, once all of them have arrived."""
        with self._events:
            if not self._events.wait_for(lambda: result_id in self._completed, timeout=EVENTS_WAIT_S):
                raise TransientSpeechError(f"Azure Speech's events for result {result_id} never completed")
            self._completed.discard(result_id)
            return self._words.pop(result_id, []), self._marks.pop(result_id, [])

    def _speak(self, document: str, voice: str, out_wav: Path) -> SpokenAudio:
        sdk = _sdk()
        with self._lock:
            waiting = self._waiter.submit(self._synthesizer.speak_ssml_async(document).get)
            try:
                result = waiting.result(timeout=self.settings.timeout_s)
            except FutureTimeout:
                self._synthesizer.stop_speaking_async().get()  # the stopped synthesis ends Canceled
                raise TransientSpeechError(
                    f"Azure Speech at {self.endpoint.where} gave no complete answer within "
                    f"{self.settings.timeout_s:g} s"
                ) from None
        if result.reason == sdk.ResultReason.SynthesizingAudioCompleted:
            words, marks = self._reported(result.result_id)
            out_wav.write_bytes(result.audio_data)
            with wave.open(str(out_wav)) as clip:
                rate, frames = clip.getframerate(), clip.getnframes()
            return SpokenAudio(
                duration_ms=frames * 1000 // rate, sample_rate=rate, voice=voice, words=words, marks=marks
            )
        with self._events:  # a failed synthesis may have reported some words: they are nobody's
            self._words.pop(result.result_id, None)
            self._marks.pop(result.result_id, None)
        if result.reason == sdk.ResultReason.Canceled:
            details = result.cancellation_details
            raise self._failure(details.error_code.name, str(details.error_details or ""), voice)
        raise PermanentSpeechError(f"Azure Speech ended a synthesis with {result.reason.name}")

    def _failure(self, code: str, details: str, voice: str) -> Exception:
        """The SDK's cancellation as one of our errors, the key cut out of whatever the service said."""
        if self.endpoint.key is not None:
            details = redact(details, self.endpoint.key)
        details = details.split(" USP state:")[0].strip()  # the SDK's own bookkeeping, not the reason
        where = self.endpoint.where
        if code in _TRANSIENT:
            return TransientSpeechError(f"Azure Speech at {where} {_TRANSIENT[code]}: {details}")
        if code in ("AuthenticationFailure", "Forbidden"):
            return SpeechAuthError(
                f"Azure Speech at {where} refused the key ({code}): check AZURE_SPEECH_KEY or the "
                f"credentials block, and that the key belongs to this region: {details}"
            )
        if code == "BadRequest":
            return SpeechRequestError(f"Azure Speech refused the request for voice {voice}: {details}")
        return PermanentSpeechError(f"Azure Speech failed ({code}) for voice {voice}: {details}")
