"""One function per kind of check: strings in, a Verdict out.

They run in the checking process under a time limit (`limits.run_limited`), so they take
only picklable arguments and parse everything themselves.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import sympy
from sympy.calculus.util import continuous_domain

from mathcast.lesson import Verdict
from mathcast.verify.parse import (
    MathParseError,
    normalize,
    parse_condition,
    parse_expression,
    parse_math,
    split_conditions,
)
from mathcast.verify.sets import (
    Unverifiable,
    is_empty,
    problem_domain,
    sample,
    single_set,
    system_set,
    variables,
)

NUMERIC_POINTS = 12


def _show(value: sympy.Basic) -> str:
    return str(sympy.latex(value))


def _point(unknowns: Sequence[sympy.Symbol], value: sympy.Basic) -> str:
    values = value.args if len(unknowns) > 1 and isinstance(value, sympy.Tuple) else (value,)
    return ", ".join(f"{u} = {_show(v)}" for u, v in zip(unknowns, values, strict=False))


# --- solve: equations, inequalities, systems ---


@lru_cache(maxsize=1024)
def _statement_set(text: str, unknowns: tuple[sympy.Symbol, ...], domain: sympy.Set) -> sympy.Set:
    if len(unknowns) == 1:
        return single_set(text, unknowns[0], domain)
    return system_set(text, unknowns)


@lru_cache(maxsize=256)
def _context(problem: str, variable: str | None) -> tuple[tuple[sympy.Symbol, ...], sympy.Set, sympy.Set]:
    """The unknowns, the problem's domain and its true solution set: worked out once per problem."""
    unknowns = tuple(variables(variable, problem))
    domain = problem_domain(problem, unknowns[0]) if len(unknowns) == 1 else sympy.S.Reals
    return unknowns, domain, _statement_set(problem, unknowns, domain)


def check_step(problem: str, variable: str | None, before: str | None, after: str) -> Verdict:
    """`after` keeps the solutions of `before` (the problem when None): none lost, none invented.

    Extra isolated candidates are allowed (squaring, multiplying by an expression): the answer
    check decides whether they were rejected.
    """
    unknowns, domain, _ = _context(problem, variable)
    old = _statement_set(before or problem, unknowns, domain)
    new = _statement_set(after, unknowns, domain)
    lost, extra = sympy.Complement(old, new), sympy.Complement(new, old)
    if not is_empty(lost):
        return Verdict(
            verdict="refuted",
            reason="the step loses solutions",
            counterexample=_point(unknowns, sample(lost)),
        )
    if not is_empty(extra):
        if isinstance(extra, sympy.FiniteSet) and len(unknowns) == 1:
            candidates = ", ".join(_point(unknowns, v) for v in extra)
            return Verdict(
                verdict="verified",
                reason=f"a consequence: keeps every solution, adds candidates {candidates} to reject",
            )
        return Verdict(
            verdict="refuted",
            reason="the step widens the solution set",
            counterexample=_point(unknowns, sample(extra)),
        )
    return Verdict(verdict="verified", reason="same solution set as before the step")


def check_answer(problem: str, variable: str | None, answer: str) -> Verdict:
    """The answer is exactly the solution set: every solution, nothing extra, domain respected."""
    unknowns, domain, truth = _context(problem, variable)
    stated = _statement_set(answer, unknowns, sympy.S.Reals)
    missing, extra = sympy.Complement(truth, stated), sympy.Complement(stated, truth)
    if not is_empty(extra):
        point = sample(extra)
        where = (
            "outside the domain"
            if len(unknowns) == 1 and domain.contains(point) is sympy.false
            else "not a solution"
        )
        return Verdict(
            verdict="refuted",
            reason=f"the answer includes {_point(unknowns, point)}, {where}",
            counterexample=_point(unknowns, point),
        )
    if not is_empty(missing):
        return Verdict(
            verdict="refuted",
            reason="the answer misses solutions",
            counterexample=_point(unknowns, sample(missing)),
        )
    return Verdict(verdict="verified", reason=f"exactly the solution set {_show(truth)}")


def check_substitution(problem: str, variable: str | None, answer: str) -> Verdict:
    """Each stated root, put back into the original problem, satisfies it (finite answers only)."""
    unknowns, domain, _ = _context(problem, variable)
    stated = _statement_set(answer, unknowns, sympy.S.Reals)
    if not isinstance(stated, sympy.FiniteSet):
        return Verdict(verdict="unverifiable", reason="not a finite set of roots: compared as a set instead")
    rows = [parse_condition(r) for r in split_conditions(problem)]
    for value in stated:
        values = value.args if len(unknowns) > 1 else (value,)
        mapping = dict(zip(unknowns, values, strict=True))
        if len(unknowns) == 1 and domain.contains(value) is not sympy.true:
            return Verdict(
                verdict="refuted",
                reason=f"{_point(unknowns, value)} is outside the domain",
                counterexample=_point(unknowns, value),
            )
        for row in rows:
            if sympy.simplify(row.subs(mapping)) is not sympy.true:
                return Verdict(
                    verdict="refuted",
                    reason=f"{_point(unknowns, value)} does not satisfy {_show(row)}",
                    counterexample=_point(unknowns, value),
                )
    return Verdict(verdict="verified", reason="every root satisfies the original problem")


def check_answer_follows(problem: str, variable: str | None, last_step: str, answer: str) -> Verdict:
    """The answer only keeps candidates the last step found; it may reject some, never add."""
    unknowns, domain, _ = _context(problem, variable)
    last = _statement_set(last_step, unknowns, domain)
    stated = _statement_set(answer, unknowns, domain)
    invented = sympy.Complement(stated, last)
    if not is_empty(invented):
        return Verdict(
            verdict="refuted",
            reason="the answer has solutions the last step does not",
            counterexample=_point(unknowns, sample(invented)),
        )
    return Verdict(verdict="verified", reason="the answer follows from the last step")


# --- values: rewrites, numbers, derivatives, comparisons, sequences ---


def _numerically_differs(a: sympy.Expr, b: sympy.Expr) -> str | None:
    """A point where a and b differ, or None if they agree wherever both are defined."""
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    rng = random.Random(1729)
    for _ in range(NUMERIC_POINTS * 3):
        point = {s: sympy.Rational(rng.randint(-300, 300), 97) for s in symbols}
        left, right = a.subs(point).evalf(30), b.subs(point).evalf(30)
        if not (left.is_real and right.is_real and left.is_finite and right.is_finite):
            continue
        if abs(left - right) > sympy.Float("1e-20", 30) * (1 + abs(left)):
            where = ", ".join(f"{s} = {_show(v)}" for s, v in point.items()) or "the value"
            return f"{where}: {sympy.N(left, 8)} ≠ {sympy.N(right, 8)}"
    return None


def check_same_value(before: str, after: str) -> Verdict:
    """A rewrite keeps the value: proven symbolically; numbers can refute but never prove it."""
    a, b = parse_expression(before), parse_expression(after)
    difference = sympy.simplify(a - b)
    if difference == 0 or a.equals(b) is True:
        return Verdict(verdict="verified", reason="equal by symbolic simplification")
    counterexample = _numerically_differs(a, b)
    if counterexample:
        return Verdict(verdict="refuted", reason="the two sides differ", counterexample=counterexample)
    return Verdict(verdict="unverifiable", reason=f"equal at {NUMERIC_POINTS} random points but not proven")


def derivative_of(problem: str, variable: str | None) -> str:
    """f'(x) as LaTeX, the start of a derivative chain."""
    f = parse_expression(problem)
    x = sympy.Symbol(variable or "x")
    return str(sympy.latex(sympy.diff(f, x)))


_NUMBERS = re.compile(r"\s*(?:与|和|跟|,|vs\.?|versus|\band\b)\s*", re.IGNORECASE)


def check_comparison(problem: str, answer: str) -> Verdict:
    """`9.11 < 9.8`: the stated relation between the problem's two numbers holds, exactly."""
    numbers = [p for p in _NUMBERS.split(normalize(problem)) if p.strip()]
    if len(numbers) != 2:
        raise MathParseError(f"compare needs two numbers, found {len(numbers)} in {problem!r}")
    a, b = (parse_math(n) for n in numbers)
    text = normalize(answer)
    match = re.match(r"^(.+?)\s*(<|>|=|\\le |\\ge )\s*(.+)$", text + " ")
    if match is None:
        raise MathParseError(f"the answer {answer!r} is not a relation such as 9.11 < 9.8")
    left, op, right = parse_math(match.group(1)), match.group(2).strip(), parse_math(match.group(3))
    if {sympy.nsimplify(left), sympy.nsimplify(right)} != {sympy.nsimplify(a), sympy.nsimplify(b)}:
        return Verdict(
            verdict="refuted",
            reason=f"the answer compares {_show(left)} and {_show(right)}, not the problem's numbers",
        )
    relation = {"<": sympy.Lt, ">": sympy.Gt, "=": sympy.Eq, "\\le": sympy.Le, "\\ge": sympy.Ge}[op]
    holds = relation(left, right)
    if holds is sympy.true:
        return Verdict(verdict="verified", reason=f"{_show(left)} {op} {_show(right)} holds exactly")
    truth = "<" if left < right else ">" if left > right else "="
    return Verdict(
        verdict="refuted",
        reason="the comparison is false",
        counterexample=f"{_show(left)} {truth} {_show(right)} (difference {_show(left - right)})",
    )


def sequence_value(problem: str, n: int, total: bool) -> str:
    """a_n, or S_n = a_1 + ... + a_n, from the general term, as LaTeX."""
    term = parse_expression(problem)
    index = sympy.Symbol("n")
    if term.free_symbols - {index}:
        raise MathParseError(f"the general term may only use n, found {term.free_symbols - {index}}")
    if total:
        k = sympy.Symbol("k", integer=True, positive=True)
        return str(sympy.latex(sympy.summation(term.subs(index, k), (k, 1, n))))
    return str(sympy.latex(term.subs(index, n)))


# --- calculus: extrema and monotonic intervals ---


def _critical_kinds(f: sympy.Expr, x: sympy.Symbol) -> dict[sympy.Expr, str]:
    """Each real critical point where f' changes sign: its kind (max or min)."""
    derivative = sympy.diff(f, x)
    points = sympy.solveset(derivative, x, continuous_domain(f, x, sympy.S.Reals))
    if not isinstance(points, sympy.FiniteSet):
        raise MathParseError(f"cannot list the critical points of {f}")
    kinds = {}
    for p in sorted(points, key=float):
        left, right = (
            derivative.subs(x, p - sympy.Rational(1, 10**6)),
            derivative.subs(x, p + sympy.Rational(1, 10**6)),
        )
        if left > 0 and right < 0:
            kinds[p] = "max"
        elif left < 0 and right > 0:
            kinds[p] = "min"
    return kinds


_EXTREMUM = re.compile(
    r"(极大值|极小值|最大值|最小值|max(?:imum)?|min(?:imum)?)\s*:?\s*([a-z])\s*\(([^()]*)\)\s*=\s*([^;,]+)",
    re.IGNORECASE,
)


def check_extrema(problem: str, variable: str | None, answer: str) -> Verdict:
    """Every local maximum and minimum, with its value, and no others."""
    f, x = parse_expression(problem), sympy.Symbol(variable or "x")
    truth = {(kind, p, sympy.simplify(f.subs(x, p))) for p, kind in _critical_kinds(f, x).items()}
    text = normalize(answer)
    stated = {
        (
            "max" if m.group(1).lower().startswith(("极大", "最大", "max")) else "min",
            parse_math(m.group(3)),
            parse_math(m.group(4)),
        )
        for m in _EXTREMUM.finditer(text)
    }
    if not stated and not re.search(r"无极值|没有极值|no (local )?extrem|none", text, re.IGNORECASE):
        raise MathParseError(f"cannot read extrema in {answer!r}: write 极大值 f(-1) = 2；极小值 f(1) = -2")
    wrong = stated - truth
    if wrong:
        kind, p, v = sorted(wrong, key=str)[0]
        return Verdict(
            verdict="refuted",
            reason=f"no local {kind} {_show(v)} at x = {_show(p)}",
            counterexample=f"f({_show(p)}) = {_show(sympy.simplify(f.subs(x, p)))}",
        )
    missing = truth - stated
    if missing:
        kind, p, v = sorted(missing, key=str)[0]
        return Verdict(
            verdict="refuted",
            reason="the answer misses an extremum",
            counterexample=f"local {kind} f({_show(p)}) = {_show(v)}",
        )
    return Verdict(verdict="verified", reason="every local extremum and its value")


def check_monotonic(problem: str, variable: str | None, answer: str) -> Verdict:
    """Increasing and decreasing intervals; endpoints may be open or closed (both are taught)."""
    f, x = parse_expression(problem), sympy.Symbol(variable or "x")
    derivative, domain = sympy.diff(f, x), continuous_domain(f, x, sympy.S.Reals)
    truth = {
        "increasing": sympy.solveset(derivative > 0, x, domain),
        "decreasing": sympy.solveset(derivative < 0, x, domain),
    }
    text = normalize(answer)
    parts = re.split(
        r"(增区间|单调递增区间|递增区间|减区间|单调递减区间|递减区间|increasing(?: on)?|decreasing(?: on)?)",
        text,
        flags=re.IGNORECASE,
    )
    stated: dict[str, sympy.Set] = {}
    for label, body in zip(parts[1::2], parts[2::2], strict=True):
        kind = (
            "increasing" if re.match(r"增|单调递增|递增|increasing", label, re.IGNORECASE) else "decreasing"
        )
        intervals = re.findall(r"[(\[][^()\[\]]*[)\]]", body)
        if not intervals and not re.search(r"无|none", body):
            raise MathParseError(f"no intervals after {label!r} in {answer!r}")
        stated[kind] = sympy.Union(*(single_set(f"x \\in {i}", x, sympy.S.Reals) for i in intervals))
    if not stated:
        raise MathParseError(
            f"cannot read monotonic intervals in {answer!r}: write 增区间 (...)；减区间 (...)"
        )
    for kind, values in stated.items():
        true_set = truth[kind]
        if values.closure != true_set.closure:
            return Verdict(
                verdict="refuted",
                reason=f"wrong {kind} intervals",
                counterexample=f"f is {kind} exactly on {_show(true_set)}",
            )
    missing = [k for k, v in truth.items() if k not in stated and not is_empty(v)]
    if missing:
        return Verdict(
            verdict="refuted",
            reason=f"the {missing[0]} intervals are missing",
            counterexample=f"f is {missing[0]} on {_show(truth[missing[0]])}",
        )
    return Verdict(verdict="verified", reason="the increasing and decreasing intervals are right")


# --- the lesson's worked example: a line y = kx + b through given points ---


def _line(answer: str) -> sympy.Expr:
    x = sympy.Symbol("x")
    rhs = sympy.expand(parse_expression(answer))
    if rhs.free_symbols - {x} or sympy.degree(rhs, x) != 1:
        raise Unverifiable(f"{answer} is not a linear function of x (一次函数)")
    return rhs


def check_line_through(answer: str, points: list[list[int]]) -> Verdict:
    """The answer y = f(x) is a linear function through every given point."""
    x = sympy.Symbol("x")
    try:
        rhs = _line(answer)
    except Unverifiable as error:
        return Verdict(verdict="refuted", reason=str(error))
    for px, py in points:
        if rhs.subs(x, px) != py:
            return Verdict(
                verdict="refuted",
                reason=f"the answer misses the point ({px}, {py})",
                counterexample=f"x = {px} gives y = {_show(rhs.subs(x, px))}",
            )
    return Verdict(verdict="verified", reason="the line passes every given point")


def check_line_matches(last_step: str, unknowns: str, answer: str) -> Verdict:
    """The answer uses the k and b the last step found."""
    k, b = variables(unknowns)
    found = system_set(last_step, [k, b])
    if not isinstance(found, sympy.FiniteSet) or len(found) != 1:
        raise Unverifiable("the last step does not fix k and b uniquely")
    (values,) = found
    expected = (k * sympy.Symbol("x") + b).subs(dict(zip((k, b), values.args, strict=True)))
    if sympy.simplify(expected - _line(answer)) == 0:
        return Verdict(verdict="verified", reason="the answer uses the k and b of the last step")
    return Verdict(
        verdict="refuted",
        reason="the answer differs from the last step",
        counterexample=f"the last step gives y = {_show(expected)}",
    )


# What the checking process may be asked to run, by name.
CHECKS: dict[str, Callable[..., Verdict | str]] = {
    f.__name__: f
    for f in (
        check_step, check_answer, check_substitution, check_answer_follows, check_same_value,
        derivative_of, check_comparison, sequence_value, check_extrema, check_monotonic,
        check_line_through, check_line_matches,
    )
}  # fmt: skip
