"""The `curriculum` flow: a manifest of lessons in, one `lesson` run per distinct lesson, a table out.

Rows that cannot be made are reported with their line numbers and the rest run; a lesson that
fails is a row in the table, not the end of the run. Lessons run as subflows, `concurrency` at a
time, in this process; with `lesson_deployment` set (e.g. "lesson/lesson") each becomes a run of
that deployment, so the workers of its pool share the load. While it runs, a progress artifact
shows the share of lessons finished; at the end a table artifact lists every manifest line:
state, content gate, review, duration and where lesson.mp4 and its manifest are.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

from prefect import flow, get_run_logger, tags, task
from prefect.artifacts import create_progress_artifact, create_table_artifact, update_progress_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import FlowRun, State
from prefect.deployments import run_deployment
from prefect.futures import PrefectFuture, as_completed
from prefect.runtime import flow_run
from prefect.task_runners import ThreadPoolTaskRunner
from pydantic import Field

from flows.lesson import LessonResult
from flows.lesson import lesson as lesson_flow
from mathcast.curriculum import (
    CurriculumReport,
    LessonFinished,
    LessonOutcome,
    PlannedLesson,
    artifact_key,
    curriculum_rows,
    published_outcome,
    read_manifest,
)
from mathcast.lesson import Quality
from mathcast.progress import emit
from mathcast.settings import Settings
from mathcast.store import ArtifactRef, ArtifactStore, open_store

EXAMPLE_MANIFEST = "curricula/grade10-functions.yaml"


def _run_name() -> str:
    parameters = flow_run.parameters
    return f"curriculum {Path(parameters['manifest']).stem} (x{parameters['concurrency']})"


@flow(name="curriculum", flow_run_name=_run_name)
def curriculum(
    manifest: str = EXAMPLE_MANIFEST,
    concurrency: Annotated[int, Field(ge=1, le=32)] = 2,
    quality: Quality | None = None,
    store: str | None = None,
    writer: str | None = None,
    auto_approve: bool | None = None,
    lesson_deployment: str | None = None,
) -> CurriculumReport:
    """Make every lesson of `manifest` (YAML or CSV); `quality` overrides every row's quality."""
    settings = Settings()
    logger = get_run_logger()
    writer_name = writer or settings.writer
    plan = read_manifest(
        Path(manifest), writer=writer_name, default_quality=settings.quality, quality_override=quality
    )
    for error in plan.errors:
        logger.error("%s line %d: %s", manifest, error.line, error.message)
    store_url = open_store(store or settings.store).url
    progress_id = create_progress_artifact(
        progress=0.0,
        key=artifact_key(plan.name, "progress"),
        description=f"{plan.name}: share of its {len(plan.lessons)} lessons finished",
    )
    assert isinstance(progress_id, UUID)
    outcomes: dict[tuple[str, str, str], LessonOutcome] = {}
    shared: dict[str, Any] = {
        "store_url": store_url,
        "writer": writer_name,
        "auto_approve": auto_approve,
        "deployment": lesson_deployment,
    }
    runner: ThreadPoolTaskRunner[Any]
    with ThreadPoolTaskRunner(max_workers=concurrency) as runner, _thread_timeouts_explained(logger):
        futures: dict[PrefectFuture[Any], PlannedLesson] = {
            # mypy matches a sync task against submit's coroutine overload only
            runner.submit(make_lesson, {"lesson": p, **shared}): p  # type: ignore[arg-type]
            for p in plan.lessons
        }
        for future in as_completed(list(futures)):
            planned = futures[future]
            outcome = future.result()
            outcomes[planned.identity] = outcome
            update_progress_artifact(progress_id, 100.0 * len(outcomes) / len(plan.lessons))
            logger.info("%s: %s in %.0f s", planned.topic, outcome.state, outcome.seconds)
            emit(LessonFinished(stage="lesson", seconds=outcome.seconds, lesson=planned, outcome=outcome))
    report = CurriculumReport(name=plan.name, rows=curriculum_rows(plan, outcomes))
    create_table_artifact(
        table=[row.model_dump() for row in report.rows],
        key=artifact_key(plan.name, "lessons"),
        description=(
            f"{plan.name}: {len(plan.lessons)} lessons from {plan.rows} manifest lines; "
            f"{report.count('Completed')} lines completed, {report.count('Invalid')} invalid"
        ),
    )
    incomplete = [row for row in report.rows if row.state not in ("Completed", "Invalid")]
    if incomplete:
        lines = ", ".join(f"line {row.line} {row.topic} ({row.state})" for row in incomplete)
        logger.error("%d manifest lines did not complete: %s", len(incomplete), lines)
    return report


@task(
    name="make-lesson",
    task_run_name="{lesson.topic} [{lesson.language}, {lesson.quality}]",
    cache_policy=NO_CACHE,
)
def make_lesson(
    lesson: PlannedLesson, store_url: str, writer: str, auto_approve: bool | None, deployment: str | None
) -> LessonOutcome:
    """Run one lesson and report how it ended; its failure is an outcome, not an exception."""
    parameters: dict[str, Any] = {
        "topic": lesson.topic,
        "language": lesson.language,
        "quality": lesson.quality,
        "store": store_url,
        "writer": writer,
        "tts": lesson.voice,
        "auto_approve": auto_approve,
    }
    started = time.perf_counter()
    with tags(*lesson.run_tags()):
        if deployment:
            run = run_deployment(deployment, parameters=parameters, tags=lesson.run_tags())
            assert isinstance(run, FlowRun)
            state: State[Any] | None = run.state
        else:
            state = lesson_flow(**parameters, return_state=True)
    seconds = time.perf_counter() - started
    store = open_store(store_url)
    manifest = _manifest_of(store, lesson, state, deployment)
    if state is None or not state.is_completed() or manifest is None:
        message = (state.message if state else None) or "the run ended without a state"
        name = state.name if state else "Unknown"
        return LessonOutcome(state=name, seconds=round(seconds, 1), message=message[:500])
    return published_outcome(store, manifest, seconds)


def _manifest_of(
    store: ArtifactStore, lesson: PlannedLesson, state: State[Any] | None, deployment: str | None
) -> ArtifactRef | None:
    """The manifest a completed run published: from its result here, from the store's catalog
    when a worker ran it (its result stays in the worker's process)."""
    if state is None or not state.is_completed():
        return None
    if deployment is None:
        result: LessonResult = state.result()
        return result.artifacts["manifest.json"]
    from mathcast.published import CatalogEntry, entry_key

    key = entry_key(lesson.topic, lesson.language, lesson.quality)
    if not store.exists(key):
        return None
    return CatalogEntry.model_validate_json(store.get_bytes(key)).manifest


class _WorkerThreadTimeoutWarning(logging.Filter):
    """Drops Prefect's per-task note that a timeout in a worker thread waits for a blocking call to
    return: every stage of every lesson would repeat it; the curriculum says it once instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "running in a worker thread" not in record.getMessage()


@contextmanager
def _thread_timeouts_explained(logger: Any) -> Iterator[None]:
    logger.info(
        "lessons run in worker threads: a stage past its timeout (MATHCAST_STAGE_TIMEOUTS_S) fails once "
        "its blocking call returns; manim, ffmpeg, espeak-ng and model requests keep their own limits"
    )
    task_runs = logging.getLogger("prefect.task_runs")
    quiet = _WorkerThreadTimeoutWarning()
    task_runs.addFilter(quiet)
    try:
        yield
    finally:
        task_runs.removeFilter(quiet)
