"""The newer cue kinds rendered for real: exact frames, curves and interval ends where the maths puts them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

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
from mathcast.scenes.check import bounds, font_sizes
from mathcast.scenes.layout import Box
from mathcast.scenes.render import LayoutError, probe_video, render_scene
from mathcast.scenes.timeline import SceneJob
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


BODY_TOP = to_pixel((0.0, 4.0 - theme.HEADER_BAND))[0]  # first pixel row below the section header


def _matches(frame: np.ndarray, color: str, tolerance: int = 40) -> np.ndarray:
    rgb = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    return np.asarray(np.abs(frame.astype(int) - rgb).max(axis=2) <= tolerance)


def _ink(frame: np.ndarray) -> np.ndarray:
    return ~_matches(frame, theme.BACKGROUND, tolerance=60)


def _ink_bands(frame: np.ndarray, min_gap: int = 8) -> int:
    """Lines of content: bands of rows with ink, apart by more than `min_gap` blank rows (the gaps
    inside one line, around a fraction bar, are narrower)."""
    rows = np.flatnonzero(_ink(frame).any(axis=1))
    return 0 if rows.size == 0 else 1 + int((np.diff(rows) > min_gap).sum())


def _rules(frame: np.ndarray) -> int:
    """Horizontal table rules: runs of rows inked across more than 15% of the frame (text leaves
    gaps between its glyphs; only a rule is solid that far)."""
    ruled = _ink(frame).mean(axis=1) > 0.15
    return int(ruled[0]) + int((ruled[1:] & ~ruled[:-1]).sum())


QUADRATIC_FORMULA = [
    r"ax^2 + bx + c = 0",
    r"x^2 + \frac{b}{a}x + \frac{c}{a} = 0",
    r"x^2 + \frac{b}{a}x = -\frac{c}{a}",
    r"x^2 + \frac{b}{a}x + \frac{b^2}{4a^2} = \frac{b^2}{4a^2} - \frac{c}{a}",
    r"\left(x + \frac{b}{2a}\right)^2 = \frac{b^2}{4a^2} - \frac{c}{a}",
    r"\left(x + \frac{b}{2a}\right)^2 = \frac{b^2 - 4ac}{4a^2}",
    r"x + \frac{b}{2a} = \pm\sqrt{\frac{b^2 - 4ac}{4a^2}}",
    r"x + \frac{b}{2a} = \pm\frac{\sqrt{b^2 - 4ac}}{2a}",
    r"x = -\frac{b}{2a} \pm \frac{\sqrt{b^2 - 4ac}}{2a}",
    r"x = \frac{-b \pm \sqrt{b^2 - 4ac}}{2a}",
]


def _two_screens(job: SceneJob, scene_cache: Path, tmp_path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Render a one-cue job planned as two screens; both pass the layout check. The body of each
    screen as it stands before it is replaced (the first) or the clip ends (the second)."""
    (first_screen,) = settled_drawing(job).earlier
    out = render_scene(job, tmp_path / "paged.mp4", scene_cache)
    assert probe_video(out) == (job.frames, LOW.width, LOW.height)
    report = json.loads((tmp_path / "paged.layout.json").read_text())
    cue_id = job.slots[0].cue.id
    assert report["violations"] == [] and report["checked"] == [cue_id, cue_id]
    first, last = (frame_rgb(out, i, LOW.width, LOW.height) for i in (first_screen.until - 1, job.frames - 1))
    return first[BODY_TOP:], last[BODY_TOP:]


def test_a_long_table_continues_on_a_second_screen_under_its_header(
    scene_cache: Path, tmp_path: Path
) -> None:
    """14 rows on one screen would shrink the text to about 60%: two screens of seven rows instead."""
    rows = [[str(x), str(2 * x + 1)] for x in range(-6, 8)]
    table = TableCue(id="t", header=["x", "y = 2x + 1"], rows=rows, caption="列表")
    first, last = _two_screens(make_job([[table]], speech_ms=[6000], pause_ms=300), scene_cache, tmp_path)
    assert _rules(first) == _rules(last) == 9  # the header and seven rows, ruled above and below
    assert _matches(first, theme.EMPHASIS).sum() > 50 and _matches(last, theme.EMPHASIS).sum() > 50  # header
    assert (np.abs(first.astype(int) - last.astype(int)).max(axis=2) > 60).mean() > 0.002, "same rows twice"


def test_a_ten_line_derivation_continues_on_a_second_screen(scene_cache: Path, tmp_path: Path) -> None:
    """The quadratic formula in ten lines of fractions would only fit shrunk to about half: five
    lines a screen, the sixth growing out of the fifth as the first screen leaves."""
    job = make_job([[DerivationCue(id="d", lines=QUADRATIC_FORMULA)]], speech_ms=[9000], pause_ms=300)
    first, last = _two_screens(job, scene_cache, tmp_path)
    assert _ink_bands(first) == _ink_bands(last) == 5


def _pixels(box: Box, margin: int) -> tuple[slice, slice]:
    """The frame region of a scene box, `margin` pixels wider on every side."""
    top, left = to_pixel((box.left, box.top))
    bottom, right = to_pixel((box.right, box.bottom))
    return slice(top - margin, bottom + margin), slice(left - margin, right + margin)


@pytest.mark.parametrize("effect", ["indicate", "circumscribe"])
def test_emphasis_moves_ink_where_its_target_is_and_leaves_it_as_it_was(
    effect: Literal["indicate", "circumscribe"], scene_cache: Path, tmp_path: Path
) -> None:
    formula = FormulaCue(id="f", latex="y = kx + b")
    emphasis = EmphasisCue(id="e", target="f", effect=effect)
    job = make_job([[formula], [emphasis]], speech_ms=[1000, 1500], pause_ms=300)
    (target,) = (e.mobject for e in settled_drawing(job).elements if e.name == "formula")
    box = bounds(target)
    assert box is not None
    out = render_scene(job, tmp_path / f"{effect}.mp4", scene_cache)
    start = job.slots[1].start_frame
    middle = start + round(theme.EMPHASIS_SECONDS * LOW.fps) // 2
    before, during, after = (
        frame_rgb(out, i, LOW.width, LOW.height).astype(int) for i in (start - 1, middle, job.frames - 1)
    )
    changed = np.abs(during - before).max(axis=2) > 60
    # an indicate grows its target by a fifth about its centre; a circumscribe runs just outside it
    grown = Box(
        box.left - box.width / 8,
        box.right + box.width / 8,
        box.top + box.height / 8,
        box.bottom - box.height / 8,
    )
    region = _pixels(grown, margin=12)
    assert changed[region].mean() > 0.01, f"{effect} changed nothing around the formula"
    changed[region] = False
    assert not changed.any(), f"{effect} changed the picture away from the formula"
    assert (np.abs(after - before).max(axis=2) > 60).mean() < 0.0005, f"{effect} left the formula changed"


def test_english_bullets_render_readable_in_their_places(scene_cache: Path, tmp_path: Path) -> None:
    cue = BulletsCue(
        id="b",
        heading="Slope and intercept",
        items=[
            "k decides which way the line leans",
            "b is where the line meets the y-axis, at the point (0, b)",
        ],
    )
    job = make_job([[cue]], speech_ms=[3000], pause_ms=500, title="Linear functions", language="en-US")
    elements = settled_drawing(job).elements
    out = render_scene(job, tmp_path / "english.mp4", scene_cache)
    assert probe_video(out) == (job.frames, LOW.width, LOW.height)
    report = json.loads((tmp_path / "english.layout.json").read_text())
    assert report["violations"] == [] and report["checked"] == ["b"]
    frame = frame_rgb(out, job.frames - 1, LOW.width, LOW.height)
    assert [e.name for e in elements] == ["heading", "item-1", "item-2"]
    for element in elements:
        box = bounds(element.mobject)
        assert box is not None
        assert _ink(frame[_pixels(box, margin=0)]).mean() > 0.05, f"no text where {element.name} is"
    assert not _ink(frame[int(LOW.height * 0.85) :]).any(), "ink below the list"
