"""Operator commands: `mathcast lessons` (what is published), and, with the Prefect API,
`blocks register`, `configure`, `review ...` and `doctor`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from mathcast.cli import StoreOption, _fail, app, console
from mathcast.store import ArtifactStore, StoreError, open_store

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def _store(url: str | None) -> ArtifactStore:
    """The store named by --store or MATHCAST_STORE; a store that cannot open is an input error."""
    from mathcast.settings import Settings

    try:
        return open_store(url or Settings().store)
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
