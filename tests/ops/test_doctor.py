"""`mathcast doctor` passes on this machine, and names the fix for each thing a test takes away:
ffmpeg from PATH, the bucket, the block, the writer's key, the Prefect API."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mathcast.cli import app

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_harness")]
AREAS = {"system", "fonts", "latex", "voices", "credentials", "prefect", "store"}


def _doctor(*args: str) -> tuple[int, dict[str, dict[str, Any]]]:
    result = CliRunner().invoke(app, ["doctor", "--json", *args])
    checks = json.loads(result.stdout)
    return result.exit_code, {c["what"]: c for c in checks}


def _failed(checks: dict[str, dict[str, Any]]) -> list[str]:
    return [what for what, c in checks.items() if c["required"] and not c["ok"]]


@pytest.fixture(autouse=True)
def _offline_providers(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("MATHCAST_WRITER", "MATHCAST_TTS", "MATHCAST_STORE", "MATHCAST_LLM_CREDENTIALS_BLOCK"):
        monkeypatch.delenv(name, raising=False)


def test_doctor_passes_here(tmp_path: Path) -> None:
    code, checks = _doctor("--store", str(tmp_path))
    assert (code, _failed(checks)) == (0, [])
    assert {c["area"] for c in checks.values()} == AREAS
    assert checks["writer offline (in use)"]["ok"] and checks["tts espeak (in use)"]["ok"]
    assert (tmp_path / "doctor" / "write-check.txt").is_file()
    table = CliRunner().invoke(app, ["doctor", "--store", str(tmp_path)])
    assert table.exit_code == 0 and "ready to make lessons" in table.output


def test_without_ffmpeg_on_path_it_names_the_apt_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for directory in os.environ["PATH"].split(os.pathsep):
        for tool in Path(directory).glob("*") if Path(directory).is_dir() else []:
            if tool.name not in ("ffmpeg", "ffprobe") and not (bin_dir / tool.name).exists():
                (bin_dir / tool.name).symlink_to(tool)
    monkeypatch.setenv("PATH", str(bin_dir))
    code, checks = _doctor("--store", str(tmp_path / "store"))
    assert code == 1 and _failed(checks) == ["ffmpeg and ffprobe"]
    assert "apt-get install --no-install-recommends ffmpeg" in checks["ffmpeg and ffprobe"]["fix"]


@pytest.mark.parametrize(
    ("store", "fix"),
    [
        ("s3://no-such-bucket-xyz/lessons", "bucket 'no-such-bucket-xyz' does not exist"),
        ("block://s3-bucket/missing", "create it with `mathcast configure --name missing --s3-bucket"),
        ("ftp://host/x", "no artifact store for 'ftp://host/x'"),
    ],
)
def test_a_bad_store_names_the_fix(s3_env: str, store: str, fix: str) -> None:
    code, checks = _doctor("--store", store)
    assert code == 1 and _failed(checks) == [f"artifact store {store}"]
    assert fix in checks[f"artifact store {store}"]["fix"]


def test_the_writer_in_use_needs_its_key_and_the_key_is_never_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MATHCAST_WRITER", "dashscope")
    monkeypatch.delenv("DASHSCOPE_API_KEY", raising=False)
    code, checks = _doctor("--store", str(tmp_path))
    assert code == 1 and _failed(checks) == ["writer dashscope (in use)"]
    assert "set DASHSCOPE_API_KEY" in checks["writer dashscope (in use)"]["fix"]
    assert not checks["writer offline"]["required"]

    monkeypatch.setenv("DASHSCOPE_API_KEY", "sk-doctor-never-shown-31")
    result = CliRunner().invoke(app, ["doctor", "--store", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "sk-doctor-never-shown-31" not in result.output


def test_an_unreachable_prefect_api_names_the_fix(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/api"
    result = subprocess.run(
        [Path(sys.executable).parent / "mathcast", "doctor", "--json", "--store", str(tmp_path)],
        env={**os.environ, "PREFECT_API_URL": url},
        capture_output=True,
        text=True,
        timeout=180,
    )
    checks = {c["what"]: c for c in json.loads(result.stdout)}
    assert result.returncode == 1 and _failed(checks) == ["Prefect API"]
    assert checks["Prefect API"]["fix"].startswith(f"cannot reach the Prefect API at {url}: start it with")
