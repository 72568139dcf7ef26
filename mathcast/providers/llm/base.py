"""The lesson-writing roles (plan, solve, reflect) behind one small interface, chosen by name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol

from mathcast.lesson import Claim, Language, LessonPlan, Problem, Solution
from mathcast.providers.llm.usage import Exchange, UsageSummary


class LessonWriter(Protocol):
    """Writes plans, solves problems and corrects solutions. `config_id` enters every cache key."""

    name: str

    @property
    def config_id(self) -> str: ...

    def plan(self, topic: str, language: Language) -> LessonPlan: ...

    def solve(self, problem: Problem) -> Solution: ...

    def reflect(
        self, problem: Problem, solution: Solution, findings: Sequence[Claim], feedback: Sequence[str]
    ) -> Solution:
        """Correct `solution` given the verifier's findings and a reviewer's comments."""
        ...

    def usage(self) -> UsageSummary:
        """Tokens and cost of the model calls this writer made: stored beside each stage's output."""
        ...

    def exchange(self) -> Exchange:
        """Every prompt sent and reply received, in order: stored beside each stage's output."""
        ...


WRITERS: dict[str, Callable[[], LessonWriter]] = {}


def register_writer(name: str, factory: Callable[[], LessonWriter]) -> None:
    WRITERS[name] = factory


def available_writers() -> list[str]:
    from mathcast.providers.llm import offline, writer  # noqa: F401  (register themselves)

    return sorted(WRITERS)


def get_writer(name: str) -> LessonWriter:
    available_writers()
    try:
        return WRITERS[name]()
    except KeyError:
        raise ValueError(f"unknown lesson writer {name!r}; available: {', '.join(sorted(WRITERS))}") from None
