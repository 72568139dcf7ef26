"""`mathcast blocks register` and `mathcast configure` under Prefect's test server: the blocks exist
afterwards, load with the values given, secrets never show, and every bad input names its fix."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto import settings as moto_settings
from prefect import get_client
from prefect_aws import S3Bucket
from typer.testing import CliRunner, Result

from blocks.credentials import AzureSpeechCredentials, DashScopeCredentials, OpenAICompatibleCredentials
from blocks.register import block_types
from blocks.settings import SETTINGS_BLOCK, MathcastSettings, saved_settings
from mathcast.cli import app
from mathcast.settings import Settings
from mathcast.store import open_store
from tests.storage.conftest import SECRET

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_harness")]
DASHSCOPE_KEY = "sk-dashscope-never-shown-42"
AZURE_KEY = "azure-never-shown-77"
OPENAI_KEY = "sk-openai-never-shown-93"


def _run(*args: str, **kwargs: Any) -> Result:
    return CliRunner().invoke(app, list(args), **kwargs)


@pytest.fixture
def no_saved_settings() -> Iterator[None]:
    """The saved settings are every run's defaults: no other test may inherit them."""
    yield
    with contextlib.suppress(ValueError):
        MathcastSettings.delete(SETTINGS_BLOCK)


def test_register_makes_every_block_type_known_to_the_api() -> None:
    result = _run("blocks", "register")
    assert result.exit_code == 0, result.output
    slugs = {kind.get_block_type_slug() for kind in block_types()}
    assert {
        "dashscope-credentials",
        "openai-compatible-credentials",
        "azure-speech-credentials",
        "mathcast-settings",
    } <= slugs
    assert {"local-file-system", "s3-bucket", "aws-credentials", "minio-credentials"} <= slugs
    with get_client(sync_client=True) as client:
        for slug in slugs:
            assert client.read_block_type_by_slug(slug).slug == slug
    assert "registered dashscope-credentials" in result.output and "registered s3-bucket" in result.output


@pytest.mark.usefixtures("no_saved_settings")
def test_configure_saves_blocks_that_load_with_the_values_given(
    bucket: str, s3_env: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_DASHSCOPE", DASHSCOPE_KEY)
    monkeypatch.setenv("TEST_AZURE", AZURE_KEY)
    monkeypatch.setenv("TEST_OPENAI", OPENAI_KEY)
    monkeypatch.delenv("AWS_ENDPOINT_URL")  # the flag alone says where the bucket is
    for name in ("MATHCAST_STORE", "MATHCAST_WRITER", "MATHCAST_TTS"):
        monkeypatch.delenv(name, raising=False)
    result = _run(
        "configure", "--name", "team-a",
        "--dashscope-key-env", "TEST_DASHSCOPE",
        "--azure-key-env", "TEST_AZURE", "--azure-region", "chinaeast2",
        "--openai-key-env", "TEST_OPENAI", "--openai-base-url", "http://vllm.lan:8000/v1",
        "--s3-bucket", bucket, "--s3-endpoint", s3_env, "--s3-folder", "lessons",
        "--s3-key-env", "AWS_ACCESS_KEY_ID", "--s3-secret-env", "AWS_SECRET_ACCESS_KEY",
        "--writer", "offline", "--tts", "espeak",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for secret in (DASHSCOPE_KEY, AZURE_KEY, OPENAI_KEY, SECRET):
        assert secret not in result.output
    assert "saved s3-bucket/team-a" in result.output and "saved dashscope-credentials/team-a" in result.output

    dashscope: Any = DashScopeCredentials.load("team-a")
    assert dashscope.api_key.get_secret_value() == DASHSCOPE_KEY
    openai: Any = OpenAICompatibleCredentials.load("team-a")
    assert (openai.api_key.get_secret_value(), openai.base_url) == (OPENAI_KEY, "http://vllm.lan:8000/v1")
    assert "the openai writer reads this key when MATHCAST_LLM_CREDENTIALS_BLOCK=team-a" in result.output
    azure: Any = AzureSpeechCredentials.load("team-a")
    assert (azure.key.get_secret_value(), azure.region) == (AZURE_KEY, "chinaeast2")
    saved_bucket: Any = S3Bucket.load("team-a")
    assert (saved_bucket.bucket_name, saved_bucket.bucket_folder) == (bucket, "lessons")
    assert saved_bucket.credentials.aws_client_parameters.endpoint_url == s3_env
    assert saved_bucket.credentials.aws_secret_access_key.get_secret_value() == SECRET

    chosen = saved_settings()
    assert (chosen.store, chosen.writer, chosen.tts) == ("block://s3-bucket/team-a", "offline", "espeak")
    store = open_store(chosen.store)
    store.put_bytes("catalog/x.json", b"{}")
    assert store.location("catalog/x.json") == f"s3://{bucket}/lessons/catalog/x.json"
    monkeypatch.setenv("MATHCAST_STORE", "/srv/elsewhere")  # the environment wins over what was saved
    assert saved_settings().store == "/srv/elsewhere"

    again = _run("configure", "--writer", "offline")  # a later choice keeps the others
    assert again.exit_code == 0, again.output
    assert saved_settings(Settings(store="x")).store == "x" and saved_settings().tts == "espeak"
    monkeypatch.delenv("MATHCAST_STORE")
    assert saved_settings().store == "block://s3-bucket/team-a"
    listed = _run("lessons")  # no --store: the saved one
    assert listed.exit_code == 0 and "block://s3-bucket/team-a" in listed.output, listed.output


@pytest.mark.usefixtures("no_saved_settings")
def test_configure_reads_a_key_typed_at_a_hidden_prompt_and_a_local_dir(tmp_path: Path) -> None:
    result = _run(
        "configure", "--name", "typed", "--dashscope-key-prompt", "--local-dir", str(tmp_path),
        input=f"{DASHSCOPE_KEY}\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert DASHSCOPE_KEY not in result.output
    key: Any = DashScopeCredentials.load("typed")
    assert key.api_key.get_secret_value() == DASHSCOPE_KEY
    assert saved_settings().store == "block://local-file-system/typed"
    open_store(saved_settings().store).put_bytes("a/b.json", b"{}")
    assert (tmp_path / "a" / "b.json").read_bytes() == b"{}"


def test_nothing_saved_means_the_environment_and_defaults_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MATHCAST_STORE", raising=False)
    assert saved_settings() == Settings()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--dashscope-key-env", "NOT_SET_ANYWHERE"], "environment variable NOT_SET_ANYWHERE is not set"),
        (["--writer", "gpt-9"], "unknown writer 'gpt-9': use one of dashscope, offline, openai"),
        (["--tts", "nobody"], "unknown TTS provider 'nobody'"),
        (["--name", "Team A", "--writer", "offline"], "use lowercase letters, digits and dashes"),
        (["--s3-endpoint", "http://x"], "need --s3-bucket NAME"),
        (["--s3-bucket", "b", "--s3-key-env", "AWS_ACCESS_KEY_ID"], "give both --s3-key-env and"),
        (["--store", "block://s3-bucket/missing"], "`mathcast configure --name missing --s3-bucket"),
        (["--store", "ftp://x/y"], "no artifact store for 'ftp://x/y'"),
        ([], "nothing to configure"),
    ],
)
def test_bad_input_names_the_fix(args: list[str], expected: str) -> None:
    result = _run("configure", *args)
    assert result.exit_code == 2
    assert expected in " ".join(result.output.split())


@pytest.mark.parametrize("fault", ["no bucket", "wrong keys"])
def test_an_unreachable_bucket_is_refused_and_nothing_saved(
    bucket: str, s3_env: str, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    name = "bad-" + fault.replace(" ", "-")
    target = "no-such-bucket-xyz" if fault == "no bucket" else bucket
    if fault == "wrong keys":
        monkeypatch.setattr(moto_settings, "INITIAL_NO_AUTH_ACTION_COUNT", 0)  # moto checks keys from now on
    result = _run(
        "configure", "--name", name, "--s3-bucket", target, "--s3-endpoint", s3_env,
        "--s3-key-env", "AWS_ACCESS_KEY_ID", "--s3-secret-env", "AWS_SECRET_ACCESS_KEY",
    )  # fmt: skip
    output = " ".join(result.output.split())
    assert result.exit_code == 2 and SECRET not in output
    assert ("does not exist" if fault == "no bucket" else "refused the credentials") in output
    assert "nothing saved" in output
    with pytest.raises(ValueError):
        S3Bucket.load(name)


def test_an_unknown_block_in_a_store_url_names_mathcast_configure() -> None:
    result = _run("lessons", "--store", "block://s3-bucket/missing")
    output = " ".join(result.output.split())
    assert result.exit_code == 2
    assert "no saved block 's3-bucket/missing'" in output and "mathcast configure --name missing" in output
