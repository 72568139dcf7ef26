from __future__ import annotations

import itertools
import wave
from pathlib import Path

import pytest

from mathcast.align.subtitles import LINE_CHARS, _chunks, subtitle_cues, to_srt
from mathcast.align.track import SAMPLES_PER_MS, assemble
from mathcast.content.catalog import lookup
from mathcast.lesson import LessonPlan, Section, Segment
from mathcast.providers.tts.base import SpeechRequest, get_synthesizer
from mathcast.providers.tts.espeak import EspeakSynthesizer
from mathcast.providers.tts.speech_text import chinese_number, spoken
from tests.media_helpers import tone


@pytest.mark.parametrize(
    ("written", "language", "said"),
    [
        ("标准形式是 y = kx + b。", "zh-CN", "标准形式是 y 等于 kx 加 b。"),
        ("经过点 (1, 3) 和 (2, -5)", "zh-CN", "经过点 一，三 和点 二，负五"),
        ("b 从 0 变到 -2，x - 1 > 0", "zh-CN", "b 从 零 变到 负二，x 减 一 大于 零"),
        ("x² + 1/2 = -3", "zh-CN", "x 的平方 加 二分之一 等于 负三"),
        ("解集是 (1, 2]", "zh-CN", "解集是 左开右闭区间 一 到 二"),
        ("f'(x) = 3x^2 - 3", "zh-CN", "f 撇 x 等于 三x 的平方 减 三"),
        ("x ∈ (-∞, 1) ∪ [3, +∞)", "zh-CN", "x 属于 开区间 负无穷 到 一 并 左闭右开区间 三 到 正无穷"),
        ("9.11 比 9.8 小，共 190 人", "zh-CN", "九点一一 比 九点八 小，共 一百九十 人"),
        ("y = 2x - 1", "en-US", "y equals 2x minus 1"),
        ("k ≥ -3", "en-US", "k is at least negative 3"),
        ("x² + 1/2 = -3", "en-US", "x squared plus one half equals negative 3"),
        ("f'(x) = 3x^2", "en-US", "f prime of x equals 3x squared"),
        ("x in (1, 2]", "en-US", "x in the interval from 1 to 2, open at 1, closed at 2"),
    ],
)
def test_math_is_read_as_a_teacher_says_it(written: str, language: str, said: str) -> None:
    assert spoken(written, language) == said  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("number", "said"),
    [("0", "零"), ("10", "十"), ("12", "十二"), ("105", "一百零五"), ("1001", "一千零一"), ("20000", "二万"),
     ("10005", "一万零五"), ("3.14", "三点一四")],
)  # fmt: skip
def test_numbers_are_read_in_chinese(number: str, said: str) -> None:
    assert chinese_number(number) == said


def _plan(texts: list[str], pause_ms: int = 300) -> LessonPlan:
    segments = [
        Segment(id=f"s{i}", text=t, language="zh-CN", pause_after_ms=pause_ms) for i, t in enumerate(texts)
    ]
    return LessonPlan(
        topic="t",
        title="t",
        language="zh-CN",
        family="函数与方程",
        sections=[Section(id="a", kind="intro", title="引入", segments=segments)],
    )


@pytest.mark.integration
def test_track_places_clips_end_to_end_on_whole_milliseconds(tmp_path: Path) -> None:
    plan = _plan(["一。", "二。"], pause_ms=250)
    clips = {"s0": tone(tmp_path / "a.wav", 1.0), "s1": tone(tmp_path / "b.mp3", 0.5, 660)}
    syncmap = assemble(plan, clips, tmp_path / "track.wav")
    first, second = syncmap.segments
    assert first.start_ms == 0 and 1000 <= first.end_ms <= 1001
    assert second.start_ms == first.end_ms + 250
    assert syncmap.total_ms == second.end_ms + 250 == syncmap.sections[0].end_ms
    with wave.open(str(tmp_path / "track.wav")) as track:
        assert track.getnframes() == syncmap.total_ms * SAMPLES_PER_MS


@pytest.mark.integration
def test_track_refuses_a_missing_clip(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no narration clip for segments: s1"):
        assemble(_plan(["一。", "二。"]), {"s0": tone(tmp_path / "a.wav", 0.2)}, tmp_path / "t.wav")


@pytest.mark.integration
def test_espeak_speaks_mandarin_with_the_pinyin_voice(tmp_path: Path) -> None:
    voice = get_synthesizer("espeak")
    assert isinstance(voice, EspeakSynthesizer)
    request = SpeechRequest(
        segment_id="s1",
        text="-想象一下，如果我们能把数学公式变成一幅美丽的图画。",
        language="zh-CN",
        section_kind="intro",
    )
    audio = voice.synthesize(request, tmp_path / "a.wav")
    assert audio.voice == "cmn-latn-pinyin"
    assert 3000 < audio.duration_ms < 12000  # ~24 syllables, read, not spelled letter by letter
    with wave.open(str(tmp_path / "a.wav")) as clip:
        assert clip.getnframes() * 1000 // clip.getframerate() == audio.duration_ms
    hanzi = [w.text for w in audio.words]  # the synth callback's word events: one per character
    assert "想象一下如果我们" in "".join(hanzi) and len(hanzi) >= 20
    starts = [w.start_ms for w in audio.words]
    assert starts == sorted(starts) and all(w.end_ms >= w.start_ms for w in audio.words)
    assert audio.words[-1].end_ms <= audio.duration_ms


@pytest.mark.integration
def test_espeak_marks_where_each_later_sentence_starts(tmp_path: Path) -> None:
    request = SpeechRequest(
        segment_id="s1",
        text="The slope is two. The intercept is one.",
        language="en-US",
        section_kind="explain",
    )
    audio = EspeakSynthesizer().synthesize(request, tmp_path / "a.wav")
    (mark,) = audio.marks
    assert mark.name == "sentence-1"
    second = next(w for w in audio.words if w.text == "The" and w.start_ms > 0)
    assert abs(second.start_ms - mark.at_ms) <= 50 and 500 < mark.at_ms < audio.duration_ms - 500
    with pytest.raises(ValueError, match="unknown TTS provider 'nope'; available: azure, espeak, recorded"):
        get_synthesizer("nope")


def test_subtitle_lines_fit_and_every_segment_has_a_cue() -> None:
    plan = lookup("一次函数的图像和性质", "zh-CN")
    from mathcast.lesson import Span, SyncMap

    cursor, spans = 0, []
    for _, segment in plan.segments():
        spans.append(Span(id=segment.id, start_ms=cursor, end_ms=cursor + 4000))
        cursor += 4300
    syncmap = SyncMap(total_ms=cursor, sections=[], segments=spans)
    cues = subtitle_cues(plan, syncmap)
    assert [seg.id for _, seg in plan.segments()] == list(dict.fromkeys(c.segment_id for c in cues))
    assert all(len(line) <= LINE_CHARS["zh-CN"] for c in cues for line in c.lines)
    assert all(1 <= len(c.lines) <= 2 for c in cues)
    assert all(a.end_ms <= b.start_ms for a, b in itertools.pairwise(cues))
    srt = to_srt(cues)
    assert srt.startswith("1\n00:00:00,000 --> 00:00:")
    assert "想象一下" in srt


def test_formulas_stay_on_one_subtitle_line() -> None:
    assert _chunks("一次函数的标准形式是 y = kx + b。", "zh-CN") == [["一次函数的标准形式是", "y = kx + b。"]]


def test_english_sentences_end_at_a_full_stop_but_not_inside_a_decimal() -> None:
    assert _chunks("Is 9.11 > 9.8? No. The line y = 2x + 1 passes (1, 3).", "en-US") == [
        ["Is 9.11 > 9.8?"],
        ["No."],
        ["The line y = 2x + 1 passes (1, 3)."],
    ]


def test_a_cue_too_short_to_read_joins_its_neighbour() -> None:
    from mathcast.align.subtitles import _readable

    chunks = [["先看斜率。"], ["让 k 从 1 慢慢增加到 2，"]]
    (merged,) = _readable(chunks, span_ms=1500, language="zh-CN")
    assert len(merged) <= 2 and "".join(merged).replace(" ", "") == "先看斜率。让k从1慢慢增加到2，"
    assert _readable(chunks, span_ms=6000, language="zh-CN") == chunks  # both on screen ≥ 1 s already


def _one_segment_plan(text: str, language: str) -> LessonPlan:
    plan = lookup("一次函数的图像和性质", "zh-CN")
    segment = Segment(id="only", language=language, text=text)  # type: ignore[arg-type]
    section = plan.sections[0].model_copy(update={"segments": [segment]})
    return plan.model_copy(update={"sections": [section]})


def test_english_lines_fit_42_characters_and_break_after_a_comma() -> None:
    from mathcast.align.subtitles import _wrap

    text = "When k is positive, the line rises from left to right and y grows with x."
    lines = _wrap(text, LINE_CHARS["en-US"], "en-US")
    assert all(len(line) <= 42 for line in lines)
    assert lines[0] == "When k is positive,"  # not "When k is positive, the line rises from"
    assert " ".join(lines) == text


def test_cue_boundaries_sit_on_the_word_onsets_the_voice_reported() -> None:
    from mathcast.lesson import Span, SyncMap, WordTiming

    text = "先看斜率。让 k 从 1 慢慢增加到 2，直线越来越陡。"
    plan = _one_segment_plan(text, "zh-CN")
    # The voice paused 900 ms after the first sentence: its second sentence starts at 3400 ms.
    words = [
        WordTiming(text=c, start_ms=2000 + 300 * i, end_ms=2250 + 300 * i) for i, c in enumerate("先看斜率")
    ]
    words += [
        WordTiming(text=c, start_ms=3400 + 250 * i, end_ms=3600 + 250 * i)
        for i, c in enumerate("让k从一慢慢增加到二直线越来越陡")
    ]
    syncmap = SyncMap(
        total_ms=9000,
        sections=[],
        segments=[Span(id="only", start_ms=2000, end_ms=8400)],
        words={"only": words},
    )
    cues = subtitle_cues(plan, syncmap)
    assert len(cues) == 2
    assert cues[0].end_ms == cues[1].start_ms == 3400  # by character share alone: 2000 + 6400 * 5 / 27 ≈ 3185
    without_words = subtitle_cues(plan, syncmap.model_copy(update={"words": {}}))
    assert without_words[1].start_ms != 3400


def test_every_cue_stays_on_screen_about_a_second_using_the_pauses_around_it() -> None:
    from mathcast.lesson import Span, SyncMap

    plan = lookup("一次函数的图像和性质", "zh-CN")
    short = Segment(id="short", language="zh-CN", text="好。")
    long = Segment(id="long", language="zh-CN", text="我们来看下一个例子。")
    section = plan.sections[0].model_copy(update={"segments": [short, long]})
    plan = plan.model_copy(update={"sections": [section]})
    spans = [Span(id="short", start_ms=500, end_ms=900), Span(id="long", start_ms=1700, end_ms=4000)]
    cues = subtitle_cues(plan, SyncMap(total_ms=4500, sections=[], segments=spans))
    assert cues[0].start_ms == 500 and cues[0].end_ms == 1500  # held into the pause after it
    assert cues[1].start_ms == 1700
    spans = [Span(id="short", start_ms=500, end_ms=900), Span(id="long", start_ms=1000, end_ms=4000)]
    cues = subtitle_cues(plan, SyncMap(total_ms=4500, sections=[], segments=spans))
    assert cues[0].end_ms == 1000 and cues[0].start_ms == 0  # no room after: it comes on earlier
    assert all(c.end_ms - c.start_ms >= 1000 for c in cues)
    assert all(a.end_ms <= b.start_ms for a, b in itertools.pairwise(cues))
