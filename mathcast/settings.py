"""Non-secret settings, from MATHCAST_* environment variables, read when used (never at import)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from mathcast.lesson import Language, Quality


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MATHCAST_", frozen=True)

    store: str = Field(default="./artifacts", description="Artifact store URL or directory.")
    cache_dir: Path = Field(default=Path.home() / ".cache" / "mathcast", description="TeX and render caches.")
    writer: str = Field(default="offline", description="Lesson writer (plan, solve, reflect) by name.")
    tts: str = Field(default="espeak", description="Speech synthesizer by name.")
    language: Language = "zh-CN"
    quality: Quality = "medium"
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
