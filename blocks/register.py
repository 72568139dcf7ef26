"""The block types mathcast's operators create: ours (credentials, settings) and the storage ones
(Prefect's LocalFileSystem, every prefect-aws block). Registering them lets the Prefect UI create and
edit documents of each; registration is idempotent."""

from __future__ import annotations

import inspect

import prefect_aws
from prefect.blocks.core import Block, InvalidBlockRegistration
from prefect.filesystems import LocalFileSystem

from blocks.credentials import AzureSpeechCredentials, DashScopeCredentials, OpenAICompatibleCredentials
from blocks.settings import MathcastSettings

MATHCAST_BLOCKS: list[type[Block]] = [
    DashScopeCredentials,
    OpenAICompatibleCredentials,
    AzureSpeechCredentials,
    MathcastSettings,
]


def block_types() -> list[type[Block]]:
    """Ours, then the storage ones; prefect-aws's are found in its package, so new ones come along."""
    aws = [kind for _, kind in inspect.getmembers(prefect_aws, inspect.isclass) if Block.is_block_class(kind)]
    return [*MATHCAST_BLOCKS, LocalFileSystem, *aws]


def register_block_types() -> list[type[Block]]:
    """Register every block type with the Prefect API; returns those registered (abstract ones are not)."""
    registered = []
    for kind in block_types():
        try:
            kind.register_type_and_schema()
        except InvalidBlockRegistration:
            continue
        registered.append(kind)
    return registered
