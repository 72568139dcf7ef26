"""Analytic expressions from points: each step keeps the solutions of the conditions the points
give, and the answer passes every point and uses the coefficients the last step found."""

from __future__ import annotations

import sympy

from mathcast.lesson import Claim, Problem, Solution
from mathcast.verify.check import judged
from mathcast.verify.kinds.base import add_claim, reads, step_text


def _line_conditions(problem: Problem) -> str:
    """The given points as a system in k and b: y_i = k x_i + b."""
    k, b = sympy.symbols("k b")
    return "; ".join(sympy.latex(sympy.Eq(k * x + b, y), order="rev-lex") for x, y in problem.points)


@reads("linear_function")
def line_claims(problem: Problem, solution: Solution) -> list[Claim]:
    claims: list[Claim] = []
    given, unknowns = _line_conditions(problem), ",".join(problem.unknowns or ["k", "b"])
    before: str | None = None
    for step in solution.steps:
        after = step_text(step.equations)
        verdict = judged("check_step", given, unknowns, before, after)
        add_claim(claims, problem.id, "step_equivalence", f"step {step.index}: {after}", verdict)
        before = after
    points = [list(p) for p in problem.points]
    add_claim(
        claims,
        problem.id,
        "answer_satisfies",
        f"{solution.answer} passes {problem.points}",
        judged("check_line_through", solution.answer, points),
    )
    if before is not None:
        add_claim(
            claims,
            problem.id,
            "answer_matches_steps",
            f"{solution.answer} follows from {before}",
            judged("check_line_matches", before, unknowns, solution.answer),
        )
    return claims
