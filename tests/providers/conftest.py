"""Scripted local endpoints and clients pointed at them; retries sleep into a list, not the clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from pydantic import SecretStr

from mathcast.providers.llm.chat import ChatModel, RetryPolicy
from mathcast.providers.llm.dashscope_chat import DashScopeChat
from mathcast.providers.llm.openai_chat import OpenAIChat
from tests.providers.servers import Dialect, ScriptedServer

KEY = "sk-test-6f1d2a9c8b7e4d3f"
CLIENTS = {"dashscope": DashScopeChat, "openai": OpenAIChat}


@pytest.fixture(params=["dashscope", "openai"])
def server(request: pytest.FixtureRequest) -> Iterator[ScriptedServer]:
    dialect: Dialect = request.param
    with ScriptedServer(dialect, []).running() as running:
        yield running


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_chat(server: ScriptedServer, sleeps: list[float]) -> Callable[..., ChatModel]:
    def make(timeout_s: float = 5.0, retries: int = 2) -> ChatModel:
        policy = RetryPolicy(retries=retries, base_s=0.001, max_s=10.0, sleep=sleeps.append)
        return CLIENTS[server.dialect](SecretStr(KEY), server.base_url, timeout_s, 0.2, policy)

    return make
