"""mux_lesson → media_gate → publish on a stored two-section lesson with a question's think time."""

from __future__ import annotations

import tempfile
import wave
from pathlib import Path

import numpy as np
import pytest
from prefect import flow
from prefect.artifacts import Artifact

from mathcast import stages
from mathcast.lesson import QUALITIES, Quality
from mathcast.media.ffmpeg import ffmpeg_output, probe
from mathcast.media.mux import MuxInputError, thumbnail
from mathcast.review import media_gate_key
from mathcast.scenes.check import LayoutReport
from mathcast.stages import AlignOutput, MuxOutput, RenderedClip
from mathcast.store import ArtifactRef, LocalArtifactStore, get_model, put_model
from quality.gate import GateResult, QualityGateError
from tasks.media_gate import media_gate as media_gate_task
from tests.media_helpers import clip, question_lesson, srt, tone, tone_level_db

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
            section_id=s,
            frames=n,
            video=store.put_file(f"test/{s}.mp4", clip(tmp / f"{s}.mp4", n, LOW.fps)),
            layout=put_model(store, f"test/{s}.layout.json", LayoutReport(section_id=s)),
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


def _muxed(store: LocalArtifactStore, video: ArtifactRef) -> MuxOutput:
    return get_model(store, video.key.rsplit("/", 1)[0] + "/mux.json", MuxOutput)


def test_the_media_gate_task_shows_facts_verdicts_and_pictures_pass_or_fail(stored, prefect_harness) -> None:  # type: ignore[no-untyped-def]
    store, lesson, clips, aligned = stored
    video = stages.mux_lesson(store, lesson, clips, aligned, "low")
    pictures = _muxed(store, video)

    @flow
    def gate(quality: Quality, key: str) -> ArtifactRef:
        return media_gate_task(store.url, video, lesson, quality, key)

    passed_key, failed_key = media_gate_key("t", "zh-CN", "low"), media_gate_key("t", "zh-CN", "medium")
    gate("low", passed_key)
    with pytest.raises(QualityGateError, match="width"):
        gate("medium", failed_key)  # judged against the wrong format
    passed, failed = Artifact.get(passed_key), Artifact.get(failed_key)
    assert passed is not None and failed is not None
    assert passed.type == "markdown" and passed.description == "Media gate: 一次函数 (passed)"
    shown = str(passed.data)
    assert (
        "## Media gate passed" in shown
        and "| width | 854 |" in shown
        and "| audio_sample_rate | 48000 |" in shown
    )
    assert "| expect_column_values_to_be_between | drift_ms | pass |" in shown
    for picture in (pictures.thumbnail, pictures.contact_sheet):
        assert f"`{picture.key}` | {store.location(picture.key)} |" in shown
    assert failed.description == "Media gate: 一次函数 (FAILED)"
    assert "| expect_column_values_to_be_between | width | **FAIL** |  | [854] |" in str(failed.data)


def _pixels(png: Path) -> bytes:
    return ffmpeg_output("-i", str(png), "-f", "rawvideo", "-pix_fmt", "rgb24", "-", failure=f"decode {png}")


def test_the_thumbnail_shows_a_chosen_cue_once_drawn(stored, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store, lesson, clips, aligned = stored
    video = stages.mux_lesson(store, lesson, clips, aligned, "low", thumbnail_cue="q")
    cover = store.fetch(_muxed(store, video).thumbnail.key, tmp_path / "cover.png")
    mp4 = store.fetch(video.key, tmp_path / "lesson.mp4")
    # q's slot runs from its segment's start (frame 20) to its section's end (4000 ms): drawn at 3500 ms
    assert _pixels(cover) == _pixels(thumbnail(mp4, 3500, tmp_path / "at_3500.png"))
    assert _pixels(cover) != _pixels(thumbnail(mp4, 1333, tmp_path / "at_start.png"))
    with pytest.raises(ValueError, match="thumbnail cue 'nope' is not a cue of the lesson; its cues: q"):
        stages.mux_lesson(store, lesson, clips, aligned, "low", thumbnail_cue="nope")


def test_background_music_changes_the_mux_and_a_missing_file_is_named(stored, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store, lesson, clips, aligned = stored
    plain = stages.mux_lesson(store, lesson, clips, aligned, "low")
    bed = stages.background_music(store, str(tone(tmp_path / "bed.wav", 0.5, frequency=880, rate=48000)))
    assert bed.audio.key.startswith("music/") and bed.audio.key.endswith("/bed.wav")
    assert stages.background_music(store, bed.audio.key) == bed  # a stored key is music too
    with_music = stages.mux_lesson(store, lesson, clips, aligned, "low", music=bed)
    louder = stages.background_music(store, bed.audio.key, gain_db=6)
    raised = stages.mux_lesson(store, lesson, clips, aligned, "low", music=louder)
    assert len({plain.key, with_music.key, raised.key}) == 3  # the music and its gain are in the key
    levels = [
        tone_level_db(store.fetch(v.key, tmp_path / "v.mp4"), 880, 2.5, 0.45)
        for v in (plain, with_music, raised)
    ]
    assert levels[0] < -70 and -45 < levels[1] < -25  # in the think time (2-3 s): silence, then the bed
    assert abs(levels[2] - levels[1] - 6) < 1.5
    missing = tmp_path / "no-such-music.mp3"
    with pytest.raises(MuxInputError, match=f"background music {missing} is neither a file nor a key"):
        stages.background_music(store, str(missing))
