from __future__ import annotations

import subprocess

import pytest
from prefect import flow, task

from quality.gate import GateResult, QualityGateError
from tasks.policy import RETRY

pytestmark = pytest.mark.integration


def _attempts_until_done(error: BaseException) -> tuple[int, str]:
    calls: list[int] = []

    @task(**{**RETRY, "retry_delay_seconds": 0})
    def flaky() -> str:
        calls.append(1)
        if len(calls) == 1:
            raise error
        return "done"

    @flow
    def run() -> str:
        return flaky()

    try:
        outcome = run()
    except Exception as raised:
        outcome = type(raised).__name__
    return len(calls), outcome


@pytest.mark.parametrize(
    "error", [TimeoutError("slow"), ConnectionError("reset"), subprocess.TimeoutExpired("manim", 1)]
)
def test_transient_faults_are_retried(prefect_harness: None, error: BaseException) -> None:
    attempts, outcome = _attempts_until_done(error)
    assert (attempts, outcome) == (2, "done")


@pytest.mark.parametrize(
    "error",
    [ValueError("bad input"), QualityGateError(GateResult(gate="g", success=False, checks=[], facts=[]))],
)
def test_other_failures_fail_at_once(prefect_harness: None, error: BaseException) -> None:
    attempts, outcome = _attempts_until_done(error)
    assert (attempts, outcome) == (1, type(error).__name__)
