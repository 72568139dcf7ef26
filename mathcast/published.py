"""The catalog of published lessons, kept in the artifact store itself.

`publish` writes one entry per topic, language and quality under `catalog/`, pointing at the
newest manifest; listing reads them back with `list_keys`, so every store (a directory, an S3
bucket, a saved block) answers "what have we published?" on its own, with no database beside it.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field, ValidationError

from mathcast.lesson import Model, Quality
from mathcast.store import ArtifactRef, ArtifactStore, digest, put_model

CATALOG_PREFIX = "catalog/"


class CatalogEntry(Model):
    """One published lesson: what it teaches, when it was last published, where its manifest is."""

    topic: str
    language: str
    quality: Quality
    published_at: datetime = Field(description="When the newest version was published (UTC).")
    manifest: ArtifactRef
    video: ArtifactRef | None = Field(default=None, description="lesson.mp4, when the lesson has one.")


class Catalog(Model):
    """The store's published lessons, newest first, and the entries it could not read."""

    entries: list[CatalogEntry]
    unreadable: list[str] = Field(
        default_factory=list, description="Catalog keys in another format: publish those lessons again."
    )


def entry_key(topic: str, language: str, quality: Quality) -> str:
    """One entry per lesson: publishing it again moves the pointer, it adds no second entry."""
    return f"{CATALOG_PREFIX}{digest(topic, language, quality)[:16]}.json"


def record(store: ArtifactStore, entry: CatalogEntry) -> ArtifactRef:
    return put_model(store, entry_key(entry.topic, entry.language, entry.quality), entry)


def published_lessons(store: ArtifactStore) -> Catalog:
    entries, unreadable = [], []
    for key in store.list_keys(CATALOG_PREFIX):
        try:
            entries.append(CatalogEntry.model_validate_json(store.get_bytes(key)))
        except ValidationError:
            unreadable.append(key)
    entries.sort(key=lambda e: e.published_at, reverse=True)
    return Catalog(entries=entries, unreadable=unreadable)
