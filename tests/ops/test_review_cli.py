"""`mathcast review` end to end under Prefect's test server: a lesson run pauses for review, the CLI
lists it, shows its packet, and its answers resume the run (approve, request changes, reject)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from prefect import flow
from typer.testing import CliRunner, Result

from flows.review import Reviewed, reviewed_content
from flows.timing import StageClock
from mathcast.cli import app
from mathcast.lesson import Language, Quality
from mathcast.review import Review, ReviewPolicy, packet_key
from mathcast.settings import Settings
from mathcast.stages import Reflections
from mathcast.store import get_model, open_store
from tasks.generate import generate
from tasks.solve import solve

pytestmark = [pytest.mark.integration, pytest.mark.usefixtures("prefect_harness")]
TOPIC = "一次函数的图像和性质"
NO_RUN = "00000000-0000-4000-8000-000000000000"


@flow(name="lesson", flow_run_name="{topic} [{language}, {quality}]")
def content_lesson(topic: str, language: Language, quality: Quality, store: str) -> Reviewed:
    """The lesson flow up to its review, the only part the review commands touch."""
    settings = Settings(review_poll_s=1, review_timeout_s=120, revise_rounds=1)
    plan = generate(store, topic, language, "offline")
    solutions = solve(store, plan, "offline")
    return reviewed_content(
        StageClock(),
        store,
        plan,
        solutions,
        "offline",
        settings,
        ReviewPolicy(auto_approve=False),
        artifact_key=packet_key(topic, language, quality),
    )


def _run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _waiting(topic: str, quality: str) -> list[dict[str, Any]]:
    listed = _run("review", "list", "--json")
    assert listed.exit_code == 0, listed.output
    return [w for w in json.loads(listed.stdout) if (w["topic"], w["quality"]) == (topic, quality)]


def _until_waiting(future: Future[Reviewed], topic: str, quality: str) -> dict[str, Any]:
    deadline = time.monotonic() + 90
    while not (found := _waiting(topic, quality)):
        assert not future.done(), future.exception()
        assert time.monotonic() < deadline, "the lesson run never paused for review"
        time.sleep(0.5)
    assert len(found) == 1
    return found[0]


@pytest.fixture
def background() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool


def _notes(store: str, reviewed: Reviewed) -> list[str]:
    reflections = get_model(open_store(store), reviewed.reflected.reflections.key, Reflections)
    return [note for r in reflections.items for note in r.notes]


def test_list_show_request_changes_then_approve(background: ThreadPoolExecutor, tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "artifacts")).url
    future = background.submit(content_lesson, TOPIC, "zh-CN", "low", store)
    waiting = _until_waiting(future, TOPIC, "low")
    assert (waiting["language"], waiting["gate"]) == ("zh-CN", "passed")
    assert waiting["packet"] == packet_key(TOPIC, "zh-CN", "low")
    run_id = waiting["id"]

    table = _run("review", "list")
    assert run_id[:8] in table.output and TOPIC in table.output and "passed" in table.output

    shown = _run("review", "show", run_id[:8])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("# Review: ") and "## Worked solution" in shown.stdout

    run_name = f"{TOPIC} [zh-CN, low]"
    sent_back = _run("review", "request-changes", run_name, "-m", "每一步说明理由", "--reviewer", "ana")
    assert sent_back.exit_code == 0, sent_back.output
    assert "sent back for changes" in sent_back.output

    again = _until_waiting(future, TOPIC, "low")  # reflect ran with the comment; the lesson is back
    assert again["id"] == run_id
    approved = _run("review", "approve", run_id, "--reviewer", "ana")
    assert approved.exit_code == 0, approved.output

    reviewed = future.result(timeout=90)
    assert "reviewer: 每一步说明理由" in _notes(store, reviewed)
    review = get_model(open_store(store), reviewed.review.key, Review)
    assert (review.decision, review.reviewer) == ("approve", "ana")

    finished = _run("review", "approve", run_id)
    assert finished.exit_code == 2
    assert "is not waiting for review" in " ".join(finished.output.split())


def test_reject_needs_a_comment_and_ends_the_run(background: ThreadPoolExecutor, tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "artifacts")).url
    future = background.submit(content_lesson, TOPIC, "zh-CN", "medium", store)
    run_id = _until_waiting(future, TOPIC, "medium")["id"]

    bare = _run("review", "reject", run_id)
    assert bare.exit_code == 2 and "reject needs --comment" in bare.output
    assert _waiting(TOPIC, "medium")  # still waiting

    rejected = _run("review", "reject", run_id, "--comment", "例题太简单", "--reviewer", "ana")
    assert rejected.exit_code == 0, rejected.output
    with pytest.raises(Exception, match="rejected by ana: 例题太简单"):
        future.result(timeout=90)


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        (str(NO_RUN), f"no flow run has the id {NO_RUN}"),
        ("zzzz", "no lesson run matches 'zzzz'"),
        (" ", "give a run id, a prefix of one, or a run name"),
    ],
)
def test_an_unknown_run_names_the_list_command(run: str, expected: str) -> None:
    result = _run("review", "approve", run)
    output = " ".join(result.output.split())
    assert result.exit_code == 2
    assert expected in output and "mathcast review list" in output


def test_an_unreachable_api_names_the_fix() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/api"
    env = {**os.environ, "PREFECT_API_URL": url}
    result = subprocess.run(
        [Path(sys.executable).parent / "mathcast", "review", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 2, output
    assert f"cannot reach the Prefect API at {url}: start it with `prefect server start`" in output
    assert "or set PREFECT_API_URL" in output
