"""Any OpenAI-compatible chat-completions endpoint: a hosted expert (MathGPT), DashScope's
compatible mode, or a local vLLM / Ollama / llama.cpp server, chosen by base URL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import SecretStr

from mathcast.providers.llm.chat import (
    ChatAuthError,
    ChatMessage,
    ChatRequestError,
    ChatResult,
    EndpointChat,
    KeySource,
    RetryPolicy,
    TokenUsage,
    TransientChatError,
    register_chat_model,
    retry_after_seconds,
)

DEFAULT_BASE_URL = "https://api.openai.com/v1"


class OpenAIChat(EndpointChat):
    provider = "openai"
    key_source = KeySource(
        provider,
        "OpenAI-compatible",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        DEFAULT_BASE_URL,
        key_hint=" (any non-empty value for a local server that ignores it)",
    )
    sdk_loggers = ("openai._base_client", "openai._response", "httpx2")

    def __init__(
        self, api_key: SecretStr, base_url: str, timeout_s: float, temperature: float, retry: RetryPolicy
    ) -> None:
        from openai import OpenAI  # the SDK loads only when this provider is chosen

        super().__init__(api_key, base_url, timeout_s, temperature, retry)
        # Our RetryPolicy retries; the SDK's own retries would multiply the attempts.
        self._client = OpenAI(
            api_key=api_key.get_secret_value(), base_url=self.base_url, timeout=timeout_s, max_retries=0
        )

    def _send(self, model: str, messages: Sequence[ChatMessage]) -> ChatResult:
        import openai

        payload: Any = [m.model_dump() for m in messages]
        try:
            reply: Any = self._client.chat.completions.create(
                model=model, messages=payload, temperature=self.temperature
            )
        except openai.APITimeoutError:
            raise TransientChatError(f"{self.base_url} {model}: no reply within the timeout") from None
        except openai.APIConnectionError as error:
            raise TransientChatError(self.redact(f"{self.base_url} {model}: {error}")) from None
        except openai.APIStatusError as error:
            raise self._status_error(model, error) from None
        try:
            text = reply.choices[0].message.content or ""
            usage = TokenUsage(
                input_tokens=reply.usage.prompt_tokens if reply.usage else 0,
                output_tokens=reply.usage.completion_tokens if reply.usage else 0,
            )
        except (AttributeError, IndexError, TypeError):
            raise ChatRequestError(f"{self.base_url} {model}: the reply has no choices[0].message") from None
        return ChatResult(
            text=self.redact(text),  # an endpoint that echoes the key must not pass it on
            model=reply.model or model,
            usage=usage,
            latency_ms=0,
            attempts=1,
            request_id=reply.id,
        )

    def _status_error(self, model: str, error: Any) -> Exception:
        status = error.status_code
        detail = self.redact(f"{self.base_url} {model}: HTTP {status} {error.message}")
        if status in (401, 403):
            return ChatAuthError(f"{detail}; check the API key and that it may call {model}")
        if status == 429 or status >= 500:
            return TransientChatError(detail, retry_after_seconds(error.response.headers.get("retry-after")))
        return ChatRequestError(detail)


register_chat_model("openai", OpenAIChat.from_settings)
