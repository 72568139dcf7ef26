"""Non-secret settings, from MATHCAST_* environment variables, read when used (never at import)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mathcast.cache import DEFAULT_CACHE_DIR
from mathcast.lesson import Language, Quality, SectionKind

STAGE_TIMEOUTS_S: dict[str, int] = {
    "generate": 900,  # model calls, each under its own request timeout and retries
    "solve": 900,
    "reflect": 900,
    "verify": 600,  # each claim checked in a child process under its own time limit
    "content_gate": 300,
    "review_packet": 300,
    "review": 300,  # records the decision; the wait for a person is `review_timeout_s`
    "speak": 1800,  # one synthesis per segment
    "align": 900,
    "mux": 1800,
    "media_gate": 600,
    "publish": 300,
}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MATHCAST_", frozen=True)

    store: str = Field(default="./artifacts", description="Artifact store URL or directory.")
    cache_dir: Path = Field(default=DEFAULT_CACHE_DIR, description="TeX and render caches.")
    writer: str = Field(default="offline", description="Lesson writer (plan, solve, reflect) by name.")
    tts: str = Field(default="espeak", description="Speech synthesizer by name: espeak, azure, recorded.")
    recorded_narration: Path | None = Field(
        default=None,
        description="For tts=recorded: a directory with one audio file per segment, named by segment id "
        "(s1.m4a ...), or one audio file of the whole lesson, cut into segments by forced alignment.",
    )
    recorded_min_confidence: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="A cut of a whole recording aligned less surely than this fails; unset: the aligner's "
        "own low-confidence mark.",
    )
    language: Language = "zh-CN"
    quality: Quality = "medium"
    music: str | None = Field(
        default=None, description="Background music under the narration: an audio file or a store key."
    )
    music_gain_db: float = Field(
        default=0.0, ge=-30, le=12, description="Added to the music's bed level, 16 LU under the voice."
    )
    reflect_rounds: int = Field(default=2, ge=1, le=5)
    render_workers: int = Field(default=2, ge=1, le=32)
    revise_rounds: int = Field(
        default=2, ge=0, le=5, description="Reflect rounds a failed gate or a reviewer's changes may start."
    )
    auto_approve: bool = Field(
        default=True, description="Approve lessons the content gate passed; flagged ones always wait."
    )
    review_timeout_s: int = Field(
        default=86_400, ge=1, le=7 * 86_400, description="How long a paused run waits for a reviewer."
    )
    review_poll_s: int = Field(
        default=10, ge=1, le=300, description="How often a paused run checks for an answer."
    )
    stage_timeouts_s: dict[str, int] = Field(
        default_factory=lambda: dict(STAGE_TIMEOUTS_S),
        description=(
            "Seconds each stage task may run, as JSON, e.g. '{\"speak\": 3600}': the stages named replace "
            "their defaults. Read when the task modules load, once per flow-run process."
        ),
    )

    @field_validator("stage_timeouts_s")
    @classmethod
    def _known_stages(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(value) - set(STAGE_TIMEOUTS_S))
        if unknown:
            raise ValueError(f"no stage named {', '.join(unknown)}; stages: {', '.join(STAGE_TIMEOUTS_S)}")
        if any(seconds < 1 for seconds in value.values()):
            raise ValueError("a stage timeout is a whole number of seconds, at least 1")
        return {**STAGE_TIMEOUTS_S, **value}


class LLMSettings(BaseSettings):
    """How the LLM writers reach their models. Keys are not here: they come from a block or env."""

    model_config = SettingsConfigDict(env_prefix="MATHCAST_LLM_", frozen=True)

    base_url: str | None = Field(
        default=None, description="Endpoint instead of the provider's default (a proxy, intl, a local vLLM)."
    )
    plan_model: str | None = Field(
        default=None, description="Writes the plan; the provider's default if unset."
    )
    solve_model: str | None = Field(default=None, description="The expert that solves the worked examples.")
    reflect_model: str | None = Field(default=None, description="Checks and corrects the expert.")
    credentials_block: str | None = Field(
        default=None,
        description="Name of a saved credentials block of the writer's provider (DashScope or "
        "OpenAI-Compatible Credentials); else DASHSCOPE_API_KEY or OPENAI_API_KEY.",
    )
    temperature: float = Field(default=0.2, ge=0, le=2)
    timeout_s: float = Field(default=120, gt=0, le=900, description="Per request.")
    retries: int = Field(default=3, ge=0, le=8, description="Retries of 429, 5xx and timeouts.")
    backoff_s: float = Field(default=1.0, ge=0, le=60, description="First backoff; doubles per retry.")
    max_backoff_s: float = Field(default=30.0, ge=0, le=600)
    prices: dict[str, tuple[float, float]] = Field(
        default={
            "qwen-turbo": (0.3, 0.6),
            "qwen-plus": (0.8, 2.0),
            "qwen-max": (2.4, 9.6),
            "qwen-math-plus": (4.0, 12.0),
            "qwen-math-turbo": (2.0, 6.0),
        },
        description="CNY per million (input, output) tokens, for the cost estimate; list prices, 2025.",
    )


# SSML prosody values: a relative change (+10%, -2st, +5Hz) or a named level
_PROSODY = r"^(?:[+-]?\d{1,3}(?:\.\d+)?%|[+-]\d{1,3}(?:Hz|st)|(?:x-)?(?:slow|fast|low|high)|medium|default)$"


class AzureSpeechSettings(BaseSettings):
    """Where Azure Speech is and how its voices speak. The key is not here: a block or AZURE_SPEECH_KEY."""

    model_config = SettingsConfigDict(env_prefix="MATHCAST_AZURE_", frozen=True)

    host: str | None = Field(
        default=None, description="A Speech container or proxy (ws://127.0.0.1:5000) instead of a region."
    )
    endpoint: str | None = Field(default=None, description="A custom endpoint URL instead of the region.")
    region: str | None = Field(
        default=None,
        validation_alias=AliasChoices("MATHCAST_AZURE_REGION", "AZURE_SPEECH_REGION"),
        description="The Speech resource's region, e.g. eastasia.",
    )
    credentials_block: str | None = Field(
        default=None, description="Name of a saved Azure Speech Credentials block; else AZURE_SPEECH_KEY."
    )
    voices: dict[Language, str] = Field(
        default={"zh-CN": "zh-CN-XiaoxiaoNeural", "en-US": "en-US-JennyNeural"},
        description="The neural voice per language.",
    )
    styles: dict[SectionKind, str] = Field(
        default={
            "intro": "cheerful",
            "explain": "calm",
            "example": "calm",
            "interact": "friendly",
            "summary": "gentle",
        },
        description="mstts:express-as style per section kind, used where the voice has that style.",
    )
    style_degree: float = Field(default=1.0, ge=0.01, le=2, description="How strongly a style is applied.")
    rate: str = Field(default="+0%", pattern=_PROSODY, description="SSML prosody rate, e.g. -10% or slow.")
    pitch: str = Field(default="+0%", pattern=_PROSODY, description="SSML prosody pitch, e.g. +2st or low.")
    timeout_s: float = Field(
        default=60,
        gt=0,
        le=900,
        description="Per clip: a service that stops answering is given up on, then retried.",
    )
    retries: int = Field(default=3, ge=0, le=8, description="Retries of throttling, server faults, timeouts.")
    backoff_s: float = Field(default=1.0, ge=0, le=60, description="First backoff; doubles per retry.")
    max_backoff_s: float = Field(default=30.0, ge=0, le=600)
