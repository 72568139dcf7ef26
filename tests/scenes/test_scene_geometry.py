"""Geometry figures: constructions land where the maths puts them, labels never collide, and a
figure renders frame-exactly with a clean layout."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from pydantic import ValidationError

from mathcast.lesson import GeometryCue
from mathcast.scenes import theme
from mathcast.scenes.geometry import coordinates
from mathcast.scenes.render import probe_video, render_scene
from tests.scenes.scene_helpers import LOW, frame_rgb, make_job, near, settled_drawing, to_pixel

TRIANGLE = GeometryCue.model_validate(
    {
        "id": "triangle",
        "points": [
            {"name": "A", "x": 0, "y": 0},
            {"name": "B", "x": 6, "y": 0},
            {"name": "C", "x": 3, "y": 3},
        ],
        "constructions": [
            {"kind": "foot", "name": "H", "source": "C", "line": ["A", "B"]},
            {"kind": "midpoint", "name": "M", "of": ["B", "C"]},
        ],
        "shapes": [
            {"kind": "polygon", "vertices": ["A", "B", "C"]},
            {"kind": "segment", "ends": ["C", "H"], "dashed": True, "label": "h"},
            {"kind": "angle", "vertex": "H", "start": "B", "end": "C"},
            {"kind": "angle", "vertex": "A", "start": "B", "end": "C", "label": r"45^\circ"},
            {"kind": "segment", "ends": ["A", "M"], "label": "m_a"},
            {"kind": "circle", "center": "M", "through": "B"},
        ],
        "caption": "高 CH 与中线 AM",
    }
)


def test_constructions_are_computed_from_the_points() -> None:
    at = coordinates(TRIANGLE)
    assert np.allclose(at["H"], [3, 0, 0])  # the foot from C(3, 3) to the x axis
    assert np.allclose(at["M"], [4.5, 1.5, 0])  # halfway between B(6, 0) and C(3, 3)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"shapes": [{"kind": "segment", "ends": ["A", "Z"]}]}, "uses Z, not a point defined"),
        ({"points": [{"name": "A", "x": 0, "y": 0}, {"name": "A", "x": 1, "y": 1}]}, "named twice: A"),
        ({"shapes": [{"kind": "circle", "center": "A"}]}, "exactly one of radius or through"),
        ({"shapes": [{"kind": "angle", "vertex": "A", "start": "A", "end": "B"}]}, "repeats a point"),
        ({"constructions": [{"kind": "midpoint", "name": "N", "of": ["A", "Q"]}]}, "midpoint uses Q"),
    ],
)
def test_a_figure_that_names_what_it_does_not_define_is_refused(
    change: dict[str, object], message: str
) -> None:
    data = {**TRIANGLE.model_dump(), "constructions": [], **change}
    with pytest.raises(ValidationError, match=message):
        GeometryCue.model_validate(data)


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.integration
def test_a_triangle_with_its_constructions_renders_cleanly(scene_cache: Path, tmp_path: Path) -> None:
    job = make_job([[TRIANGLE]], speech_ms=[2400], pause_ms=600)
    out = render_scene(job, tmp_path / "geometry.mp4", scene_cache)
    assert probe_video(out) == (job.frames, LOW.width, LOW.height)
    report = json.loads((tmp_path / "geometry.layout.json").read_text())
    assert report["violations"] == [] and report["checked"] == ["triangle"]

    drawing = settled_drawing(job)
    names = [e.name for e in drawing.elements]
    assert {"point-A", "point-H", "point-M", "label-2", "label-4", "caption"} <= set(names)
    figure = next(e.mobject for e in drawing.elements if e.name == "figure")
    dots = [m for m in figure.family_members_with_points() if m.get_color().to_hex().lower() == theme.POINT]
    last = frame_rgb(out, job.frames - 1, LOW.width, LOW.height)
    assert dots and all(near(last, *to_pixel(dot.get_center()), theme.POINT, radius=2) for dot in dots)
    # H is the foot of the altitude: on AB, straight below C in the picture
    a, b, c, h = (next(d.get_center() for d in dots if np.allclose(d.get_center(), p, atol=1e-6)) for p in
                  [_scene(drawing, n) for n in "ABCH"])  # fmt: skip
    assert abs(h[1] - a[1]) < 1e-6 and abs(h[1] - b[1]) < 1e-6 and abs(h[0] - c[0]) < 1e-6


def _scene(drawing: object, name: str) -> np.ndarray:
    """Where the drawing put point `name`: its label's element names the point, its dot is nearest."""
    elements = {e.name: e.mobject for e in drawing.elements}  # type: ignore[attr-defined]
    label = elements[f"point-{name}"].get_center()
    figure = elements["figure"]
    dots = [m for m in figure.family_members_with_points() if m.get_color().to_hex().lower() == theme.POINT]
    return min((d.get_center() for d in dots), key=lambda p: float(np.linalg.norm(p - label)))
