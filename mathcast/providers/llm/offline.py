"""The default writer: the topic catalog plans, the symbolic expert solves and corrects."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from mathcast.content import catalog, solvers
from mathcast.lesson import Claim, Language, LessonPlan, Problem, Solution
from mathcast.providers.llm.base import register_writer
from mathcast.providers.llm.usage import Exchange, UsageSummary


class OfflineWriter:
    name = "offline"

    @cached_property
    def config_id(self) -> str:
        """Changes whenever a catalog file or a solver changes, so cached stages re-run."""
        sha = hashlib.sha256()
        solver_sources = Path(solvers.__file__).parent.glob("*.py")
        for path in sorted([*catalog.TOPICS_DIR.glob("*.yaml"), *solver_sources]):
            sha.update(path.read_bytes())
        return f"offline:{sha.hexdigest()[:16]}"

    def plan(self, topic: str, language: Language) -> LessonPlan:
        return catalog.lookup(topic, language)

    def solve(self, problem: Problem) -> Solution:
        return solvers.solve(problem)

    def reflect(
        self, problem: Problem, solution: Solution, findings: Sequence[Claim], feedback: Sequence[str]
    ) -> Solution:
        """The symbolic expert's own solution replaces a refuted one or one a reviewer sent back;
        it cannot read free-text comments, so the reflection notes keep them for the reviewer."""
        if feedback or any(c.verdict.verdict == "refuted" for c in findings):
            return solvers.solve(problem)
        return solution

    def usage(self) -> UsageSummary:
        return UsageSummary()  # no model calls

    def exchange(self) -> Exchange:
        return Exchange()


register_writer("offline", OfflineWriter)
