"""The curriculum flow end to end on real lessons at low quality: bad rows reported by line while the
rest run, a duplicate made once, a failing lesson that stops nobody, run names and tags that say
what is made, a progress artifact and a table artifact, and `mathcast bulk` around it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from prefect import get_client
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterTags
from typer.testing import CliRunner

from mathcast.cli import app
from mathcast.curriculum import CurriculumReport, artifact_key
from mathcast.providers.tts.base import SYNTHESIZERS, SpeechError

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.render]

BROKEN_VOICE = "broken-voice"


class BrokenVoice:
    """A voice whose engine is not installed: every use fails, as a broken TTS setup would."""

    name = BROKEN_VOICE

    def __getattr__(self, attribute: str) -> Any:
        raise SpeechError(f"{BROKEN_VOICE}: the speech engine is not installed (asked for {attribute})")


@pytest.fixture
def broken_voice(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setitem(SYNTHESIZERS, BROKEN_VOICE, BrokenVoice)
    return BROKEN_VOICE


def manifest(tmp_path: Path, grade: str) -> Path:
    path = tmp_path / "unit.yaml"
    path.write_text(
        f"""\
name: bulk test {grade}
defaults: {{grade: {grade}, quality: low}}
lessons:
  - topic: 一次函数
  - topic: 函数的概念
  - {{topic: 一次函数的图像和性质, tags: [复习]}}
  - topic: 复数的几何意义
  - {{topic: 函数的概念, quality: ultra}}
  - {{topic: 指数函数, voice: {BROKEN_VOICE}}}
""",
        encoding="utf-8",
    )
    return path


def test_a_curriculum_runs_every_good_row_and_reports_every_line(
    tmp_path: Path, prefect_harness: None, broken_voice: str
) -> None:
    from flows.curriculum import curriculum

    grade = f"t{uuid.uuid4().hex[:8]}"  # tags this test's lesson runs apart from the session's others
    path = manifest(tmp_path, grade)
    report = curriculum(manifest=str(path), concurrency=2, store=str(tmp_path / "store"))

    assert isinstance(report, CurriculumReport)
    rows = {row.line: row for row in report.rows}
    assert sorted(rows) == [4, 5, 6, 7, 8, 9]
    assert (rows[4].state, rows[5].state, rows[6].state) == ("Completed", "Completed", "Completed")
    assert rows[6].note == "same lesson as line 4" and rows[6].video == rows[4].video
    assert Path(rows[4].video).is_file() and Path(rows[5].video).is_file() and rows[4].video != rows[5].video
    assert rows[4].content_gate == "passed" and rows[4].review == "approve (policy)"
    assert rows[7].state == "Invalid" and "复数的几何意义" in rows[7].note
    assert rows[8].state == "Invalid" and "quality" in rows[8].note
    assert rows[9].state == "Failed" and "speech engine is not installed" in rows[9].note
    assert rows[9].topic == "指数函数"

    with get_client(sync_client=True) as client:
        runs = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[f"grade:{grade}"]))
        )
        by_name = {run.name: run for run in runs}
        # three lessons ran: the duplicate on line 6 was not made again
        assert sorted(by_name) == [
            "一次函数的图像和性质 [zh-CN, low]",
            "函数的概念 [zh-CN, low]",
            "指数函数 [zh-CN, low]",
        ]
        assert {"curriculum", "family:函数与方程", f"grade:{grade}"} <= set(
            by_name["一次函数的图像和性质 [zh-CN, low]"].tags
        )
        assert "family:代数基础" in by_name["函数的概念 [zh-CN, low]"].tags
        assert by_name["指数函数 [zh-CN, low]"].state_name == "Failed"
        assert all(run.parent_task_run_id is not None for run in runs)  # subflows of the curriculum

        name = f"bulk test {grade}"
        table = client.read_latest_artifacts(artifact_filter=_key_filter(artifact_key(name, "lessons")))
        progress = client.read_latest_artifacts(artifact_filter=_key_filter(artifact_key(name, "progress")))
    assert len(table) == 1 and len(progress) == 1
    assert progress[0].data == 100.0
    shown = table[0].data if isinstance(table[0].data, list) else json.loads(str(table[0].data))
    assert [(r["line"], r["state"]) for r in shown] == [(row.line, row.state) for row in report.rows]


def _key_filter(key: str) -> Any:
    from prefect.client.schemas.filters import ArtifactCollectionFilter, ArtifactCollectionFilterKey

    return ArtifactCollectionFilter(key=ArtifactCollectionFilterKey(any_=[key]))


def test_bulk_shows_progress_and_the_table_and_exits_2_for_bad_rows(
    tmp_path: Path, prefect_harness: None
) -> None:
    path = tmp_path / "two.csv"
    path.write_text(
        "topic,quality,grade\n一次函数,low,10\n复数,low,10\n一次函数的图像和性质,low,10\n", encoding="utf-8"
    )
    result = CliRunner().invoke(
        app, ["bulk", str(path), "--concurrency", "1", "--store", str(tmp_path / "store")]
    )
    output = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "line 3:" in output and "复数" in output  # reported before any lesson runs
    assert re.search(r"lessons ━+ 1/1", output)  # the overall bar, full
    assert re.search(r"一次函数的图像和性质 \[zh-CN, low\] Completed ━+ 12/12", output)
    assert "Completed" in output and "same lesson as line 2" in output
    assert "1 manifest lines are invalid" in output


def test_lessons_fan_out_to_workers_as_runs_of_the_lesson_deployment(
    tmp_path: Path, prefect_harness: None
) -> None:
    from prefect.settings import PREFECT_API_URL

    from bench.bulk import REPO
    from flows.curriculum import curriculum

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value()), "MATHCAST_HOME": str(REPO)}
    deployed = subprocess.run(
        [str(Path(sys.executable).parent / "mathcast"), "deploy", "lesson"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert deployed.returncode == 0, deployed.stdout[-2000:] + deployed.stderr[-2000:]
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "worker",
            "start",
            "--pool",
            "mathcast-process",
            "--type",
            "process",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        grade = f"w{uuid.uuid4().hex[:8]}"
        path = tmp_path / "one.yaml"
        path.write_text(
            f"lessons:\n  - {{topic: 一次函数, quality: low, grade: {grade}}}\n", encoding="utf-8"
        )
        report = curriculum(
            manifest=str(path),
            concurrency=1,
            store=str(tmp_path / "store"),
            lesson_deployment="lesson/lesson",
        )
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
    (row,) = report.rows
    assert row.state == "Completed", row.note
    assert Path(row.video).is_file() and row.content_gate == "passed"
    with get_client(sync_client=True) as client:
        (run,) = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[f"grade:{grade}"]))
        )
    assert (
        run.deployment_id is not None and run.parent_task_run_id is not None
    )  # a worker's run, linked as a subflow
