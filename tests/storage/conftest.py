"""A moto S3 server over real HTTP on loopback, one per session, and a fresh bucket per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from moto.server import ThreadedMotoServer

from mathcast.storage.s3 import S3ArtifactStore, client_from_env
from mathcast.store import open_store

SECRET = "dummy-secret-never-shown-0123456789"


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_env(
    moto_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The standard AWS variables a user would set for MinIO, pointing at moto; no user config leaks in."""
    empty = tmp_path_factory.mktemp("aws") / "none"
    for name, value in {
        "AWS_ENDPOINT_URL": moto_endpoint,
        "AWS_ACCESS_KEY_ID": "mathcast-test",
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": str(empty),
        "AWS_SHARED_CREDENTIALS_FILE": str(empty),
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    return moto_endpoint


@pytest.fixture
def bucket(s3_env: str) -> str:
    name = f"mathcast-{uuid.uuid4().hex[:12]}"
    client_from_env().create_bucket(Bucket=name)
    return name


@pytest.fixture
def s3_store(bucket: str) -> S3ArtifactStore:
    store = open_store(f"s3://{bucket}/lessons")
    assert isinstance(store, S3ArtifactStore)
    return store
