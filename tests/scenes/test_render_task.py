"""The render stage: a section re-renders only when its own scene changed, its layout report is
stored with its clip, and under Prefect a layout violation fails the task and leaves its report as a
table artifact an operator sees in the UI."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from mathcast import stages
from mathcast.content.catalog import lookup
from mathcast.lesson import LessonPlan, TableCue, TitleCue
from mathcast.scenes import render as scene_render
from mathcast.scenes.check import LessonLayout
from mathcast.scenes.render import LayoutError
from mathcast.scenes.standalone import estimated_syncmap
from mathcast.scenes.timeline import SceneJob
from mathcast.store import LocalArtifactStore, get_model, put_model
from tasks.render import render

pytestmark = [pytest.mark.render, pytest.mark.slow, pytest.mark.integration]


def _unreadable_plan() -> LessonPlan:
    """The demo plan with a six-column table of long cells in the intro: too small to read."""
    data = lookup("一次函数", "zh-CN").model_dump(mode="json")
    cells = [["一次函数的图像是一条直线" * 2] * 6] * 4
    wide = TableCue(id="wide", header=["很长的列名称" * 4] * 6, rows=cells)
    data["sections"][0]["segments"][0]["cues"] = [wide.model_dump(mode="json")]
    return LessonPlan.model_validate(data)


async def _artifact_rows(key: str) -> str:
    async with get_client() as client:
        found = await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))
    return str(found[0].data) if found else ""


def test_a_layout_violation_fails_the_task_with_its_report_as_an_artifact(
    prefect_harness: None, tmp_path: Path, scene_cache: Path
) -> None:
    store = LocalArtifactStore(tmp_path / "artifacts")
    plan = _unreadable_plan()
    lesson = put_model(store, "lesson.json", plan)
    syncmap = put_model(store, "syncmap.json", estimated_syncmap(plan))

    @flow
    def one_section() -> None:
        render(store.url, lesson, syncmap, "intro", "low", scene_cache)

    with pytest.raises(LayoutError, match="small_font"):
        one_section()
    rows = asyncio.run(_artifact_rows("layout-intro"))
    assert "wide" in rows and "small_font" in rows


def _title_cards(title: str) -> LessonPlan:
    """The demo's first three sections, each its first segment showing one title card: quick to render."""
    demo = lookup("一次函数", "zh-CN")
    sections = [
        section.model_copy(
            update={
                "segments": [
                    section.segments[0].model_copy(update={"cues": [TitleCue(id=section.id, title=title)]})
                ]
            }
        )
        for section in demo.sections[:3]
    ]
    return demo.model_copy(update={"sections": sections})


def test_editing_one_segment_renders_only_its_section_again(
    tmp_path: Path, scene_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = LocalArtifactStore(tmp_path / "artifacts")
    rendered: list[str] = []
    render_scene = scene_render.render_scene

    def counted(job: SceneJob, *args: Any, **kwargs: Any) -> Path:
        rendered.append(job.section.id)
        return render_scene(job, *args, **kwargs)

    monkeypatch.setattr(scene_render, "render_scene", counted)

    def render_lesson(plan: LessonPlan, run: str) -> tuple[list[stages.RenderedClip], LessonLayout]:
        lesson = put_model(store, f"{run}/lesson.json", plan)
        syncmap = put_model(store, f"{run}/syncmap.json", estimated_syncmap(plan))
        clips = [
            stages.render_section(store, lesson, syncmap, s.id, "low", scene_cache) for s in plan.sections
        ]
        return clips, get_model(store, stages.layout_report(store, lesson, clips).key, LessonLayout)

    plan = _title_cards("一次函数")
    first, first_layout = render_lesson(plan, "first")
    written = {c.section_id: Path(store.location(c.video.key)).stat().st_mtime_ns for c in first}
    intro, explain, example = plan.sections
    edited = explain.segments[0].model_copy(update={"cues": [TitleCue(id=explain.id, title="斜率与截距")]})
    plan = plan.model_copy(
        update={"sections": [intro, explain.model_copy(update={"segments": [edited]}), example]}
    )
    second, second_layout = render_lesson(plan, "second")

    assert rendered == [intro.id, explain.id, example.id, explain.id]
    for before, after in zip(first, second, strict=True):
        assert (before.video == after.video) == (before.section_id != explain.id)
        if before.video == after.video:
            assert Path(store.location(after.video.key)).stat().st_mtime_ns == written[after.section_id]
    assert all(
        c.layout.key.rsplit("/", 1)[0] == c.video.key.rsplit("/", 1)[0] for c in second
    )  # stored together
    for layout in (first_layout, second_layout):
        assert layout.violations == 0
        assert [(r.section_id, r.checked) for r in layout.sections] == [(s.id, [s.id]) for s in plan.sections]
