"""`mathcast render`: bad plans are refused with exit 2 before any drawing; the demo renders end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mathcast.cli import app
from mathcast.content.catalog import lookup
from mathcast.lesson import LessonPlan
from mathcast.scenes.render import probe_video
from mathcast.scenes.standalone import estimated_ms, estimated_syncmap


def demo_plan() -> dict[str, Any]:
    return lookup("一次函数", "zh-CN").model_dump(mode="json")


def with_cue(cue: dict[str, Any]) -> dict[str, Any]:
    plan = demo_plan()
    plan["sections"][0]["segments"][0]["cues"] = [cue]
    return plan


def run(tmp_path: Path, plan: dict[str, Any], *extra: str) -> Any:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan, ensure_ascii=False))
    return CliRunner().invoke(app, ["render", str(path), "--out", str(tmp_path / "out"), *extra])


@pytest.mark.parametrize(
    ("cue", "message"),
    [
        ({"kind": "hologram", "id": "h"}, "does not match any of the expected tags"),
        ({"kind": "function_graph", "id": "g", "x_range": [3, -3], "curves": [{"latex": "x"}]}, "min < max"),
        ({"kind": "bullets", "id": "b", "items": ["要点"] * 200}, "at most 6 items"),
        ({"kind": "formula", "id": "f", "latex": "   "}, "cannot be empty"),
        ({"kind": "formula", "id": "f", "latex": r"\input{/etc/passwd}"}, r"\input is not allowed"),
        ({"kind": "function_graph", "id": "g", "curves": [{"latex": "ax^2"}]}, "uses a"),
        ({"kind": "number_line", "id": "n", "intervals": [{"low": 2, "high": 1}]}, "must be below high"),
        ({"kind": "emphasis", "id": "e", "target": "nothing-here"}, "screen shows nothing"),
        (
            {
                "kind": "geometry",
                "id": "g",
                "points": [{"name": "A", "x": 0, "y": 0}, {"name": "B", "x": 1, "y": 0}],
                "shapes": [{"kind": "segment", "ends": ["A", "B"], "label": r"\write18{rm}"}],
            },
            r"\write is not allowed",
        ),
        (
            {
                "kind": "geometry",
                "id": "g",
                "points": [{"name": "A", "x": 0, "y": 0}],
                "shapes": [{"kind": "circle", "center": "O", "radius": 1}],
            },
            "circle uses O, not a point defined",
        ),
    ],
)
def test_bad_plans_exit_2_with_the_reason(tmp_path: Path, cue: dict[str, Any], message: str) -> None:
    result = run(tmp_path, with_cue(cue))
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "out" / "scenes").exists()


def test_a_syncmap_missing_segments_is_refused(tmp_path: Path) -> None:
    syncmap = estimated_syncmap(LessonPlan.model_validate(demo_plan())).model_dump()
    syncmap["segments"] = syncmap["segments"][1:]
    (tmp_path / "sync.json").write_text(json.dumps(syncmap))
    result = run(tmp_path, demo_plan(), "--syncmap", str(tmp_path / "sync.json"))
    assert result.exit_code == 2
    assert "no times for intro-picture" in result.output


def test_estimated_durations_follow_the_reading_speed() -> None:
    plan = LessonPlan.model_validate(demo_plan())
    syncmap = estimated_syncmap(plan)
    first = plan.sections[0].segments[0]
    assert syncmap.segments[0].end_ms == estimated_ms(first)
    assert syncmap.sections[-1].end_ms == syncmap.total_ms
    assert [s.start_ms for s in syncmap.sections[1:]] == [s.end_ms for s in syncmap.sections[:-1]]


@pytest.mark.render
@pytest.mark.slow
@pytest.mark.integration
def test_the_demo_plan_renders_end_to_end(
    tmp_path: Path, scene_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MATHCAST_CACHE_DIR", str(scene_cache.parent))
    result = run(tmp_path, demo_plan(), "--quality", "low")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    report = json.loads((out / "layout_report.json").read_text())
    assert report["violations"] == 0
    assert [s["section_id"] for s in report["sections"]] == [
        "intro",
        "explain",
        "example",
        "interact",
        "summary",
    ]
    syncmap = estimated_syncmap(LessonPlan.model_validate(demo_plan()))
    frames, width, height = probe_video(out / "lesson.mp4")
    assert (width, height) == (854, 480)
    assert frames == (syncmap.total_ms * 15 + 500) // 1000
    assert sorted(p.name for p in (out / "scenes").glob("*.mp4")) == sorted(
        f"{s}.mp4" for s in ("intro", "explain", "example", "interact", "summary")
    )
