"""Artifacts as objects in an S3-compatible bucket: AWS S3, MinIO, Alibaba OSS.

One PUT per artifact: S3 makes an object visible only once its whole body has arrived, so a
reader never sees half of one. Each object carries its sha256 as metadata: `ref` is a HEAD,
not a download, and every read checks the bytes against it. Transient faults (5xx, throttling,
dropped connections) are retried by botocore with backoff; whatever is left becomes one
`StoreError` that says what to fix and never shows a secret.
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar
from urllib.parse import urlparse

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from mathcast.store import ArtifactRef, StoreError

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

T = TypeVar("T")
CHUNK = 1 << 20
NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
REFUSED = {"403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidToken"}

# Checksums only when an operation requires them: botocore's default trailing CRC32 is refused
# by Alibaba OSS and older MinIO; our own Content-MD5 and sha256 metadata guard the bytes instead.
CLIENT_CONFIG = Config(
    retries={"mode": "standard", "total_max_attempts": 5},
    connect_timeout=5,
    read_timeout=60,
    request_checksum_calculation="when_required",
    response_checksum_validation="when_required",
)


def client_from_env() -> S3Client:
    """A client from the standard AWS chain: AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, profiles, roles."""
    client: S3Client = boto3.session.Session().client("s3", config=CLIENT_CONFIG)
    return client


def open_s3_store(url: str) -> S3ArtifactStore:
    """`s3://bucket/prefix`, credentials and endpoint from the environment."""
    parsed = urlparse(url)
    if not parsed.netloc:
        raise StoreError(f"store URL {url!r} names no bucket: write it as s3://BUCKET/PREFIX")
    return S3ArtifactStore(client_from_env(), parsed.netloc, parsed.path)


class S3ArtifactStore:
    """Artifacts under `s3://bucket/prefix`; `url` reopens the store (a block's URL keeps its credentials)."""

    def __init__(self, client: S3Client, bucket: str, prefix: str = "", url: str | None = None) -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.url = url or f"s3://{bucket}/{self.prefix}".rstrip("/")
        self.endpoint = client.meta.endpoint_url

    def _object(self, key: str) -> str:
        parts = key.split("/")
        if key.startswith("/") or any(p in ("", ".", "..") for p in parts):
            raise ValueError(f"artifact key {key!r} escapes the store root")
        return f"{self.prefix}/{key}" if self.prefix else key

    def _call(self, key: str, operation: Callable[..., T], **kwargs: Any) -> T:
        """Run one S3 operation; turn its failure into an error that names the fix."""
        try:
            return operation(Bucket=self.bucket, **kwargs)
        except ClientError as error:
            raise self._explain(key, error) from error
        except NoCredentialsError as error:
            raise StoreError(
                f"no S3 credentials for {self.url}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
                "(or AWS_PROFILE), or name an S3 Bucket block: --store block://s3-bucket/NAME"
            ) from error
        except BotoCoreError as error:
            raise StoreError(
                f"S3 endpoint {self.endpoint} failed after retries ({type(error).__name__}) while "
                f"handling {key!r}: check that it is up and that AWS_ENDPOINT_URL points at it"
            ) from error

    def _explain(self, key: str, error: ClientError) -> Exception:
        code = str(error.response.get("Error", {}).get("Code", ""))
        if code in NOT_FOUND:
            return FileNotFoundError(f"artifact {key!r} is not in the store at {self.url}")
        if code == "NoSuchBucket":
            return StoreError(
                f"bucket {self.bucket!r} does not exist at {self.endpoint}: create it, or fix the bucket "
                "in --store / MATHCAST_STORE (or AWS_ENDPOINT_URL if it lives elsewhere)"
            )
        if code in REFUSED:
            return StoreError(
                f"S3 at {self.endpoint} refused the credentials for bucket {self.bucket!r} ({code}): "
                "check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, the block's credentials, "
                "and that they may read and write the bucket"
            )
        return StoreError(f"S3 at {self.endpoint} failed on {key!r} in {self.url}: {code or error}")

    def exists(self, key: str) -> bool:
        try:
            self._call(key, self.client.head_object, Key=self._object(key))
        except FileNotFoundError:
            return False
        return True

    def _put(self, key: str, body: BinaryIO, size: int, md5: bytes, sha256: str) -> ArtifactRef:
        self._call(
            key,
            self.client.put_object,
            Key=self._object(key),
            Body=body,
            ContentLength=size,
            ContentMD5=base64.b64encode(md5).decode(),
            Metadata={"sha256": sha256},
        )
        return ArtifactRef(key=key, sha256=sha256, size=size)

    def put_bytes(self, key: str, data: bytes) -> ArtifactRef:
        md5 = hashlib.md5(data, usedforsecurity=False).digest()
        return self._put(key, io.BytesIO(data), len(data), md5, hashlib.sha256(data).hexdigest())

    def put_file(self, key: str, source: Path) -> ArtifactRef:
        """One PUT (up to S3's 5 GB), streamed from the file: botocore rewinds it to retry."""
        md5, sha = hashlib.md5(usedforsecurity=False), hashlib.sha256()
        with source.open("rb") as f:
            for chunk in iter(lambda: f.read(CHUNK), b""):
                md5.update(chunk)
                sha.update(chunk)
            f.seek(0)
            return self._put(key, f, source.stat().st_size, md5.digest(), sha.hexdigest())

    def _read(self, key: str) -> Iterator[bytes]:
        """The object's bytes in chunks; the last step checks them against the stored sha256."""
        reply = self._call(key, self.client.get_object, Key=self._object(key))
        expected = reply["Metadata"].get("sha256")
        sha = hashlib.sha256()
        for chunk in reply["Body"].iter_chunks(CHUNK):
            sha.update(chunk)
            yield chunk
        if expected is not None and sha.hexdigest() != expected:
            raise StoreError(f"artifact {key!r} in {self.url} does not match its sha256: delete it to redo")

    def get_bytes(self, key: str) -> bytes:
        return b"".join(self._read(key))

    def fetch(self, key: str, dest: Path) -> Path:
        """Download to `dest` through a temp file beside it: a failed download leaves no file."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in self._read(key):
                    out.write(chunk)
            os.replace(tmp_name, dest)
        finally:
            Path(tmp_name).unlink(missing_ok=True)
        return dest

    def ref(self, key: str) -> ArtifactRef:
        head = self._call(key, self.client.head_object, Key=self._object(key))
        sha = head["Metadata"].get("sha256")
        if sha is None:  # written by another tool: hash it once
            sha = hashlib.sha256(self.get_bytes(key)).hexdigest()
        return ArtifactRef(key=key, sha256=sha, size=head["ContentLength"])

    def location(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._object(key)}"

    def list_keys(self, prefix: str = "") -> list[str]:
        root = f"{self.prefix}/" if self.prefix else ""

        def listing(Bucket: str) -> list[str]:
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=Bucket, Prefix=root + prefix)
            return sorted(o["Key"][len(root) :] for page in pages for o in page.get("Contents", []))

        return self._call(prefix, listing)
