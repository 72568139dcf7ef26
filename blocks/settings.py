"""Non-secret choices saved in the Prefect API: which writer and voice each lesson uses, and where
artifacts go. `mathcast configure` saves them; a lesson run reads them when it starts.

Precedence, highest first: a flow run's parameters, `MATHCAST_*` environment variables, this
saved block, the defaults of `mathcast.settings.Settings`. Secrets are never here: they live in the
credential blocks (`blocks/credentials.py`) or the environment.
"""

from __future__ import annotations

from typing import Any

from prefect.blocks.core import Block
from pydantic import Field

from mathcast.settings import Settings

SETTINGS_BLOCK = "default"  # one saved choice per Prefect workspace; teams keep a workspace each
SAVED_FIELDS = ("writer", "tts", "store")


class MathcastSettings(Block):
    """Provider per role and the artifact store for mathcast lessons (no secrets)."""

    _block_type_name = "Mathcast Settings"
    writer: str | None = Field(
        default=None, description="Lesson writer (plan, solve, reflect): offline, dashscope, openai."
    )
    tts: str | None = Field(default=None, description="Speech synthesizer: espeak.")
    store: str | None = Field(
        default=None, description="Artifact store URL, e.g. block://s3-bucket/NAME or s3://bucket/prefix."
    )


def saved_settings(settings: Settings | None = None, fields: tuple[str, ...] = SAVED_FIELDS) -> Settings:
    """`settings` (from the environment by default) with the saved choices filling the `fields` it
    left unset; the API is asked only when one is unset (a local server may take seconds to start)."""
    settings = settings or Settings()
    unset = [f for f in fields if f not in settings.model_fields_set]
    if not unset:
        return settings
    try:
        saved: Any = MathcastSettings.load(SETTINGS_BLOCK)  # sync outside an event loop
    except ValueError:  # nothing saved yet: the environment and the defaults decide
        return settings
    chosen = {f: getattr(saved, f) for f in unset}
    return settings.model_copy(update={f: v for f, v in chosen.items() if v is not None})
