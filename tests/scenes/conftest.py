"""Fixtures for scene tests: a shared TeX/text cache and a sandbox for in-process manim objects."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def scene_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """TeX and text caches shared by the session (and by later runs when MATHCAST_CACHE_DIR is set)."""
    root = os.environ.get("MATHCAST_CACHE_DIR")
    return Path(root) / "scenes" if root else tmp_path_factory.mktemp("scene-cache")


@pytest.fixture
def manim_media(tmp_path: Path) -> Iterator[None]:
    """In-process manim objects write their TeX and text caches to a temp dir, not the cwd."""
    from manim import tempconfig

    with tempconfig({"media_dir": str(tmp_path / "media")}):
        yield
