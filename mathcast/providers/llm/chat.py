"""Chat models behind one small interface: one call in, a typed result out, transient faults retried.

The clients (DashScope, OpenAI-compatible) only translate their SDK's replies and failures into
these types; retry policy and secret hygiene live here once, not in each client.
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, Self

from pydantic import Field, SecretStr

from mathcast.lesson import Model
from mathcast.settings import LLMSettings


class ChatMessage(Model):
    role: Literal["system", "user", "assistant"]
    content: str


class TokenUsage(Model):
    input_tokens: int = Field(default=0, ge=0)
    output_tokens: int = Field(default=0, ge=0)


class ChatResult(Model):
    """One model reply as the endpoint reported it."""

    text: str
    model: str
    usage: TokenUsage
    latency_ms: int = Field(ge=0, description="Wall time of the successful attempt.")
    attempts: int = Field(ge=1, description="1 + the transient failures retried before it.")
    request_id: str | None = None


class ChatError(RuntimeError):
    """A chat call failed; the message never carries the API key."""


class ChatAuthError(ChatError):
    """401/403: a wrong or unauthorised key. Retrying cannot help, so it fails at once."""


class MissingCredentialsError(ChatError):
    """No key configured: says where one is read from."""


class ChatRequestError(ChatError):
    """The endpoint refused the request itself (4xx other than 401/403/429): not retried."""


class ChatUnavailableError(ChatError):
    """Transient faults outlasted the retry budget."""


class TransientChatError(ChatError):
    """429, 5xx, a timeout or a dropped connection: worth another attempt."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class ChatModel(Protocol):
    provider: str

    @property
    def config_id(self) -> str:
        """Provider and endpoint (never the key): part of every cache key of the stages using it."""
        ...

    def complete(self, model: str, messages: Sequence[ChatMessage]) -> ChatResult: ...


CHAT_MODELS: dict[str, Callable[[LLMSettings], ChatModel]] = {}


def register_chat_model(name: str, factory: Callable[[LLMSettings], ChatModel]) -> None:
    CHAT_MODELS[name] = factory


def get_chat_model(name: str, settings: LLMSettings | None = None) -> ChatModel:
    from mathcast.providers.llm import dashscope_chat, openai_chat  # noqa: F401  (register themselves)

    try:
        factory = CHAT_MODELS[name]
    except KeyError:
        raise ValueError(
            f"unknown chat model {name!r}; available: {', '.join(sorted(CHAT_MODELS))}"
        ) from None
    return factory(settings or LLMSettings())


def redact(text: str, secret: SecretStr) -> str:
    """Endpoints and SDKs may echo what they were sent; a key must not survive into our messages."""
    value = secret.get_secret_value()
    return text.replace(value, "***") if value else text


def retry_after_seconds(value: str | None) -> float | None:
    """Retry-After in delta-seconds (the form rate limiters send); an HTTP date is ignored."""
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class _RedactSecrets(logging.Filter):
    """SDKs log response bodies at DEBUG; an endpoint that echoes the key would put it in the log."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, "***")
            record.msg, record.args = message, ()
        return True


_LOG_FILTER = _RedactSecrets()


def guard_logs(secret: SecretStr, loggers: Sequence[str]) -> None:
    """Redact `secret` from every record these loggers emit."""
    if secret.get_secret_value():
        _LOG_FILTER.secrets.add(secret.get_secret_value())
    for name in loggers:
        if _LOG_FILTER not in logging.getLogger(name).filters:
            logging.getLogger(name).addFilter(_LOG_FILTER)


@dataclass(frozen=True)
class KeySource:
    """Where a provider's key and endpoint come from. The key: the credentials block named in
    MATHCAST_LLM_CREDENTIALS_BLOCK (of this provider's type, blocks/credentials.py), else `key_env`.
    The endpoint: MATHCAST_LLM_BASE_URL, else the block's, else `url_env`, else `default_url`."""

    provider: str
    label: str  # how the provider is named in the error saying where a key comes from
    key_env: str
    url_env: str
    default_url: str
    key_hint: str = ""  # said after `key_env` in that error

    def resolve(self, settings: LLMSettings) -> tuple[SecretStr, str]:
        block_url = None
        if settings.credentials_block:
            from blocks.credentials import load_chat_credentials  # Prefect loads only when a block is named

            try:
                key, block_url = load_chat_credentials(self.provider, settings.credentials_block)
            except ValueError:
                raise MissingCredentialsError(
                    f"no saved {self.label} credentials block named {settings.credentials_block!r} "
                    f"(MATHCAST_LLM_CREDENTIALS_BLOCK): save one with `mathcast configure "
                    f"--name {settings.credentials_block} --{self.provider}-key-env VAR`"
                ) from None
        elif os.environ.get(self.key_env):
            key = SecretStr(os.environ[self.key_env])
        else:
            raise MissingCredentialsError(
                f"no {self.label} API key: set {self.key_env}{self.key_hint}, or save a key with "
                f"`mathcast configure --{self.provider}-key-env VAR` and name its block in "
                "MATHCAST_LLM_CREDENTIALS_BLOCK"
            )
        return key, settings.base_url or block_url or os.environ.get(self.url_env) or self.default_url


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff with full jitter; a server's Retry-After wins when it is longer."""

    retries: int = 3
    base_s: float = 1.0
    max_s: float = 30.0
    sleep: Callable[[float], None] = time.sleep

    @classmethod
    def from_settings(cls, settings: LLMSettings) -> RetryPolicy:
        return cls(retries=settings.retries, base_s=settings.backoff_s, max_s=settings.max_backoff_s)

    def delay(self, attempt: int, retry_after_s: float | None) -> float:
        backoff = random.uniform(0, min(self.max_s, self.base_s * 2 ** (attempt - 1)))
        return min(self.max_s, max(backoff, retry_after_s or 0.0))

    def run(self, send: Callable[[], ChatResult]) -> ChatResult:
        """Call `send` until it succeeds, a fault is not transient, or the retries are spent."""
        attempt = 1
        while True:
            started = time.monotonic()
            try:
                result = send()
            except TransientChatError as fault:
                if attempt > self.retries:
                    raise ChatUnavailableError(f"{fault} (gave up after {attempt} attempts)") from None
                self.sleep(self.delay(attempt, fault.retry_after_s))
                attempt += 1
                continue
            latency = round((time.monotonic() - started) * 1000)
            return result.model_copy(update={"attempts": attempt, "latency_ms": latency})


class EndpointChat:
    """What the HTTP clients share: a key kept secret, an endpoint, a timeout and the retry policy."""

    provider: str
    key_source: KeySource
    sdk_loggers: tuple[str, ...] = ()

    def __init__(
        self, api_key: SecretStr, base_url: str, timeout_s: float, temperature: float, retry: RetryPolicy
    ) -> None:
        guard_logs(api_key, self.sdk_loggers)
        self._key = api_key
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.temperature = temperature
        self.retry = retry

    @classmethod
    def from_settings(cls, settings: LLMSettings) -> Self:
        """The client with its key and endpoint from `key_source`, timeouts and retries from settings."""
        api_key, base_url = cls.key_source.resolve(settings)
        return cls(
            api_key, base_url, settings.timeout_s, settings.temperature, RetryPolicy.from_settings(settings)
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    @property
    def config_id(self) -> str:
        return f"{self.provider}@{self.base_url}"

    def redact(self, text: str) -> str:
        return redact(text, self._key)

    def complete(self, model: str, messages: Sequence[ChatMessage]) -> ChatResult:
        return self.retry.run(lambda: self._send(model, messages))

    def _send(self, model: str, messages: Sequence[ChatMessage]) -> ChatResult:
        """One attempt: a result, or a ChatError saying whether another attempt may help."""
        raise NotImplementedError
