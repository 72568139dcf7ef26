"""Contract tests of the chat clients against local servers speaking each provider's wire format."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from mathcast.providers.llm.chat import (
    ChatAuthError,
    ChatMessage,
    ChatModel,
    ChatRequestError,
    ChatUnavailableError,
)
from tests.providers.conftest import KEY
from tests.providers.servers import DASHSCOPE_PATH, OPENAI_PATH, Reply, ScriptedServer, ok

MESSAGES = [ChatMessage(role="system", content="只输出 JSON"), ChatMessage(role="user", content="1+1=?")]
MakeChat = Callable[..., ChatModel]


def test_success_sends_the_real_request_and_reads_text_usage_and_id(
    server: ScriptedServer, make_chat: MakeChat
) -> None:
    server.script(ok('{"answer": 2}'))
    result = make_chat().complete("qwen-plus", MESSAGES)

    assert result.text == '{"answer": 2}'
    assert (result.usage.input_tokens, result.usage.output_tokens) == (101, 50)
    assert result.model == "qwen-plus" and result.attempts == 1 and result.latency_ms >= 0
    [sent] = server.requests
    assert sent.headers["authorization"] == f"Bearer {KEY}"
    if server.dialect == "dashscope":
        assert sent.path == DASHSCOPE_PATH
        assert result.request_id == "req-1"
        assert sent.body["model"] == "qwen-plus"
        assert sent.body["input"]["messages"] == [m.model_dump() for m in MESSAGES]
        assert sent.body["parameters"]["result_format"] == "message"
    else:
        assert sent.path == OPENAI_PATH
        assert result.request_id == "chatcmpl-1"
        assert sent.body["model"] == "qwen-plus"
        assert sent.body["messages"] == [m.model_dump() for m in MESSAGES]


def test_429_waits_as_long_as_retry_after_says(
    server: ScriptedServer, make_chat: MakeChat, sleeps: list[float]
) -> None:
    server.script(Reply(status=429, error="rate limit", headers={"Retry-After": "3"}), ok("fine"))
    result = make_chat().complete("qwen-plus", MESSAGES)
    assert result.text == "fine" and result.attempts == 2
    assert sleeps == [3.0]


def test_500_is_retried_with_growing_jittered_backoff(
    server: ScriptedServer, make_chat: MakeChat, sleeps: list[float]
) -> None:
    server.script(Reply(status=500, error="boom"), Reply(status=503, error="busy"), ok("fine"))
    assert make_chat(retries=2).complete("qwen-plus", MESSAGES).attempts == 3
    assert len(sleeps) == 2 and all(0 <= s <= 0.002 for s in sleeps)


def test_retries_are_bounded(server: ScriptedServer, make_chat: MakeChat) -> None:
    server.script(*[Reply(status=500, error="down")] * 5)
    with pytest.raises(ChatUnavailableError, match=r"HTTP 500.*gave up after 3 attempts"):
        make_chat(retries=2).complete("qwen-plus", MESSAGES)
    assert len(server.requests) == 3


def test_a_timeout_is_retried(server: ScriptedServer, make_chat: MakeChat) -> None:
    server.script(ok("late", delay_s=1.5), ok("on time"))
    result = make_chat(timeout_s=0.5).complete("qwen-plus", MESSAGES)
    assert result.text == "on time" and result.attempts == 2


def test_timeouts_give_up_with_a_clear_error(server: ScriptedServer, make_chat: MakeChat) -> None:
    server.script(ok("late", delay_s=1.5), ok("late", delay_s=1.5))
    with pytest.raises(ChatUnavailableError, match="no reply within"):
        make_chat(timeout_s=0.3, retries=1).complete("qwen-plus", MESSAGES)


def test_401_fails_fast_and_never_shows_the_key(
    server: ScriptedServer,
    make_chat: MakeChat,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    server.script(Reply(status=401, error=f"Invalid API-key provided: {KEY}"))
    chat = make_chat()
    with pytest.raises(ChatAuthError, match=r"HTTP 401.*check") as caught:
        chat.complete("qwen-plus", MESSAGES)

    assert len(server.requests) == 1
    shown = [str(caught.value), repr(caught.value), repr(chat), caplog.text, *capsys.readouterr()]
    assert caught.value.__cause__ is None
    assert not [text for text in shown if KEY in text]


def test_403_fails_fast(server: ScriptedServer, make_chat: MakeChat) -> None:
    server.script(Reply(status=403, error="model not authorised"), ok("never"))
    with pytest.raises(ChatAuthError):
        make_chat().complete("qwen-math-plus", MESSAGES)
    assert len(server.requests) == 1


def test_400_is_not_retried(server: ScriptedServer, make_chat: MakeChat) -> None:
    server.script(Reply(status=400, error="bad parameter"), ok("never"))
    with pytest.raises(ChatRequestError, match="HTTP 400"):
        make_chat().complete("qwen-plus", MESSAGES)
    assert len(server.requests) == 1


def test_an_endpoint_echoing_the_key_cannot_pass_it_on(server: ScriptedServer, make_chat: MakeChat) -> None:
    server.script(ok("密钥是", echo_auth=True))
    assert make_chat().complete("qwen-plus", MESSAGES).text == "密钥是 Bearer ***"
