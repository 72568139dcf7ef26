"""`mathcast`: make a lesson video from a topic, or write the artifact schemas."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import TypeAdapter
from rich.console import Console
from rich.table import Table

from mathcast.lesson import ARTIFACT_MODELS, Cue, Language, Quality
from mathcast.media.mux import PresetName
from mathcast.progress import StageTiming, listening
from mathcast.system import MissingSystemDependency, require_system

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console()
DELIVERABLES = ("lesson.mp4", "subtitles.srt", "lesson.json", "verification.json", "syncmap.json")

QualityOption = Annotated[
    Quality, typer.Option("--quality", "-q", help="low 854x480@15, medium 1280x720@30, high 1920x1080@30")
]
OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Copy the deliverables into this directory.")
]
LanguageOption = Annotated[Language, typer.Option("--language", "-l")]
StoreOption = Annotated[
    str | None, typer.Option("--store", help="Artifact store URL or directory [MATHCAST_STORE].")
]
WriterOption = Annotated[
    str | None, typer.Option("--writer", help="Lesson writer by name [MATHCAST_WRITER].")
]
PresetOption = Annotated[
    PresetName, typer.Option("--preset", help="Delivery: classroom file, bilibili or youtube upload.")
]


@app.callback()
def _quiet_orchestrator() -> None:
    """Prefect reads these when first imported: the CLI prints its own progress instead."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def _fail(message: str) -> typer.Exit:
    console.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    return typer.Exit(code=2)


def _make(
    topic: str,
    language: Language,
    quality: Quality,
    out: Path | None,
    store: str | None,
    writer: str | None,
    preset: PresetName = "classroom",
) -> None:
    try:
        require_system()
    except MissingSystemDependency as error:
        raise _fail(str(error)) from None
    from flows.lesson import lesson  # Prefect loads only when a lesson is made

    def progress(timing: StageTiming) -> None:
        console.print(f"[green]✓[/] {timing.stage:<13} {timing.seconds:8.1f} s")

    console.print(f"making [bold]{topic}[/] ({language}, {quality})")
    try:
        with listening(progress):
            result = lesson(
                topic=topic, language=language, quality=quality, store=store, writer=writer, preset=preset
            )
    except Exception as error:  # the flow already logged the traceback; the user gets the reason
        raise _fail(f"{type(error).__name__}: {error}") from None
    table = Table(title="stage timings")
    table.add_column("stage")
    table.add_column("seconds", justify="right")
    for timing in result.timings:
        table.add_row(timing.stage, f"{timing.seconds:.1f}")
    table.add_row("[bold]total", f"[bold]{sum(t.seconds for t in result.timings):.1f}")
    console.print(table)

    from mathcast.store import open_store

    artifacts = open_store(result.store_url)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    for name in DELIVERABLES:
        key = result.artifacts[name].key
        path = artifacts.fetch(key, out / name) if out is not None else artifacts.location(key)
        console.print(f"{name:<18} {path}", soft_wrap=True)


@app.command()
def demo(
    quality: QualityOption = "medium",
    out: OutOption = None,
    store: StoreOption = None,
    preset: PresetOption = "classroom",
) -> None:
    """Make the demo lesson 一次函数的图像和性质 offline."""
    from flows.lesson import DEMO_TOPIC

    _make(DEMO_TOPIC, "zh-CN", quality, out, store, writer=None, preset=preset)


@app.command()
def run(
    topic: str,
    language: LanguageOption = "zh-CN",
    quality: QualityOption = "medium",
    out: OutOption = None,
    store: StoreOption = None,
    writer: WriterOption = None,
    preset: PresetOption = "classroom",
) -> None:
    """Make a lesson on TOPIC."""
    _make(topic, language, quality, out, store, writer, preset)


@app.command()
def verify(
    file: Path,
    as_json: Annotated[bool, typer.Option("--json", help="Print the verdicts as JSON.")] = False,
) -> None:
    """Check every step and the answer of a worked problem in FILE (JSON)."""
    from pydantic import ValidationError

    from mathcast.verify.check import verify_request
    from mathcast.verify.request import VerifyRequest

    try:
        request = VerifyRequest.model_validate_json(file.read_bytes())
    except OSError as error:
        raise _fail(f"cannot read {file}: {error.strerror}") from None
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}" for e in error.errors()[:5]
        )
        raise _fail(
            f"{file} is not a verify request ({problems}). Expected JSON like "
            '{"problem": "x^2 - 5x + 6 = 0", "task": "solve", "steps": [...], "answer": "x = 2 或 x = 3"}'
        ) from None
    outcome = verify_request(request)
    if as_json:
        claims = [
            {
                "index": c.index,
                "kind": c.kind,
                "verdict": c.verdict.verdict,
                "reason": c.verdict.reason,
                **({"counterexample": c.verdict.counterexample} if c.verdict.counterexample else {}),
            }
            for c in outcome.claims
        ]
        typer.echo(json.dumps({"verdict": outcome.verdict, "claims": claims}, ensure_ascii=False, indent=2))
        return
    colours = {"verified": "green", "refuted": "red", "unverifiable": "yellow"}
    for claim in outcome.claims:
        colour = colours[claim.verdict.verdict]
        console.print(
            f"[{colour}]{claim.verdict.verdict:<12}[/] {claim.kind:<20} {claim.statement}", soft_wrap=True
        )
        console.print(f"{'':33}{claim.verdict.reason}", soft_wrap=True)
        if claim.verdict.counterexample:
            console.print(f"{'':33}counterexample: {claim.verdict.counterexample}", soft_wrap=True)
    console.print(f"[bold {colours[outcome.verdict]}]{outcome.verdict}[/]")


@app.command()
def align(
    audio: Path,
    textfile: Path,
    lang: Annotated[str, typer.Option("--lang", help="zh or en")] = "zh",
    as_json: Annotated[bool, typer.Option("--json", help="Print the fragments as JSON.")] = False,
) -> None:
    """Find when each line of TEXTFILE is spoken in AUDIO (any format ffmpeg reads)."""
    from mathcast.align.forced import AlignmentError, align_file

    languages: dict[str, Language] = {"zh": "zh-CN", "en": "en-US"}
    if lang not in languages:
        raise _fail(f"--lang must be zh or en, not {lang!r}")
    try:
        lines = [line.strip() for line in textfile.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError) as error:
        raise _fail(f"cannot read {textfile}: {error}") from None
    try:
        result = align_file(audio, lines, languages[lang])
    except AlignmentError as error:
        raise _fail(str(error)) from None
    fragments = [f.model_dump() for f in result.fragments]
    if as_json:
        typer.echo(json.dumps({"fragments": fragments}, ensure_ascii=False, indent=2))
        return
    for f in result.fragments:
        flag = " [yellow]low confidence[/]" if f.low_confidence else ""
        console.print(f"{f.begin_ms / 1000:8.2f} {f.end_ms / 1000:8.2f}  {f.confidence:.2f}  {f.text}{flag}")


@app.command()
def render(
    plan: Path,
    out: Annotated[Path, typer.Option("--out", "-o", help="Directory for the clips, lesson.mp4 and report.")],
    syncmap: Annotated[
        Path | None, typer.Option("--syncmap", help="Segment times (JSON); estimated from the text if none.")
    ] = None,
    quality: QualityOption = "low",
    workers: Annotated[int, typer.Option("--workers", min=1, help="Sections rendered at once.")] = 2,
) -> None:
    """Render the lesson PLAN (JSON) on its own: scene clips, a silent lesson.mp4, layout_report.json."""
    from pydantic import ValidationError

    from mathcast.lesson import LessonPlan, SyncMap
    from mathcast.scenes.render import RenderError
    from mathcast.scenes.standalone import SpecError, estimated_syncmap, render_plan
    from mathcast.settings import Settings

    try:
        lesson = LessonPlan.model_validate_json(plan.read_bytes())
        timing = SyncMap.model_validate_json(syncmap.read_bytes()) if syncmap else estimated_syncmap(lesson)
    except OSError as error:
        raise _fail(f"cannot read {error.filename}: {error.strerror}") from None
    except ValidationError as error:
        where = [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors(include_url=False)[:5]]
        count = error.error_count()
        raise _fail(f"{error.title} is invalid ({count} problems): " + " | ".join(where)) from None
    try:
        result = render_plan(lesson, timing, quality, out, Settings().cache_dir / "render", workers)
    except SpecError as error:
        raise _fail(str(error)) from None
    except RenderError as error:
        console.print(f"[bold red]render failed:[/] {error}", soft_wrap=True)
        raise typer.Exit(code=1) from None
    for clip in result.clips:
        console.print(f"clip   {clip}", soft_wrap=True)
    console.print(f"report {result.report} ({result.violations} layout violations)", soft_wrap=True)
    if result.video is None:
        console.print("[bold red]layout check failed:[/] no lesson.mp4 written; see the report")
        raise typer.Exit(code=1)
    console.print(f"video  {result.video} ({result.video_ms / 1000:.1f} s)", soft_wrap=True)


@app.command()
def schema(directory: Path) -> None:
    """Write the JSON Schema of every artifact model into DIRECTORY."""
    directory.mkdir(parents=True, exist_ok=True)
    schemas: dict[str, dict[str, Any]] = {m.__name__: m.model_json_schema() for m in ARTIFACT_MODELS}
    schemas["Cue"] = TypeAdapter(Cue).json_schema()
    for name, body in schemas.items():
        (directory / f"{name}.schema.json").write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n")
        console.print(f"wrote {directory / f'{name}.schema.json'}")


def main() -> None:
    app()
