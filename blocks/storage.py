"""Artifact stores from saved Prefect blocks: `--store block://s3-bucket/NAME` (prefect-aws's S3 Bucket,
with MinIO or AWS credentials and a custom endpoint) or `block://local-file-system/NAME`.

The store's URL names the block, not the bucket: every task reopens the store with the block's
credentials, and nothing secret travels in a URL or a task parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from prefect.blocks.core import Block
from prefect.filesystems import LocalFileSystem
from prefect_aws import S3Bucket

from mathcast.storage.s3 import CLIENT_CONFIG, S3ArtifactStore
from mathcast.store import ArtifactStore, LocalArtifactStore, StoreError


def s3_store(bucket: S3Bucket, url: str | None = None) -> S3ArtifactStore:
    """The block's bucket and folder, with its credentials and endpoint, under our retry policy."""
    credentials = bucket.credentials
    params = credentials.aws_client_parameters.get_params_override()
    params["config"] = CLIENT_CONFIG.merge(params["config"]) if "config" in params else CLIENT_CONFIG
    if credentials.region_name:
        params["region_name"] = credentials.region_name
    client = credentials.get_boto3_session().client("s3", **params)
    return S3ArtifactStore(client, bucket.bucket_name, bucket.bucket_folder, url)


OPENERS: dict[type[Block], Callable[[Any, str], ArtifactStore]] = {
    S3Bucket: s3_store,
    LocalFileSystem: lambda block, _url: LocalArtifactStore(Path(block.basepath or ".")),
}


def open_block_store(url: str) -> ArtifactStore:
    """The store a saved block describes; `url` is `block://<block type slug>/<block name>`."""
    parsed = urlparse(url)
    slug = f"{parsed.netloc}/{parsed.path.strip('/')}"
    kinds = ", ".join(sorted(kind.get_block_type_slug() for kind in OPENERS))
    try:
        block: Any = Block.load(slug)  # sync outside an event loop
    except ValueError as error:
        raise StoreError(
            f"no saved block {slug!r} for the store {url!r}: create it with `mathcast configure "
            f"--name {parsed.path.strip('/') or 'NAME'} --s3-bucket BUCKET ...` (or --local-dir DIR), "
            f"or fix the name; `prefect block ls` lists the saved blocks ({kinds})"
        ) from error
    opener = OPENERS.get(type(block))
    if opener is None:
        raise StoreError(f"block {slug!r} is a {type(block).__name__}, not a store: use one of {kinds}")
    return opener(block, url)
