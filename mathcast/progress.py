"""Stage timings as events, so a CLI can print a line per stage without knowing the orchestrator."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from mathcast.lesson import Model


class StageTiming(Model):
    stage: str
    seconds: float


Listener = Callable[[StageTiming], None]
_listeners: list[Listener] = []


@contextmanager
def listening(listener: Listener) -> Iterator[None]:
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


def emit(timing: StageTiming) -> None:
    for listener in list(_listeners):
        listener(timing)
