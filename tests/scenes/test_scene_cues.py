"""Drawing rules without rendering: curve compilation, clipping, wrapping and the beat timing of each cue."""

from __future__ import annotations

import numpy as np
import pytest

from mathcast.lesson import BulletsCue, Curve, FunctionGraphCue, ParameterSweep, QuestionCue
from mathcast.scenes.cues import (
    CueDrawError,
    SlotTime,
    _pages,
    compile_curve,
    plan,
    sample,
    spread,
    visible_runs,
)
from mathcast.scenes.layout import NO_LINE_START, _em, _units, wrap


def test_curve_is_a_function_of_x_and_the_parameters() -> None:
    line = compile_curve(Curve(latex="kx + b"), ["b", "k"])
    xs = np.array([0.0, 1.0, 2.0])
    assert sample(line, xs, [1.0, 2.0]).tolist() == [1.0, 3.0, 5.0]


def test_curve_accepts_y_equals_and_constants() -> None:
    xs = np.linspace(-1, 1, 5)
    assert sample(compile_curve(Curve(latex="y = 2x"), []), xs, []).tolist() == (2 * xs).tolist()
    assert sample(compile_curve(Curve(latex="3"), []), xs, []).tolist() == [3.0] * 5


def test_undeclared_symbol_is_named() -> None:
    with pytest.raises(CueDrawError, match=r"uses c; only x, b, k may appear"):
        compile_curve(Curve(latex="kx + c"), ["b", "k"])


def test_unreadable_curve_is_a_draw_error() -> None:
    with pytest.raises(CueDrawError, match="curve"):
        compile_curve(Curve(latex=r"\frac{1}{"), [])


def test_undefined_points_become_gaps() -> None:
    root = compile_curve(Curve(latex=r"\sqrt{x}"), [])
    ys = sample(root, np.array([-1.0, 0.0, 4.0]), [])
    assert np.isnan(ys[0]) and ys[1:].tolist() == [0.0, 2.0]


def test_runs_are_cut_exactly_at_the_y_range() -> None:
    xs = np.linspace(-5, 5, 241)
    (run,) = visible_runs(xs, xs**2, -5.0, 5.0)
    assert run[:, 1].max() == pytest.approx(5.0)
    assert run[0, 0] == pytest.approx(-np.sqrt(5), abs=0.05)
    assert run[-1, 0] == pytest.approx(np.sqrt(5), abs=0.05)


def test_poles_split_the_curve_instead_of_stroking_the_asymptote() -> None:
    xs = np.linspace(-5, 5, 240)  # even count: no sample at the pole itself
    with np.errstate(divide="ignore"):
        runs = visible_runs(xs, 1 / xs, -5.0, 5.0)
    assert len(runs) == 2
    assert all(np.all(np.sign(run[:, 0]) == np.sign(run[0, 0])) for run in runs)


def test_spread_spaces_events_evenly() -> None:
    assert spread(3, 12, 45) == [12, 23, 34]
    assert spread(0, 0, 10) == []


def test_pages_share_pieces_evenly_unless_that_overfills_a_screen() -> None:
    assert _pages([1.0] * 14, room=10.0, gap=0.0) == [list(range(7)), list(range(7, 14))]  # not 10 + 4
    assert _pages([1.0, 1.0, 1.0], room=10.0, gap=0.5) == [[0, 1, 2]]
    assert _pages([1.0, 1.0, 1.0, 4.0], room=4.0, gap=0.0) == [[0, 1, 2], [3]]  # 2 + 2 would need 5


@pytest.mark.usefixtures("manim_media")
def test_wrap_breaks_chinese_between_characters_and_latin_between_words() -> None:
    text = "一次函数的图像是一条直线，其中斜率 k 决定倾斜方向，截距 b 决定与 y 轴交点的位置"
    lines = wrap(text, 34, 4.0).split("\n")
    assert len(lines) > 1
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    # a line may end one punctuation mark past the width: Chinese never starts a line with one
    assert all(_units(line.rstrip("，。")) * _em(34) <= 4.0 + 1e-6 for line in lines)
    assert not any(line[0] in NO_LINE_START for line in lines)
    tight = wrap("斜率决定倾斜程度，截距决定交点", 34, _em(34) * 8.2).split("\n")
    assert tight[0] == "斜率决定倾斜程度，"  # the comma stays with its clause instead of opening line two
    latin = wrap("the slope decides the direction of the line", 34, 3.0).split("\n")
    assert all(word.isalpha() for line in latin for word in line.split(" "))


@pytest.mark.usefixtures("manim_media")
def test_bullets_appear_one_by_one_over_the_narration() -> None:
    cue = BulletsCue(id="b", heading="要点", items=["一", "二", "三"])
    beats = plan(cue, SlotTime(frames=60, speech_end=45, fps=15), "zh-CN").beats
    assert [(b.at, b.frames) for b in beats] == [(0, 12), (12, 8), (23, 8), (34, 8)]


@pytest.mark.usefixtures("manim_media")
def test_bullets_without_narration_time_use_the_slot() -> None:
    cue = BulletsCue(id="b", items=["一", "二", "三"])
    beats = plan(cue, SlotTime(frames=40, speech_end=10, fps=15), "zh-CN").beats
    assert [b.at for b in beats] == [0, 12, 26]


@pytest.mark.usefixtures("manim_media")
def test_question_counts_down_through_the_think_time_to_the_answer() -> None:
    cue = QuestionCue(id="q", question="交点？", think_ms=2000, answer="(0, 1)")
    beats = plan(cue, SlotTime(frames=60, speech_end=20, fps=15), "zh-CN").beats
    assert [(b.at, b.frames) for b in beats] == [(0, 12), (20, 25), (45, 8)]
    assert len(beats[2].animations) == 2  # the countdown fades out as the answer fades in


@pytest.mark.usefixtures("manim_media")
def test_question_without_silence_still_reveals_the_answer() -> None:
    cue = QuestionCue(id="q", question="交点？", think_ms=0, answer="(0, 1)")
    beats = plan(cue, SlotTime(frames=60, speech_end=60, fps=15), "en-US").beats
    assert [(b.at, b.frames) for b in beats] == [(0, 12), (45, 8)]


@pytest.mark.slow
@pytest.mark.integration
@pytest.mark.usefixtures("manim_media")
def test_sweep_runs_through_the_keyframes_until_the_narration_ends() -> None:
    cue = FunctionGraphCue(
        id="g",
        curves=[Curve(latex="kx + b")],
        parameters={"k": 1.0, "b": 0.0},
        sweep=ParameterSweep(parameter="k", values=[1.0, 2.0, -1.0]),
    )
    beats = plan(cue, SlotTime(frames=90, speech_end=60, fps=15), "zh-CN").beats
    assert [(b.at, b.frames) for b in beats] == [(0, 12), (12, 24), (36, 24)]


@pytest.mark.usefixtures("manim_media")
def test_graph_with_unknown_symbol_fails_before_drawing() -> None:
    cue = FunctionGraphCue(id="g", curves=[Curve(latex="ax^2")], parameters={"k": 1.0})
    with pytest.raises(CueDrawError, match="uses a"):
        plan(cue, SlotTime(frames=30, speech_end=15, fps=15), "zh-CN")
