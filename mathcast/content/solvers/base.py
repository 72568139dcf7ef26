"""The offline expert's registry: one solver per problem kind, each writing steps a student can follow."""

from __future__ import annotations

from collections.abc import Callable

from mathcast.lesson import Problem, ProblemKind, Solution
from mathcast.registry import registrar

AUTHOR = "offline-sympy"

Solver = Callable[[Problem], Solution]
SOLVERS: dict[ProblemKind, Solver] = {}


class UnsupportedProblemError(ValueError):
    """A problem the offline expert cannot solve (a kind or a case it does not cover); an LLM can."""


solves = registrar(SOLVERS, "offline solvers")
