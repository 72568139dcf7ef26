"""The render task under Prefect: a layout violation fails the task and leaves its report as a
table artifact an operator sees in the UI."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from mathcast.content.catalog import lookup
from mathcast.lesson import LessonPlan, TableCue
from mathcast.scenes.render import LayoutError
from mathcast.scenes.standalone import estimated_syncmap
from mathcast.store import LocalArtifactStore, put_model
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
