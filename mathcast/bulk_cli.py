"""`mathcast bulk` (a curriculum on this machine, with a live progress bar) and `mathcast deploy`
(the deployments of prefect.yaml onto a Prefect server)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from mathcast.cli import StoreOption, WriterOption, _fail, app, console
from mathcast.lesson import Quality
from mathcast.progress import StageTiming, listening
from mathcast.system import MissingSystemDependency, require_system

if TYPE_CHECKING:  # imported where used: `mathcast align` and the rest start without them
    from mathcast.curriculum import CurriculumPlan, CurriculumReport, PlannedLesson

LESSON_STAGES = 12  # generate … publish; revise rounds repeat some, the bar stops at full
STATE_COLOURS = {"Completed": "green", "Invalid": "yellow", "NotRun": "yellow"}


@app.command()
def bulk(
    manifest: Annotated[Path, typer.Argument(help="Curriculum manifest: YAML or CSV (see curricula/).")],
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-c", min=1, max=32, help="Lessons at once.")
    ] = 2,
    quality: Annotated[
        Quality | None,
        typer.Option("--quality", "-q", help="Every lesson at this quality (rows' own otherwise)."),
    ] = None,
    store: StoreOption = None,
    writer: WriterOption = None,
    auto_approve: Annotated[
        bool | None,
        typer.Option(
            "--auto-approve/--review", help="Approve clean lessons by policy, or wait for a reviewer each."
        ),
    ] = None,
    lesson_deployment: Annotated[
        str | None,
        typer.Option(
            "--lesson-deployment", help="Run each lesson on workers as this deployment (lesson/lesson)."
        ),
    ] = None,
) -> None:
    """Make every lesson of MANIFEST here: a live progress bar, then a table of every manifest line."""
    from mathcast.curriculum import ManifestError, read_manifest
    from mathcast.settings import Settings

    settings = Settings()
    try:
        plan = read_manifest(
            manifest,
            writer=writer or settings.writer,
            default_quality=settings.quality,
            quality_override=quality,
        )
    except ManifestError as error:
        raise _fail(str(error)) from None
    for bad in plan.errors:
        console.print(f"[yellow]line {bad.line}:[/] {bad.message}", soft_wrap=True)
    if not plan.lessons:
        raise _fail(f"{manifest}: no row can be made; fix the lines above")
    try:
        require_system()
    except MissingSystemDependency as error:
        raise _fail(str(error)) from None
    from flows.curriculum import curriculum  # Prefect loads only when lessons are made

    console.print(
        f"making [bold]{plan.name}[/]: {len(plan.lessons)} lessons from {plan.rows} lines, "
        f"{concurrency} at a time"
    )
    with _live_progress(plan) as progress:
        try:
            report = curriculum(
                manifest=str(manifest),
                concurrency=concurrency,
                quality=quality,
                store=store,
                writer=writer,
                auto_approve=auto_approve,
                lesson_deployment=lesson_deployment,
            )
        except Exception as error:  # the flow logged the traceback; the user gets the reason
            progress.stop()
            raise _fail(f"{type(error).__name__}: {error}") from None
    _print_report(report)
    failed = len(report.rows) - report.count("Completed") - report.count("Invalid")
    if report.count("Invalid"):
        raise _fail(f"{report.count('Invalid')} manifest lines are invalid (above); the rest ran")
    if failed:
        console.print(f"[bold red]{failed} lines did not complete[/]: see the note column and the run logs")
        raise typer.Exit(code=1)


@contextmanager
def _live_progress(plan: CurriculumPlan) -> Iterator[Progress]:
    """One bar for the curriculum and one per lesson, moved by the stage timings the lesson runs
    announce (matched to their lesson by the flow run's parameters) and by finished lessons."""
    from prefect.context import FlowRunContext

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    overall = progress.add_task("[bold]lessons", total=len(plan.lessons))
    rows: dict[tuple[str, str, str], TaskID] = {
        lesson.identity: progress.add_task(_label(lesson, "waiting"), total=LESSON_STAGES)
        for lesson in plan.lessons
    }
    planned = {lesson.identity: lesson for lesson in plan.lessons}

    from mathcast.curriculum import LessonFinished

    def moved(event: StageTiming) -> None:
        if isinstance(event, LessonFinished):
            colour = STATE_COLOURS.get(event.outcome.state, "red")
            row = rows[event.lesson.identity]
            progress.update(
                row, completed=LESSON_STAGES, description=_label(event.lesson, event.outcome.state, colour)
            )
            progress.advance(overall)
            return
        context = FlowRunContext.get()
        if context is None or context.flow_run is None:
            return
        parameters = context.flow_run.parameters
        identity = (
            str(parameters.get("topic", "")).casefold(),
            parameters.get("language"),
            parameters.get("quality"),
        )
        if identity in rows:
            progress.update(rows[identity], advance=1, description=_label(planned[identity], event.stage))

    with progress, listening(moved), _prefect_console_muted():
        yield progress


def _label(lesson: PlannedLesson, doing: str, colour: str = "cyan") -> str:
    return escape(f"{lesson.topic} [{lesson.language}, {lesson.quality}] ") + f"[{colour}]{doing}[/]"


@contextmanager
def _prefect_console_muted() -> Iterator[None]:
    """Prefect's console log lines would tear the live bars; the runs still send every line to the
    Prefect API (the UI's logs), and the table ends with each failure's reason."""
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.getLogger(name) for name in ("", "prefect", "prefect.flow_runs", "prefect.task_runs")]
    handlers = {h for logger in loggers for h in logger.handlers if isinstance(h, PrefectConsoleHandler)}
    levels = {handler: handler.level for handler in handlers}
    for handler in handlers:
        handler.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for handler, level in levels.items():
            handler.setLevel(level)


def _print_report(report: CurriculumReport) -> None:
    """A table that fits a terminal, then each line's deliverable or the reason it has none."""
    table = Table(title=escape(f"{report.name}: every manifest line"))
    for column in ("line", "topic", "lang", "quality", "state", "content gate", "review", "s"):
        table.add_column(column, justify="right" if column in ("line", "s") else "left")
    for row in report.rows:
        colour = STATE_COLOURS.get(row.state, "red")
        seconds = "" if row.seconds is None else f"{row.seconds:.0f}"
        written = [escape(cell) for cell in (row.topic, row.language, row.quality)]
        state = f"[{colour}]{row.state}[/]"
        table.add_row(str(row.line), *written, state, row.content_gate, escape(row.review), seconds)
    console.print(table)
    for row in report.rows:
        said = row.video or row.note
        if row.state != "Invalid" and said:  # invalid lines were printed before the run
            note = f" ({row.note})" if row.video and row.note else ""
            console.print(f"line {row.line}: {escape(said)}{escape(note)}", soft_wrap=True)


@app.command()
def deploy(
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Deployments to apply (lesson, grade10-functions-weekly); all if none."),
    ] = None,
    prefect_file: Annotated[
        Path, typer.Option("--prefect-file", help="The deployments file, at the repository root.")
    ] = Path("prefect.yaml"),
) -> None:
    """Apply prefect.yaml's deployments to the Prefect server at PREFECT_API_URL (`prefect deploy`),
    creating the process work pools they name when missing."""
    deployments = _deployments(prefect_file)
    unknown = sorted(set(names or []) - set(deployments))
    if unknown:
        raise _fail(f"{prefect_file} has no deployment {', '.join(unknown)}; it has {', '.join(deployments)}")
    url = _reachable_api()
    root = prefect_file.resolve().parent
    env = {
        **os.environ,
        "PREFECT_API_URL": url,
        "MATHCAST_HOME": os.environ.get("MATHCAST_HOME") or str(root),
    }
    for pool in sorted({p for name in names or deployments if (p := deployments[name])}):
        _ensure_process_pool(pool, env)
    selection = [arg for name in names or [] for arg in ("--name", name)] or ["--all"]
    prefect = [
        sys.executable,
        "-m",
        "prefect",
        "--no-prompt",
        "deploy",
        "--prefect-file",
        str(prefect_file.resolve()),
    ]
    console.print(f"deploying {', '.join(names or deployments)} to {url} (code at {env['MATHCAST_HOME']})")
    done = subprocess.run([*prefect, *selection], cwd=root, env=env, check=False)
    if done.returncode != 0:
        console.print(
            f"[bold red]error:[/] prefect deploy failed (exit {done.returncode}): see its output above"
        )
        raise typer.Exit(code=1)


def _deployments(prefect_file: Path) -> dict[str, str | None]:
    """Deployment name → the work pool it runs on, from prefect.yaml."""
    import yaml

    try:
        config = yaml.safe_load(prefect_file.read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise _fail(
            f"cannot read {prefect_file}: {error.strerror}; "
            "run from the repository root or pass --prefect-file"
        ) from None
    except yaml.YAMLError as error:
        raise _fail(f"{prefect_file} is not valid YAML: {error}") from None
    listed = config.get("deployments") or [] if isinstance(config, dict) else []
    found = {
        d["name"]: (d.get("work_pool") or {}).get("name")
        for d in listed
        if isinstance(d, dict) and "name" in d
    }
    if not found:
        raise _fail(f"{prefect_file} lists no deployments")
    return found


def _reachable_api() -> str:
    """PREFECT_API_URL, checked to answer: a deployment needs a server that outlives this command."""
    from prefect import get_client
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        raise _fail(
            "PREFECT_API_URL is not set: deployments live on a Prefect server. Start one "
            "(`prefect server start`) and set PREFECT_API_URL=http://127.0.0.1:4200/api"
        )
    with get_client(sync_client=True) as client:
        problem = client.api_healthcheck()
    if problem is not None:
        raise _fail(
            f"cannot reach the Prefect API at {url} ({type(problem).__name__}): "
            "start the server or fix PREFECT_API_URL"
        )
    return str(url)


def _ensure_process_pool(pool: str, env: dict[str, str]) -> None:
    """A missing work pool is created as a process pool (the default); an existing one is left alone."""
    prefect = [sys.executable, "-m", "prefect"]
    exists = subprocess.run(
        [*prefect, "work-pool", "inspect", pool], env=env, capture_output=True, check=False
    )
    if exists.returncode == 0:
        return
    created = subprocess.run(
        [*prefect, "work-pool", "create", pool, "--type", "process"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if created.returncode != 0:
        raise _fail(
            f"cannot create the work pool {pool!r}: {(created.stdout + created.stderr).strip()[-600:]}"
        )
    console.print(f"created the process work pool {pool}; start a worker: prefect worker start --pool {pool}")
