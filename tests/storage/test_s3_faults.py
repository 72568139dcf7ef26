"""Uploads whose connection drops mid-body: retried to a whole object, or a clear error and no object."""

from __future__ import annotations

import hashlib
import socket

import boto3
import pytest
from botocore.config import Config

from mathcast.storage.s3 import S3ArtifactStore
from mathcast.store import StoreError, open_store
from tests.storage.proxy import DroppingProxy

DATA = hashlib.sha256(b"seed").digest() * 32 * 1024  # 1 MiB: several packets, so the cut is mid-body


def test_a_dropped_upload_is_retried_into_a_whole_object(
    s3_env: str, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with DroppingProxy(s3_env, drops=2).running() as proxy:
        monkeypatch.setenv("AWS_ENDPOINT_URL", proxy.url)
        store = open_store(f"s3://{bucket}/p")
        ref = store.put_bytes("render/1/a.mp4", DATA)
        assert proxy.dropped == 2
        assert store.get_bytes(ref.key) == DATA
        assert store.ref(ref.key).sha256 == hashlib.sha256(DATA).hexdigest()


def test_an_upload_that_keeps_dropping_fails_clearly_and_leaves_nothing(s3_env: str, bucket: str) -> None:
    with DroppingProxy(s3_env, drops=100).running() as proxy:
        client = boto3.session.Session().client(
            "s3", endpoint_url=proxy.url, config=Config(retries={"mode": "standard", "total_max_attempts": 2})
        )
        store = S3ArtifactStore(client, bucket, "p")
        with pytest.raises(StoreError, match=r"failed after retries.*'render/1/a\.mp4'.*AWS_ENDPOINT_URL"):
            store.put_bytes("render/1/a.mp4", DATA)
        assert proxy.dropped == 2
    assert open_store(f"s3://{bucket}/p").list_keys() == []  # moto directly: no half object


def test_an_unreachable_endpoint_names_it(bucket: str) -> None:
    with socket.create_server(("127.0.0.1", 0)) as closed:
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}"
    client = boto3.session.Session().client(
        "s3", endpoint_url=dead, config=Config(retries={"mode": "standard", "total_max_attempts": 1})
    )
    with pytest.raises(
        StoreError, match=rf"S3 endpoint {dead} failed after retries \(EndpointConnectionError\)"
    ):
        S3ArtifactStore(client, bucket).exists("a/b.json")
