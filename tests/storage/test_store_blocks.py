"""Stores named by a saved Prefect block: prefect-aws's S3 Bucket with MinIO credentials, LocalFileSystem."""

from __future__ import annotations

from pathlib import Path

import pytest
from prefect.filesystems import LocalFileSystem
from prefect_aws import AwsClientParameters, MinIOCredentials, S3Bucket

from blocks.storage import s3_store
from mathcast.store import StoreError, open_store
from tests.storage.conftest import SECRET


def _minio_bucket(endpoint: str, bucket: str) -> S3Bucket:
    credentials = MinIOCredentials(
        minio_root_user="mathcast-test",
        minio_root_password=SECRET,
        region_name="us-east-1",
        aws_client_parameters=AwsClientParameters(endpoint_url=endpoint),
    )
    return S3Bucket(bucket_name=bucket, credentials=credentials, bucket_folder="team-a")


def test_an_s3_bucket_block_reaches_its_endpoint_and_folder(
    s3_env: str, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ENDPOINT_URL")  # the block alone says where the bucket is
    store = s3_store(_minio_bucket(s3_env, bucket))
    ref = store.put_bytes("generate/1/plan.json", b"{}")
    assert store.location(ref.key) == f"s3://{bucket}/team-a/generate/1/plan.json"
    assert store.get_bytes(ref.key) == b"{}"


@pytest.mark.usefixtures("prefect_harness")
def test_saved_blocks_open_by_url_and_tasks_reopen_them_by_it(
    s3_env: str, bucket: str, tmp_path: Path
) -> None:
    _minio_bucket(s3_env, bucket).save("mathcast-test-minio", overwrite=True)
    store = open_store("block://s3-bucket/mathcast-test-minio")
    assert store.url == "block://s3-bucket/mathcast-test-minio"  # no bucket, no secret in what tasks get
    store.put_bytes("a/b.json", b"{}")
    assert open_store(store.url).list_keys() == ["a/b.json"]

    LocalFileSystem(basepath=str(tmp_path)).save("mathcast-test-local", overwrite=True)
    local = open_store("block://local-file-system/mathcast-test-local")
    local.put_bytes("a/b.json", b"{}")
    assert (tmp_path / "a" / "b.json").read_bytes() == b"{}"

    with pytest.raises(StoreError, match=r"no saved block 's3-bucket/nope'.*prefect block ls"):
        open_store("block://s3-bucket/nope")
