"""Readings of problems whose answer is a value, and the pieces they share.

A value reading works out the true value from the problem's facts, in its own way (enumerating,
iterating, exact arithmetic), and compares what the solution says with it. Steps are read as
chains of equal values, `c^{2} = a^{2} + b^{2} - 2ab\\cos C = 13`: the reading substitutes what
each letter stands for (a given fact, or the true value it computed) and checks every link
whose two sides are then plain numbers (or expressions in a free variable, n or x). Links that
still name an unknown are not claims. Facts are read by an allowlist of plain-number forms;
everything written in the solution is parsed only in the checking process (`judged`).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import sympy

from mathcast.lesson import Claim, ClaimKind, Problem, Solution, Verdict, VerdictKind
from mathcast.verify.check import judged
from mathcast.verify.kinds.base import ClaimsOf, add_claim, reads, requested
from mathcast.verify.parse import parse_math
from mathcast.verify.sets import Unverifiable

# --- reading facts: plain numbers only, so no fact can make the reading slow ---

_NUMBER_COMMANDS = re.compile(r"\\(?:[dt]?frac|sqrt|pi|left|right)(?![A-Za-z])")
_NUMBER_CHARACTERS = re.compile(r"^[\s\d.+\-{}()/]*$")
_DEGREE_MARK = re.compile(r"\^\s*\{?\s*\\circ\s*\}?|°")


def fact_number(text: str) -> sympy.Expr:
    """`2`, `-\\frac{1}{2}`, `2\\sqrt{3}`, `0.5` as an exact number; anything else is unverifiable."""
    if len(text) > 40 or not _NUMBER_CHARACTERS.match(_NUMBER_COMMANDS.sub("", text)):
        raise Unverifiable(f"{text!r} is not a plain number")
    value = parse_math(text)
    if not isinstance(value, sympy.Expr) or value.free_symbols or value.is_real is not True:
        raise Unverifiable(f"{text!r} is not a real number")
    return value


def fact_degrees(text: str) -> sympy.Expr:
    """An angle given in degrees (`60`, `60^\\circ`, `60°`), in degrees."""
    return fact_number(_DEGREE_MARK.sub("", text))


def fact_vector(text: str) -> tuple[sympy.Expr, ...]:
    """`(1, 2)` or `(1, -2, 3)`."""
    inside = re.fullmatch(r"\s*(?:\\left)?\(\s*(.*?)\s*(?:\\right)?\)\s*", text)
    if inside is None:
        raise Unverifiable(f"{text!r} is not coordinates such as (1, 2)")
    return tuple(fact_number(part) for part in inside.group(1).split(","))


def facts_of(
    problem: Problem, names: Sequence[str], read: Callable[[str], sympy.Expr]
) -> dict[str, sympy.Expr]:
    return {name: read(problem.facts[name]) for name in names if name in problem.facts}


# --- steps as chains of values ---

ALLOWED_COMMANDS = frozenset(
    (
        *("frac", "dfrac", "tfrac", "sqrt", "binom", "pi", "circ", "cdot", "times", "div", "left", "right"),
        *("sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "ln", "lg", "log", "exp"),
    )
)
_TOKENS = (
    r"(?P<words>\\text\s*\{[^{}]*\})|(?P<command>\\[A-Za-z]+)"
    r"|(?P<name>[A-Za-z](?:_(?:\{[^{}]*\}|[A-Za-z0-9]))?)"
)
_NOT_A_CHAIN = re.compile(
    r"或|\\text|\\Rightarrow|\\iff|\\therefore|\\because|<|>|\\le(?:q|qslant)?(?![A-Za-z])"
    r"|\\ge(?:q|qslant)?(?![A-Za-z])|\\neq?(?![A-Za-z])|\\approx|\\pm|\\in(?![A-Za-z])|[,;:]|\\quad|\\\\"
)


TIMES = " \\cdot "


def key(token: str) -> str:
    """A token as a name: `a_{10}` -> `a_10`, `\\vec{a}` -> `\\veca`."""
    return re.sub(r"\s|\{|\}|\\left|\\right", "", token)


@dataclass(frozen=True)
class Names:
    """What the letters of a solution stand for: `value(token)` is the LaTeX of its value, or None
    for an unknown; `patterns` are whole tokens read before single letters (A_{5}^{3},
    |\\vec{a}|); `free` letters may stay (n in a general term, x in an identity)."""

    value: Callable[[str], str | None] = lambda token: None
    patterns: tuple[str, ...] = ()
    free: frozenset[str] = field(default_factory=frozenset)

    def read(self, text: str) -> str | None:
        """`text` with every name replaced by its value; None when an unknown remains."""
        special = [f"(?P<special>{'|'.join(f'(?:{p})' for p in self.patterns)})"] if self.patterns else []
        pattern = re.compile("|".join([*special, _TOKENS]))
        out: list[str] = []
        last, closed = 0, True
        for match in pattern.finditer(text):
            token = match.group(0)
            out.append(text[last : match.start()])
            last = match.end()
            value = None if match.lastgroup in ("words", "command") else self.value(token)
            if value is None:
                allowed = match.lastgroup == "command" and token[1:] in ALLOWED_COMMANDS
                closed &= allowed or token in self.free or token == "e"
                out.append(token)
                continue
            before = "".join(out).rstrip()
            joined = re.search(r"[\w)}]$", before) and not re.search(r"\\[A-Za-z]+$", before)
            out.append(f"{TIMES if joined else ' '}({value})")
            if re.match(r"\s*(?:[\w(]|\\(?:frac|sqrt|left)(?![A-Za-z]))", text[last:]):
                out.append(TIMES)
        out.append(text[last:])
        return "".join(out).strip() if closed else None


def chain_claims(problem: Problem, solution: Solution, names: Names, claims: list[Claim]) -> None:
    """Every link of every chain line whose two sides are values once the names are read."""
    for step in solution.steps:
        for line in step.equations:
            if "=" not in line or _NOT_A_CHAIN.search(line):
                continue
            parts = [p.strip() for p in line.split("=")]
            for left, right in itertools.pairwise(parts):
                read_left, read_right = names.read(left), names.read(right)
                if read_left and read_right:
                    verdict = judged("check_same_value", read_left, read_right)
                    add_claim(
                        claims, problem.id, "step_rewrite", f"step {step.index}: {left} = {right}", verdict
                    )


def last_result(solution: Solution) -> str | None:
    """What the last step arrives at: the right end of its last chain line."""
    for line in reversed(solution.steps[-1].equations):
        if "=" in line and not _NOT_A_CHAIN.search(line):
            return line.rsplit("=", 1)[-1].strip()
    return None


# --- answers ---

_ALTERNATIVES = re.compile(r"\s*(?:或者|或|\\text\s*\{\s*or\s*\}|\\lor|\bor\b)\s*")
_NONE = re.compile(
    r"无解|不存在|不能构成|no such|no solution|does not exist|\\emptyset|\\varnothing", re.IGNORECASE
)


def stated_values(answer: str) -> list[str]:
    """The values an answer states: `B = 60^\\circ 或 B = 120^\\circ` -> the right-hand sides."""
    return [a.rsplit("=", 1)[-1].strip() for a in _ALTERNATIVES.split(answer) if a.strip()]


def says_none(answer: str) -> bool:
    return _NONE.search(answer) is not None


def _verdict(verdict: VerdictKind, reason: str, counterexample: str | None = None) -> Verdict:
    return Verdict(verdict=verdict, reason=reason, counterexample=counterexample)


def answer_claims(
    problem: Problem, solution: Solution, truth: Sequence[str], what: str, claims: list[Claim]
) -> None:
    """The answer states exactly the true values (`truth`, LaTeX, in any order), or says there is
    none when there is none."""
    if says_none(solution.answer) or not truth:
        verdict = (
            _verdict("verified", f"there is no {what}")
            if not truth and says_none(solution.answer)
            else _verdict("refuted", f"there is no {what}")
            if not truth
            else _verdict("refuted", f"the answer says there is no {what}", counterexample=", ".join(truth))
        )
        add_claim(claims, problem.id, "answer_complete", f"{what}: {solution.answer}", verdict)
        return
    stated = stated_values(solution.answer)
    if len(stated) != len(truth):
        add_claim(
            claims,
            problem.id,
            "answer_complete",
            f"{what}: {solution.answer}",
            _verdict(
                "refuted",
                f"{len(truth)} value(s) of {what}, the answer states {len(stated)}",
                counterexample=", ".join(truth),
            ),
        )
    for value in stated:
        tried = [judged("check_same_value", true, value) for true in truth]
        verdict = next((v for v in tried if v.verdict == "verified"), None) or next(
            (v for v in tried if v.verdict == "unverifiable"),
            _verdict("refuted", f"{what} is not {value}", counterexample=" or ".join(truth)),
        )
        add_claim(claims, problem.id, "answer_value", f"{what} = {value}", verdict)


def result_claim(problem: Problem, solution: Solution, claims: list[Claim]) -> None:
    """The answer is what the last step arrived at."""
    result, stated = last_result(solution), stated_values(solution.answer)
    if result is not None and len(stated) == 1:
        verdict = judged("check_same_value", result, stated[0])
        add_claim(claims, problem.id, "answer_matches_steps", f"{result} = {stated[0]}", verdict)


def guarded(reading: ClaimsOf) -> ClaimsOf:
    """A reading that never crashes: a problem it cannot read becomes one unverifiable claim."""

    @functools.wraps(reading)
    def safe(problem: Problem, solution: Solution) -> list[Claim]:
        try:
            found = reading(problem, solution)
        except Exception as error:  # facts that are not numbers, sympy failing on odd input...
            found = []
            reason = f"cannot read the problem: {type(error).__name__}: {error}"[:300]
            add_claim(found, problem.id, "answer_value", solution.answer, _verdict("unverifiable", reason))
        return [c.model_copy(update={"index": i}) for i, c in enumerate(found)]

    return safe


def unverifiable(problem: Problem, kind: ClaimKind, statement: str, reason: str, claims: list[Claim]) -> None:
    add_claim(claims, problem.id, kind, statement, _verdict("unverifiable", reason))


# --- trigonometric values and identities ---

_TRIG = ("sin", "cos", "tan")
_SIGNS = {"sin": (1, 1, -1, -1), "cos": (1, -1, -1, 1), "tan": (1, -1, 1, -1)}


def _angle_in_quadrant(function: str, value: sympy.Expr, quadrant: int) -> str:
    """LaTeX of the angle α in the quadrant with `function`(α) = value, by the inverse function."""
    inverse = f"\\arc{function}\\left({sympy.latex(value)}\\right)"
    if function == "sin":
        return inverse if quadrant in (1, 4) else f"\\pi - {inverse}"
    if function == "cos":
        return inverse if quadrant in (1, 2) else f"-{inverse}"
    return inverse if quadrant in (1, 4) else f"\\pi + {inverse}"


def _quadrant_claims(problem: Problem, solution: Solution) -> list[Claim]:
    known = [f for f in _TRIG if f in problem.facts]
    quadrant = problem.facts.get("quadrant", "").strip()
    asked = problem.ask.strip().removeprefix("\\")
    if len(known) != 1 or quadrant not in ("1", "2", "3", "4") or asked not in _TRIG:
        raise Unverifiable("give one of sin, cos, tan, the quadrant 1-4 and ask sin, cos or tan")
    function, value = known[0], fact_number(problem.facts[known[0]])
    sign = _SIGNS[function][int(quadrant) - 1]
    if value == 0 or (value > 0) != (sign > 0) or (function != "tan" and abs(value) >= 1):
        raise Unverifiable(f"{function} α = {value} is impossible in quadrant {quadrant}")
    angle = _angle_in_quadrant(function, value, int(quadrant))
    claims: list[Claim] = []
    symbol = (problem.unknowns or ["alpha"])[0].strip().lstrip("\\")
    names = Names(value=lambda token: angle, patterns=(rf"\\{re.escape(symbol)}(?![A-Za-z])",))
    chain_claims(problem, solution, names, claims)
    left = solution.answer.rsplit("=", 1)[0] if "=" in solution.answer else ""
    if left and f"\\{asked}" not in left:
        add_claim(
            claims,
            problem.id,
            "answer_value",
            solution.answer,
            _verdict("refuted", f"the question asks {asked} α, the answer gives {left.strip()}"),
        )
    answer_claims(problem, solution, [f"\\{asked}\\left({angle}\\right)"], f"{asked} α", claims)
    return claims


@reads("trig_value")
@guarded
def trig_value_claims(problem: Problem, solution: Solution) -> list[Claim]:
    if problem.facts:
        return _quadrant_claims(problem, solution)
    claims: list[Claim] = []
    chain_claims(problem, solution, Names(), claims)
    claims += requested(problem, solution, "evaluate", problem.given, steps=[])
    result_claim(problem, solution, claims)
    return claims


@reads("trig_identity")
@guarded
def trig_identity_claims(problem: Problem, solution: Solution) -> list[Claim]:
    """Identity lines hold for every angle; the last expression of each step continues the chain
    given = step 1 = step 2 = ... = answer."""
    variable = problem.unknowns[0] if problem.unknowns else "x"
    claims: list[Claim] = []
    chain_claims(problem, solution, Names(free=frozenset({variable, f"\\{variable}"})), claims)
    results = [step.equations[-1].rsplit("=", 1)[-1].strip() for step in solution.steps]
    return claims + requested(problem, solution, "simplify", problem.given, steps=results)


# --- counting and classical probability ---

_COUNT = r"(?:\\mathrm\{[AC]\}|[AC])\s*_\s*\{?\s*\d+\s*\}?\s*\^\s*\{?\s*\d+\s*\}?"
_BINOMIAL = r"\\binom\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}"


def _count_of(token: str) -> int | None:
    """A_n^k or C_n^k by Python's own math.perm and math.comb; None when it is not one."""
    found = re.fullmatch(r"(?:\\mathrm\{([AC])\}|([AC]))_(\d+)\^(\d+)", key(token))
    if found is None:
        return None
    letter, n, k = found.group(1) or found.group(2), int(found.group(3)), int(found.group(4))
    if n > 1000 or k > n:
        return None
    return math.perm(n, k) if letter == "A" else math.comb(n, k)


def _counted(token: str) -> str | None:
    value = _count_of(token)
    return None if value is None else str(value)


COUNTS = Names(value=_counted, patterns=(_COUNT,))


def _counting_truth(problem: Problem) -> int:
    given = problem.given.strip()
    if given:
        if (value := _count_of(given)) is not None:
            return value
        if binomial := re.fullmatch(_BINOMIAL, given):
            return math.comb(int(binomial.group(1)), int(binomial.group(2)))
        if factorial := re.fullmatch(r"(\d+)\s*!", given):
            return math.factorial(min(int(factorial.group(1)), 1000))
        raise Unverifiable(f"{given!r} is not A_n^k, C_n^k or n!")
    n, k = (int(fact_number(problem.facts[name])) for name in ("n", "k"))
    ordered = problem.facts.get("ordered", "").strip().lower()
    if ordered not in ("yes", "no") or not 0 <= k <= n <= 1000:
        raise Unverifiable(f"cannot read the counting facts {problem.facts}")
    return math.perm(n, k) if ordered == "yes" else math.comb(n, k)


@reads("counting")
@guarded
def counting_claims(problem: Problem, solution: Solution) -> list[Claim]:
    truth = _counting_truth(problem)
    claims: list[Claim] = []
    chain_claims(problem, solution, COUNTS, claims)
    answer_claims(problem, solution, [str(truth)], "the count", claims)
    result_claim(problem, solution, claims)
    return claims


_EVENT = re.compile(r"(sum|red|white|heads)(=|>=|<=)(\d+)|doubles|both_even")
_RELATIONS: dict[str, Callable[[int, int], bool]] = {
    "=": lambda a, b: a == b,
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
}


def _outcomes(problem: Problem) -> list[tuple[int, ...]]:
    """Every equally likely outcome: the faces of the dice, or 1 for each head or red ball drawn."""
    facts = problem.facts
    if "dice" in facts:
        dice = int(fact_number(facts["dice"]))
        if not 1 <= dice <= 4:
            raise Unverifiable(f"{dice} dice are too many to list")
        return list(itertools.product(range(1, 7), repeat=dice))
    if "coins" in facts:
        coins = int(fact_number(facts["coins"]))
        if not 1 <= coins <= 12:
            raise Unverifiable(f"{coins} coins are too many to list")
        return list(itertools.product((1, 0), repeat=coins))
    red, white, draw = (int(fact_number(facts[name])) for name in ("red", "white", "draw"))
    balls = [1] * red + [0] * white
    if len(balls) > 20 or math.comb(len(balls), draw) > 200_000:
        raise Unverifiable("too many draws to list")
    return [tuple(balls[i] for i in chosen) for chosen in itertools.combinations(range(len(balls)), draw)]


def _probability_truth(problem: Problem) -> sympy.Rational:
    """The probability by listing every outcome: favourable ones over all of them."""
    text = re.sub(r"\s", "", problem.facts.get("event", "").lower()).replace("≥", ">=").replace("≤", "<=")
    event = _EVENT.fullmatch(text)
    if event is None:
        raise Unverifiable(f"the event {problem.facts.get('event')!r} is not one of the templates")
    outcomes = _outcomes(problem)
    if event.group(0) in ("doubles", "both_even"):
        if "dice" not in problem.facts:
            raise Unverifiable(f"{event.group(0)} is an event of dice")
        even = event.group(0) == "both_even"
        favourable = [o for o in outcomes if (all(f % 2 == 0 for f in o) if even else len(set(o)) == 1)]
    else:
        subject, relation, number = event.group(1), event.group(2), int(event.group(3))
        if {"sum": "dice", "heads": "coins"}.get(subject, "red") not in problem.facts:
            raise Unverifiable(f"event {subject} does not fit the facts {problem.facts}")
        favourable = [
            o
            for o in outcomes
            if _RELATIONS[relation](len(o) - sum(o) if subject == "white" else sum(o), number)
        ]
    return sympy.Rational(len(favourable), len(outcomes))


@reads("classical_probability")
@guarded
def probability_claims(problem: Problem, solution: Solution) -> list[Claim]:
    truth = sympy.latex(_probability_truth(problem))
    names = Names(
        value=lambda token: truth if re.fullmatch(r"P(\(A\))?", key(token)) else _counted(token),
        patterns=(_COUNT, r"P\s*\(\s*A\s*\)"),
    )
    claims: list[Claim] = []
    chain_claims(problem, solution, names, claims)
    answer_claims(problem, solution, [truth], "P", claims)
    result_claim(problem, solution, claims)
    return claims


# --- triangles: every triangle the facts allow, worked out from its three sides ---

_SIDES, _ANGLES = ("a", "b", "c"), ("A", "B", "C")


def _positive_roots(polynomial: sympy.Expr, unknown: sympy.Symbol) -> list[sympy.Expr]:
    return [r for r in sympy.solve(polynomial, unknown) if r.is_real and r > 0]


def _side_triples(sides: dict[str, sympy.Expr], angles: dict[str, sympy.Expr]) -> list[dict[str, sympy.Expr]]:
    """Every (a, b, c) of a triangle with these facts: two angles fix its shape (the third from the
    angle sum, then in proportion to the sines); one angle gives a law of cosines equation in the
    missing side, whose positive roots are the triangles (two, one or none)."""
    if len(sides) == 3:
        a, b, c = sorted(sides.values())
        return [sides] if a + b > c else []
    if len(angles) >= 2:
        missing = [n for n in _ANGLES if n not in angles]
        full = {**angles, **{n: 180 - sum(angles.values()) for n in missing}}
        if any(v <= 0 for v in full.values()):
            return []
        known = next(iter(sides))
        scale = sides[known] / sympy.sin(full[known.upper()] * sympy.pi / 180)
        return [{s: sympy.simplify(scale * sympy.sin(full[s.upper()] * sympy.pi / 180)) for s in _SIDES}]
    (angle,) = angles
    opposite = angle.lower()
    first, second = (s for s in _SIDES if s != opposite)
    cosine = sympy.cos(angles[angle] * sympy.pi / 180)
    t = sympy.Symbol("t", positive=True)
    unknown = next(s for s in _SIDES if s not in sides)
    values = {**sides, unknown: t}
    relation = (
        values[first] ** 2
        + values[second] ** 2
        - 2 * values[first] * values[second] * cosine
        - values[opposite] ** 2
    )
    return [{**sides, unknown: sympy.simplify(root)} for root in _positive_roots(sympy.expand(relation), t)]


def _degrees_of(sides: dict[str, sympy.Expr], angle: str) -> sympy.Expr:
    x = sides[angle.lower()]
    p, q = (sides[s] for s in _SIDES if s != angle.lower())
    return sympy.nsimplify(sympy.acos(sympy.radsimp((p**2 + q**2 - x**2) / (2 * p * q))) * 180 / sympy.pi)


def _heron(sides: dict[str, sympy.Expr]) -> sympy.Expr:
    a, b, c = (sides[s] for s in _SIDES)
    half = (a + b + c) / 2
    return sympy.radsimp(
        sympy.sqrtdenest(sympy.sqrt(sympy.expand(half * (half - a) * (half - b) * (half - c))))
    )


def _angle_latex(degrees: sympy.Expr) -> str:
    if degrees.is_Rational:
        return f"{sympy.latex(degrees)}^{{\\circ}}"
    return str(sympy.latex(sympy.simplify(degrees * sympy.pi / 180), inv_trig_style="full"))


@reads("triangle")
@guarded
def triangle_claims(problem: Problem, solution: Solution) -> list[Claim]:
    sides = facts_of(problem, _SIDES, fact_number)
    angles = facts_of(problem, _ANGLES, fact_degrees)
    ask = "S" if problem.ask.strip() in ("area", "S") else problem.ask.strip()
    if len(sides) + len(angles) != 3 or not sides or ask not in (*_SIDES, *_ANGLES, "S"):
        raise Unverifiable(f"cannot read a triangle from {problem.facts} asking {problem.ask!r}")
    found = []
    for triple in _side_triples(sides, angles):
        full: dict[str, str] = {s: sympy.latex(v) for s, v in triple.items()}
        full |= {n: _angle_latex(_degrees_of(triple, n)) for n in _ANGLES}
        full["S"] = sympy.latex(_heron(triple))
        found.append(full)
    given = {s: sympy.latex(v) for s, v in sides.items()} | {
        n: f"{sympy.latex(v)}^{{\\circ}}" for n, v in angles.items()
    }
    values = found[0] if len(found) == 1 else given
    claims: list[Claim] = []
    segment = r"(?<![A-Za-z\\])(?:AB|BA|BC|CB|AC|CA)(?![A-Za-z])"  # a side named by its ends: BC = a

    def value(token: str) -> str | None:
        if len(token) == 2:
            (opposite,) = set(_ANGLES) - set(token)
            return values.get(opposite.lower())
        return values.get(token)

    chain_claims(problem, solution, Names(value=value, patterns=(segment,)), claims)
    truth = list(dict.fromkeys(t[ask] for t in found))
    answer_claims(problem, solution, truth, "S" if ask == "S" else ask, claims)
    if len(truth) == 1:
        result_claim(problem, solution, claims)
    return claims


# --- vectors: exact arithmetic on the coordinates, or on |a|, |b| and θ ---

_VECTOR_NAMES = {
    r"\\vec\s*\{\s*a\s*\}\s*\\cdot\s*\\vec\s*\{\s*b\s*\}": "dot",
    r"\|\s*\\vec\s*\{\s*a\s*\}\s*\|": "|a|",
    r"\|\s*\\vec\s*\{\s*b\s*\}\s*\|": "|b|",
    r"\\theta(?![A-Za-z])": "theta",
}


def _vector_values(problem: Problem) -> dict[str, str]:
    """LaTeX of a · b, |a|, |b|, θ, the projection and the coordinates x_1, y_1, ..., x_2, ..."""
    facts = problem.facts
    known: dict[str, sympy.Expr] = {}
    if "a" in facts and "b" in facts:
        a, b = fact_vector(facts["a"]), fact_vector(facts["b"])
        if len(a) != len(b):
            raise Unverifiable("a and b have different numbers of coordinates")
        known |= {f"{n}_1": v for n, v in zip("xyz", a, strict=False)} | {
            f"{n}_2": v for n, v in zip("xyz", b, strict=False)
        }
        known["dot"] = sum((x * y for x, y in zip(a, b, strict=True)), sympy.Integer(0))
        known["|a|"], known["|b|"] = (sympy.sqrt(sum(c**2 for c in v)) for v in (a, b))
        cosine = known["dot"] / (known["|a|"] * known["|b|"]) if known["|a|"] * known["|b|"] else None
    else:
        known["|a|"], known["|b|"] = fact_number(facts["|a|"]), fact_number(facts["|b|"])
        cosine = sympy.cos(fact_degrees(facts["theta"]) * sympy.pi / 180)
        known["dot"] = known["|a|"] * known["|b|"] * cosine
    values = {name: sympy.latex(sympy.radsimp(v)) for name, v in known.items()}
    if cosine is not None:
        values["theta"] = _angle_latex(sympy.nsimplify(sympy.acos(sympy.radsimp(cosine)) * 180 / sympy.pi))
    if known["|b|"] != 0:
        values["projection"] = sympy.latex(sympy.radsimp(known["dot"] / known["|b|"]))
    return values


@reads("vector")
@guarded
def vector_claims(problem: Problem, solution: Solution) -> list[Claim]:
    values = _vector_values(problem)
    asked = {"dot": "dot", "magnitude": "|a|", "angle": "theta", "projection": "projection"}.get(
        problem.ask.strip()
    )
    if asked is None or asked not in values:
        raise Unverifiable(f"ask {problem.ask!r} is not dot, magnitude, angle or projection of these vectors")

    def value(token: str) -> str | None:
        name = next((n for pattern, n in _VECTOR_NAMES.items() if re.fullmatch(pattern, token)), key(token))
        return values.get(name)

    claims: list[Claim] = []
    chain_claims(problem, solution, Names(value=value, patterns=tuple(_VECTOR_NAMES)), claims)
    answer_claims(problem, solution, [values[asked]], problem.ask.strip(), claims)
    result_claim(problem, solution, claims)
    return claims
