"""A time limit per claim that works from any thread: checks run in a helper process.

`signal.alarm` only works on the main thread and Prefect runs tasks in worker threads; a
thread cannot be stopped at all. So checks run in long-lived child processes
(`python -m mathcast.verify.worker`), spoken to in JSON lines, one per core at most, each
serving one thread at a time (lessons verified side by side do not queue behind one process);
a check that overruns is ended by killing its child, and a fresh one starts on the next call.
Only checks named in `checks.CHECKS` can be asked for, with plain JSON arguments.
"""

from __future__ import annotations

import json
import os
import queue
import select
import subprocess
import sys
from typing import Any

from mathcast.lesson import Verdict
from mathcast.verify.parse import MathParseError
from mathcast.verify.sets import Unverifiable


class CheckTimeout(TimeoutError):
    """A check ran past its time limit and was stopped."""


ERRORS: dict[str, type[Exception]] = {"parse": MathParseError, "unverifiable": Unverifiable}


class _Worker:
    """One checking process, started when first needed; used by one thread at a time."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None

    def _running(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "mathcast.verify.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        return self._process

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.wait(timeout=5)
            self._process = None

    def call(self, check: str, args: list[Any], seconds: float) -> Any:
        process = self._running()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(json.dumps({"check": check, "args": args}).encode() + b"\n")
        process.stdin.flush()
        ready, _, _ = select.select([process.stdout], [], [], seconds)
        if not ready:
            self._stop()
            raise CheckTimeout(f"gave up after {seconds:g} s")
        line = process.stdout.readline()
        if not line:  # the worker died (out of memory, a crash in a C extension)
            self._stop()
            raise CheckTimeout("the checking process died")
        reply = json.loads(line)
        if reply["ok"]:
            return reply["value"]
        raise ERRORS.get(reply["kind"], RuntimeError)(reply["message"])


_IDLE: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
for _ in range(min(4, os.cpu_count() or 1)):
    _IDLE.put(_Worker())  # no process yet: each starts on its first check


def run_limited(check: str, *args: Any, seconds: float) -> Any:
    """`checks.CHECKS[check](*args)` in a checking process; `CheckTimeout` past `seconds`."""
    worker = _IDLE.get()
    try:
        return worker.call(check, list(args), seconds)
    finally:
        _IDLE.put(worker)


def verdict_of(value: Any) -> Verdict:
    return Verdict.model_validate(value)
