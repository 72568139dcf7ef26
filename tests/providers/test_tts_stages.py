"""The speak and align stages: clips at one loudness, cached per delivery, and the timeline they make."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from mathcast import stages
from mathcast.lesson import LessonPlan, Section, Segment, SpeechResult, SyncMap
from mathcast.media.ffmpeg import loudness
from mathcast.providers.tts import base
from mathcast.providers.tts.base import PermanentSpeechError, SpeechRequest
from mathcast.providers.tts.espeak import EspeakSynthesizer
from mathcast.store import ArtifactRef, ArtifactStore, LocalArtifactStore, get_model, put_model
from tests.providers.azure_server import GAP_MS, LEAD_MS, WORD_MS, AzureSpeechServer

pytestmark = pytest.mark.integration


def plan(texts: dict[str, list[str]]) -> LessonPlan:
    """A lesson with a section per kind, one segment per text."""
    sections = [
        Section(
            id=kind,
            kind=kind,  # type: ignore[arg-type]
            title=kind,
            segments=[
                Segment(id=f"{kind}-{i}", text=text, language="zh-CN") for i, text in enumerate(segments)
            ],
        )
        for kind, segments in texts.items()
    ]
    return LessonPlan(topic="t", title="t", language="zh-CN", family="函数与方程", sections=sections)


def stored(store: ArtifactStore, lesson: LessonPlan) -> ArtifactRef:
    return put_model(store, f"input/{hash(lesson.model_dump_json())}/lesson.json", lesson)


class CountingEspeak(EspeakSynthesizer):
    spoken: ClassVar[list[str]] = []

    def synthesize(self, request: SpeechRequest, out_wav: Path) -> base.SpokenAudio:
        CountingEspeak.spoken.append(request.segment_id)
        return super().synthesize(request, out_wav)


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    CountingEspeak.spoken = []
    monkeypatch.setitem(base.SYNTHESIZERS, "counting", CountingEspeak)
    yield CountingEspeak.spoken


@pytest.fixture
def store(tmp_path: Path) -> ArtifactStore:
    return LocalArtifactStore(tmp_path / "store")


def test_clips_are_at_the_lesson_loudness_and_an_edit_re_speaks_one(
    store: ArtifactStore, counting: list[str], tmp_path: Path
) -> None:
    texts = {
        "intro": ["同学们好，今天我们学习一次函数。"],
        "explain": ["斜率 k 决定倾斜程度。", "截距是 b。"],
    }
    speech = get_model(store, stages.speak(store, stored(store, plan(texts)), "counting").key, stages.Speech)
    assert counting == ["intro-0", "explain-0", "explain-1"]
    for clip in speech.items:
        level, peak = loudness(store.fetch(clip.audio_key, tmp_path / f"{clip.segment_id}.wav"))
        assert level is not None and abs(level + 16) <= 0.5, clip.segment_id  # espeak alone is near -19
        assert peak is not None and peak <= -1.0
        assert clip.sample_rate == 48_000
    texts["explain"][1] = "截距是 b，也就是直线与 y 轴交点的纵坐标。"
    stages.speak(store, stored(store, plan(texts)), "counting")
    assert counting[3:] == ["explain-1"]  # the other two clips came from the store


def test_a_segment_with_nothing_to_speak_is_refused_by_name(store: ArtifactStore) -> None:
    lesson = plan({"intro": ["你好。"], "explain": ["……"]})
    with pytest.raises(PermanentSpeechError, match=r"segment explain-0 has nothing to speak: '……'"):
        stages.speak(store, stored(store, lesson), "espeak")


def test_azure_styles_follow_the_sections_and_word_times_reach_the_sync_map(
    store: ArtifactStore, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    lesson = plan({"intro": ["你好世界。"], "explain": ["一次函数。", "斜率。"]})
    with AzureSpeechServer().running() as server:
        monkeypatch.setenv("MATHCAST_AZURE_HOST", server.host)
        monkeypatch.setenv("AZURE_SPEECH_KEY", "k-local")
        lesson_ref = stored(store, lesson)
        speech_ref = stages.speak(store, lesson_ref, "azure")
    styles = [r.ssml.split('style="')[1].split('"')[0] for r in server.received]
    assert styles == ["cheerful", "calm", "calm"]
    aligned = stages.align(store, lesson_ref, speech_ref)
    syncmap = get_model(store, aligned.syncmap.key, SyncMap)
    speech = {s.segment_id: s for s in get_model(store, speech_ref.key, stages.Speech).items}
    for span in syncmap.segments:
        words = syncmap.words[span.id]
        assert [w.text for w in words] == [w.text for w in speech[span.id].words]
        assert [w.start_ms for w in words] == [
            span.start_ms + LEAD_MS + i * (WORD_MS + GAP_MS) for i in range(len(words))
        ]
        assert span.end_ms - span.start_ms == speech[span.id].duration_ms
    second = syncmap.segment("explain-0")
    first = syncmap.segment("intro-0")
    assert second.start_ms == first.end_ms + lesson.sections[0].segments[0].pause_after_ms


def test_speech_results_keep_what_the_voice_reported(store: ArtifactStore) -> None:
    lesson = plan({"intro": ["你好。"]})
    speech = get_model(store, stages.speak(store, stored(store, lesson), "espeak").key, stages.Speech)
    (clip,) = speech.items
    assert isinstance(clip, SpeechResult) and clip.voice == "cmn-latn-pinyin"
    assert clip.confidence is None and clip.pause_after_ms is None  # a voice, not a cut of a recording
