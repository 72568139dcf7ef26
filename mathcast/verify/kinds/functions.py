"""Analytic expressions from points: each step keeps the solutions of the conditions the points
(and the vertex) give on the coefficients, formula lines hold with the true coefficients, and the
answer passes every point, has the given vertex and, for a parabola, is a quadratic."""

from __future__ import annotations

import re

import sympy

from mathcast.lesson import Claim, Problem, Solution, Verdict
from mathcast.verify.check import judged
from mathcast.verify.kinds.base import add_claim, reads, step_text
from mathcast.verify.kinds.values import Names, chain_claims, fact_vector, guarded
from mathcast.verify.sets import Unverifiable


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


# --- y = ax^2 + bx + c through three points, or y = a(x - h)^2 + k through a point ---

_FORMULA = re.compile(r"(?<![\\A-Za-z])[xy](?![A-Za-z])")


def _parabola(problem: Problem) -> tuple[str, str, dict[str, sympy.Expr]]:
    """The conditions the facts put on the coefficients, their unknowns, and the one solution."""
    a, b, c, x = sympy.symbols("a b c x")
    if "vertex" in problem.facts:
        h, k = fact_vector(problem.facts["vertex"])
        rows = [sympy.Eq(a * (px - h) ** 2 + k, py) for px, py in problem.points]
        unknowns, curve = [a], a * (x - h) ** 2 + k
    else:
        rows = [sympy.Eq(a * px**2 + b * px + c, py) for px, py in problem.points]
        unknowns, curve = [a, b, c], a * x**2 + b * x + c
    found = sympy.solve(rows, unknowns, dict=True)
    if len(found) != 1 or set(found[0]) != set(unknowns) or found[0][a] == 0:
        raise Unverifiable(f"the facts {problem.facts} and points {problem.points} fix no single parabola")
    values = {str(u): v for u, v in found[0].items()}
    values["y"] = sympy.expand(curve.subs(found[0]))
    conditions = "; ".join(sympy.latex(r) for r in rows)
    return conditions, ",".join(map(str, unknowns)), values


def _at(expression: str, x: str) -> str | None:
    """The expression with x replaced (a number, or x + 1): None if it names other unknowns."""
    return Names(value=lambda token: x if token == "x" else None).read(expression)


def _answer_checks(problem: Problem, curve: str) -> list[tuple[str, str | None, str | None]]:
    """(statement, left, right) pairs the answer must make equal: it passes every point, has the
    vertex, and is a quadratic (its third differences vanish)."""
    checks: list[tuple[str, str | None, str | None]] = [
        (f"passes ({px}, {py})", _at(curve, str(px)), str(py)) for px, py in problem.points
    ]
    if "vertex" in problem.facts:
        h, k = (sympy.latex(v) for v in fact_vector(problem.facts["vertex"]))
        checks.append((f"passes the vertex ({h}, {k})", _at(curve, h), k))
        checks.append((f"is symmetric about x = {h}", _at(curve, f"{h} + 1"), _at(curve, f"{h} - 1")))
    shifted = [_at(curve, f"x + {i}") for i in range(4)]
    if all(shifted):
        third = f"({shifted[3]}) - 3 ({shifted[2]}) + 3 ({shifted[1]}) - ({shifted[0]})"
        checks.append(("is a polynomial of degree at most 2", third, "0"))
    return checks


@reads("quadratic_function")
@guarded
def parabola_claims(problem: Problem, solution: Solution) -> list[Claim]:
    conditions, unknowns, values = _parabola(problem)
    claims: list[Claim] = []
    before: str | None = None
    for step in solution.steps:
        system = [line for line in step.equations if not _FORMULA.search(line)]
        if system:
            after = step_text(system)
            verdict = judged("check_step", conditions, unknowns, before, after)
            add_claim(claims, problem.id, "step_equivalence", f"step {step.index}: {after}", verdict)
            before = after
    formulas = [
        step.model_copy(update={"equations": [line for line in step.equations if _FORMULA.search(line)]})
        for step in solution.steps
    ]
    names = Names(
        value=lambda token: sympy.latex(values[token]) if token in values else None, free=frozenset("x")
    )
    chain_claims(problem, solution.model_copy(update={"steps": formulas}), names, claims)
    curve = solution.answer.rsplit("=", 1)[-1]
    for statement, left, right in _answer_checks(problem, curve):
        verdict = (
            judged("check_same_value", left, right)
            if left and right
            else Verdict(verdict="unverifiable", reason=f"{solution.answer} names unknowns other than x")
        )
        add_claim(claims, problem.id, "answer_satisfies", f"{solution.answer} {statement}", verdict)
    return claims
