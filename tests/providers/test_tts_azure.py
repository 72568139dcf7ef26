"""The Azure voice against a local server speaking the Speech SDK's websocket protocol."""

from __future__ import annotations

import logging
import socket
import time
import wave
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from mathcast.providers.llm.chat import RetryPolicy
from mathcast.providers.tts.azure import (
    AzureEndpoint,
    AzureSynthesizer,
    SpeechAuthError,
    SpeechRequestError,
    SpeechUnavailableError,
    endpoint_from_settings,
    ssml,
)
from mathcast.providers.tts.base import PermanentSpeechError, SpeechRequest, TransientSpeechError
from mathcast.settings import AzureSpeechSettings
from tasks.policy import TRANSIENT_ERRORS
from tests.providers.azure_server import (
    GAP_MS,
    LEAD_MS,
    TAIL_MS,
    WORD_MS,
    AzureSpeechServer,
    Close,
    Refuse,
    Stall,
)

KEY = "azure-test-key-5d1c9e0b7a"
NS = {"s": "http://www.w3.org/2001/10/synthesis", "mstts": "https://www.w3.org/2001/mstts"}


def _request(text: str = "你好世界。再见", kind: str = "intro", language: str = "zh-CN") -> SpeechRequest:
    return SpeechRequest(segment_id="s1", text=text, language=language, section_kind=kind)  # type: ignore[arg-type]


@pytest.fixture
def server() -> Iterator[AzureSpeechServer]:
    with AzureSpeechServer().running() as running:
        yield running


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_voice(sleeps: list[float]) -> Callable[..., AzureSynthesizer]:
    def make(host: str, retries: int = 2, **settings: Any) -> AzureSynthesizer:
        config = AzureSpeechSettings(host=host, retries=retries, **settings)
        retry = RetryPolicy(retries=retries, base_s=0.001, max_s=1.0, sleep=sleeps.append)
        return AzureSynthesizer(config, AzureEndpoint(key=SecretStr(KEY), host=host), retry)

    return make


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # closed again: nothing listens there


# --- SSML and delivery ---


def test_ssml_sets_voice_style_prosody_and_a_bookmark_before_each_later_sentence() -> None:
    voice = AzureSynthesizer(
        AzureSpeechSettings(rate="-10%", pitch="+2st"), AzureEndpoint(host="ws://x"), RetryPolicy()
    )
    document = ssml("先看 y = kx + b。再看 a & b！", "zh-CN", voice.delivery(_request(kind="intro")))
    root = ET.fromstring(document)
    assert root.attrib["{http://www.w3.org/XML/1998/namespace}lang"] == "zh-CN"
    assert root.find("s:voice", NS).attrib["name"] == "zh-CN-XiaoxiaoNeural"  # type: ignore[union-attr]
    style = root.find("s:voice/mstts:express-as", NS)
    assert style is not None and style.attrib == {"style": "cheerful", "styledegree": "1"}
    prosody = style.find("s:prosody", NS)
    assert prosody is not None and prosody.attrib == {"rate": "-10%", "pitch": "+2st"}
    assert [m.attrib["mark"] for m in prosody.iter(f"{{{NS['s']}}}bookmark")] == ["sentence-1"]
    spoken_text = "".join(prosody.itertext())
    assert "y 等于 kx 加 b" in spoken_text and "a & b" in spoken_text  # read aloud, & escaped and back


@pytest.mark.parametrize(
    ("language", "kind", "style"),
    [
        ("zh-CN", "intro", "cheerful"),
        ("zh-CN", "explain", "calm"),
        ("zh-CN", "summary", "gentle"),
        ("en-US", "intro", "cheerful"),
        ("en-US", "explain", None),  # Jenny has no calm style: she speaks plainly
    ],
)
def test_a_style_is_used_only_where_the_voice_has_it(language: str, kind: str, style: str | None) -> None:
    voice = AzureSynthesizer(AzureSpeechSettings(), AzureEndpoint(host="ws://x"), RetryPolicy())
    delivery = voice.delivery(_request(kind=kind, language=language))
    assert delivery.style == style
    has_express_as = "mstts:express-as" in ssml("Hi.", language, delivery)  # type: ignore[arg-type]
    assert has_express_as is (style is not None)


def test_the_cache_key_changes_with_style_and_rate_and_names_no_key() -> None:
    def clip_id(kind: str, **settings: Any) -> str:
        voice = AzureSynthesizer(
            AzureSpeechSettings(**settings), AzureEndpoint(key=SecretStr(KEY), host="ws://x"), RetryPolicy()
        )
        return voice.clip_id(_request(kind=kind))

    base = clip_id("intro")
    assert "sdk-1.53.0" in base and KEY not in base
    assert clip_id("explain") != base  # calm, not cheerful
    assert clip_id("intro", rate="-10%") != base
    assert clip_id("intro", voices={"zh-CN": "zh-CN-YunxiNeural", "en-US": "en-US-JennyNeural"}) != base


@pytest.mark.parametrize("engine", ["azure", "espeak"])
def test_a_change_in_how_math_is_read_out_re_speaks_the_clip(
    engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mathcast.providers.tts import azure, espeak

    voice: AzureSynthesizer | espeak.EspeakSynthesizer = (
        AzureSynthesizer(AzureSpeechSettings(), AzureEndpoint(host="ws://x"), RetryPolicy())
        if engine == "azure"
        else espeak.EspeakSynthesizer()
    )
    request = _request(text="标准形式是 y = kx + b。")
    before = voice.clip_id(request)
    module = azure if engine == "azure" else espeak
    monkeypatch.setattr(module, "spoken", lambda text, language: text.replace("=", " is "))
    assert voice.clip_id(request) != before


# --- the SDK against the local server ---


def test_speaks_and_reports_words_and_bookmarks_in_ms(
    server: AzureSpeechServer, make_voice: Callable[..., AzureSynthesizer], tmp_path: Path
) -> None:
    audio = make_voice(server.host).synthesize(_request("你好世界。再见"), tmp_path / "a.wav")
    step = WORD_MS + GAP_MS
    assert [(w.text, w.start_ms, w.end_ms) for w in audio.words] == [
        (c, LEAD_MS + i * step, LEAD_MS + i * step + WORD_MS) for i, c in enumerate("你好世界再见")
    ]
    assert [(m.name, m.at_ms) for m in audio.marks] == [("sentence-1", LEAD_MS + 4 * step)]
    assert audio.duration_ms == LEAD_MS + 6 * step + TAIL_MS
    assert audio.voice == "zh-CN-XiaoxiaoNeural" and audio.sample_rate == 24_000
    with wave.open(str(tmp_path / "a.wav")) as clip:
        assert clip.getframerate() == 24_000 and clip.getnframes() == audio.duration_ms * 24
    (received,) = server.received
    assert server.upgrades[0]["path"] == "/cognitiveservices/websocket/v1"
    assert received.headers["ocp-apim-subscription-key"] == KEY
    options = received.context["synthesis"]["audio"]["metadataOptions"]
    assert options["wordBoundaryEnabled"] and options["bookmarkEnabled"]
    assert 'style="cheerful"' in received.ssml


@pytest.mark.parametrize(
    "throttled",
    [
        [Close(4429, "Too many requests")],
        [Refuse(429), Refuse(429)],  # the SDK itself tries a refused upgrade twice before it cancels
    ],
)
def test_throttling_is_retried_with_backoff_then_succeeds(
    make_voice: Callable[..., AzureSynthesizer],
    sleeps: list[float],
    tmp_path: Path,
    throttled: list[Close | Refuse],
) -> None:
    with AzureSpeechServer(*throttled).running() as server:
        audio = make_voice(server.host).synthesize(_request("你好"), tmp_path / "a.wav")
    assert [w.text for w in audio.words] == ["你", "好"]
    assert len(sleeps) == 1 and 0 <= sleeps[0] <= 1.0
    assert len(server.upgrades) == len(throttled) + 1  # a fresh connection for each attempt


def test_server_errors_outlasting_the_retries_are_transient(
    make_voice: Callable[..., AzureSynthesizer], sleeps: list[float], tmp_path: Path
) -> None:
    # The SDK sends a request a server error cut short once more itself: 3 attempts are 6 requests.
    gave_up = pytest.raises(SpeechUnavailableError, match=r"server error.*gave up after 3 attempts")
    with AzureSpeechServer(*[Close(1011, "Internal error")] * 6).running() as server, gave_up as raised:
        make_voice(server.host, retries=2).synthesize(_request("你好"), tmp_path / "a.wav")
    assert isinstance(raised.value, ConnectionError) and len(sleeps) == 2 and len(server.received) == 6


def test_a_refused_key_fails_at_once_and_the_key_shows_nowhere(
    make_voice: Callable[..., AzureSynthesizer],
    sleeps: list[float],
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    refused = pytest.raises(SpeechAuthError, match=r"refused the key \(AuthenticationFailure\)")
    with AzureSpeechServer(Refuse(401)).running() as server, refused as raised:
        make_voice(server.host).synthesize(_request(), tmp_path / "a.wav")
    assert sleeps == [] and len(server.upgrades) == 1
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("websockets")]  # not the server's
    assert KEY not in str(raised.value) and not any(KEY in message for message in ours)
    assert not isinstance(raised.value, TRANSIENT_ERRORS)


def test_an_unknown_voice_fails_at_once_naming_the_voice(
    server: AzureSpeechServer,
    make_voice: Callable[..., AzureSynthesizer],
    sleeps: list[float],
    tmp_path: Path,
) -> None:
    voice = make_voice(server.host, voices={"zh-CN": "zh-CN-NoSuchNeural", "en-US": "en-US-JennyNeural"})
    with pytest.raises(
        SpeechRequestError, match=r"voice zh-CN-NoSuchNeural: .*Unsupported voice zh-CN-NoSuchNeural"
    ):
        voice.synthesize(_request(), tmp_path / "a.wav")
    assert sleeps == []


def test_a_server_that_is_gone_is_a_transient_connection_failure(
    make_voice: Callable[..., AzureSynthesizer], sleeps: list[float], tmp_path: Path
) -> None:
    host = f"ws://127.0.0.1:{_free_port()}"
    with pytest.raises(SpeechUnavailableError, match=r"connection failed.*Connection refused") as raised:
        make_voice(host, retries=1).synthesize(_request(), tmp_path / "a.wav")
    assert isinstance(raised.value, TRANSIENT_ERRORS) and len(sleeps) == 1


def test_a_server_that_stops_answering_is_given_up_on_and_retried(
    make_voice: Callable[..., AzureSynthesizer], sleeps: list[float], tmp_path: Path
) -> None:
    with AzureSpeechServer(Stall()).running() as server:
        started = time.monotonic()
        audio = make_voice(server.host, timeout_s=1).synthesize(_request("你好"), tmp_path / "a.wav")
    assert [w.text for w in audio.words] == ["你", "好"]
    assert len(sleeps) == 1 and time.monotonic() - started < 10
    with AzureSpeechServer(Stall()).running() as server:
        voice = make_voice(server.host, retries=0, timeout_s=0.5)
        with pytest.raises(SpeechUnavailableError, match=r"no complete answer within 0\.5 s"):
            voice.synthesize(_request("你好"), tmp_path / "b.wav")


# --- errors and credentials ---


def test_the_stage_retry_policy_retries_transient_speech_errors_only() -> None:
    assert isinstance(TransientSpeechError("throttled"), TRANSIENT_ERRORS)
    assert not isinstance(PermanentSpeechError("bad voice"), TRANSIENT_ERRORS)


def test_credentials_come_from_the_environment_and_say_where_when_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("AZURE_SPEECH_KEY", "AZURE_SPEECH_REGION", "MATHCAST_AZURE_HOST", "MATHCAST_AZURE_REGION"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(PermanentSpeechError, match="set AZURE_SPEECH_KEY and AZURE_SPEECH_REGION"):
        endpoint_from_settings(AzureSpeechSettings())
    monkeypatch.setenv("AZURE_SPEECH_KEY", KEY)
    monkeypatch.setenv("AZURE_SPEECH_REGION", "eastasia")
    found = endpoint_from_settings(AzureSpeechSettings())
    assert found.where == "region:eastasia" and found.key is not None and KEY not in repr(found)
    monkeypatch.delenv("AZURE_SPEECH_KEY")
    monkeypatch.setenv("MATHCAST_AZURE_HOST", "ws://speech.lan:5000")  # a container needs no key
    assert endpoint_from_settings(AzureSpeechSettings()).where == "ws://speech.lan:5000"


def test_the_key_comes_from_a_saved_block_and_shows_nowhere(
    prefect_harness: None,
    server: AzureSpeechServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    from blocks.credentials import AzureSpeechCredentials
    from mathcast.providers.tts.base import get_synthesizer

    caplog.set_level(logging.DEBUG)
    AzureSpeechCredentials(key=SecretStr(KEY), host=server.host).save("school-speech", overwrite=True)
    monkeypatch.delenv("AZURE_SPEECH_KEY", raising=False)
    monkeypatch.setenv("MATHCAST_AZURE_CREDENTIALS_BLOCK", "school-speech")
    voice = get_synthesizer("azure")
    audio = voice.synthesize(_request("你好"), tmp_path / "a.wav")
    assert [w.text for w in audio.words] == ["你", "好"]
    (received,) = server.received
    assert received.headers["ocp-apim-subscription-key"] == KEY  # the block's key reached the service
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("websockets")]
    assert not any(KEY in message for message in ours)
    assert KEY not in repr(voice) and KEY not in voice.config_id and KEY not in voice.clip_id(_request())
