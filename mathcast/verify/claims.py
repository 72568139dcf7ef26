"""Turns a worked solution into claims and gives each a verdict with sympy.

A step claim says a step's equations have exactly the solutions of the previous step's (the
first step: of the problem's conditions); lost and extraneous solutions come back as the
counterexample. Answer claims check the answer against the problem and against the last step.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy

from mathcast.lesson import Claim, Problem, Solution, Verdict, VerificationReport
from mathcast.verify.parse import MathParseError, parse_equation

SolutionSet = set[tuple[sympy.Expr, ...]]


def _given_conditions(problem: Problem) -> list[sympy.Eq]:
    k, b = sympy.symbols("k b")
    return [sympy.Eq(k * x + b, y) for x, y in problem.points]


def _solutions(equations: Sequence[sympy.Eq], unknowns: Sequence[sympy.Symbol]) -> SolutionSet | None:
    """The finite solution set, or None when it is infinite or sympy cannot say."""
    found = sympy.solve(list(equations), list(unknowns), dict=True)
    if any(set(unknowns) - set(solution) for solution in found):
        return None
    return {tuple(solution[u] for u in unknowns) for solution in found}


def _describe(point: tuple[sympy.Expr, ...], unknowns: Sequence[sympy.Symbol]) -> str:
    return ", ".join(f"{u} = {sympy.latex(v)}" for u, v in zip(unknowns, point, strict=True))


def _compare(before: SolutionSet, after: SolutionSet, unknowns: Sequence[sympy.Symbol]) -> Verdict:
    lost, extra = before - after, after - before
    if lost:
        point = _describe(sorted(lost, key=str)[0], unknowns)
        return Verdict(verdict="refuted", reason="the step loses a solution", counterexample=point)
    if extra:
        point = _describe(sorted(extra, key=str)[0], unknowns)
        return Verdict(verdict="refuted", reason="the step adds an extraneous solution", counterexample=point)
    return Verdict(verdict="verified", reason="same solution set as before the step")


def _step_claim(
    index: int, problem: Problem, before: list[sympy.Eq], latex: list[str], unknowns: list[sympy.Symbol]
) -> tuple[Claim, list[sympy.Eq] | None]:
    statement = f"step {index}: {{{'; '.join(latex)}}} has the same solutions as the line before"
    try:
        after = [parse_equation(eq) for eq in latex]
    except MathParseError as error:
        verdict = Verdict(verdict="unverifiable", reason=str(error))
        return Claim(
            index=index, problem_id=problem.id, kind="step_equivalence", statement=statement, verdict=verdict
        ), None
    old, new = _solutions(before, unknowns), _solutions(after, unknowns)
    if old is None or new is None:
        verdict = Verdict(verdict="unverifiable", reason="infinitely many solutions: cannot compare sets")
    else:
        verdict = _compare(old, new, unknowns)
    return Claim(
        index=index, problem_id=problem.id, kind="step_equivalence", statement=statement, verdict=verdict
    ), after


def _answer_line(problem: Problem, answer: str) -> tuple[sympy.Expr | None, Verdict | None]:
    x, y = sympy.symbols("x y")
    try:
        equation = parse_equation(answer)
    except MathParseError as error:
        return None, Verdict(verdict="unverifiable", reason=str(error))
    if equation.lhs != y:
        return None, Verdict(verdict="refuted", reason=f"the answer must read y = ..., got {answer}")
    rhs = sympy.expand(equation.rhs)
    if rhs.free_symbols - {x} or sympy.degree(rhs, x) != 1:
        return None, Verdict(verdict="refuted", reason=f"{answer} is not a linear function of x (一次函数)")
    return rhs, None


def _answer_claims(
    problem: Problem,
    solution: Solution,
    last: list[sympy.Eq] | None,
    unknowns: list[sympy.Symbol],
    first_index: int,
) -> list[Claim]:
    x = sympy.Symbol("x")
    rhs, failure = _answer_line(problem, solution.answer)
    if rhs is None:
        assert failure is not None
        satisfies = matches = failure
    else:
        misses = [(px, py) for px, py in problem.points if rhs.subs(x, px) != py]
        if misses:
            px, py = misses[0]
            satisfies = Verdict(
                verdict="refuted",
                reason=f"the answer misses the point ({px}, {py})",
                counterexample=f"x = {px} gives y = {sympy.latex(rhs.subs(x, px))}",
            )
        else:
            satisfies = Verdict(verdict="verified", reason="the line passes every given point")
        final = _solutions(last, unknowns) if last is not None else None
        if final is None or len(final) != 1:
            matches = Verdict(verdict="unverifiable", reason="the last step does not fix k and b uniquely")
        else:
            (values,) = final
            expected = sympy.expand(sympy.Symbol("k") * x + sympy.Symbol("b")).subs(
                dict(zip(unknowns, values, strict=True))
            )
            if sympy.simplify(expected - rhs) == 0:
                matches = Verdict(verdict="verified", reason="the answer uses the k and b of the last step")
            else:
                matches = Verdict(
                    verdict="refuted",
                    reason="the answer differs from the last step",
                    counterexample=f"the last step gives y = {sympy.latex(expected)}",
                )
    return [
        Claim(
            index=first_index,
            problem_id=problem.id,
            kind="answer_satisfies",
            statement=f"{solution.answer} passes {problem.points}",
            verdict=satisfies,
        ),
        Claim(
            index=first_index + 1,
            problem_id=problem.id,
            kind="answer_matches_steps",
            statement=f"{solution.answer} follows from the last step",
            verdict=matches,
        ),
    ]


def verify_solution(problem: Problem, solution: Solution) -> list[Claim]:
    unknowns = [sympy.Symbol(name) for name in problem.unknowns]
    claims: list[Claim] = []
    before: list[sympy.Eq] | None = _given_conditions(problem)
    for step in solution.steps:
        if before is None:
            claims.append(
                Claim(
                    index=step.index,
                    problem_id=problem.id,
                    kind="step_equivalence",
                    statement=f"step {step.index}",
                    verdict=Verdict(verdict="unverifiable", reason="the previous step is unreadable"),
                )
            )
            continue
        claim, before = _step_claim(step.index, problem, before, step.equations, unknowns)
        claims.append(claim)
    return claims + _answer_claims(problem, solution, before, unknowns, len(solution.steps))


def verify_all(problems: Sequence[Problem], solutions: Sequence[Solution]) -> VerificationReport:
    by_id = {p.id: p for p in problems}
    return VerificationReport(claims=[c for s in solutions for c in verify_solution(by_id[s.problem_id], s)])
