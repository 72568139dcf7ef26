"""Stage timings of a flow run: logged, announced to listeners (the CLI) and returned with the result."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prefect import get_run_logger

from mathcast.progress import StageTiming, emit


class StageClock:
    def __init__(self) -> None:
        self.timings: list[StageTiming] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the block; a stage that raises is not reported as done."""
        started = time.perf_counter()
        yield
        timing = StageTiming(stage=name, seconds=round(time.perf_counter() - started, 3))
        self.timings.append(timing)
        get_run_logger().info("%s done in %.1f s", name, timing.seconds)
        emit(timing)
