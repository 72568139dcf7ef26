"""Bad input to the mux, made with real ffmpeg: repaired and logged, or refused with the reason."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from mathcast.lesson import QUALITIES
from mathcast.media.ffmpeg import MediaToolError, measure, probe, run_ffmpeg
from mathcast.media.mux import PRESETS, Chapter, Clip, MuxInputError, contact_sheet, mux, thumbnail
from tests.media_helpers import clip, srt, tone, tone_level_db

LOW = QUALITIES["low"]
pytestmark = pytest.mark.integration
CHAPTERS = [Chapter(title="引入", start_ms=0, end_ms=2000)]


def _mux(tmp: Path, clips: list[Clip], narration: Path, subtitles: Path | None = None) -> Path:
    subtitles = subtitles or srt(tmp / "s.srt", (0, 900, "一"))
    return mux(clips, narration, subtitles, CHAPTERS, LOW, "zh-CN", tmp / "out.mp4")


def _mux_logged(
    caplog: pytest.LogCaptureFixture,
    tmp: Path,
    clips: list[Clip],
    narration: Path,
    subtitles: Path | None = None,
) -> tuple[Path, str]:
    """Mux, and what it warned about."""
    with caplog.at_level(logging.WARNING):
        out = _mux(tmp, clips, narration, subtitles)
    return out, caplog.text


@pytest.fixture(scope="module")
def two_seconds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("inputs")
    return clip(tmp / "a.mp4", 15, LOW.fps), tone(tmp / "n.wav", 2.0)


def test_missing_empty_and_wrong_length_clips_are_refused_by_name(
    tmp_path: Path, two_seconds: tuple[Path, Path]
) -> None:
    good, narration = two_seconds
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    with pytest.raises(MuxInputError, match=r"gone\.mp4 is missing"):
        _mux(
            tmp_path,
            [Clip(path=str(good), frames=15), Clip(path=str(tmp_path / "gone.mp4"), frames=15)],
            narration,
        )
    with pytest.raises(MuxInputError, match=r"empty\.mp4 is empty"):
        _mux(tmp_path, [Clip(path=str(empty), frames=15)], narration)
    with pytest.raises(MuxInputError, match=r"a\.mp4 lasts 1000 ms, the plan 2000 ms"):
        _mux(tmp_path, [Clip(path=str(good), frames=30)], narration)
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00" * 64)
    with pytest.raises(MediaToolError, match=r"broken\.mp4"):
        _mux(tmp_path, [Clip(path=str(broken), frames=15)], narration)


def test_a_clip_at_another_frame_rate_is_conformed_and_logged(
    tmp_path: Path, two_seconds: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    good, narration = two_seconds
    fast = clip(tmp_path / "fast.mp4", 30, 30)  # one second at 30 fps
    clips = [Clip(path=str(good), frames=15), Clip(path=str(fast), frames=15)]
    out, warned = _mux_logged(caplog, tmp_path, clips, narration)
    assert "fast.mp4 runs at 30.0 fps: resampled to 15 fps" in warned
    facts = probe(out, count_frames=True)
    (video,) = facts.of("video")
    (audio,) = facts.of("audio")
    assert (video.frames, video.fps) == (30, 15)
    assert abs(video.duration_ms - audio.duration_ms) <= 1000 / LOW.fps


def test_a_silent_tail_past_the_video_is_cut_and_logged(
    tmp_path: Path, two_seconds: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    good, _ = two_seconds
    padded = tmp_path / "padded.wav"
    run_ffmpeg("-i", str(tone(tmp_path / "t.wav", 0.8)), "-af", "apad=pad_dur=1.5", str(padded))
    out, warned = _mux_logged(caplog, tmp_path, [Clip(path=str(good), frames=15)], padded)
    assert "silent tail cut" in warned
    (audio,) = probe(out).of("audio")
    assert abs(audio.duration_ms - 1000) <= 1000 / LOW.fps


def test_speech_past_the_video_is_refused(tmp_path: Path, two_seconds: tuple[Path, Path]) -> None:
    good, narration = two_seconds  # two seconds of sound against one second of picture
    with pytest.raises(MuxInputError, match=r"not silent there: the clips and the sync map disagree"):
        _mux(tmp_path, [Clip(path=str(good), frames=15)], narration)


def test_overlapping_cues_are_repaired_in_the_file_and_the_sidecars(
    tmp_path: Path, two_seconds: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    good, narration = two_seconds
    cues = srt(tmp_path / "o.srt", (0, 1200, "一"), (800, 1500, "二"), (1400, 2600, "三"), (2500, 2900, "四"))
    out, warned = _mux_logged(caplog, tmp_path, [Clip(path=str(good), frames=15)] * 2, narration, cues)
    assert "overlaps the next by 400 ms" in warned and "dropped" in warned
    assert [(c.start_ms, c.end_ms) for c in measure(out).cues] == [(0, 800), (800, 1400), (1400, 2000)]
    assert "00:00:01.400 --> 00:00:02.000\n三" in out.with_suffix(".vtt").read_text(encoding="utf-8")


def test_matching_clips_are_joined_without_re_encoding(
    tmp_path: Path, two_seconds: tuple[Path, Path]
) -> None:
    good, narration = two_seconds
    clips = [Clip(path=str(good), frames=15), Clip(path=str(good), frames=15)]
    copied = _mux(tmp_path, clips, narration)
    assert b"crf=23.0" in copied.read_bytes()  # the clips' own encoder settings, not the preset's crf=20
    assert probe(copied, count_frames=True).of("video")[0].frames == 30


@pytest.mark.parametrize(
    ("preset", "settings", "absent"),
    [
        ("youtube", [b"crf=18.0", b"keyint=8 "], [b"vbv_maxrate"]),  # no bit rate cap
        ("bilibili", [b"crf=18.0", b"keyint=30 ", b"vbv_maxrate=6000 ", b"vbv_bufsize=12000 "], []),
    ],
)
def test_upload_presets_encode_with_their_settings_in_the_lesson_language(
    tmp_path: Path, two_seconds: tuple[Path, Path], preset: str, settings: list[bytes], absent: list[bytes]
) -> None:
    """x264 records its settings in the stream; the subtitle track carries the lesson's language."""
    good, narration = two_seconds
    clips = [Clip(path=str(good), frames=15), Clip(path=str(good), frames=15)]
    upload = mux(clips, narration, srt(tmp_path / "u.srt", (0, 900, "one")), CHAPTERS, LOW, "en-US",
                 tmp_path / "upload.mp4", preset=PRESETS[preset])  # fmt: skip
    encoded = upload.read_bytes()
    assert [s for s in settings if s not in encoded] == [] and [s for s in absent if s in encoded] == []
    facts = probe(upload)
    (audio,) = facts.of("audio")
    (subtitles,) = facts.of("subtitle")
    assert (audio.codec_name, audio.sample_rate, audio.channels) == ("aac", 48000, 2)
    assert subtitles.language == "eng"


def test_thumbnail_and_contact_sheet_are_pngs(tmp_path: Path, two_seconds: tuple[Path, Path]) -> None:
    good, _ = two_seconds
    thumb = thumbnail(good, 500, tmp_path / "t.png")
    sheet = contact_sheet(good, [0, 300, 600, 900], LOW.fps, tmp_path / "c.png", width=200)
    (picture,) = probe(thumb).of("video")
    (tiles,) = probe(sheet).of("video")
    assert (picture.codec_name, picture.width) == ("png", 854)
    assert tiles.codec_name == "png" and tiles.width == 3 * 200 + 4 * 4 and tiles.height is not None


def test_background_music_fills_the_pauses_and_ducks_under_speech(tmp_path: Path) -> None:
    """Speech for the first second, a pause for the second: the 880 Hz bed is louder in the pause."""
    picture = clip(tmp_path / "p.mp4", 30, LOW.fps)
    speech = tmp_path / "speech.wav"
    run_ffmpeg("-i", str(tone(tmp_path / "t.wav", 1.0, gain_db=-6)), "-af", "apad=whole_dur=2", str(speech))
    music = tone(tmp_path / "m.wav", 0.5, frequency=880, rate=48000)
    out = mux([Clip(path=str(picture), frames=30)], speech, srt(tmp_path / "s.srt", (0, 900, "一")),
              CHAPTERS, LOW, "zh-CN", tmp_path / "music.mp4", music=music)  # fmt: skip
    in_pause, under_speech = tone_level_db(out, 880, 1.3), tone_level_db(out, 880, 0.3)
    assert -45 < in_pause < -25  # the bed, 16 LU under the voice
    assert under_speech < in_pause - 6  # ducked while the voice speaks
    facts = measure(out)
    assert facts.integrated_lufs is not None and abs(facts.integrated_lufs + 16) <= 1
