"""A time limit per stage, from settings: defaults on every stage task, overrides by env, a run past
its limit fails TimedOut and is retried like any transient fault."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
import time

import pytest
from prefect import flow, task
from pydantic import ValidationError

from mathcast.settings import STAGE_TIMEOUTS_S, Settings
from tasks.policy import RETRY

STAGE_TASKS = {
    "generate": "tasks.generate:generate",
    "solve": "tasks.solve:solve",
    "reflect": "tasks.reflect:reflect",
    "verify": "tasks.verify:verify",
    "content_gate": "tasks.content_gate:content_gate",
    "review_packet": "tasks.review:review_packet",
    "review": "tasks.review:review",
    "speak": "tasks.speak:speak",
    "align": "tasks.align:align",
    "mux": "tasks.mux:mux",
    "media_gate": "tasks.media_gate:media_gate",
    "publish": "tasks.publish:publish",
}


def _task(path: str) -> object:
    module, name = path.split(":")
    return getattr(importlib.import_module(module), name)


def test_every_stage_task_carries_its_default_limit() -> None:
    assert set(STAGE_TASKS) == set(STAGE_TIMEOUTS_S)
    for stage, path in STAGE_TASKS.items():
        assert getattr(_task(path), "timeout_seconds", None) == STAGE_TIMEOUTS_S[stage], stage
    # renders run in a pool of threads where Prefect cannot interrupt manim: its subprocess has the limit
    assert getattr(_task("tasks.render:render"), "timeout_seconds", "unset") is None


def test_an_override_replaces_only_the_stages_it_names() -> None:
    env = {**os.environ, "MATHCAST_STAGE_TIMEOUTS_S": json.dumps({"speak": 3600, "mux": 60})}
    probe = "import tasks.speak, tasks.mux, tasks.align; print(tasks.speak.speak.timeout_seconds, tasks.mux.mux.timeout_seconds, tasks.align.align.timeout_seconds)"  # noqa: E501
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["3600.0", "60.0", str(float(STAGE_TIMEOUTS_S["align"]))]


@pytest.mark.parametrize(
    ("value", "says"),
    [({"speek": 10}, "no stage named speek"), ({"speak": 0}, "at least 1")],
)
def test_a_wrong_override_says_what_to_fix(
    monkeypatch: pytest.MonkeyPatch, value: dict[str, int], says: str
) -> None:
    monkeypatch.setenv("MATHCAST_STAGE_TIMEOUTS_S", json.dumps(value))
    with pytest.raises(ValidationError, match=says):
        Settings()


@pytest.mark.integration
def test_a_stage_past_its_limit_times_out_and_is_retried(prefect_harness: None) -> None:
    attempts: list[float] = []

    @task(**{**RETRY, "retry_delay_seconds": 0}, timeout_seconds=0.5)
    def stuck() -> str:
        attempts.append(time.monotonic())
        for _ in range(600):  # 30 s of short blocking calls: the limit lands between two of them
            time.sleep(0.05)
        return "never"

    @flow
    def run() -> str:
        return stuck()

    started = time.monotonic()
    state = run(return_state=True)
    assert state.is_failed() and len(attempts) == 1 + RETRY["retries"]
    assert time.monotonic() - started < 20
    assert "timeout" in (state.message or "").lower() or "TimedOut" in str(state)
