from __future__ import annotations

from pathlib import Path

import pytest

from mathcast.lesson import QUALITIES
from mathcast.media.ffmpeg import MediaToolError, measure, probe
from mathcast.media.mux import Chapter, Clip, mux
from quality.gate import QualityGateError
from quality.media import media_gate
from tests.media_helpers import clip, srt, tone

LOW = QUALITIES["low"]
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def lesson_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two clips that are one frame short and two frames long, against 2.5 s of quiet narration."""
    tmp = tmp_path_factory.mktemp("mux")
    clips = [
        Clip(path=str(clip(tmp / "a.mp4", 14, LOW.fps)), frames=15),
        Clip(path=str(clip(tmp / "b.mp4", 24, LOW.fps)), frames=22),
    ]
    chapters = [
        Chapter(title="引入", start_ms=0, end_ms=1000),
        Chapter(title="总结", start_ms=1000, end_ms=2400),
    ]
    subtitles = srt(tmp / "s.srt", (0, 1000, "你好"), (1000, 2000, "世界"))
    narration = tone(tmp / "n.wav", 2.5, gain_db=-12)
    return mux(clips, narration, subtitles, chapters, LOW, "zh-CN", tmp / "lesson.mp4")


def test_mux_holds_every_clip_to_its_planned_frames(lesson_video: Path) -> None:
    facts = probe(lesson_video, count_frames=True)
    (video,) = facts.of("video")
    (audio,) = facts.of("audio")
    assert video.frames == 37 and video.width == 854 and video.fps == 15
    assert video.codec_name == "h264" and video.profile == "High" and video.pix_fmt == "yuv420p"
    assert audio.codec_name == "aac" and audio.sample_rate == 48000
    assert abs(video.duration_ms - audio.duration_ms) <= 1000 / LOW.fps
    (subtitles,) = facts.of("subtitle")
    assert subtitles.codec_name == "mov_text" and subtitles.language in ("chi", "zho")  # the lesson's zh-CN
    assert [c.title for c in facts.chapters] == ["引入", "总结"]
    assert facts.chapters[-1].end_ms == 37 * 1000 // 15  # the last chapter runs to the end


def _top_level_boxes(mp4: Path) -> list[str]:
    """The MP4's top-level box types in file order (ISO BMFF: 32-bit size, type, 64-bit size if 1)."""
    data, boxes, at = mp4.read_bytes(), [], 0
    while at + 8 <= len(data):
        size, kind = int.from_bytes(data[at : at + 4], "big"), data[at + 4 : at + 8].decode("latin-1")
        if size == 1:
            size = int.from_bytes(data[at + 8 : at + 16], "big")
        boxes.append(kind)
        at = len(data) if size == 0 else at + size
    return boxes


def test_mux_puts_the_index_before_the_media_so_playback_starts_at_once(lesson_video: Path) -> None:
    boxes = _top_level_boxes(lesson_video)
    assert boxes[0] == "ftyp" and boxes.index("moov") < boxes.index("mdat"), boxes  # +faststart


def test_mux_writes_srt_and_webvtt_beside_the_video(lesson_video: Path) -> None:
    vtt = lesson_video.with_suffix(".vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n你好")
    assert "00:00:01,000 --> 00:00:02,000\n世界" in lesson_video.with_suffix(".srt").read_text(
        encoding="utf-8"
    )


def test_narration_is_brought_to_the_target_loudness(lesson_video: Path) -> None:
    facts = measure(lesson_video)
    assert facts.integrated_lufs is not None and abs(facts.integrated_lufs + 16) <= 0.5
    assert facts.true_peak_dbtp is not None and facts.true_peak_dbtp <= -1
    assert [(c.start_ms, c.end_ms) for c in facts.cues] == [(0, 1000), (1000, 2000)]


def test_media_gate_passes_a_good_file_and_fails_with_facts(lesson_video: Path) -> None:
    facts = measure(lesson_video)
    assert media_gate(facts, LOW, sections=2).success
    wrong = media_gate(facts, QUALITIES["medium"], sections=2)
    assert not wrong.success
    failed = {c.column for c in wrong.failures()}
    assert {"width", "height", "fps"} <= failed
    error = QualityGateError(wrong)
    assert "width" in str(error) and error.result.facts[0]["width"] == 854


def test_probe_names_the_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.mp4"
    bad.write_bytes(b"not a video")
    with pytest.raises(MediaToolError, match=r"broken\.mp4"):
        probe(bad)
