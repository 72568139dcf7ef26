"""Block documents from an operator's answers. `mathcast configure` reads each secret from an
environment variable or a hidden prompt and hands it here as a SecretStr: nothing here prints it,
and the URL a store is opened by names the block, never the bucket's keys."""

from __future__ import annotations

from typing import Any

from prefect.blocks.core import Block
from prefect.filesystems import LocalFileSystem
from prefect_aws import AwsClientParameters, AwsCredentials, S3Bucket
from pydantic import Field, SecretStr

from blocks.settings import SAVED_FIELDS, SETTINGS_BLOCK, MathcastSettings
from blocks.storage import s3_store
from mathcast.lesson import Model
from mathcast.published import CATALOG_PREFIX

BLOCK_NAME = r"^[a-z0-9][a-z0-9-]*$"  # what the Prefect API accepts as a block document name


class S3Target(Model):
    """An S3-compatible bucket (AWS S3, MinIO, Alibaba OSS) and the keys that reach it."""

    bucket: str
    endpoint: str | None = Field(default=None, description="MinIO / OSS endpoint URL; None for AWS S3.")
    folder: str = ""
    region: str | None = None
    access_key_id: SecretStr | None = Field(
        default=None, description="None: the AWS chain decides (an instance role, a profile)."
    )
    secret_access_key: SecretStr | None = None


def bucket_block(target: S3Target) -> S3Bucket:
    credentials = AwsCredentials(
        aws_access_key_id=target.access_key_id.get_secret_value() if target.access_key_id else None,
        aws_secret_access_key=target.secret_access_key,
        region_name=target.region,
        aws_client_parameters=AwsClientParameters(endpoint_url=target.endpoint),
    )
    return S3Bucket(bucket_name=target.bucket, bucket_folder=target.folder, credentials=credentials)


def check_bucket(bucket: S3Bucket) -> None:
    """List the catalog: proves the endpoint answers, the bucket exists and the keys may read it.
    Raises StoreError saying what to fix."""
    s3_store(bucket).list_keys(CATALOG_PREFIX)


def save(block: Block, name: str) -> str:
    """Save (or replace) the document; returns its `type-slug/name`."""
    block.save(name, overwrite=True)
    return f"{block.get_block_type_slug()}/{name}"


def save_bucket(bucket: S3Bucket, name: str) -> list[str]:
    """The credentials first, under the same name, so the bucket refers to them instead of a copy."""
    return [save(bucket.credentials, name), save(bucket, name)]


def save_local_dir(basepath: str, name: str) -> str:
    return save(LocalFileSystem(basepath=basepath), name)


def save_settings(writer: str | None, tts: str | None, store: str | None) -> tuple[str, MathcastSettings]:
    """Merge the given choices into the saved settings: a choice not given keeps its saved value."""
    try:
        saved: Any = MathcastSettings.load(SETTINGS_BLOCK)
    except ValueError:
        saved = MathcastSettings()
    given = {"writer": writer, "tts": tts, "store": store}
    merged = MathcastSettings(**{f: given[f] or getattr(saved, f) for f in SAVED_FIELDS})
    return save(merged, SETTINGS_BLOCK), merged
