"""The offline expert: sympy underneath, steps written for students in Chinese and English.

Each module registers the kinds it solves (`@solves`); a problem of any other kind, or a case a
solver does not cover, raises UnsupportedProblemError instead of a guess.
"""

from __future__ import annotations

from mathcast.content.solvers import (  # noqa: F401  (each registers its kinds)
    calculus,
    counting,
    equations,
    functions,
    inequalities,
    sequences,
    triangles,
    trig,
    vectors,
)
from mathcast.content.solvers.base import AUTHOR, SOLVERS, UnsupportedProblemError
from mathcast.lesson import Problem, Solution

__all__ = ["AUTHOR", "SOLVERS", "UnsupportedProblemError", "solve"]


def solve(problem: Problem) -> Solution:
    solver = SOLVERS.get(problem.kind)
    if solver is None:
        raise UnsupportedProblemError(
            f"{problem.id}: the offline expert does not solve {problem.kind} problems; "
            f"it solves {', '.join(sorted(SOLVERS))}"
        )
    return solver(problem)
