"""Qwen through DashScope's native API (the `dashscope` SDK, `result_format="message"`)."""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import requests

from mathcast.providers.llm.chat import (
    ChatAuthError,
    ChatMessage,
    ChatRequestError,
    ChatResult,
    EndpointChat,
    KeySource,
    TokenUsage,
    TransientChatError,
    register_chat_model,
    retry_after_seconds,
)

DEFAULT_BASE_URL = "https://dashscope.aliyuncs.com/api/v1"


class DashScopeChat(EndpointChat):
    provider = "dashscope"
    key_source = KeySource(
        provider, "DashScope", "DASHSCOPE_API_KEY", "DASHSCOPE_HTTP_BASE_URL", DEFAULT_BASE_URL
    )
    sdk_loggers = ("dashscope",)

    def _send(self, model: str, messages: Sequence[ChatMessage]) -> ChatResult:
        from dashscope import Generation  # the SDK loads only when Qwen is called

        try:
            payload: Any = [m.model_dump() for m in messages]
            response: Any = Generation.call(
                model=model,
                messages=payload,
                api_key=self._key.get_secret_value(),
                result_format="message",
                temperature=self.temperature,
                base_address=self.base_url,
                request_timeout=self.timeout_s,
            )
        except TypeError:  # the SDK builds its response object from whatever JSON came back
            raise ChatRequestError(
                f"DashScope {model}: the reply is not DashScope's response shape"
            ) from None
        except requests.Timeout:
            raise TransientChatError(f"DashScope {model}: no reply within {self.timeout_s:g} s") from None
        except requests.ConnectionError as error:
            raise TransientChatError(
                f"DashScope {model}: connection failed ({type(error).__name__})"
            ) from None
        return self._result(model, response)

    def _result(self, model: str, response: Any) -> ChatResult:
        status = int(response.status_code)
        detail = self.redact(
            f"DashScope {model}: HTTP {status} {response.code or ''} {response.message or ''} "
            f"(request {response.request_id or '?'})"
        )
        if status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
            raise ChatAuthError(f"{detail}; check the API key and that it may call {model}")
        if status == HTTPStatus.TOO_MANY_REQUESTS or status >= 500:
            headers = {k.lower(): v for k, v in (response.headers or {}).items()}
            raise TransientChatError(detail, retry_after_seconds(headers.get("retry-after")))
        if status != HTTPStatus.OK:
            raise ChatRequestError(detail)
        try:
            text = response.output.choices[0].message.content
            usage = TokenUsage(
                input_tokens=response.usage.input_tokens or 0, output_tokens=response.usage.output_tokens or 0
            )
        except (AttributeError, IndexError, KeyError, TypeError):
            raise ChatRequestError(f"{detail}: the reply has no output.choices[0].message") from None
        return ChatResult(
            text=self.redact(text),  # an endpoint that echoes the key must not pass it on
            model=model,
            usage=usage,
            latency_ms=0,
            attempts=1,
            request_id=response.request_id,
        )


register_chat_model("dashscope", DashScopeChat.from_settings)
