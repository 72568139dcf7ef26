"""The retry policy every stage shares: back off with jitter, and retry only transient faults."""

from __future__ import annotations

import subprocess
from typing import Any

from prefect.tasks import exponential_backoff

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
