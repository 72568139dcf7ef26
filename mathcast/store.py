"""Content-addressed artifact store.

A stage's output key is a hash of the stage, its version and its inputs, so a re-run finds
finished work instead of redoing it. Writes are atomic (temp file + rename): a reader never
sees half an object, and a crash leaves nothing that looks finished.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, TypeVar
from urllib.parse import urlparse

from pydantic import BaseModel

from mathcast.lesson import Model

M = TypeVar("M", bound=BaseModel)


class ArtifactRef(Model):
    """What a stage hands on: where its output lives, not the output itself."""

    key: str
    sha256: str
    size: int


class StoreError(RuntimeError):
    """A store that cannot be used as configured; the message says what to fix, never a secret."""


class ArtifactStore(Protocol):
    url: str

    def exists(self, key: str) -> bool: ...
    def put_bytes(self, key: str, data: bytes) -> ArtifactRef: ...
    def put_file(self, key: str, source: Path) -> ArtifactRef: ...
    def get_bytes(self, key: str) -> bytes: ...
    def fetch(self, key: str, dest: Path) -> Path: ...
    def ref(self, key: str) -> ArtifactRef: ...
    def location(self, key: str) -> str: ...
    def list_keys(self, prefix: str = "") -> list[str]: ...


def digest(*parts: Any) -> str:
    """A stable hash of JSON-able parts (pydantic models included)."""
    canonical = json.dumps(
        [p.model_dump(mode="json") if isinstance(p, BaseModel) else p for p in parts],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def stage_key(stage: str, version: str, *inputs: Any, name: str) -> str:
    """`stage/<hash of stage, version, inputs>/name`: the same inputs always land on one key."""
    return f"{stage}/{digest(stage, version, *inputs)[:24]}/{name}"


class LocalArtifactStore:
    """Artifacts as files under a root directory (the default: ./artifacts)."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.url = self.root.as_uri()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if not path.is_relative_to(self.root) or path == self.root:
            raise ValueError(f"artifact key {key!r} escapes the store root")
        return path

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def _commit(self, key: str, write: Callable[[Path], object]) -> ArtifactRef:
        final = self._path(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=final.parent, prefix=".tmp-")
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            write(tmp)
            os.replace(tmp, final)
        finally:
            tmp.unlink(missing_ok=True)
        return self.ref(key)

    def put_bytes(self, key: str, data: bytes) -> ArtifactRef:
        return self._commit(key, lambda tmp: tmp.write_bytes(data))

    def put_file(self, key: str, source: Path) -> ArtifactRef:
        return self._commit(key, lambda tmp: shutil.copyfile(source, tmp))

    def get_bytes(self, key: str) -> bytes:
        path = self._path(key)
        if not path.is_file():
            raise FileNotFoundError(f"artifact {key!r} is not in the store at {self.root}")
        return path.read_bytes()

    def fetch(self, key: str, dest: Path) -> Path:
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(self.get_bytes(key))
        return dest

    def location(self, key: str) -> str:
        return str(self._path(key))

    def ref(self, key: str) -> ArtifactRef:
        data = self.get_bytes(key)
        return ArtifactRef(key=key, sha256=hashlib.sha256(data).hexdigest(), size=len(data))

    def list_keys(self, prefix: str = "") -> list[str]:
        """Every stored key under `prefix`, sorted; temp files of unfinished writes are not keys."""
        files = (p for p in self.root.rglob("*") if p.is_file() and not p.name.startswith(".tmp-"))
        return sorted(k for k in (p.relative_to(self.root).as_posix() for p in files) if k.startswith(prefix))


def _s3(url: str) -> ArtifactStore:
    from mathcast.storage.s3 import open_s3_store  # boto3 loads only for an S3 store

    return open_s3_store(url)


def _block(url: str) -> ArtifactStore:
    from blocks.storage import open_block_store  # Prefect loads only when a block is named

    return open_block_store(url)


STORES: dict[str, Callable[[str], ArtifactStore]] = {
    "file": lambda url: LocalArtifactStore(Path(urlparse(url).path)),
    "": lambda url: LocalArtifactStore(Path(url)),
    "s3": _s3,
    "block": _block,
}


def open_store(url: str) -> ArtifactStore:
    """A store from a URL: `./artifacts`, `file:///srv/mathcast`, `s3://bucket/prefix`, `block://s3-bucket/NAME`."""
    scheme = urlparse(url).scheme
    try:
        factory = STORES[scheme]
    except KeyError:
        known = ", ".join(sorted(s for s in STORES if s))
        raise ValueError(f"no artifact store for {url!r}: known schemes are {known} or a path") from None
    return factory(url)


def put_model(store: ArtifactStore, key: str, model: BaseModel) -> ArtifactRef:
    return store.put_bytes(key, model.model_dump_json(indent=2).encode())


def get_model(store: ArtifactStore, key: str, model_type: type[M]) -> M:
    return model_type.model_validate_json(store.get_bytes(key))
