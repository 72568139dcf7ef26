"""Credential blocks for the providers we reach over the network (DashScope, Azure Speech).

Storage credentials reuse prefect-aws's blocks; only these two are ours.
"""

from __future__ import annotations

from prefect.blocks.core import Block
from pydantic import Field, SecretStr


class DashScopeCredentials(Block):
    """An Alibaba Cloud Model Studio (DashScope) API key and endpoint."""

    _block_type_name = "DashScope Credentials"
    api_key: SecretStr = Field(description="DashScope API key (sk-...).")
    base_url: str = Field(
        default="https://dashscope.aliyuncs.com/api/v1", description="Native API base URL; intl or a proxy."
    )


class AzureSpeechCredentials(Block):
    """An Azure AI Speech resource key and its region (or a custom endpoint)."""

    _block_type_name = "Azure Speech Credentials"
    key: SecretStr = Field(description="Speech resource key.")
    region: str = Field(default="eastasia", description="Resource region, e.g. eastasia.")
    endpoint: str | None = Field(default=None, description="Custom endpoint URL instead of the region.")
    host: str | None = Field(
        default=None, description="A Speech container or proxy, e.g. ws://speech.school.lan:5000, instead."
    )
