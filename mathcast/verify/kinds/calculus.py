"""Derivatives, monotonic intervals and extrema of f(x) = `given`.

Every line `f'(x) = A = B` of the solution is a claim that A and B are the true derivative (lines
that still show primes or the helper functions u, v state a rule, not a value); a line
`f'(x) = 0` is followed by its roots, each checked to be a zero of f'; `f(p) = ... = v` lines are
value chains with f(p) read from the problem. The answer goes to the verifier's differentiate,
monotonic or extrema task.
"""

from __future__ import annotations

import re

from mathcast.lesson import Claim, Problem, Solution, Verdict
from mathcast.verify.check import computed, judged
from mathcast.verify.kinds.base import add_claim, reads, requested
from mathcast.verify.kinds.values import Names, chain_claims, guarded


def _variable(problem: Problem) -> str:
    return problem.unknowns[0] if problem.unknowns else "x"


def derivative_parts(solution: Solution, variable: str) -> list[tuple[int, str]]:
    """(step index, A) for every value A a line `f'(x) = A = ...` gives the derivative; `= 0` is
    the equation f'(x) = 0, not a value."""
    head = re.compile(rf"^\s*(?:f\s*'\s*\(\s*{variable}\s*\)|y\s*')\s*=")
    only_x = Names(free=frozenset({variable}))
    found = []
    for step in solution.steps:
        for line in step.equations:
            match = head.match(line)
            if match is None:
                continue
            for part in line[match.end() :].split("="):
                if (
                    part.strip() not in ("", "0")
                    and "'" not in part
                    and "<" not in part
                    and only_x.read(part)
                ):
                    found.append((step.index, part.strip()))
    return found


@reads("derivative")
@guarded
def derivative_claims(problem: Problem, solution: Solution) -> list[Claim]:
    variable = _variable(problem)
    parts = [part for _, part in derivative_parts(solution, variable)]
    return requested(problem, solution, "differentiate", problem.given, variable=variable, steps=parts)


def _value_of_f(problem: Problem, variable: str) -> Names:
    """f(p) read as the given f with p in place of the variable."""

    def value(token: str) -> str | None:
        point = re.fullmatch(r"f\s*\((.*)\)", token)
        if point is None:
            return None
        return Names(value=lambda t: point.group(1) if t == variable else None).read(problem.given)

    return Names(value=value, patterns=(r"f\s*\([^()=]*\)",))


def _analysis_claims(problem: Problem, solution: Solution) -> list[Claim]:
    """f'(x) as each step states it, the zeros of f', and the values f(p)."""
    claims: list[Claim] = []
    variable = _variable(problem)
    derivative = computed("derivative_of", problem.given, variable)
    if isinstance(derivative, Verdict):
        add_claim(claims, problem.id, "step_rewrite", f"f'({variable})", derivative)
        return claims
    for index, part in derivative_parts(solution, variable):
        verdict = judged("check_same_value", derivative, part)
        add_claim(claims, problem.id, "step_rewrite", f"step {index}: f'({variable}) = {part}", verdict)
    zero = re.compile(rf"^\s*f\s*'\s*\(\s*{variable}\s*\)\s*=\s*0\s*$")
    for step in solution.steps:
        for line, roots in zip(step.equations, step.equations[1:], strict=False):
            if zero.match(line):
                verdict = judged("check_substitution", f"{derivative} = 0", variable, roots)
                add_claim(
                    claims, problem.id, "step_equivalence", f"step {step.index}: f'(x) = 0 ⇒ {roots}", verdict
                )
    chain_claims(problem, solution, _value_of_f(problem, variable), claims)
    return claims


@reads("monotonic_intervals")
@guarded
def monotonic_claims(problem: Problem, solution: Solution) -> list[Claim]:
    answer = requested(problem, solution, "monotonic", problem.given, variable=_variable(problem), steps=[])
    return _analysis_claims(problem, solution) + answer


@reads("extrema")
@guarded
def extrema_claims(problem: Problem, solution: Solution) -> list[Claim]:
    answer = requested(problem, solution, "extrema", problem.given, variable=_variable(problem), steps=[])
    return _analysis_claims(problem, solution) + answer
