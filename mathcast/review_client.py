"""The operator commands' side of the Prefect API: where it is, whether it answers, and the lesson
runs paused for review that a reviewer lists, reads and answers (`mathcast review ...`)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from uuid import UUID

import httpx
from prefect import get_client
from prefect.client.orchestration import SyncPrefectClient
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    ArtifactFilterKey,
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterId,
    FlowRunFilterState,
    FlowRunFilterStateType,
    TaskRunFilter,
    TaskRunFilterName,
)
from prefect.client.schemas.objects import FlowRun, StateType
from prefect.client.schemas.sorting import ArtifactSort, FlowRunSort, TaskRunSort
from prefect.exceptions import FlowPauseTimeout, NotPausedError, ObjectNotFound
from prefect.flow_runs import resume_flow_run
from pydantic import Field

from mathcast.lesson import Model
from mathcast.review import ReviewDecision, packet_key


class PrefectUnreachable(RuntimeError):
    """The configured Prefect API does not answer; the message says how to fix that."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"cannot reach the Prefect API at {url}: "
            "start it with `prefect server start` or set PREFECT_API_URL"
        )


def api_url() -> str | None:
    """PREFECT_API_URL, or None: then each command starts a temporary local server of its own."""
    from prefect.settings import PREFECT_API_URL

    url: str | None = PREFECT_API_URL.value()
    return url


@contextmanager
def reaching_api() -> Iterator[None]:
    """Turn a refused or timed-out connection to the API into PrefectUnreachable."""
    try:
        yield
    except httpx.TransportError as error:
        raise PrefectUnreachable(api_url() or "the temporary local server") from error


LESSON_FLOW = "lesson"
RECENT_RUNS = 200  # how far back a run name or id prefix is looked up (the API allows 200 a page)


class ReviewLookupError(LookupError):
    """RUN names no lesson run, or more than one, or one that is not waiting: the message says which."""


class WaitingLesson(Model):
    """A lesson run paused for review, as a reviewer picks it from a list."""

    id: UUID
    name: str
    topic: str
    language: str
    quality: str
    paused_at: datetime | None
    gate: str = Field(description="The latest content gate: passed, failed, or the task's state.")
    packet: str = Field(description="The Prefect artifact holding the review packet (markdown).")
    url: str | None = Field(description="The run's page in the Prefect UI, where the Resume form is.")


def _lesson_runs(client: SyncPrefectClient, paused_only: bool) -> list[FlowRun]:
    paused = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.PAUSED])))
    runs = client.read_flow_runs(
        flow_filter=FlowFilter(name=FlowFilterName(any_=[LESSON_FLOW])),
        flow_run_filter=paused if paused_only else None,
        sort=FlowRunSort.EXPECTED_START_TIME_DESC,
        limit=RECENT_RUNS,
    )
    return runs


def _waiting(run: FlowRun) -> bool:
    """Paused for a reviewer's answer: the pause asks for input (a ReviewInput form)."""
    return (
        run.state is not None
        and run.state.is_paused()
        and run.state.state_details.run_input_keyset is not None
    )


def _parameter(run: FlowRun, name: str) -> str:
    """A lesson run's parameter. Runs started in Python record every one; a deployment's run may
    leave one at its default, read then from the flow's signature (which loads the whole pipeline)."""
    if name not in run.parameters:
        from flows.lesson import lesson

        return str(inspect.signature(lesson.fn).parameters[name].default)
    return str(run.parameters[name])


def _gate(client: SyncPrefectClient, run: FlowRun) -> str:
    tasks = client.read_task_runs(
        flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])),
        task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_="content_gate")),
        sort=TaskRunSort.EXPECTED_START_TIME_DESC,
        limit=1,
    )
    state = tasks[0].state if tasks else None
    if state is None:
        return "unknown"
    return {StateType.COMPLETED: "passed", StateType.FAILED: "failed"}.get(
        state.type, (state.name or state.type.value).lower()
    )


def _packet_key(run: FlowRun) -> str:
    language = _parameter(run, "language")
    quality = _parameter(run, "quality")
    return packet_key(_parameter(run, "topic"), language, quality)  # type: ignore[arg-type]


def _ui_url(run: FlowRun) -> str | None:
    from prefect.settings import PREFECT_UI_URL

    base: str | None = PREFECT_UI_URL.value()
    return f"{base.rstrip('/')}/runs/flow-run/{run.id}" if base else None


def _described(client: SyncPrefectClient, run: FlowRun) -> WaitingLesson:
    assert run.state is not None
    return WaitingLesson(
        id=run.id,
        name=run.name,
        topic=_parameter(run, "topic"),
        language=_parameter(run, "language"),
        quality=_parameter(run, "quality"),
        paused_at=run.state.timestamp,
        gate=_gate(client, run),
        packet=_packet_key(run),
        url=_ui_url(run),
    )


def waiting_lessons() -> list[WaitingLesson]:
    """Lesson runs paused for review, newest first."""
    with reaching_api(), get_client(sync_client=True) as client:
        return [_described(client, run) for run in _lesson_runs(client, paused_only=True) if _waiting(run)]


def _short(run: FlowRun) -> str:
    state = run.state.name if run.state else "no state"
    return f"{str(run.id)[:8]} {run.name!r} ({state})"


def find_lesson_run(client: SyncPrefectClient, ref: str) -> FlowRun:
    """The lesson run `ref` names: its id, a unique prefix of it, or its name."""
    if not ref.strip():
        raise ReviewLookupError(
            "give a run id, a prefix of one, or a run name: `mathcast review list` shows the waiting runs"
        )
    try:
        run = client.read_flow_run(UUID(ref))
    except ValueError:  # not a whole id: a prefix or a name
        pass
    except ObjectNotFound:
        raise ReviewLookupError(
            f"no flow run has the id {ref}: `mathcast review list` shows the waiting ones"
        ) from None
    else:
        if client.read_flow(run.flow_id).name != LESSON_FLOW:
            raise ReviewLookupError(f"flow run {ref} is not a lesson run")
        return run
    for paused_only in (True, False):  # a waiting run first: a name may repeat across runs
        matches = [
            run
            for run in _lesson_runs(client, paused_only)
            if str(run.id).startswith(ref.lower()) or run.name == ref
        ]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            listed = "; ".join(_short(run) for run in matches[:5])
            raise ReviewLookupError(
                f"{ref!r} names {len(matches)} lesson runs: {listed}. Give more of the id"
            )
    raise ReviewLookupError(
        f"no lesson run matches {ref!r} (an id, a prefix of one, or a run name): "
        "`mathcast review list` shows the runs waiting for review"
    )


def _waiting_run(client: SyncPrefectClient, ref: str) -> FlowRun:
    run = find_lesson_run(client, ref)
    if not _waiting(run):
        raise ReviewLookupError(f"lesson run {_short(run)} is not waiting for review")
    return run


def review_packet(ref: str) -> tuple[WaitingLesson, str]:
    """The waiting run and the markdown of its newest review packet (a revision makes a new one)."""
    with reaching_api(), get_client(sync_client=True) as client:
        run = _waiting_run(client, ref)
        lesson = _described(client, run)
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=[lesson.packet]),
                flow_run_id=ArtifactFilterFlowRunId(any_=[run.id]),
            ),
            sort=ArtifactSort.CREATED_DESC,
            limit=1,
        )
    if not artifacts:
        raise ReviewLookupError(f"lesson run {_short(run)} has no review packet artifact {lesson.packet!r}")
    return lesson, str(artifacts[0].data)


def answer_review(ref: str, decision: ReviewDecision) -> WaitingLesson:
    """Resume the waiting run with the reviewer's decision; the run goes on (or fails, if rejected)."""
    from flows.review import ReviewInput

    answer = ReviewInput(**decision.model_dump())
    with reaching_api(), get_client(sync_client=True) as client:
        lesson = _described(client, _waiting_run(client, ref))
    with reaching_api():
        try:
            resume_flow_run(lesson.id, run_input=answer.model_dump(include=set(ReviewDecision.model_fields)))
        except (NotPausedError, FlowPauseTimeout, RuntimeError) as error:
            raise ReviewLookupError(f"lesson run {lesson.name!r} could not be resumed: {error}") from None
    return lesson
