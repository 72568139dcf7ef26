"""mux_lesson → media_gate → publish on a stored two-section lesson with a question's think time."""

from __future__ import annotations

import tempfile
import wave
from pathlib import Path

import numpy as np
import pytest

from mathcast import stages
from mathcast.lesson import QUALITIES
from mathcast.media.ffmpeg import probe
from mathcast.stages import AlignOutput, MuxOutput, RenderedClip
from mathcast.store import ArtifactRef, LocalArtifactStore, get_model, put_model
from quality.gate import GateResult, QualityGateError
from tests.media_helpers import clip, question_lesson, srt

pytestmark = pytest.mark.integration
LOW = QUALITIES["low"]
PLAN, SYNC = question_lesson(1000, {"a": (0, 1000), "b": (1300, 2000), "c": (3000, 3700)}, total_ms=4000)


def _narration(path: Path) -> Path:
    """A tone wherever the sync map says a segment speaks, silence elsewhere."""
    t = np.arange(SYNC.total_ms * 48) / 48_000
    speaking = np.zeros(t.size, dtype=bool)
    for span in SYNC.segments:
        speaking[span.start_ms * 48 : span.end_ms * 48] = True
    pcm = (0.3 * np.sin(2 * np.pi * 330 * t) * speaking * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(48_000)
        out.writeframes(pcm.tobytes())
    return path


@pytest.fixture(scope="module")
def stored(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[LocalArtifactStore, ArtifactRef, list[RenderedClip], AlignOutput]:
    tmp = tmp_path_factory.mktemp("stages")
    store = LocalArtifactStore(tmp / "artifacts")
    lesson = put_model(store, "test/lesson.json", PLAN)
    frames = {"intro": LOW.frame_at(1300), "ask": LOW.frame_at(4000) - LOW.frame_at(1300)}
    clips = [
        RenderedClip(
            section_id=s, frames=n, video=store.put_file(f"test/{s}.mp4", clip(tmp / f"{s}.mp4", n, LOW.fps))
        )
        for s, n in frames.items()
    ]
    aligned = AlignOutput(
        syncmap=put_model(store, "test/syncmap.json", SYNC),
        narration=store.put_file("test/narration.wav", _narration(tmp / "n.wav")),
        subtitles=store.put_file(
            "test/s.srt", srt(tmp / "s.srt", (0, 1000, "你好"), (1300, 2000, "想一想"), (3000, 3700, "答案"))
        ),
    )
    return store, lesson, clips, aligned


def test_the_stages_store_the_video_its_sidecars_and_the_gate_facts(stored) -> None:  # type: ignore[no-untyped-def]
    store, lesson, clips, aligned = stored
    video = stages.mux_lesson(store, lesson, clips, aligned, "low")
    assert stages.mux_lesson(store, lesson, clips, aligned, "low") == video  # the second call is a cache hit
    with tempfile.TemporaryDirectory() as tmp:
        (audio,) = probe(store.fetch(video.key, Path(tmp) / "v.mp4")).of("audio")
    assert audio.channels == 1  # the classroom file: mono narration
    gate = get_model(store, stages.media_gate(store, video, lesson, "low").key, GateResult)
    assert gate.success
    silences = [f for f in gate.facts if f["table"] == "silence"]
    assert silences and all(f["allowed_ms"] >= f["duration_ms"] for f in silences), silences
    assert any(f["duration_ms"] > 900 and f["allowed_ms"] > 1000 for f in silences), silences
    manifest = stages.publish(store, "t", "zh-CN", "low", {"lesson.mp4": video})
    listed = get_model(store, manifest.key, stages.LessonManifest).artifacts
    assert {"lesson.vtt", "lesson.srt", "thumbnail.png", "contact_sheet.png"} <= listed.keys()
    gate_ref = stages.media_gate(store, video, lesson, "low")
    manifest = stages.publish(store, "t", "zh-CN", "low", {"lesson.mp4": video, "media_gate.json": gate_ref})
    listed = get_model(store, manifest.key, stages.LessonManifest).artifacts
    assert "## Media gate passed" in store.get_bytes(listed["media_gate.md"].key).decode()
    assert store.get_bytes(listed["thumbnail.png"].key).startswith(b"\x89PNG")


def test_a_failed_gate_keeps_its_facts_in_the_store(stored) -> None:  # type: ignore[no-untyped-def]
    store, lesson, clips, aligned = stored
    video = stages.mux_lesson(store, lesson, clips, aligned, "low", preset="youtube")
    muxed = get_model(store, video.key.rsplit("/", 1)[0] + "/mux.json", MuxOutput)
    assert muxed.preset == "youtube"
    with tempfile.TemporaryDirectory() as tmp:
        (audio,) = probe(store.fetch(video.key, Path(tmp) / "v.mp4")).of("audio")
    assert audio.channels == 2  # upload presets are stereo; the classroom file stays mono
    with pytest.raises(QualityGateError, match="width") as failed:
        stages.media_gate(store, video, lesson, "medium")  # judged against the wrong format
    assert failed.value.evidence is not None
    stored_result = get_model(store, failed.value.evidence.key, GateResult)
    assert not stored_result.success and stored_result.facts[0]["width"] == LOW.width
    readable = store.get_bytes(failed.value.evidence.key.replace(".json", ".md")).decode()
    assert "## Media gate FAILED" in readable and "| width | 854 |" in readable
    reports = [k for k in store.list_keys(failed.value.evidence.key.rsplit("/", 1)[0]) if k.endswith(".html")]
    assert reports and any("width" in store.get_bytes(k).decode() for k in reports)  # GX's own HTML report
