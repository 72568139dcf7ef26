"""Credential blocks for the providers we reach over the network (DashScope, any OpenAI-compatible
chat endpoint, Azure Speech).

Storage credentials reuse prefect-aws's blocks; only these three are ours.
"""

from __future__ import annotations

from typing import Any

from prefect.blocks.core import Block
from pydantic import Field, SecretStr


class DashScopeCredentials(Block):
    """An Alibaba Cloud Model Studio (DashScope) API key and endpoint."""

    _block_type_name = "DashScope Credentials"
    api_key: SecretStr = Field(description="DashScope API key (sk-...).")
    base_url: str = Field(
        default="https://dashscope.aliyuncs.com/api/v1", description="Native API base URL; intl or a proxy."
    )


class OpenAICompatibleCredentials(Block):
    """A key for an OpenAI-compatible chat endpoint: MathGPT, DashScope's compatible mode, a local vLLM."""

    _block_type_name = "OpenAI-Compatible Credentials"
    api_key: SecretStr = Field(description="API key (any non-empty value for a server that ignores it).")
    base_url: str | None = Field(
        default=None, description="Chat-completions base URL, e.g. http://vllm.lan:8000/v1; unset: OpenAI's."
    )


CHAT_CREDENTIALS: dict[str, type[DashScopeCredentials | OpenAICompatibleCredentials]] = {
    "dashscope": DashScopeCredentials,
    "openai": OpenAICompatibleCredentials,
}


def load_chat_credentials(provider: str, name: str) -> tuple[SecretStr, str | None]:
    """The key and endpoint in the named block of the provider's credentials type (ValueError if none)."""
    block: Any = CHAT_CREDENTIALS[provider].load(name)  # sync outside an event loop
    return block.api_key, block.base_url


class AzureSpeechCredentials(Block):
    """An Azure AI Speech resource key and its region (or a custom endpoint)."""

    _block_type_name = "Azure Speech Credentials"
    key: SecretStr = Field(description="Speech resource key.")
    region: str = Field(default="eastasia", description="Resource region, e.g. eastasia.")
    endpoint: str | None = Field(default=None, description="Custom endpoint URL instead of the region.")
    host: str | None = Field(
        default=None, description="A Speech container or proxy, e.g. ws://speech.school.lan:5000, instead."
    )
