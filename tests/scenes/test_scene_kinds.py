"""The newer cue kinds rendered for real: exact frames, curves and interval ends where the maths puts them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from mathcast.lesson import (
    BulletsCue,
    Curve,
    DerivationCue,
    EmphasisCue,
    FormulaCue,
    FunctionGraphCue,
    Interval,
    NumberLineCue,
    Shade,
    TableCue,
)
from mathcast.scenes import theme
from mathcast.scenes.check import font_sizes
from mathcast.scenes.render import LayoutError, probe_video, render_scene
from tests.scenes.scene_helpers import LOW, frame_rgb, make_job, near, settled_drawing, to_pixel

pytestmark = [pytest.mark.render, pytest.mark.slow, pytest.mark.integration]

KINDS = {
    "derivation": [DerivationCue(id="d", lines=["2x + 1 = 5", "2x = 4", "x = 2"])],
    "table": [TableCue(id="t", header=["x", "y"], rows=[["0", "1"], ["1", "3"]], caption="列表")],
    "graph_extras": [
        FunctionGraphCue(
            id="g",
            curves=[Curve(latex=r"\frac{1}{x - 1}")],
            intercepts=True,
            asymptotes=[1.0],
            shade=Shade(x_from=2, x_to=4),
        )
    ],
    "emphasis": [
        FormulaCue(id="f", latex="y = kx + b", parts=["k"]),
        EmphasisCue(id="e", target="f", effect="color", part="k"),
    ],
}


@pytest.mark.parametrize("kind", KINDS)
def test_new_cue_kinds_render_the_exact_frames_with_a_clean_layout(
    kind: str, scene_cache: Path, tmp_path: Path
) -> None:
    job = make_job([KINDS[kind]], speech_ms=[1200], pause_ms=1000)
    out = render_scene(job, tmp_path / f"{kind}.mp4", scene_cache)
    assert probe_video(out) == (job.frames, LOW.width, LOW.height) == (33, 854, 480)
    report = json.loads((tmp_path / f"{kind}.layout.json").read_text())
    assert report["violations"] == []
    assert report["checked"] == [cue.id for cue in KINDS[kind]]


def test_emphasis_colours_only_the_named_part(scene_cache: Path, tmp_path: Path) -> None:
    job = make_job([KINDS["emphasis"]], speech_ms=[1200], pause_ms=1000)
    (formula,) = (e.mobject for e in settled_drawing(job).elements if e.name == "formula")
    out = render_scene(job, tmp_path / "emphasis.mp4", scene_cache)
    frame = frame_rgb(out, job.frames - 1, LOW.width, LOW.height)
    k, y = formula.id_to_vgroup_dict["unique000substring"], formula[0][0]
    assert near(frame, *to_pixel(k.get_center()), theme.EMPHASIS, radius=4)
    assert not near(frame, *to_pixel(y.get_center()), theme.EMPHASIS, radius=4)


def test_the_line_passes_where_the_axes_put_it(scene_cache: Path, tmp_path: Path) -> None:
    """y = 2x + 1 goes through the pixels of (x, 2x + 1), and not through those 1.5 units above."""
    cue = FunctionGraphCue(id="g", x_range=(-3, 3), y_range=(-5, 7), curves=[Curve(latex="2x + 1")])
    job = make_job([[cue]], speech_ms=[1000], pause_ms=500)
    axes = next(e.mobject for e in settled_drawing(job).elements if e.name == "axes")[0]
    frame = frame_rgb(render_scene(job, tmp_path / "line.mp4", scene_cache), job.frames - 1, 854, 480)
    for x in (-2.5, -1.0, 0.5, 2.0):
        assert near(frame, *to_pixel(axes.c2p(x, 2 * x + 1)), theme.CURVES[0]), f"no curve at x = {x}"
        assert not near(frame, *to_pixel(axes.c2p(x, 2 * x + 2.5)), theme.CURVES[0]), f"stray ink at x = {x}"


def test_open_ends_are_hollow_and_closed_ends_filled(scene_cache: Path, tmp_path: Path) -> None:
    cue = NumberLineCue(
        id="n",
        intervals=[Interval(low=-2, high=3, low_closed=False, high_closed=True)],
        caption="-2 < x \\le 3",
    )
    job = make_job([[cue]], speech_ms=[1000], pause_ms=500)
    drawn = next(e.mobject for e in settled_drawing(job).elements if e.name == "number-line")
    bar, open_end, closed_end = drawn[1]
    frame = frame_rgb(render_scene(job, tmp_path / "line.mp4", scene_cache), job.frames - 1, 854, 480)
    assert near(frame, *to_pixel(open_end.get_center()), theme.BACKGROUND, radius=1, tolerance=25)
    assert near(frame, *to_pixel(open_end.get_right()), theme.CURVES[0], radius=2)
    assert not near(frame, *to_pixel(closed_end.get_center()), theme.BACKGROUND, radius=1, tolerance=60)
    assert near(frame, *to_pixel(closed_end.get_center()), theme.CURVES[0], radius=1)
    assert np.isclose(bar.get_start()[0], open_end.get_center()[0], atol=1e-6)


def test_content_too_big_to_read_fails_the_render_with_its_report(scene_cache: Path, tmp_path: Path) -> None:
    """Six columns of long cells only fit scaled below a readable size: caught, not drawn silently."""
    wide = TableCue(
        id="wide", header=["很长的列名称" * 4] * 6, rows=[["一次函数的图像是一条直线" * 2] * 6] * 4
    )
    job = make_job([[wide]], speech_ms=[600], pause_ms=300)
    report = tmp_path / "wide.layout.json"
    with pytest.raises(LayoutError, match=r"wide: small_font table") as raised:
        render_scene(job, tmp_path / "wide.mp4", scene_cache, report_path=report)
    assert raised.value.path == report
    assert json.loads(report.read_text())["violations"][0]["cue_id"] == "wide"


def test_bullets_too_long_for_one_screen_continue_on_the_next(scene_cache: Path, tmp_path: Path) -> None:
    """Six long items would only fit scaled below a readable size: they go over two screens instead."""
    item = "一次函数的图像是一条直线，斜率决定倾斜程度，截距决定它与纵轴的交点位置" * 4
    long = BulletsCue(id="long", heading="要点", items=[f"{n}. {item}" for n in range(1, 7)])
    job = make_job([[long]], speech_ms=[6000], pause_ms=300)
    drawing = settled_drawing(job)
    names = [e.name for e in drawing.elements]
    assert names[0] == "heading" and names[-1] == "item-6" and "item-1" not in names  # the last screen
    sizes = [s for e in drawing.elements for s in font_sizes(e.mobject)]
    assert min(sizes) >= theme.MIN_FONT_SIZE - 0.5
    out = render_scene(job, tmp_path / "long.mp4", scene_cache)
    assert probe_video(out) == (job.frames, LOW.width, LOW.height)
    assert json.loads((tmp_path / "long.layout.json").read_text())["violations"] == []
