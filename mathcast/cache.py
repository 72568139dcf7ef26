"""Where mathcast's caches live, readable without the settings machinery: `mathcast align` must
start in a fraction of a second, and pydantic-settings alone costs a tenth of that."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_CACHE_DIR = Path.home() / ".cache" / "mathcast"


def cache_dir() -> Path:
    """MATHCAST_CACHE_DIR, as `Settings.cache_dir` reads it, or the default."""
    return Path(os.environ.get("MATHCAST_CACHE_DIR") or DEFAULT_CACHE_DIR)
