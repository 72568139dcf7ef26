from __future__ import annotations

from pathlib import Path

import pytest

from mathcast.lesson import QUALITIES
from mathcast.media.ffmpeg import MediaToolError, probe
from mathcast.media.mux import Chapter, Clip, mux
from quality.gate import QualityGateError
from quality.media import media_gate
from tests.media_helpers import clip, tone

LOW = QUALITIES["low"]
pytestmark = pytest.mark.integration


def _srt(path: Path) -> Path:
    path.write_text(
        "1\n00:00:00,000 --> 00:00:01,000\n你好\n\n2\n00:00:01,000 --> 00:00:02,000\n世界\n", encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def lesson_video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two clips that are one frame short and two frames long, against 2.5 s of narration."""
    tmp = tmp_path_factory.mktemp("mux")
    clips = [
        Clip(path=str(clip(tmp / "a.mp4", 14, LOW.fps)), frames=15),
        Clip(path=str(clip(tmp / "b.mp4", 24, LOW.fps)), frames=22),
    ]
    chapters = [
        Chapter(title="引入", start_ms=0, end_ms=1000),
        Chapter(title="总结", start_ms=1000, end_ms=2467),
    ]
    return mux(
        clips, tone(tmp / "n.wav", 2.5), _srt(tmp / "s.srt"), chapters, LOW, "zh-CN", tmp / "lesson.mp4"
    )


def test_mux_holds_every_clip_to_its_planned_frames(lesson_video: Path) -> None:
    facts = probe(lesson_video, count_frames=True)
    (video,) = facts.of("video")
    (audio,) = facts.of("audio")
    assert video.frames == 37 and video.width == 854 and video.fps == 15
    assert video.codec_name == "h264" and video.profile == "High" and video.pix_fmt == "yuv420p"
    assert audio.codec_name == "aac" and audio.sample_rate == 48000
    assert abs(video.duration_ms - audio.duration_ms) <= 1000 / LOW.fps
    assert len(facts.of("subtitle")) == 1
    assert facts.chapters == ["引入", "总结"]


def test_media_gate_passes_a_good_file_and_fails_with_facts(lesson_video: Path) -> None:
    facts = probe(lesson_video, count_frames=True)
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
