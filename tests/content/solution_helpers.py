"""Shared by the offline-expert tests: solve and verify, and change one line of a solution."""

from __future__ import annotations

from mathcast.content.solvers import solve
from mathcast.lesson import Claim, Problem, Solution, Step
from mathcast.verify.claims import solution_claims


def assert_every_claim_verified(problem: Problem, at_least: int = 3) -> None:
    claims = solution_claims(problem, solve(problem))
    assert len(claims) >= at_least
    assert {c.verdict.verdict for c in claims} == {"verified"}, [
        c for c in claims if c.verdict.verdict != "verified"
    ]


def refuted(problem: Problem, solution: Solution) -> list[Claim]:
    return [c for c in solution_claims(problem, solution) if c.verdict.verdict == "refuted"]


def refuted_kinds(problem: Problem, solution: Solution) -> list[str]:
    return [c.kind for c in refuted(problem, solution)]


def refuted_statements(problem: Problem, solution: Solution) -> list[str]:
    return [c.statement for c in refuted(problem, solution)]


def with_line(solution: Solution, step: int, line: int, text: str) -> Solution:
    """The solution with line `line` of step `step` replaced by `text`."""
    steps = list(solution.steps)
    equations = list(steps[step].equations)
    equations[line] = text
    steps[step] = Step(index=step, equations=equations, explanation=steps[step].explanation)
    return solution.model_copy(update={"steps": steps})
