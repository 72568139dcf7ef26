"""Real manim renders at 854x480@15: exact frame counts, Chinese actually drawn, failures explained."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from mathcast.lesson import (
    BulletsCue,
    Cue,
    Curve,
    FormulaCue,
    FunctionGraphCue,
    ParameterSweep,
    QuestionCue,
    SummaryCue,
    TitleCue,
)
from mathcast.scenes import theme
from mathcast.scenes.render import RenderError, probe_video, render_scene
from mathcast.scenes.timeline import CueSlot, SceneJob
from tests.scenes.scene_helpers import LOW, frame_rgb, make_job

pytestmark = [pytest.mark.render, pytest.mark.slow, pytest.mark.integration]

CUES: dict[str, Cue] = {
    "title": TitleCue(id="t", title="一次函数", subtitle="斜率与截距"),
    "bullets": BulletsCue(id="b", heading="要点", items=["k 决定倾斜方向", "b 是截距"]),
    "formula": FormulaCue(id="f", latex=r"y = kx + b \quad (k \ne 0)", caption="一般形式"),
    "function_graph": FunctionGraphCue(
        id="g",
        curves=[Curve(latex="kx + b", label="y = kx + b"), Curve(latex=r"\frac{1}{x}")],
        parameters={"k": 1.0, "b": 1.0},
        sweep=ParameterSweep(parameter="k", values=[1.0, 2.0, -1.0]),
        points=[(0.0, 1.0)],
    ),
    "question": QuestionCue(id="q", question="y = 2x + 1 与 y 轴的交点是？", think_ms=1000, answer="(0, 1)"),
    "summary": SummaryCue(id="s", heading="小结", points=["k 决定方向", "b 决定截距"]),
}


@pytest.mark.parametrize("kind", CUES)
def test_every_cue_kind_renders_the_exact_frames(kind: str, scene_cache: Path, tmp_path: Path) -> None:
    job = make_job([[CUES[kind]]], speech_ms=[1200], pause_ms=1000)
    out = render_scene(job, tmp_path / f"{kind}.mp4", scene_cache)
    assert probe_video(out) == (job.frames, LOW.width, LOW.height) == (33, 854, 480)


def test_cue_changes_land_on_their_frames_with_odd_timing(scene_cache: Path, tmp_path: Path) -> None:
    """A late first cue, two cues sharing a segment, spans that fall between frames."""
    job = make_job(
        [[CUES["title"], CUES["formula"]], [CUES["summary"]]],
        speech_ms=[1733, 911],
        pause_ms=367,
        lead_ms=433,
    )
    assert job.slots[0].start_frame > 0
    out = render_scene(job, tmp_path / "mixed.mp4", scene_cache)
    assert probe_video(out)[0] == job.frames


def test_slots_of_zero_one_and_two_frames_keep_the_count(scene_cache: Path, tmp_path: Path) -> None:
    slots = [
        CueSlot(cue=CUES["title"], segment_id="seg-0", start_frame=0, end_frame=1, speech_end_frame=1),
        CueSlot(cue=CUES["bullets"], segment_id="seg-0", start_frame=1, end_frame=3, speech_end_frame=3),
        CueSlot(cue=CUES["formula"], segment_id="seg-0", start_frame=3, end_frame=3, speech_end_frame=3),
        CueSlot(cue=CUES["summary"], segment_id="seg-0", start_frame=3, end_frame=11, speech_end_frame=5),
    ]
    base = make_job([[CUES["title"]]], speech_ms=[500], pause_ms=300)
    job = SceneJob(lesson_title="t", section=base.section, format=LOW, frames=11, slots=slots)
    out = render_scene(job, tmp_path / "tiny.mp4", scene_cache)
    assert probe_video(out)[0] == 11


def test_chinese_title_is_drawn(scene_cache: Path, tmp_path: Path) -> None:
    job = make_job([[TitleCue(id="t", title="一次函数的图像与性质")]], speech_ms=[1000], pause_ms=500)
    out = render_scene(job, tmp_path / "title.mp4", scene_cache)
    frame = frame_rgb(out, job.frames - 1, LOW.width, LOW.height).astype(int)
    blank = np.array([int(theme.BACKGROUND[i : i + 2], 16) for i in (1, 3, 5)])
    differs = np.abs(frame - blank).max(axis=2) > 60
    h, w = differs.shape
    title_band = differs[int(h * 0.4) : int(h * 0.65), int(w * 0.15) : int(w * 0.85)]
    header = differs[: int(h * 0.1), : int(w * 0.3)]
    empty = differs[int(h * 0.8) :, :]
    assert title_band.mean() > 0.03, "no title strokes where the title should be"
    assert header.mean() > 0.01, "no section header at the top-left"
    assert empty.mean() < 0.001, "the frame is not the theme background outside the content"


def test_unsafe_formula_fails_with_the_command_named(scene_cache: Path, tmp_path: Path) -> None:
    job = make_job([[FormulaCue(id="f", latex=r"\input{/etc/passwd}")]], speech_ms=[500], pause_ms=300)
    out = tmp_path / "bad.mp4"
    with pytest.raises(RenderError, match=r"UnsafeLatexError: LaTeX command \\input is not allowed"):
        render_scene(job, out, scene_cache)
    assert not out.exists()


def test_parallel_renders_share_a_fresh_cache(tmp_path: Path) -> None:
    """Two processes compiling the same TeX and text at once must not trip over each other's files."""
    job = make_job([[CUES["formula"]]], speech_ms=[500], pause_ms=300)
    cache = tmp_path / "cache"
    with ThreadPoolExecutor(2) as pool:
        outs = list(pool.map(lambda i: render_scene(job, tmp_path / f"{i}.mp4", cache), range(2)))
    assert [probe_video(out)[0] for out in outs] == [job.frames, job.frames]
    assert list((cache / "tex").glob("*.svg")), "compiled formulas were not shared"


def test_chinese_titles_are_real_glyphs_not_placeholder_boxes(scene_cache: Path, tmp_path: Path) -> None:
    """Missing CJK glyphs all draw as the same box: two titles of equal length would then match."""
    frames = []
    for i, title in enumerate(("一次函数的图像与性质", "二次方程的根与系数关系")):
        job = make_job([[TitleCue(id="t", title=title)]], speech_ms=[800], pause_ms=200)
        out = render_scene(job, tmp_path / f"title-{i}.mp4", scene_cache)
        frames.append(frame_rgb(out, job.frames - 1, LOW.width, LOW.height).astype(int))
    h, w = frames[0].shape[:2]
    band = (slice(int(h * 0.4), int(h * 0.65)), slice(int(w * 0.1), int(w * 0.9)))
    differs = np.abs(frames[0][band] - frames[1][band]).max(axis=2) > 60
    assert differs.mean() > 0.02, "different Chinese titles drew the same shapes"
