"""Test-wide setup: an isolated Prefect home, no analytics, and one Prefect test server per session."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_PREFECT_HOME = tempfile.mkdtemp(prefix="mathcast-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# Render and TeX caches survive between runs, like a user's: the second run is fast.
os.environ.setdefault("MATHCAST_CACHE_DIR", str(Path.home() / ".cache" / "mathcast-tests"))


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "artifacts"
