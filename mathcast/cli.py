"""`mathcast`: make a lesson video from a topic, or write the artifact schemas."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import TypeAdapter
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from mathcast.lesson import ARTIFACT_MODELS, Claim, Cue, Language, PresetName, Problem, Quality, Solution
from mathcast.progress import StageTiming, listening
from mathcast.system import MissingSystemDependency, require_system

if TYPE_CHECKING:
    from mathcast.providers.llm.usage import UsageSummary

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console()
errors = Console(stderr=True)
LANGUAGES: dict[str, Language] = {"zh": "zh-CN", "en": "en-US", "zh-CN": "zh-CN", "en-US": "en-US"}
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
MusicOption = Annotated[
    str | None,
    typer.Option(
        "--music",
        metavar="FILE",
        help="Background music, ducked under the narration: an audio file or a store key [MATHCAST_MUSIC].",
    ),
]
MusicGainOption = Annotated[
    float | None,
    typer.Option(
        "--music-gain",
        metavar="DB",
        help="dB added to the music's level, 16 LU under the voice [MATHCAST_MUSIC_GAIN_DB].",
    ),
]


@app.callback()
def _quiet_orchestrator() -> None:
    """Prefect reads these when first imported: the CLI prints its own progress instead."""
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


def _fail(message: str, stream: Console = console) -> typer.Exit:
    stream.print(f"[bold red]error:[/] {escape(message)}", soft_wrap=True)
    return typer.Exit(code=2)


def _language(lang: str) -> Language:
    if lang not in LANGUAGES:
        raise _fail(f"--lang must be zh or en, not {lang!r}", errors)
    return LANGUAGES[lang]


def _claim_json(claim: Claim) -> dict[str, Any]:
    verdict = claim.verdict
    return {
        "index": claim.index,
        "kind": claim.kind,
        "statement": claim.statement,
        "verdict": verdict.verdict,
        "reason": verdict.reason,
        **({"counterexample": verdict.counterexample} if verdict.counterexample else {}),
    }


def _make(
    topic: str,
    language: Language,
    quality: Quality,
    out: Path | None,
    store: str | None,
    writer: str | None,
    preset: PresetName = "classroom",
    music: str | None = None,
    music_gain_db: float | None = None,
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
                topic=topic,
                language=language,
                quality=quality,
                store=store,
                writer=writer,
                preset=preset,
                music=music,
                music_gain_db=music_gain_db,
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
    console.print(_usage_line(result.usage), soft_wrap=True)

    from mathcast.store import open_store

    artifacts = open_store(result.store_url)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
    for name in DELIVERABLES:
        key = result.artifacts[name].key
        path = artifacts.fetch(key, out / name) if out is not None else artifacts.location(key)
        console.print(f"{name:<18} {path}", soft_wrap=True)


def _usage_line(usage: UsageSummary) -> str:
    """Model calls, tokens and the estimated cost of this lesson (every reflect round included)."""
    if not usage.calls:
        return "model calls: none (offline writer)"
    unpriced = f" (no price for {', '.join(usage.unpriced_models)})" if usage.unpriced_models else ""
    return (
        f"model calls: {len(usage.calls)}, tokens in {usage.input_tokens} / out {usage.output_tokens}, "
        f"estimated cost ¥{usage.cost_cny:.4f}{unpriced}"
    )


@app.command()
def demo(
    quality: QualityOption = "medium",
    out: OutOption = None,
    store: StoreOption = None,
    preset: PresetOption = "classroom",
    music: MusicOption = None,
    music_gain: MusicGainOption = None,
) -> None:
    """Make the demo lesson 一次函数的图像和性质 offline."""
    from flows.lesson import DEMO_TOPIC

    _make(DEMO_TOPIC, "zh-CN", quality, out, store, None, preset, music, music_gain)


@app.command()
def run(
    topic: str,
    language: LanguageOption = "zh-CN",
    quality: QualityOption = "medium",
    out: OutOption = None,
    store: StoreOption = None,
    writer: WriterOption = None,
    preset: PresetOption = "classroom",
    music: MusicOption = None,
    music_gain: MusicGainOption = None,
) -> None:
    """Make a lesson on TOPIC."""
    _make(topic, language, quality, out, store, writer, preset, music, music_gain)


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
        claims = [_claim_json(c) for c in outcome.claims]
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

    language = _language(lang)
    try:
        lines = [line.strip() for line in textfile.read_text(encoding="utf-8").splitlines() if line.strip()]
    except (OSError, UnicodeDecodeError) as error:
        raise _fail(f"cannot read {textfile}: {error}") from None
    try:
        result = align_file(audio, lines, language)
    except AlignmentError as error:
        raise _fail(str(error)) from None
    fragments = [f.model_dump() for f in result.fragments]
    if result.warning:
        errors.print(f"[yellow]warning:[/] {escape(result.warning)}", soft_wrap=True)
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


VERDICT_COLOURS = {"verified": "green", "refuted": "red", "unverifiable": "yellow"}


@app.command()
def solve(
    problem: Annotated[str, typer.Argument(help="The problem as typed, e.g. '解方程 x^2-5x+6=0'.")],
    lang: Annotated[
        str | None, typer.Option("--lang", help="zh or en: the language of the steps [that of the problem].")
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help='Print {"problem": ..., "solution": ..., "verification": {"verdict", "claims"}} as JSON.',
        ),
    ] = False,
) -> None:
    """Solve PROBLEM offline step by step and verify every step and the answer.

    Exit code 0 when the solution is verified (or some claims are unverifiable), 1 when a claim is
    refuted, 2 when the problem cannot be read or the offline expert does not solve it (then
    only the error is printed, on stderr; an LLM writer may: --writer with `mathcast run`).
    """
    from mathcast.content.reader import ProblemTextError, read_problem
    from mathcast.content.solvers import UnsupportedProblemError
    from mathcast.content.solvers import solve as solve_offline
    from mathcast.lesson import VerificationReport
    from mathcast.verify.claims import solution_claims

    try:
        read = read_problem(problem, _language(lang) if lang else None)
        solution = solve_offline(read)
    except ProblemTextError as error:
        raise _fail(str(error), errors) from None
    except UnsupportedProblemError as error:
        raise _fail(
            f"not supported offline: {error}. For other problems switch on an LLM writer with --writer NAME.",
            errors,
        ) from None
    claims = solution_claims(read, solution)
    verdict = VerificationReport(claims=claims).overall
    if as_json:
        body = {
            "problem": read.model_dump(mode="json"),
            "solution": solution.model_dump(mode="json"),
            "verification": {"verdict": verdict, "claims": [_claim_json(c) for c in claims]},
        }
        typer.echo(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        _print_solution(read, solution, claims, verdict)
    if verdict == "refuted":
        raise typer.Exit(code=1)


def _print_solution(problem: Problem, solution: Solution, claims: list[Claim], verdict: str) -> None:
    console.print(f"[bold]{escape(problem.statement)}[/]  [dim]({problem.kind}, {problem.language})[/]")
    for step in solution.steps:
        console.print(f"[bold cyan]{step.index + 1}.[/] {escape(step.explanation)}", soft_wrap=True)
        for line in step.equations:
            console.print(f"     {escape(line)}", soft_wrap=True, highlight=False)
    console.print(f"[bold]answer:[/] {escape(solution.answer)}", soft_wrap=True, highlight=False)
    if solution.summary:
        console.print(f"[bold]summary:[/] {escape(solution.summary)}", soft_wrap=True)
    counts = {v: sum(c.verdict.verdict == v for c in claims) for v in VERDICT_COLOURS}
    tally = ", ".join(f"{n} {v}" for v, n in counts.items() if n)
    console.print(f"[bold {VERDICT_COLOURS[verdict]}]{verdict}[/] ({tally} claims)")
    for claim in claims:
        if claim.verdict.verdict != "verified":
            colour = VERDICT_COLOURS[claim.verdict.verdict]
            line = f"{claim.kind}: {claim.statement} — {claim.verdict.reason}"
            console.print(f"  [{colour}]{claim.verdict.verdict}[/] {escape(line)}", soft_wrap=True)


@app.command()
def topics() -> None:
    """List the topics the offline planner knows, with their languages, families and aliases."""
    from mathcast.content.catalog import catalog

    table = Table(title="offline topics")
    for column in ("topic", "language", "family", "aliases"):
        table.add_column(column, overflow="fold")
    for plan, aliases in catalog():
        table.add_row(plan.topic, plan.language, plan.family, escape(", ".join(aliases)))
    console.print(table)


@app.command()
def plan(
    topic: str,
    lang: Annotated[str, typer.Option("--lang", help="zh or en.")] = "zh",
    as_json: Annotated[bool, typer.Option("--json", help="Print the LessonPlan as JSON.")] = False,
) -> None:
    """Show the offline lesson plan of TOPIC: sections, each narration segment and its cue kinds."""
    from mathcast.content.catalog import UnknownTopicError, lookup

    try:
        lesson = lookup(topic, _language(lang))
    except UnknownTopicError as error:
        raise _fail(str(error), errors) from None
    if as_json:
        typer.echo(json.dumps(lesson.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    console.print(f"[bold]{escape(lesson.title)}[/]  [dim]({lesson.language}, {lesson.family})[/]")
    for number, section in enumerate(lesson.sections, start=1):
        target = f", {section.target_ms / 1000:.0f} s" if section.target_ms else ""
        console.print(f"[bold cyan]{number}. {escape(section.title)}[/] [dim]({section.kind}{target})[/]")
        for segment in section.segments:
            cues = ", ".join(cue.kind for cue in segment.cues) or "no cues"
            console.print(f"   {escape(segment.text)} [dim]({cues})[/]", soft_wrap=True)
    for worked in lesson.problems:
        console.print(f"[bold]example:[/] {escape(worked.statement)} [dim]({worked.kind})[/]", soft_wrap=True)


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


from mathcast import bulk_cli, ops_cli  # noqa: E402, F401  (each registers its commands)
