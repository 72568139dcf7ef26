"""Keys from saved Prefect credentials blocks: the writer named by MATHCAST_LLM_CREDENTIALS_BLOCK
sends the block's key (not the environment's) to the block's endpoint, and the key shows nowhere
else: not in what the stages store, the logs, or an error."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from blocks.credentials import CHAT_CREDENTIALS
from mathcast import stages
from mathcast.content import catalog
from mathcast.providers.llm.base import get_writer
from mathcast.providers.llm.chat import ChatAuthError, MissingCredentialsError
from mathcast.store import LocalArtifactStore
from tests.providers.conftest import CLIENTS, KEY
from tests.providers.servers import DASHSCOPE_PATH, OPENAI_PATH, Dialect, Reply, ScriptedServer, ok

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_harness")]
BLOCK_KEY = "sk-block-5e8a1c7d2b9f0a64"
PLAN = catalog.lookup("一次函数", "zh-CN")
PATHS = {"dashscope": DASHSCOPE_PATH, "openai": OPENAI_PATH}
DIALECTS = pytest.mark.parametrize("dialect", ["dashscope", "openai"])


@DIALECTS
def test_the_writer_sends_the_named_blocks_key_to_its_endpoint_and_shows_it_nowhere(
    dialect: Dialect, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    key_source = CLIENTS[dialect].key_source
    refusal = Reply(status=401, error=f"invalid api key {BLOCK_KEY}")  # an endpoint that quotes the key
    with ScriptedServer(dialect, [ok(PLAN, echo_auth=True), refusal]).running() as server:
        CHAT_CREDENTIALS[dialect](api_key=BLOCK_KEY, base_url=server.base_url).save(
            f"team-{dialect}", overwrite=True
        )
        monkeypatch.setenv("MATHCAST_LLM_CREDENTIALS_BLOCK", f"team-{dialect}")
        monkeypatch.setenv(key_source.key_env, KEY)  # the named block wins over the environment
        monkeypatch.setenv(key_source.url_env, "http://127.0.0.1:9/unused")  # and its endpoint too
        monkeypatch.delenv("MATHCAST_LLM_BASE_URL", raising=False)
        caplog.set_level(logging.DEBUG)
        store = LocalArtifactStore(tmp_path / "artifacts")

        plan = stages.generate(store, "一次函数", "zh-CN", dialect)
        with pytest.raises(ChatAuthError) as refused:
            stages.solve(store, plan, dialect)

    assert [(r.path, r.headers["authorization"]) for r in server.requests] == [
        (PATHS[dialect], f"Bearer {BLOCK_KEY}")
    ] * 2
    assert "401" in str(refused.value) and BLOCK_KEY not in str(refused.value)
    stored = [path.read_bytes() for path in (tmp_path / "artifacts").rglob("*") if path.is_file()]
    assert any(b"Bearer ***" in content for content in stored)  # the echoed key reached the store redacted
    assert not any(BLOCK_KEY.encode() in content for content in stored)
    assert BLOCK_KEY not in caplog.text and BLOCK_KEY not in get_writer(dialect).config_id


@DIALECTS
def test_a_block_that_is_not_saved_for_the_provider_says_how_to_save_one(
    dialect: Dialect, monkeypatch: pytest.MonkeyPatch
) -> None:
    other: Dialect = "openai" if dialect == "dashscope" else "dashscope"
    CHAT_CREDENTIALS[other](api_key=BLOCK_KEY).save(f"only-{other}", overwrite=True)
    monkeypatch.setenv("MATHCAST_LLM_CREDENTIALS_BLOCK", f"only-{other}")
    monkeypatch.setenv(CLIENTS[dialect].key_source.key_env, KEY)
    with pytest.raises(MissingCredentialsError) as missing:
        get_writer(dialect)
    assert f"mathcast configure --name only-{other} --{dialect}-key-env VAR" in str(missing.value)
    assert BLOCK_KEY not in str(missing.value) and KEY not in str(missing.value)
