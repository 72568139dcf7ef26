"""Equations, systems and inequalities: every step keeps the problem's solutions, and the answer is
exactly the solution set, satisfies the problem and follows from the last step.

Steps are read the way teachers write them: `x = 1 \\pm \\sqrt{2}` is two roots, `x_1 = 2, x_2 = 3`
lists roots, a line opening with 或 / or is one more case of the line above (a case split), the
lines of a step hold together (a domain beside an equation), and a `\\Delta = ...` line is checked
as arithmetic and against the quadratic on the board before it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import product

from mathcast.lesson import Claim, ClaimKind, Problem, Solution, Verdict
from mathcast.verify.check import computed, judged
from mathcast.verify.kinds.base import reads, requested, step_text
from mathcast.verify.parse import (
    MathParseError,
    normalize,
    parse_condition,
    split_alternatives,
    split_conditions,
)

KINDS = (
    "linear_equation",
    "linear_system",
    "quadratic_equation",
    "rational_equation",
    "absolute_value_equation",
    "exponential_equation",
    "logarithmic_equation",
    "linear_inequality",
    "quadratic_inequality",
    "rational_inequality",
)
MAX_CASES = 16

_DISCRIMINANT = re.compile(r"^\s*(\\Delta|Δ)\s*=")
_PLUS_MINUS = re.compile(r"\\pm(?![a-zA-Z])|\\mp(?![a-zA-Z])|±|∓")
_OPENS_WITH_OR = re.compile(r"^(或者|或|or\b|\\lor|\\vee)", re.IGNORECASE)
_LISTED_ROOT = re.compile(r"^\s*[a-zA-Z]_\{?\d+\}?\s*=")
_RELATION = re.compile(r"(\\le |\\ge |\\ne |<|>|=)")


def _signed(line: str, plus: bool) -> str:
    """One branch of a ± line; \\mp takes the other sign, and a leading + is dropped."""
    chosen = _PLUS_MINUS.sub(lambda m: "+" if (m.group(0) in (r"\pm", "±")) == plus else "-", line)
    return re.sub(r"([=({,]\s*)\+\s*", r"\1", chosen)


def alternatives(line: str) -> list[str]:
    """The cases one line states: `a 或 b`, `x = 1 \\pm 2`, `x_1 = 2, x_2 = 3`; else the line itself."""
    if _PLUS_MINUS.search(line):
        return [_signed(line, plus=True), _signed(line, plus=False)]
    parts = re.split(r",\s*(?=[a-zA-Z]_\{?\d+\}?\s*=)", line)
    if len(parts) > 1 and all(_LISTED_ROOT.match(p) for p in parts):
        return parts
    cases = split_alternatives(line)
    return cases if len(cases) > 1 else [line]


def statement(lines: Sequence[str]) -> str:
    """A step's lines as one statement: lines hold together, each line's cases are alternatives."""
    groups: list[list[str]] = []
    for line in lines:
        opening = _OPENS_WITH_OR.match(normalize(line))
        if groups and opening:
            groups[-1].extend(alternatives(normalize(line)[opening.end() :].strip()))
        else:
            groups.append(alternatives(line))
    if all(len(g) == 1 for g in groups):
        return step_text([g[0] for g in groups])
    combinations = list(product(*groups))
    if len(combinations) > MAX_CASES:
        return step_text(list(lines))
    return " 或 ".join(step_text(list(c)) for c in combinations)


def _numeric(side: str) -> bool:
    return not re.search(r"[a-zA-Z]", re.sub(r"\\[a-zA-Z]+", "", side))


def _quadratic_before(text: str, variable: str) -> tuple[str, str, str] | None:
    """f, f' and f'' for a single relation written as f = 0 (or f < 0...), when f is quadratic."""
    try:
        rows = [r for alternative in split_alternatives(text) for r in split_conditions(alternative)]
    except MathParseError:
        return None
    if len(rows) != 1:
        return None
    sides = _RELATION.split(rows[0] + " ")
    if len(sides) != 3:
        return None
    polynomial = rf"\left({sides[0].strip()}\right) - \left({sides[2].strip()}\right)"
    derivatives = [polynomial]
    for _ in range(3):
        derivative = computed("derivative_of", derivatives[-1], variable)
        if isinstance(derivative, Verdict):
            return None
        derivatives.append(derivative)
    return (polynomial, derivatives[1], derivatives[2]) if derivatives[3] == "0" != derivatives[2] else None


def discriminant_claims(line: str, before: str, variable: str | None) -> list[tuple[ClaimKind, str, Verdict]]:
    """`\\Delta = b^2 - 4ac = 4 + 4 = 8 > 0`: each numeric link holds, and Δ belongs to the quadratic
    on the board before it (f'² - 2f''·f is b² - 4ac for f = ax² + bx + c)."""
    pieces = _RELATION.split(normalize(line) + " ")
    sides, relations = [p.strip() for p in pieces[2::2]], [p.strip() for p in pieces[3::2]]
    found: list[tuple[ClaimKind, str, Verdict]] = []
    for left, relation, right in zip(sides, relations, sides[1:], strict=False):
        if not (_numeric(left) and _numeric(right)):
            continue
        said = f"{left} {relation} {right}"
        if relation == "=":
            found.append(("step_rewrite", said, judged("check_same_value", left, right)))
        else:
            found.append(("comparison", said, judged("check_comparison", f"{left} 与 {right}", said)))
    values = [s for s, r in zip(sides, ["=", *relations], strict=False) if r == "=" and _numeric(s)]
    quadratic = _quadratic_before(before, variable or "x") if values else None
    if quadratic is not None:
        f, d1, d2 = quadratic
        discriminant = rf"\left({d1}\right)^{{2}} - 2 \cdot \left({d2}\right) \cdot \left({f}\right)"
        verdict = judged("check_same_value", discriminant, values[-1])
        found.append(("step_rewrite", f"Δ of {before} = {values[-1]}", verdict))
    return found


def _variable(problem: Problem) -> str | None:
    """`x`, or `x,y` for a system (named in `unknowns`, else the letters its equations use)."""
    if problem.unknowns:
        return ",".join(problem.unknowns)
    if problem.kind != "linear_system":
        return None
    try:
        rows = [parse_condition(r) for r in split_conditions(problem.given)]
    except MathParseError:
        return None
    names = sorted({str(s) for row in rows for s in row.free_symbols})
    return ",".join(names) or None


@reads(*KINDS)
def solve_claims(problem: Problem, solution: Solution) -> list[Claim]:
    variable = _variable(problem)
    statements: list[str] = []
    checks: list[tuple[ClaimKind, str, Verdict]] = []
    before = problem.given
    for step in solution.steps:
        lines: list[str] = []
        for line in step.equations:
            if _DISCRIMINANT.match(line):
                board = statement(lines) if lines else before
                checks += discriminant_claims(line, board, variable)
            else:
                lines.append(line)
        if lines:
            before = statement(lines)
            statements.append(before)
    answer = " 或 ".join(alternatives(solution.answer)) if _PLUS_MINUS.search(solution.answer) else None
    read_as = solution.model_copy(update={"answer": answer}) if answer else solution
    claims = requested(problem, read_as, "solve", problem.given, variable=variable, steps=statements)
    extra = [
        Claim(index=0, problem_id=problem.id, kind=kind, statement=said, verdict=verdict)
        for kind, said, verdict in checks
    ]
    ordered = [*claims[: len(statements)], *extra, *claims[len(statements) :]]
    return [c.model_copy(update={"index": i}) for i, c in enumerate(ordered)]
