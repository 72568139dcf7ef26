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
