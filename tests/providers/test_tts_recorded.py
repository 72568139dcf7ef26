"""A teacher's own narration, played here by espeak-ng at another rate and voice than the aligner's."""

from __future__ import annotations

import itertools
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from mathcast import stages
from mathcast.lesson import LessonPlan, Section, Segment, SyncMap
from mathcast.media.ffmpeg import loudness, run_ffmpeg
from mathcast.providers.tts.base import SpeechRequest
from mathcast.providers.tts.recorded import RecordedClips, RecordedLesson, RecordingError, recorded_narration
from mathcast.providers.tts.speech_text import spoken
from mathcast.settings import Settings
from mathcast.store import LocalArtifactStore, get_model, put_model

pytestmark = pytest.mark.integration

RATE = 22_050
TEXTS = [
    "同学们好，今天我们来认识一次函数。",
    "一次函数的标准形式是 y = kx + b，其中 k 不等于零。",
    "k 叫做斜率，它决定直线的倾斜程度。",
    "最后我们来做一道练习题。",
]
PAUSES_MS = [800, 1500, 400]


def _requests(texts: list[str]) -> list[SpeechRequest]:
    return [
        SpeechRequest(segment_id=f"s{i}", text=t, language="zh-CN", section_kind="explain")
        for i, t in enumerate(texts)
    ]


def _say(text: str, out: Path) -> np.ndarray:
    """The teacher: slower than the aligner's reference voice, and another variant."""
    subprocess.run(
        ["espeak-ng", "-v", "cmn-latn-pinyin+f3", "-s", "150", "-w", str(out), "--stdin"],
        input=spoken(text, "zh-CN"),
        text=True,
        check=True,
    )
    with wave.open(str(out)) as clip:
        return np.frombuffer(clip.readframes(clip.getnframes()), np.int16)


def _write(pcm: np.ndarray, out: Path) -> Path:
    with wave.open(str(out), "wb") as clip:
        clip.setnchannels(1)
        clip.setsampwidth(2)
        clip.setframerate(RATE)
        clip.writeframes(pcm.astype("<i2").tobytes())
    return out


def _silence(ms: int) -> np.ndarray:
    return np.zeros(ms * RATE // 1000, np.int16)


def _speech_ms(pcm: np.ndarray) -> tuple[int, int]:
    """Where espeak's clip really speaks (it ends in a little silence of its own)."""
    loud = np.flatnonzero(np.abs(pcm) > 300)
    return int(loud[0]) * 1000 // RATE, int(loud[-1]) * 1000 // RATE


@pytest.fixture(scope="module")
def take(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[int, int]]]:
    """One take of the whole lesson, and where each segment's speech really is in it."""
    folder = tmp_path_factory.mktemp("take")
    pieces, truth, cursor = [_silence(500)], [], 500
    for i, text in enumerate(TEXTS):
        pcm = _say(text, folder / f"{i}.wav")
        begin, end = _speech_ms(pcm)
        truth.append((cursor + begin, cursor + end))
        pause = PAUSES_MS[i] if i < len(PAUSES_MS) else 300
        pieces += [pcm, _silence(pause)]
        cursor += pcm.size * 1000 // RATE + pause
    return _write(np.concatenate(pieces), folder / "lesson.wav"), truth


# --- one file per segment ---


def test_a_segment_recording_is_trimmed_of_its_silent_ends_in_any_format(tmp_path: Path) -> None:
    folder = tmp_path / "clips"
    folder.mkdir()
    pcm = _say(TEXTS[0], tmp_path / "raw.wav")
    _write(np.concatenate([_silence(1200), pcm, _silence(900)]), tmp_path / "padded.wav")
    run_ffmpeg("-i", str(tmp_path / "padded.wav"), "-c:a", "libmp3lame", str(folder / "s0.mp3"))
    voice = RecordedClips(folder)
    audio = voice.synthesize(_requests(TEXTS)[0], tmp_path / "s0.wav")
    begin, end = _speech_ms(pcm)
    assert abs(audio.duration_ms - (end - begin)) <= 200  # the 2.1 s of added silence is gone
    assert audio.voice == "recorded:s0.mp3" and audio.sample_rate == 48_000
    assert voice.clip_id(_requests(TEXTS)[0]).startswith("recorded-clip:")


def test_a_re_recorded_segment_gets_a_new_cache_key(tmp_path: Path) -> None:
    _write(_say(TEXTS[0], tmp_path / "a.wav"), tmp_path / "s0.wav")
    voice, request = RecordedClips(tmp_path), _requests(TEXTS)[0]
    before = voice.clip_id(request)
    _write(_say(TEXTS[1], tmp_path / "b.wav"), tmp_path / "s0.wav")
    assert voice.clip_id(request) != before


def test_a_missing_recording_names_the_segment_and_the_file_it_wants(tmp_path: Path) -> None:
    _write(_say(TEXTS[0], tmp_path / "a.wav"), tmp_path / "s0.wav")
    with pytest.raises(RecordingError, match=r"no recording for segment s1: expected a file named s1\.wav"):
        RecordedClips(tmp_path).clip_id(_requests(TEXTS)[1])


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk", "is not audio ffmpeg can read"), (None, "is silent")],
)
def test_a_corrupt_or_silent_recording_is_refused_naming_the_segment(
    tmp_path: Path, content: bytes | None, reason: str
) -> None:
    target = tmp_path / "s2.wav"
    if content is None:
        _write(_silence(2000), target)
    else:
        target.write_bytes(content)
    with pytest.raises(RecordingError, match=rf"segment s2: s2\.wav {reason}"):
        RecordedClips(tmp_path).synthesize(_requests(TEXTS)[2], tmp_path / "out.wav")


def test_two_recordings_for_one_segment_are_refused(tmp_path: Path) -> None:
    for name in ("s0.wav", "s0.m4a"):
        (tmp_path / name).write_bytes(b"x")
    with pytest.raises(RecordingError, match=r"segment s0 has 2 recordings \(s0\.m4a, s0\.wav\): keep one"):
        RecordedClips(tmp_path).clip_id(_requests(TEXTS)[0])


# --- one file for the whole lesson ---


def test_a_whole_take_is_cut_where_each_segment_is_spoken(
    take: tuple[Path, list[tuple[int, int]]], tmp_path: Path
) -> None:
    path, truth = take
    clips = RecordedLesson(path).narrate(_requests(TEXTS), tmp_path)
    for clip, (begin, end) in zip(clips, truth, strict=True):
        assert clip.confidence is not None and clip.confidence >= 0.5
        assert abs(clip.duration_ms - (end - begin)) <= 250  # speech plus a short margin either side
    for clip, (_, end), (next_begin, _) in zip(clips, truth, truth[1:], strict=False):
        assert clip.pause_after_ms is not None
        assert abs(clip.pause_after_ms - (next_begin - end)) <= 250  # the teacher's own pause
    assert [p.name for p in sorted(tmp_path.glob("s*.wav"))] == ["s0.wav", "s1.wav", "s2.wav", "s3.wav"]
    first = clips[0].words  # 同学们好，今天…: one word per character, in order, inside the clip
    assert "".join(w.text for w in first[:4]) == "同学们好"
    assert all(0 <= w.start_ms <= w.end_ms <= clips[0].duration_ms for w in first)
    assert [w.start_ms for w in first] == sorted(w.start_ms for w in first)


def test_a_script_the_take_does_not_hold_fails_naming_the_segment(
    take: tuple[Path, list[tuple[int, int]]], tmp_path: Path
) -> None:
    path, _ = take
    script = [*TEXTS[:3], "三角形的内角和等于一百八十度。"]  # the teacher never said this
    with pytest.raises(RecordingError, match=r"does not clearly hold segment\(s\) s3 \(2[0-9.]+-2[0-9.]+ s"):
        RecordedLesson(path, min_confidence=0.5).narrate(_requests(script), tmp_path)


def test_a_take_far_shorter_than_the_script_is_refused(tmp_path: Path) -> None:
    short = _write(_say(TEXTS[0], tmp_path / "a.wav"), tmp_path / "short.wav")
    with pytest.raises(RecordingError, match=r"cannot be aligned to the script: .*far too little"):
        RecordedLesson(short).narrate(_requests(TEXTS * 3), tmp_path)


@pytest.mark.parametrize(
    ("content", "reason"), [(b"not audio at all", "cannot decode take.wav"), (None, "the audio is silent")]
)
def test_a_corrupt_or_silent_take_is_refused(tmp_path: Path, content: bytes | None, reason: str) -> None:
    take = tmp_path / "take.wav"
    if content is None:
        _write(_silence(5000), take)
    else:
        take.write_bytes(content)
    with pytest.raises(
        RecordingError, match=rf"the recording take\.wav cannot be aligned to the script: {reason}"
    ):
        RecordedLesson(take).narrate(_requests(TEXTS), tmp_path)


def test_the_setting_chooses_clips_or_a_whole_take(tmp_path: Path) -> None:
    take = _write(_silence(100), tmp_path / "take.wav")
    assert isinstance(recorded_narration(Settings(recorded_narration=tmp_path)), RecordedClips)
    assert isinstance(recorded_narration(Settings(recorded_narration=take)), RecordedLesson)
    with pytest.raises(RecordingError, match="needs MATHCAST_RECORDED_NARRATION"):
        recorded_narration(Settings(recorded_narration=None))
    with pytest.raises(RecordingError, match="no such file or directory"):
        recorded_narration(Settings(recorded_narration=tmp_path / "nope"))


# --- through the stages ---


def _lesson(pause_before_example_ms: int = 300) -> LessonPlan:
    def segment(i: int, pause_ms: int = 300) -> Segment:
        return Segment(id=f"s{i}", text=TEXTS[i], language="zh-CN", pause_after_ms=pause_ms)

    return LessonPlan(
        topic="t",
        title="t",
        language="zh-CN",
        family="函数与方程",
        sections=[
            Section(id="a", kind="intro", title="引入", segments=[segment(0), segment(1)]),
            Section(id="b", kind="explain", title="展开", segments=[segment(2, pause_before_example_ms)]),
            Section(id="c", kind="example", title="例题", segments=[segment(3)]),
        ],
    )


def test_a_whole_take_decides_the_timeline(
    take: tuple[Path, list[tuple[int, int]]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, truth = take
    monkeypatch.setenv("MATHCAST_RECORDED_NARRATION", str(path))
    store = LocalArtifactStore(tmp_path / "store")
    lesson_ref = put_model(store, "input/lesson.json", _lesson(pause_before_example_ms=2000))
    speech_ref = stages.speak(store, lesson_ref, "recorded")
    syncmap = get_model(store, stages.align(store, lesson_ref, speech_ref).syncmap.key, SyncMap)
    spans = syncmap.segments
    for span, (begin, end) in zip(spans, truth, strict=True):
        assert abs(span.end_ms - span.start_ms - (end - begin)) <= 250  # as long as the teacher spoke it
    gaps = [after.start_ms - before.end_ms for before, after in itertools.pairwise(spans)]
    teacher = [after[0] - before[1] for before, after in itertools.pairwise(truth)]
    assert abs(gaps[0] - teacher[0]) <= 250 and abs(gaps[1] - teacher[1]) <= 250  # the teacher's pauses
    assert teacher[2] < 1000 and gaps[2] == 2000  # where the plan wants longer (a question's think time)
    for span in spans:  # the aligner's word times, in track time, inside their segment
        words = syncmap.words[span.id]
        assert words and all(span.start_ms <= w.start_ms <= w.end_ms <= span.end_ms for w in words)
    for clip in get_model(store, speech_ref.key, stages.Speech).items:
        level, peak = loudness(store.fetch(clip.audio_key, tmp_path / f"{clip.segment_id}.wav"))
        assert level is not None and abs(level + 16) <= 0.5 and peak is not None and peak <= -1
        assert clip.confidence is not None and clip.confidence >= 0.5


def test_quiet_and_loud_recordings_come_out_equally_loud(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "clips"
    folder.mkdir()
    for i, gain in enumerate((-24, -6, 0, -12)):
        _write(np.round(_say(TEXTS[i], tmp_path / f"{i}.wav") * 10 ** (gain / 20)), folder / f"s{i}.wav")
    monkeypatch.setenv("MATHCAST_RECORDED_NARRATION", str(folder))
    store = LocalArtifactStore(tmp_path / "store")
    lesson_ref = put_model(store, "input/lesson.json", _lesson())
    speech = get_model(store, stages.speak(store, lesson_ref, "recorded").key, stages.Speech)
    levels = [loudness(store.fetch(c.audio_key, tmp_path / f"{c.segment_id}.out.wav")) for c in speech.items]
    assert all(level is not None and abs(level + 16) <= 0.5 for level, _ in levels), levels
    assert all(peak is not None and peak <= -1 for _, peak in levels), levels
