"""The policy every stage shares: back off with jitter, retry only transient faults, stop at a time limit."""

from __future__ import annotations

import subprocess
from typing import Any

from prefect.tasks import exponential_backoff

from mathcast.settings import Settings

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (TimeoutError, ConnectionError, subprocess.TimeoutExpired)


def only_transient(task: Any, task_run: Any, state: Any) -> bool:
    """Retry timeouts and dropped connections; a wrong input or a failed gate fails at once."""
    try:
        state.result(raise_on_failure=True)
    except TRANSIENT_ERRORS:
        return True
    except Exception:
        return False
    return False


RETRY: dict[str, Any] = {
    "retries": 2,
    "retry_delay_seconds": exponential_backoff(backoff_factor=2),
    "retry_jitter_factor": 0.5,
    "retry_condition_fn": only_transient,
}


def stage_timeout(stage: str) -> float:
    """The stage's limit (`Settings.stage_timeouts_s`), read as its task module loads. A run past it
    fails with TaskRunTimeoutError, a TimeoutError, so it is retried like any transient fault. On the
    main thread the limit interrupts the stage; a lesson in a worker thread (a curriculum run) is
    stopped once its blocking call returns, so subprocesses and model requests keep their own limits."""
    return float(Settings().stage_timeouts_s[stage])
