"""Solution sets: what a problem, a step or an answer says the solutions are, as sympy sets.

Intervals compare exactly, so `(1, 2)` is never `[1, 2]`; decimals are exact fractions, so
there is no tolerance anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sympy
from sympy.calculus.util import continuous_domain

from mathcast.verify.parse import (
    MathParseError,
    normalize,
    parse_condition,
    parse_math,
    split_alternatives,
    split_conditions,
)

Reals = sympy.S.Reals
_EMPTY_WORDS = re.compile(
    r"^(无解|无实数解|无实根|没有实数解|no( real)? solutions?|\\emptyset|\\varnothing|∅|\\\{\s*\\\})$",
    re.IGNORECASE,
)
_INTERVAL = re.compile(r"([(\[])([^,\[\]()]+|[^,]*\([^()]*\)[^,]*),([^\[\]()]+|[^,]*\([^()]*\)[^,]*)([)\]])")
_FINITE = re.compile(r"^\\\{(.*)\\\}$")


class Unverifiable(ValueError):
    """sympy cannot decide; the message says why, for the claim's reason."""


def variables(spec: str | None, *texts: str) -> list[sympy.Symbol]:
    """`x` or `x,y` when given; otherwise x if present, else the one unknown of the problem."""
    if spec:
        return [sympy.Symbol(v.strip()) for v in re.split(r"[,\s]+", spec) if v.strip()]
    found: set[sympy.Symbol] = set()
    for text in texts:
        for condition in split_conditions(text):
            found |= {s for s in parse_condition(condition).free_symbols if isinstance(s, sympy.Symbol)}
    if sympy.Symbol("x") in found or not found:
        return [sympy.Symbol("x")]
    if len(found) > 3:
        raise Unverifiable(
            f"too many unknowns ({', '.join(sorted(map(str, found)))}); name them in `variable`"
        )
    return sorted(found, key=str)


def _scalar(text: str) -> sympy.Expr:
    text = text.strip()
    if re.fullmatch(r"[+]?\s*\\infty", text):
        return sympy.oo
    if re.fullmatch(r"-\s*\\infty", text):
        return -sympy.oo
    value = parse_math(text)
    if not isinstance(value, sympy.Expr) or value.free_symbols:
        raise MathParseError(f"{text!r} is not a number")
    return value


def _set_literal(text: str) -> sympy.Set | None:
    """`(1, 2] \\cup [3, +\\infty)`, `\\{2, 3\\}`, `\\emptyset`; None when the text is not a set."""
    text = normalize(text).strip()
    if _EMPTY_WORDS.match(text):
        return sympy.S.EmptySet
    finite = _FINITE.match(text)
    if finite:
        return sympy.FiniteSet(*(_scalar(v) for v in finite.group(1).split(",") if v.strip()))
    parts = [p.strip() for p in re.split(r"\\cup", text)]
    pieces = []
    for part in parts:
        interval = _INTERVAL.fullmatch(part)
        if interval is None:
            if _FINITE.match(part):
                pieces.append(_set_literal(part))
                continue
            return None
        left, low, high, right = interval.groups()
        pieces.append(sympy.Interval(_scalar(low), _scalar(high), left == "(", right == ")"))
    return sympy.Union(*pieces)


def _row_set(row: str, var: sympy.Symbol, domain: sympy.Set) -> sympy.Set:
    literal = _set_literal(row)
    if literal is not None:
        return literal
    member = re.match(r"^\s*([a-zA-Z](?:_\{?\w+\}?)?)\s*\\in\s*(.+)$", row)
    if member:
        literal = _set_literal(member.group(2))
        if literal is None:
            raise MathParseError(f"cannot read the set in {row!r}")
        return literal
    row = re.sub(rf"(?<![a-zA-Z]){var}_\{{?\d+\}}?", str(var), row)  # x_1 = 2 means x = 2
    condition = parse_condition(row)
    return _solve_one(condition, var, domain)


def _solve_one(condition: sympy.Basic, var: sympy.Symbol, domain: sympy.Set) -> sympy.Set:
    if condition is sympy.true:
        return domain
    if condition is sympy.false:
        return sympy.S.EmptySet
    extra = condition.free_symbols - {var}
    if extra:
        raise Unverifiable(f"{condition} has unknowns other than {var}: {', '.join(map(str, extra))}")
    if isinstance(condition, sympy.And):
        return sympy.Intersection(*(_solve_one(c, var, domain) for c in condition.args))
    found = sympy.solveset(condition, var, domain=domain)
    if isinstance(found, sympy.ConditionSet) and isinstance(condition, sympy.Eq):
        candidates = sympy.solve(condition, var)
        roots = [c for c in candidates if c.is_real and domain.contains(c) is sympy.true]
        if not roots and candidates:
            raise Unverifiable(f"sympy cannot solve {condition} over the reals")
        return sympy.FiniteSet(*roots)
    if isinstance(found, (sympy.ConditionSet, sympy.ImageSet)) or found.has(sympy.ImageSet):
        raise Unverifiable(f"sympy cannot describe the solutions of {condition} as intervals or points")
    return found


def problem_domain(problem: str, var: sympy.Symbol) -> sympy.Set:
    """Where every expression of the problem is defined: denominators, roots and logs respected."""
    domain: sympy.Set = Reals
    for row in split_conditions(problem):
        condition = parse_condition(row)
        for side in _sides(condition):
            domain = sympy.Intersection(domain, continuous_domain(side, var, Reals))
    return domain


def _sides(condition: sympy.Basic) -> list[sympy.Expr]:
    if isinstance(condition, sympy.And):
        return [side for arg in condition.args for side in _sides(arg)]
    if isinstance(condition, sympy.core.relational.Relational):
        return [condition.lhs, condition.rhs]
    return [condition] if isinstance(condition, sympy.Expr) else []


def single_set(text: str, var: sympy.Symbol, domain: sympy.Set) -> sympy.Set:
    """The set a statement describes: alternatives (或) united, rows (且, systems) intersected."""
    alternatives = split_alternatives(text)
    if not alternatives:
        raise MathParseError("empty statement")
    union: list[sympy.Set] = []
    for alternative in alternatives:
        rows = split_conditions(alternative)
        sets = [_row_set(r, var, domain) for r in rows]
        if len(rows) > 1 and all(re.match(rf"^{var}(_\{{?\d+\}}?)?\s*=", r) for r in rows):
            union.append(sympy.Intersection(domain, sympy.Union(*sets)))  # x_1 = 2, x_2 = -2: roots
        else:
            union.append(sympy.Intersection(domain, *sets))
    return sympy.Union(*union)


def system_set(text: str, unknowns: Sequence[sympy.Symbol]) -> sympy.Set:
    """A system's solutions as a set of tuples; infinitely many is unverifiable."""
    if _EMPTY_WORDS.match(normalize(text).strip()):
        return sympy.S.EmptySet
    points: list[tuple[sympy.Expr, ...]] = []
    for alternative in split_alternatives(text):
        equations = [parse_condition(row) for row in split_conditions(alternative)]
        if not all(isinstance(e, sympy.Eq) or e is sympy.true for e in equations):
            raise Unverifiable("only systems of equations are checked, not systems of inequalities")
        found = sympy.solve([e for e in equations if e is not sympy.true], list(unknowns), dict=True)
        for solution in found:
            if set(unknowns) - set(solution):
                raise Unverifiable("the system has infinitely many solutions")
            points.append(tuple(solution[u] for u in unknowns))
    return sympy.FiniteSet(*points)


def is_empty(values: sympy.Set) -> bool:
    empty = values.is_empty
    if empty is None:
        simplified = sympy.simplify(values) if not isinstance(values, sympy.FiniteSet) else values
        empty = simplified.is_empty
    if empty is None:
        raise Unverifiable(f"cannot decide whether {values} is empty")
    return bool(empty)


def sample(values: sympy.Set) -> sympy.Basic:
    """One element of a non-empty set, for a counterexample."""
    if isinstance(values, sympy.FiniteSet):
        return sorted(values, key=sympy.default_sort_key)[0]
    if isinstance(values, sympy.Union):
        return sample(values.args[0])
    if isinstance(values, sympy.Interval):
        low, high = values.start, values.end
        if low.is_infinite and high.is_infinite:
            return sympy.Integer(0)
        if low.is_infinite:
            return high - 1
        if high.is_infinite:
            return low + 1
        return (low + high) / 2
    if isinstance(values, sympy.Complement):
        return sample(values.args[0])
    return values
