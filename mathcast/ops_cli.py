"""Operator commands: `mathcast lessons` (what is published), `blocks register` and `configure`
(credentials, storage and provider choices as Prefect blocks), `review ...` and `doctor`."""

from __future__ import annotations

import getpass
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import SecretStr
from rich.table import Table

from mathcast.cli import StoreOption, _fail, app, console
from mathcast.store import ArtifactStore, StoreError, open_store

if TYPE_CHECKING:
    from blocks.configure import S3Target

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
blocks_app = typer.Typer(
    no_args_is_help=True, help="Prefect block types for credentials, storage and settings."
)
app.add_typer(blocks_app, name="blocks")


@contextmanager
def _prefect_api() -> Iterator[None]:
    """An unreachable Prefect API, or a run that cannot be reviewed, ends the command with the fix."""
    from mathcast.review_client import PrefectUnreachable, ReviewLookupError, reaching_api  # loads Prefect

    try:
        with reaching_api():
            yield
    except (PrefectUnreachable, ReviewLookupError) as error:
        raise _fail(str(error)) from None


def _store(url: str | None) -> ArtifactStore:
    """The store named by --store, MATHCAST_STORE or the saved settings; one that cannot open is an
    input error that says what to fix. Only the saved settings and block:// stores ask the API."""
    asks_api = url is None or url.startswith("block://")
    try:
        with _prefect_api() if asks_api else nullcontext():
            if url is None:
                from blocks.settings import saved_settings

                url = saved_settings(fields=("store",)).store
            return open_store(url)
    except (StoreError, ValueError) as error:
        raise _fail(str(error)) from None


def _megabytes(size: int | None) -> str:
    return "" if size is None else f"{size / 1e6:.1f} MB"


@app.command()
def lessons(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """List the published lessons in the artifact store, newest first."""
    from mathcast.published import published_lessons

    artifacts = _store(store)
    try:
        catalog = published_lessons(artifacts)
    except StoreError as error:
        raise _fail(str(error)) from None
    if as_json:
        typer.echo(catalog.model_dump_json(indent=2))
        return
    if not catalog.entries:
        console.print(f"no lessons published in {artifacts.url}", soft_wrap=True)
    else:
        table = Table(title=f"published lessons in {artifacts.url}")
        for column in ("topic", "language", "quality", "published", "manifest", "video"):
            table.add_column(column, justify="right" if column == "video" else "left")
        for entry in catalog.entries:
            table.add_row(
                entry.topic,
                entry.language,
                entry.quality,
                entry.published_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                entry.manifest.key,
                _megabytes(entry.video.size if entry.video else None),
            )
        console.print(table)
    for key in catalog.unreadable:
        console.print(f"[yellow]skipped[/] {key}: an older catalog format; publish the lesson again")


@blocks_app.command("register")
def blocks_register() -> None:
    """Register mathcast's block types (DashScope, OpenAI-compatible and Azure Speech credentials,
    settings) and the storage ones (LocalFileSystem, prefect-aws's S3 Bucket and credentials) with
    the Prefect API."""
    from blocks.register import register_block_types

    with _prefect_api():
        registered = register_block_types()
    for kind in registered:
        console.print(f"registered {kind.get_block_type_slug()}")


def _secret(what: str, env: str | None, prompt: bool) -> SecretStr | None:
    """A secret from the environment variable named `env`, or typed at a hidden prompt; never echoed."""
    if env is not None and prompt:
        raise _fail(f"{what}: give an environment variable or --...-prompt, not both")
    if env is not None:
        value = os.environ.get(env, "")
        if not value:
            raise _fail(f"{what}: environment variable {env} is not set or empty: export it first")
        return SecretStr(value)
    if prompt:
        return SecretStr(typer.prompt(what, hide_input=True))
    return None


def _checked_choices(writer: str | None, tts: str | None) -> None:
    """A writer or voice that does not exist is refused before anything is saved."""
    from mathcast.providers.llm.base import available_writers
    from mathcast.providers.tts.base import get_synthesizer

    if writer is not None and writer not in available_writers():
        raise _fail(f"unknown writer {writer!r}: use one of {', '.join(available_writers())}")
    if tts is not None:
        try:
            get_synthesizer(tts)
        except ValueError as error:
            raise _fail(str(error)) from None


def _s3_target(
    bucket: str | None,
    endpoint: str | None,
    folder: str,
    region: str | None,
    key_env: str | None,
    secret_env: str | None,
) -> S3Target | None:
    from blocks.configure import S3Target

    if bucket is None:
        if endpoint or folder or key_env or secret_env:
            raise _fail("--s3-endpoint, --s3-folder, --s3-key-env and --s3-secret-env need --s3-bucket NAME")
        return None
    if (key_env is None) != (secret_env is None):
        raise _fail("give both --s3-key-env and --s3-secret-env, or neither (the AWS chain decides)")
    return S3Target(
        bucket=bucket,
        endpoint=endpoint or os.environ.get("AWS_ENDPOINT_URL"),
        folder=folder,
        region=region,
        access_key_id=_secret("S3 access key id", key_env, prompt=False),
        secret_access_key=_secret("S3 secret access key", secret_env, prompt=False),
    )


EnvVar = Annotated[
    str | None, typer.Option(metavar="VAR", help="Read the secret from this environment variable.")
]
Prompt = Annotated[bool, typer.Option(help="Type the secret at a hidden prompt instead.")]


@app.command()
def configure(
    name: Annotated[
        str, typer.Option(help="Name of the credential and storage blocks saved (lowercase, digits, -).")
    ] = "default",
    dashscope_key_env: EnvVar = None,
    dashscope_key_prompt: Prompt = False,
    dashscope_base_url: Annotated[
        str | None, typer.Option(help="DashScope endpoint (intl, a proxy).")
    ] = None,
    openai_key_env: EnvVar = None,
    openai_key_prompt: Prompt = False,
    openai_base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible endpoint (MathGPT, a local vLLM); unset: OpenAI's.")
    ] = None,
    azure_key_env: EnvVar = None,
    azure_key_prompt: Prompt = False,
    azure_region: Annotated[str, typer.Option(help="Azure Speech resource region.")] = "eastasia",
    azure_endpoint: Annotated[str | None, typer.Option(help="Azure Speech custom endpoint.")] = None,
    s3_bucket: Annotated[str | None, typer.Option(help="Save an S3 Bucket block for this bucket.")] = None,
    s3_endpoint: Annotated[
        str | None, typer.Option(help="MinIO / OSS endpoint URL [AWS_ENDPOINT_URL]; none for AWS S3.")
    ] = None,
    s3_folder: Annotated[str, typer.Option(help="Prefix inside the bucket.")] = "",
    s3_region: Annotated[str | None, typer.Option(help="Bucket region.")] = None,
    s3_key_env: EnvVar = None,
    s3_secret_env: EnvVar = None,
    local_dir: Annotated[
        Path | None, typer.Option(help="Save a LocalFileSystem block for this directory.")
    ] = None,
    writer: Annotated[
        str | None, typer.Option(help="Lesson writer for every run: offline, dashscope, openai.")
    ] = None,
    tts: Annotated[str | None, typer.Option(help="Speech synthesizer for every run.")] = None,
    store: Annotated[
        str | None, typer.Option(help="Artifact store for every run; default: the storage block saved now.")
    ] = None,
    check: Annotated[bool, typer.Option(help="Reach the bucket before saving its block.")] = True,
) -> None:
    """Save credentials, storage and provider choices as Prefect blocks. Secrets come only from
    environment variables (--*-env VAR) or hidden prompts, and are never printed."""
    from blocks.configure import (
        BLOCK_NAME,
        bucket_block,
        check_bucket,
        save,
        save_bucket,
        save_local_dir,
        save_settings,
    )
    from blocks.credentials import AzureSpeechCredentials, DashScopeCredentials, OpenAICompatibleCredentials

    if not re.fullmatch(BLOCK_NAME, name):
        raise _fail(f"--name {name!r}: use lowercase letters, digits and dashes, e.g. team-a")
    if s3_bucket is not None and local_dir is not None:
        raise _fail("save one storage block at a time: --s3-bucket or --local-dir")
    _checked_choices(writer, tts)
    dashscope = _secret("DashScope API key", dashscope_key_env, dashscope_key_prompt)
    openai = _secret("OpenAI-compatible API key", openai_key_env, openai_key_prompt)
    azure = _secret("Azure Speech key", azure_key_env, azure_key_prompt)
    target = _s3_target(s3_bucket, s3_endpoint, s3_folder, s3_region, s3_key_env, s3_secret_env)
    if not (dashscope or openai or azure or target or local_dir or writer or tts or store):
        raise _fail("nothing to configure: see `mathcast configure --help`")
    saved: list[str] = []
    with _prefect_api():
        if store is not None:
            _store(store)  # refused before anything is saved, not when every run fails on it
        if target is not None:
            bucket = bucket_block(target)
            if check:
                try:
                    check_bucket(bucket)
                except StoreError as error:
                    raise _fail(f"{error} (nothing saved; --no-check saves it anyway)") from None
            saved += save_bucket(bucket, name)
            store = store or f"block://s3-bucket/{name}"
        if local_dir is not None:
            saved.append(save_local_dir(str(local_dir.resolve()), name))
            store = store or f"block://local-file-system/{name}"
        if dashscope is not None:
            base_url = dashscope_base_url or DashScopeCredentials.model_fields["base_url"].default
            saved.append(save(DashScopeCredentials(api_key=dashscope, base_url=base_url), name))
        if openai is not None:
            saved.append(save(OpenAICompatibleCredentials(api_key=openai, base_url=openai_base_url), name))
        if azure is not None:
            speech = AzureSpeechCredentials(key=azure, region=azure_region, endpoint=azure_endpoint)
            saved.append(save(speech, name))
        if writer or tts or store:
            slug, chosen = save_settings(writer, tts, store)
            saved.append(f"{slug}: writer {chosen.writer}, tts {chosen.tts}, store {chosen.store}")
    for slug in saved:
        console.print(f"saved {slug}", soft_wrap=True)
    for writer_name, key, env in (
        ("dashscope", dashscope, "DASHSCOPE_API_KEY"),
        ("openai", openai, "OPENAI_API_KEY"),
    ):
        if key is not None:
            console.print(
                f"the {writer_name} writer reads this key when MATHCAST_LLM_CREDENTIALS_BLOCK={name} is set "
                f"(else {env})",
                soft_wrap=True,
            )


review_app = typer.Typer(no_args_is_help=True, help="Lesson runs waiting for review: list, read, answer.")
app.add_typer(review_app, name="review")
RunArgument = Annotated[str, typer.Argument(help="A flow-run id, a unique prefix of one, or the run's name.")]
CommentOption = Annotated[str, typer.Option("--comment", "-m", help="Why, or what to change.")]
ReviewerOption = Annotated[
    str | None, typer.Option("--reviewer", help="Who decides, as recorded with the lesson [login name].")
]


@review_app.command("list")
def review_list(as_json: JsonOption = False) -> None:
    """Lesson runs paused for review, newest first, with the content gate's result and the packet."""
    from mathcast.review_client import waiting_lessons

    with _prefect_api():
        waiting = waiting_lessons()
    if as_json:
        typer.echo(json.dumps([w.model_dump(mode="json") for w in waiting], ensure_ascii=False, indent=2))
        return
    if not waiting:
        console.print("no lesson run is waiting for review")
        return
    table = Table(title="lesson runs waiting for review")
    for column in ("run", "topic", "language", "quality", "gate", "paused", "packet"):
        table.add_column(column)
    for w in waiting:
        gate = f"[red]{w.gate}[/]" if w.gate == "failed" else w.gate
        paused = w.paused_at.astimezone().strftime("%Y-%m-%d %H:%M") if w.paused_at else ""
        table.add_row(str(w.id)[:8], w.topic, w.language, w.quality, gate, paused, w.url or w.packet)
    console.print(table)
    console.print("read one with `mathcast review show RUN`; answer with approve / reject / request-changes")


@review_app.command("show")
def review_show(run: RunArgument) -> None:
    """Print the review packet (markdown) of a waiting lesson run."""
    from mathcast.review_client import review_packet

    with _prefect_api():
        lesson, markdown = review_packet(run)
    typer.echo(markdown)
    typer.echo(f"<!-- run {lesson.id} · artifact {lesson.packet} · gate {lesson.gate} -->")


def _answer(run: str, decision: str, comment: str, reviewer: str | None) -> None:
    from mathcast.review import ReviewDecision
    from mathcast.review_client import answer_review

    if decision != "approve" and not comment.strip():
        raise _fail(f"{decision.replace('_', '-')} needs --comment: say why, or what to change")
    answer = ReviewDecision.model_validate(
        {"decision": decision, "comment": comment.strip(), "reviewer": reviewer or getpass.getuser()}
    )
    with _prefect_api():
        lesson = answer_review(run, answer)
    done = {"approve": "approved", "reject": "rejected", "request_changes": "sent back for changes"}
    console.print(f"{done[decision]}: {lesson.name} ({str(lesson.id)[:8]}); the run resumes", soft_wrap=True)


@review_app.command("approve")
def review_approve(run: RunArgument, comment: CommentOption = "", reviewer: ReviewerOption = None) -> None:
    """Approve the lesson: the run goes on to speak, render and publish it."""
    _answer(run, "approve", comment, reviewer)


@review_app.command("reject")
def review_reject(run: RunArgument, comment: CommentOption = "", reviewer: ReviewerOption = None) -> None:
    """Reject the lesson (--comment says why): the run ends Failed with the comment."""
    _answer(run, "reject", comment, reviewer)


@review_app.command("request-changes")
def review_request_changes(
    run: RunArgument, comment: CommentOption = "", reviewer: ReviewerOption = None
) -> None:
    """Send the lesson back (--comment says what to change): a reflect round, then review again."""
    _answer(run, "request_changes", comment, reviewer)


@app.command()
def doctor(store: StoreOption = None, as_json: JsonOption = False) -> None:
    """Check system packages, fonts, LaTeX, voices, credentials, the Prefect API and the artifact
    store, with the fix for each failure; exits 1 when something required fails."""
    from mathcast.doctor import diagnose

    checks = diagnose(store)
    failed = [c for c in checks if c.required and not c.ok]
    if as_json:
        typer.echo(json.dumps([c.model_dump() for c in checks], ensure_ascii=False, indent=2))
    else:
        table = Table(title="mathcast doctor")
        for column in ("area", "check", "status", "detail", "fix"):
            table.add_column(column, overflow="fold")
        for c in checks:
            status = "[green]ok[/]" if c.ok else ("[red]FAIL[/]" if c.required else "[yellow]no[/]")
            table.add_row(c.area, c.what, status, c.detail, c.fix)
        console.print(table)
        console.print(f"{len(failed)} required checks failed" if failed else "ready to make lessons")
    if failed:
        raise typer.Exit(code=1)
