from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from mathcast.cli import app
from mathcast.system import MissingSystemDependency, Requirement, require_system


def test_missing_tool_names_the_package_to_install() -> None:
    needs = [Requirement(what="a render engine", package="no-such-pkg", commands=["no-such-binary-xyz"])]
    with pytest.raises(MissingSystemDependency, match="apt-get install --no-install-recommends no-such-pkg"):
        require_system(needs)


def test_cli_stops_before_any_stage_when_system_tools_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = CliRunner().invoke(app, ["demo", "--store", str(tmp_path / "store")])
    assert result.exit_code == 2
    assert "ffmpeg" in result.output and "fonts-noto-cjk" in result.output
    assert not (tmp_path / "store").exists()


@pytest.mark.integration
def test_unknown_topic_is_a_clear_error_and_writes_nothing(tmp_path: Path, prefect_harness: None) -> None:
    store = tmp_path / "store"
    result = CliRunner().invoke(app, ["run", "复数的几何意义", "--quality", "low", "--store", str(store)])
    assert result.exit_code == 2, result.output
    output = " ".join(result.output.split())
    assert "复数的几何意义" in output and "一次函数的图像和性质" in output and "--writer" in output
    assert not store.exists() or [p for p in store.rglob("*") if p.is_file()] == []


@pytest.mark.integration
def test_a_missing_music_file_stops_the_lesson_before_any_stage(
    tmp_path: Path, prefect_harness: None
) -> None:
    store, music = tmp_path / "store", tmp_path / "no-such-bed.mp3"
    result = CliRunner().invoke(
        app, ["demo", "--quality", "low", "--store", str(store), "--music", str(music), "--music-gain", "-6"]
    )
    assert result.exit_code == 2, result.output
    assert f"background music {music} is neither a file nor a key" in " ".join(result.output.split())
    assert not store.exists() or [p for p in store.rglob("*") if p.is_file()] == []
