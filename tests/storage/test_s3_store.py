"""The S3 store against moto's S3 server over HTTP: round trips, keys, and errors that say what to fix."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from moto import settings as moto_settings

from mathcast.lesson import Span
from mathcast.storage.s3 import S3ArtifactStore, client_from_env
from mathcast.store import LocalArtifactStore, StoreError, get_model, open_store, put_model, stage_key
from tests.storage.conftest import SECRET


def test_bytes_files_and_models_round_trip(s3_store: S3ArtifactStore, tmp_path: Path) -> None:
    data = "一次函数 y = 2x + 1\n".encode() * 1000
    ref = s3_store.put_bytes("generate/abc/plan.json", data)
    assert ref.sha256 == hashlib.sha256(data).hexdigest() and ref.size == len(data)
    assert s3_store.exists("generate/abc/plan.json") and not s3_store.exists("generate/abc/other.json")
    assert s3_store.get_bytes(ref.key) == data
    assert s3_store.ref(ref.key) == ref

    source = tmp_path / "clip.wav"
    source.write_bytes(bytes(range(256)) * 4096)
    file_ref = s3_store.put_file("speak/def/s1.wav", source)
    fetched = s3_store.fetch(file_ref.key, tmp_path / "out" / "s1.wav")
    assert fetched.read_bytes() == source.read_bytes()
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["s1.wav"]  # no temp file left

    model_ref = put_model(s3_store, "a/b/span.json", Span(id="s", start_ms=1, end_ms=2))
    assert get_model(s3_store, model_ref.key, Span).end_ms == 2


def test_list_location_and_url_name_the_prefix(s3_store: S3ArtifactStore, bucket: str) -> None:
    for key in ("render/1/a.mp4", "render/2/b.mp4", "speak/1/c.wav"):
        s3_store.put_bytes(key, key.encode())
    client_from_env().put_object(Bucket=bucket, Key="elsewhere/x", Body=b"not ours")
    assert s3_store.list_keys() == ["render/1/a.mp4", "render/2/b.mp4", "speak/1/c.wav"]
    assert s3_store.list_keys("render/") == ["render/1/a.mp4", "render/2/b.mp4"]
    assert s3_store.location("render/1/a.mp4") == f"s3://{bucket}/lessons/render/1/a.mp4"
    assert s3_store.url == f"s3://{bucket}/lessons"
    assert open_store(s3_store.url).get_bytes("speak/1/c.wav") == b"speak/1/c.wav"  # a task reopens it


def test_same_keys_and_digests_as_the_local_store(s3_store: S3ArtifactStore, tmp_path: Path) -> None:
    local = LocalArtifactStore(tmp_path)
    key = stage_key("verify", "1", "一次函数", {"writer": "offline"}, name="verification.json")
    span = Span(id="s", start_ms=0, end_ms=40)
    assert put_model(s3_store, key, span) == put_model(local, key, span)
    assert s3_store.list_keys() == local.list_keys() == [key]


def test_an_object_from_another_tool_is_hashed_once(s3_store: S3ArtifactStore, bucket: str) -> None:
    client_from_env().put_object(Bucket=bucket, Key="lessons/import/x.txt", Body=b"uploaded by hand")
    assert s3_store.ref("import/x.txt").sha256 == hashlib.sha256(b"uploaded by hand").hexdigest()


def test_bytes_that_do_not_match_their_digest_are_refused(s3_store: S3ArtifactStore, bucket: str) -> None:
    client_from_env().put_object(
        Bucket=bucket, Key="lessons/bad/x.json", Body=b"half", Metadata={"sha256": "0" * 64}
    )
    with pytest.raises(StoreError, match=r"'bad/x.json'.*does not match its sha256"):
        s3_store.get_bytes("bad/x.json")


def test_a_missing_key_is_a_file_not_found_naming_key_and_store(s3_store: S3ArtifactStore) -> None:
    with pytest.raises(FileNotFoundError, match=r"'nope/x\.json' is not in the store at s3://.*/lessons"):
        s3_store.get_bytes("nope/x.json")
    with pytest.raises(FileNotFoundError, match="nope"):
        s3_store.ref("nope/x.json")


@pytest.mark.parametrize("key", ["../outside.txt", "/abs.txt", "a//b.txt", "a/./b.txt", ""])
def test_keys_cannot_escape_the_prefix(s3_store: S3ArtifactStore, key: str) -> None:
    with pytest.raises(ValueError, match="escapes"):
        s3_store.put_bytes(key, b"x")


def test_a_bucket_that_does_not_exist_says_so(s3_env: str) -> None:
    store = open_store("s3://no-such-bucket-here/p")
    with pytest.raises(
        StoreError, match=r"bucket 'no-such-bucket-here' does not exist at http://127\.0\.0\.1"
    ):
        store.put_bytes("a/b.json", b"{}")
    with pytest.raises(StoreError, match="no bucket"):
        open_store("s3:///prefix-only")


@pytest.mark.parametrize("operation", ["put", "exists", "list"])
def test_wrong_credentials_name_the_fix_and_never_the_secret(
    s3_store: S3ArtifactStore, monkeypatch: pytest.MonkeyPatch, operation: str
) -> None:
    monkeypatch.setattr(moto_settings, "INITIAL_NO_AUTH_ACTION_COUNT", 0)  # moto checks keys from now on
    calls = {
        "put": lambda: s3_store.put_bytes("a/b.json", b"{}"),
        "exists": lambda: s3_store.exists("a/b.json"),
        "list": lambda: s3_store.list_keys(),
    }
    with pytest.raises(StoreError, match=r"refused the credentials.*AWS_ACCESS_KEY_ID") as raised:
        calls[operation]()
    shown = f"{raised.value!r} {raised.value.__cause__!r} {raised.value.__cause__}"
    assert SECRET not in shown


def test_no_credentials_at_all_says_where_they_come_from(
    s3_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(StoreError, match=r"no S3 credentials.*AWS_ACCESS_KEY_ID.*block://s3-bucket/NAME"):
        open_store("s3://any-bucket/p").exists("a/b.json")
