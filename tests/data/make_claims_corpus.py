"""Writes `claims_corpus.jsonl`: labelled worked answers for measuring the verifier.

    .venv/bin/python tests/data/make_claims_corpus.py [OUT]

Every problem is built backwards from chosen roots, critical points or coefficients, so its
truth is known by construction and computed here with plain `Fraction` arithmetic: the
verifier is never asked. Half the items are a correct worked answer; the other half carry ONE
realistic error (a sign slip, a dropped or extraneous root, an unflipped inequality ...) in a
step or in the answer, propagated to the answer the way a student would carry it on.

Conventions a reader of the corpus should know:
- Steps of correct items keep the solution set, except where a textbook solution itself passes
  through a consequence (clearing denominators, squaring, dropping logarithms): that step may
  add a root which the answer then rejects. Losing a root is never correct.
- Every injected item has a wrong answer, so "the answer equals the truth" is the label.

Each item's seed is derived from its family and index, so the file is reproducible byte for
byte and adding a family does not reshuffle the others.
"""

from __future__ import annotations

import json
import math
import random
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

OUT = Path(__file__).with_name("claims_corpus.jsonl")
F = Fraction
Interval = tuple[Fraction | None, Fraction | None, bool, bool]  # lo, hi (None: infinite), closed ends

LATEX_REL = {"<": "<", "<=": "\\le", ">": ">", ">=": "\\ge"}
FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<="}
TOGGLE_STRICT = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}
OR = ("或", "\\text{ 或 }")
NO_SOLUTION = ("无解", "no solution")
NEG_INF, POS_INF = "-\\infty", "+\\infty"


class Redraw(Exception):
    """The random draw is degenerate (equal roots, zero coefficient ...): draw again."""


@dataclass
class Draft:
    """One item before it gets its id; `category` is "correct" unless an error was injected."""

    category: str
    task: str
    problem: str
    answer: str
    truth: str
    steps: list[str] = field(default_factory=list)
    variable: str | None = "x"
    n: int | None = None
    params: dict[str, Any] = field(default_factory=dict)


# --- LaTeX formatting of exact numbers and polynomials ---


def num(value: Fraction | int) -> str:
    value = F(value)
    if value.denominator == 1:
        return str(value.numerator)
    sign = "-" if value < 0 else ""
    return f"{sign}\\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def par(value: Fraction | int) -> str:
    """A number safe to write after an operator: negatives in parentheses."""
    return f"({num(value)})" if value < 0 else num(value)


def poly(coeffs: Sequence[Fraction | int], var: str = "x") -> str:
    """Coefficients from the highest power down, written the way a teacher would."""
    degree, parts = len(coeffs) - 1, []
    for i, c in enumerate(coeffs):
        c, power = F(c), degree - i
        if c == 0:
            continue
        mono = "" if power == 0 else var if power == 1 else f"{var}^{power}"
        coef = num(abs(c)) if abs(c) != 1 or power == 0 else ""
        sign = ("-" if c < 0 else "") if not parts else (" - " if c < 0 else " + ")
        parts.append(f"{sign}{coef}{mono}")
    return "".join(parts) or "0"


def lin2(a: int, b: int) -> str:
    """a x + b y for a system's equation."""
    text = poly([a, 0], "x") if a else ""
    if b:
        coef = "" if abs(b) == 1 else str(abs(b))
        text += (" - " if b < 0 else " + ") + coef + "y" if text else ("-" if b < 0 else "") + coef + "y"
    return text


def bare(root: Fraction | int) -> str:
    """The linear expression vanishing at this root: x - 3, x + 2, 2x - 1."""
    root = F(root)
    return poly([root.denominator, -root.numerator])


def factor(root: Fraction | int) -> str:
    """The factor with this root as written in a product: (x - 3), (2x - 1), or x for 0."""
    return "x" if root == 0 else f"({bare(root)})"


def product(*roots: Fraction | int) -> str:
    """x(x - 3) rather than (x - 3)(x): a lone x goes first."""
    return "".join(factor(r) for r in sorted(roots, key=lambda r: r != 0))


def roots_text(rng: random.Random, roots: Sequence[str], var: str = "x") -> str:
    """Roots as a teacher lists them: `x = 2 或 x = 3`, `x_1 = 2, x_2 = 3`, `\\{2, 3\\}`."""
    if not roots:
        return rng.choice(NO_SOLUTION)
    if len(roots) == 1:
        return f"{var} = {roots[0]}"
    style = rng.randrange(4)
    if style == 2:
        return ", ".join(f"{var}_{i + 1} = {r}" for i, r in enumerate(roots))
    if style == 3:
        return "\\{" + ", ".join(roots) + "\\}"
    return f" {OR[style]} ".join(f"{var} = {r}" for r in roots)


def interval_text(iv: Interval) -> str:
    lo, hi, lo_closed, hi_closed = iv
    left = NEG_INF if lo is None else num(lo)
    right = POS_INF if hi is None else num(hi)
    return f"{'[' if lo_closed else '('}{left}, {right}{']' if hi_closed else ')'}"


def set_text(rng: random.Random, ivs: Sequence[Interval], var: str = "x", style: int | None = None) -> str:
    """A solution set as `x \\in (1, 2]`, a bare union, or inequalities joined by 或."""
    if not ivs:
        return rng.choice(NO_SOLUTION)
    style = rng.randrange(3) if style is None else style
    union = " \\cup ".join(interval_text(iv) for iv in ivs)
    if style == 0:
        return f"{var} \\in {union}"
    if style == 1 or any(lo is None and hi is None for lo, hi, _, _ in ivs):
        return union
    parts = []
    for lo, hi, lo_closed, hi_closed in ivs:
        if lo is None:
            parts.append(f"{var} {LATEX_REL['<=' if hi_closed else '<']} {num(hi or 0)}")
        elif hi is None:
            parts.append(f"{var} {LATEX_REL['>=' if lo_closed else '>']} {num(lo)}")
        else:
            lo_rel, hi_rel = LATEX_REL["<=" if lo_closed else "<"], LATEX_REL["<=" if hi_closed else "<"]
            parts.append(f"{num(lo)} {lo_rel} {var} {hi_rel} {num(hi)}")
    return f" {rng.choice(OR)} ".join(parts)


def quadratic_set(r1: Fraction, r2: Fraction, rel: str) -> list[Interval]:
    """Solutions of (x - r1)(x - r2) REL 0 for r1 < r2."""
    closed = rel in ("<=", ">=")
    if rel in ("<", "<="):
        return [(r1, r2, closed, closed)]
    return [(None, r1, False, closed), (r2, None, closed, False)]


def ray(bound: Fraction, rel: str) -> list[Interval]:
    """Solutions of x REL bound."""
    closed = rel in ("<=", ">=")
    return [(None, bound, False, closed)] if rel in ("<", "<=") else [(bound, None, closed, False)]


def draft(category: str, task: str, problem: str, answer: str, truth: str, **kw: Any) -> Draft:
    if (category == "correct") != (answer == truth):
        raise Redraw  # an injected error that happens to give the right answer is no error
    steps = kw.pop("steps", [])
    kw["steps"] = [s for i, s in enumerate(steps) if i == 0 or s != steps[i - 1]]
    return Draft(category, task, problem, answer, truth, **kw)


def nonzero(rng: random.Random, lo: int, hi: int) -> int:
    return rng.choice([v for v in range(lo, hi + 1) if v])


# --- solve ---


def solve_linear(rng: random.Random, inject: bool) -> Draft:
    if rng.random() < 0.5:  # a x + b = c x + d
        a, c = rng.randint(2, 7), rng.randint(-4, 4)
        if a == c:
            raise Redraw
        root, b = F(nonzero(rng, -9, 9)), nonzero(rng, -10, 10)
        d = (a - c) * root + b
        problem = f"{poly([a, b])} = {poly([c, d])}"
        category = rng.choice(["sign_slip", "arithmetic_slip"]) if inject else "correct"
        rhs = {"correct": d - b, "sign_slip": d + b, "arithmetic_slip": d - b + nonzero(rng, -2, 2)}[category]
        x = F(rhs, a - c)
        steps = [f"{poly([a - c, 0])} = {num(rhs)}", f"x = {num(x)}"]
        params = {"form": "ax+b=cx+d", "a": a, "b": b, "c": c, "d": int(d)}
    else:  # (x - p)/m = (x + q)/k, cleared by multiplying with m k
        m, k = rng.sample([2, 3, 4, 5, 6], 2)
        p, q = nonzero(rng, -6, 6), nonzero(rng, -6, 6)
        root = F(m * q + k * p, k - m)
        problem = f"\\frac{{{poly([1, -p])}}}{{{m}}} = \\frac{{{poly([1, q])}}}{{{k}}}"
        category = rng.choice(["sign_slip", "arithmetic_slip"]) if inject else "correct"
        lhs_c = {"correct": -k * p, "sign_slip": k * p, "arithmetic_slip": -p}[category]  # 漏乘 when clearing
        x = F(m * q - lhs_c, k - m)
        steps = [
            f"{k}({bare(p)}) = {m}({bare(-q)})",
            f"{poly([k, lhs_c])} = {poly([m, m * q])}",
            f"x = {num(x)}",
        ]
        params = {"form": "(x-p)/m=(x+q)/k", "p": p, "q": q, "m": m, "k": k}
    truth = f"x = {num(root)}"
    return draft(category, "solve", problem, f"x = {num(x)}", truth, steps=steps, params=params)


def solve_quadratic(rng: random.Random, inject: bool) -> Draft:
    lead = rng.choice([1, 1, 1, 2, 3])
    r1 = F(nonzero(rng, -7, 7), lead) if lead > 1 and rng.random() < 0.7 else F(rng.randint(-7, 7))
    r2 = F(nonzero(rng, -7, 7))
    if r1 == r2 or (r1.denominator > 1 and r1 * lead % 1):
        raise Redraw
    coeffs = [lead, -lead * (r1 + r2), lead * r1 * r2]
    if any(F(c).denominator > 1 for c in coeffs):
        raise Redraw
    if rng.random() < 0.3 and coeffs[2]:  # written as x^2 + b x = -c
        problem = f"{poly([*coeffs[:2], 0])} = {num(-coeffs[2])}"
    else:
        problem = f"{poly(coeffs)} = 0"
    choices = ["sign_slip", "dropped_root", "arithmetic_slip"]
    category = rng.choice(choices) if inject else "correct"
    lo, hi = sorted([r1, r2])
    truth_roots = [num(lo), num(hi)]
    if category == "sign_slip":  # (x + 2)(x + 3) for (x - 2)(x - 3)
        f1, f2 = -r1, -r2
    elif category == "arithmetic_slip":  # same sum, wrong product
        f1, f2 = r1 - 1, r2 + 1
    else:
        f1, f2 = r1, r2
    if {f1, f2} == {r1, r2} and category in ("sign_slip", "arithmetic_slip"):
        raise Redraw
    w1, w2 = sorted([f1, f2])
    found = [num(w1), num(w2)] if w1 != w2 else [num(w1)]
    lead_text = "" if lead == 1 or F(f1).denominator > 1 else str(lead)
    steps = [
        f"{lead_text}{product(f1, f2)} = 0",
        f"{bare(f1)} = 0 {rng.choice(OR)} {bare(f2)} = 0",
    ]
    if category == "dropped_root":  # divides the work correctly, then copies one root
        found = [rng.choice(truth_roots)]
    answer_style = rng.randrange(1_000)
    answer = roots_text(random.Random(answer_style), found)
    truth = roots_text(random.Random(answer_style), truth_roots)
    params = {"lead": lead, "roots": [str(r1), str(r2)], "coeffs": [str(c) for c in coeffs]}
    return draft(category, "solve", problem, answer, truth, steps=steps, params=params)


def surd(h: int, k: int, sign: int) -> str:
    root = f"\\sqrt{{{k}}}"
    if h == 0:
        return root if sign > 0 else f"-{root}"
    return f"{h} {'+' if sign > 0 else '-'} {root}"


def solve_quadratic_surd(rng: random.Random, inject: bool) -> Draft:
    """x^2 - 2 h x + (h^2 - k) = 0 by completing the square: x = h ± √k."""
    h, k = rng.randint(-4, 4), rng.choice([2, 3, 5, 6, 7])
    problem = f"{poly([1, -2 * h, h * h - k])} = 0"
    category = rng.choice(["arithmetic_slip", "sign_slip"]) if inject else "correct"
    if category == "sign_slip" and h == 0:
        raise Redraw
    hh = -h if category == "sign_slip" else h
    kk = k + 1 if category == "arithmetic_slip" and k + 1 in (3, 5, 6, 7, 8) else k
    if category == "arithmetic_slip" and kk == k:
        kk = k - 1 if k - 1 in (2, 3, 5, 6) else k + 3
    shifted = poly([1, -hh])
    steps = [
        f"({shifted})^2 = {kk}" if hh else f"x^2 = {kk}",
        f"{shifted} = \\sqrt{{{kk}}} {rng.choice(OR)} {shifted} = -\\sqrt{{{kk}}}",
    ]
    join = f" {rng.choice(OR)} "
    answer = join.join(f"x = {surd(hh, kk, s)}" for s in (1, -1))
    truth = join.join(f"x = {surd(h, k, s)}" for s in (1, -1))
    return draft(category, "solve", problem, answer, truth, steps=steps, params={"h": h, "k": k})


def solve_common_factor(rng: random.Random, inject: bool) -> Draft:
    """a x^2 = b x or (x - p)^2 = k (x - p): dividing by the factor loses a root."""
    category = "dropped_root" if inject else "correct"
    if rng.random() < 0.5:
        a, b = rng.randint(1, 4), nonzero(rng, -9, 9)
        problem = f"{poly([a, 0, 0])} = {poly([b, 0])}"
        other, zero = F(b, a), F(0)
        full = [f"{poly([a, -b, 0])} = 0", f"x({poly([a, -b])}) = 0"]
        lossy = [f"{poly([a, 0])} = {b}"]
        params: dict[str, Any] = {"form": "ax^2=bx", "a": a, "b": b}
    else:
        p, k = nonzero(rng, -6, 6), nonzero(rng, -5, 5)
        inner = poly([1, -p])
        other, zero = F(p + k), F(p)
        times = "" if k == 1 else "-" if k == -1 else str(k)
        problem = f"({inner})^2 = {times}({inner})"
        full = [f"({inner})^2 {'-' if k > 0 else '+'} {'' if abs(k) == 1 else abs(k)}({inner}) = 0"]
        full.append(f"{product(p, p + k)} = 0")
        lossy = [f"{inner} = {k}"]
        params = {"form": "(x-p)^2=k(x-p)", "p": p, "k": k}
    lo, hi = sorted([zero, other])
    truth = roots_text(rng, [num(lo), num(hi)])
    if category == "correct":
        steps, answer = [*full, f"x = {num(lo)} {rng.choice(OR)} x = {num(hi)}"], truth
    else:
        steps, answer = [*lossy, f"x = {num(other)}"], f"x = {num(other)}"
    return draft(category, "solve", problem, answer, truth, steps=steps, params=params)


def solve_rational_quadratic(rng: random.Random, inject: bool) -> Draft:
    """(x^2 + m x)/(x - p) = c/(x - p): clearing gives roots p (extraneous) and q."""
    p, m = nonzero(rng, -5, 5), rng.randint(-5, 5)
    q, c = -p - m, p * p + m * p
    if q == p:
        raise Redraw
    den = poly([1, -p])
    problem = f"\\frac{{{poly([1, m, 0])}}}{{{den}}} = \\frac{{{c}}}{{{den}}}"
    lo, hi = sorted([p, q])
    steps = [
        f"{poly([1, m, 0])} = {c}",
        f"{poly([1, m, -c])} = 0",
        f"{product(p, q)} = 0",
        f"x = {lo} {rng.choice(OR)} x = {hi}",
    ]
    category = "extraneous_root" if inject else "correct"
    truth = f"x = {q}"
    answer = roots_text(rng, [str(lo), str(hi)]) if inject else truth
    params = {"p": p, "m": m, "c": c, "extraneous": p}
    return draft(category, "solve", problem, answer, truth, steps=steps, params=params)


def solve_rational_linear(rng: random.Random, inject: bool) -> Draft:
    """k x/(x - p) = m + c/(x - p): either the only root is p (无解) or a valid root r."""
    k, m, p = rng.choice([1, 2, 3]), rng.choice([-1, 1, 2]), nonzero(rng, -5, 5)
    if k == m:
        raise Redraw
    no_root = rng.random() < 0.5
    c = k * p if no_root else nonzero(rng, -9, 9)
    if not no_root and c == k * p:
        raise Redraw
    den = poly([1, -p])
    lhs = f"\\frac{{{poly([k, 0])}}}{{{den}}}"
    frac = f"\\frac{{{abs(c)}}}{{{den}}}"
    problem = f"{lhs} = {m} {'+' if c > 0 else '-'} {frac}"
    root = F(c - m * p, k - m)
    truth = rng.choice(NO_SOLUTION) if no_root else f"x = {num(root)}"
    category = ("extraneous_root" if no_root else "sign_slip") if inject else "correct"
    # m (x - p) expanded as m x + m p is the slip
    const = c + m * p if category == "sign_slip" else c - m * p
    x = F(const, k - m)
    if category == "sign_slip" and x == p:
        raise Redraw
    steps = [
        f"{poly([k, 0])} = {m}({bare(p)}) {'+' if c > 0 else '-'} {abs(c)}",
        f"{poly([k - m, 0])} = {const}",
        f"x = {num(x)}",
    ]
    answer = truth if category == "correct" else f"x = {num(x)}"
    params = {"k": k, "m": m, "p": p, "c": c, "extraneous": p if no_root else None}
    return draft(category, "solve", problem, answer, truth, steps=steps, params=params)


def solve_radical(rng: random.Random, inject: bool) -> Draft:
    """sqrt(k x + a) = x + b; squaring gives roots r and s, each valid iff root + b >= 0."""
    k, b, r = rng.choice([1, 1, 2, 3]), rng.randint(-3, 2), rng.randint(-2, 7)
    s = k - 2 * b - r
    a = b * b - r * s
    if r == s:
        raise Redraw
    valid = sorted(v for v in (r, s) if v + b >= 0)
    both = sorted([r, s])
    rhs = poly([1, b])
    problem = f"\\sqrt{{{poly([k, a])}}} = {rhs}"
    steps = [
        f"{poly([k, a])} = ({rhs})^2" if b else f"{poly([k, a])} = x^2",
        f"{poly([1, 2 * b - k, b * b - a])} = 0",
        f"{product(*both)} = 0",
        f"x = {both[0]} {rng.choice(OR)} x = {both[1]}",
    ]
    truth = roots_text(rng, [str(v) for v in valid])
    if not inject:
        category, answer = "correct", truth
    elif len(valid) == 1:
        category, answer = "extraneous_root", roots_text(rng, [str(v) for v in both])
    else:  # both roots check, but the student "rejects" one
        category, answer = "dropped_root", f"x = {rng.choice(valid)}"
    params = {"k": k, "a": a, "b": b, "squared_roots": both, "valid": valid}
    return draft(category, "solve", problem, answer, truth, steps=steps, params=params)


def solve_log(rng: random.Random, inject: bool) -> Draft:
    """log_B(x - a) + log_B(x - b) = i + j with x - a = B^i, x - b = B^j at the valid root r."""
    base = rng.choice([2, 3])
    i, j = rng.sample([0, 1, 2] if base == 3 else [0, 1, 2, 3], 2)
    r = rng.randint(-2, 8)
    a, b = r - base**i, r - base**j
    s = a + b - r  # the other root of (x - a)(x - b) = B^(i+j), left of both logs' domain
    logs = [f"\\log_{{{base}}} x" if v == 0 else f"\\log_{{{base}}}({poly([1, -v])})" for v in (a, b)]
    problem = f"{logs[0]} + {logs[1]} = {i + j}"
    lo, hi = sorted([r, s])
    steps = [
        f"{product(a, b)} = {base ** (i + j)}",
        f"{poly([1, -(a + b), a * b - base ** (i + j)])} = 0",
        f"{product(r, s)} = 0",
        f"x = {lo} {rng.choice(OR)} x = {hi}",
    ]
    category = "extraneous_root" if inject else "correct"
    truth = f"x = {r}"
    answer = roots_text(rng, [str(lo), str(hi)]) if inject else truth
    params = {"base": base, "a": a, "b": b, "root": r, "extraneous": s}
    return draft(category, "solve", problem, answer, truth, steps=steps, params=params)


def solve_linear_inequality(rng: random.Random, inject: bool) -> Draft:
    """a x + b REL c x + d; dividing by a - c < 0 flips the relation."""
    category = rng.choice(["flipped_inequality", "open_closed_swap", "sign_slip"]) if inject else "correct"
    a, c = rng.randint(-5, 5), rng.randint(-5, 5)
    if a == c or (category == "flipped_inequality" and a - c > 0):
        raise Redraw
    rel = rng.choice(list(LATEX_REL))
    bound, b = F(rng.randint(-8, 8), rng.choice([1, 1, 2, 3])), nonzero(rng, -9, 9)
    d = (a - c) * bound + b
    if d.denominator > 1:
        raise Redraw
    problem = f"{poly([a, b])} {LATEX_REL[rel]} {poly([c, d])}"
    final_rel = FLIP[rel] if a - c < 0 else rel
    truth_set = ray(bound, final_rel)
    rhs, claimed_rel = d - b, final_rel
    if category == "sign_slip":
        rhs = d + b
    elif category == "flipped_inequality":
        claimed_rel = rel
    claimed_bound = F(rhs, a - c)
    steps = [
        f"{poly([a - c, 0])} {LATEX_REL[rel]} {num(rhs)}",
        f"x {LATEX_REL[claimed_rel]} {num(claimed_bound)}",
    ]
    claimed = ray(claimed_bound, claimed_rel)
    if category == "open_closed_swap":  # solved right, then the bracket is copied wrong
        claimed = ray(claimed_bound, TOGGLE_STRICT[claimed_rel])
    style = rng.randrange(3)
    answer, truth = set_text(rng, claimed, style=style), set_text(rng, truth_set, style=style)
    params = {"a": a, "b": b, "c": c, "d": int(d), "rel": rel, "bound": str(bound)}
    return draft(category, "solve", problem, answer, truth, steps=steps, params=params)


def solve_quadratic_inequality(rng: random.Random, inject: bool) -> Draft:
    """lead (x - r1)(x - r2) REL 0; a negative leading coefficient is cleared by multiplying by -1."""
    choices = ["flipped_inequality", "open_closed_swap", "wrong_interval_end"]
    category = rng.choice(choices) if inject else "correct"
    lead = rng.choice([1, 1, 2, -1, -1, -2])
    r1, r2 = sorted(rng.sample(range(-6, 7), 2))
    rel = rng.choice(list(LATEX_REL))
    coeffs = [lead, -lead * (r1 + r2), lead * r1 * r2]
    problem = f"{poly(coeffs)} {LATEX_REL[rel]} 0"
    monic_rel = FLIP[rel] if lead < 0 else rel
    truth_set = quadratic_set(F(r1), F(r2), monic_rel)
    steps = []
    worked_rel = monic_rel
    if category == "flipped_inequality":  # forgot to flip (lead < 0) or took the wrong region (lead > 0)
        worked_rel = FLIP[monic_rel]
    f1, f2 = (-r2, -r1) if category == "wrong_interval_end" else (r1, r2)
    if category == "wrong_interval_end" and (f1, f2) == (r1, r2):
        raise Redraw
    if lead < 0:
        steps.append(f"{poly([-c for c in coeffs])} {LATEX_REL[worked_rel]} 0")
    steps.append(f"{product(f1, f2)} {LATEX_REL[worked_rel]} 0")
    claimed = quadratic_set(F(f1), F(f2), worked_rel)
    if category == "open_closed_swap":
        claimed = quadratic_set(F(f1), F(f2), TOGGLE_STRICT[worked_rel])
    style = rng.randrange(3)
    answer, truth = set_text(rng, claimed, style=style), set_text(rng, truth_set, style=style)
    params = {"lead": lead, "roots": [r1, r2], "rel": rel}
    return draft(category, "solve", problem, answer, truth, steps=steps, params=params)


def solve_quadratic_inequality_special(rng: random.Random, inject: bool) -> Draft:
    """(x - h)^2 + k REL 0 with k >= 0: no roots or a double root, so 无解, all reals or x ≠ h."""
    h, k = nonzero(rng, -5, 5), rng.choice([0, 0, 1, 2, 4])
    rel = rng.choice(list(LATEX_REL))
    everything: list[Interval] = [(None, None, False, False)]
    hh = F(h)
    if k > 0:
        truth_set = [] if rel in ("<", "<=") else everything
    else:
        truth_set = {
            "<": [],
            "<=": [(hh, hh, True, True)],
            ">": [(None, hh, False, False), (hh, None, False, False)],
            ">=": everything,
        }[rel]
    problem = f"{poly([1, -2 * h, h * h + k])} {LATEX_REL[rel]} 0"
    square = f"({poly([1, -h])})^2" + (f" + {k}" if k else "")
    steps = [f"{square} {LATEX_REL[rel]} 0"]
    claimed = truth_set
    category = "correct"
    if inject:
        if truth_set == []:
            category, claimed = "flipped_inequality", everything
        elif truth_set == everything and k > 0:
            category, claimed = "flipped_inequality", []
        elif truth_set == everything:
            raise Redraw
        elif rel == ">":
            category, claimed = "wrong_interval_end", everything  # forgot to exclude x = h
        else:
            category, claimed = "dropped_root", []  # (x - h)^2 <= 0 read as 无解

    def text(ivs: list[Interval]) -> str:
        if len(ivs) == 1 and ivs[0][0] is not None and ivs[0][0] == ivs[0][1]:
            return f"x = {h}"
        return set_text(random.Random(style), ivs, style=style % 2)

    style = rng.randrange(6)
    answer, truth = text(claimed), text(truth_set)
    return draft(category, "solve", problem, answer, truth, steps=steps, params={"h": h, "k": k, "rel": rel})


def solve_rational_inequality(rng: random.Random, inject: bool) -> Draft:
    """(x - a)/(x - b) REL 0: the pole b is always an open end."""
    a, b = rng.sample(range(-6, 7), 2)
    rel = rng.choice(list(LATEX_REL))
    closed = rel in ("<=", ">=")
    lo, hi = sorted([a, b])

    def region(inside: bool, a_closed: bool) -> list[Interval]:
        lo_closed, hi_closed = (a_closed and lo == a), (a_closed and hi == a)
        if inside:
            return [(F(lo), F(hi), lo_closed, hi_closed)]
        return [(None, F(lo), False, lo_closed), (F(hi), None, hi_closed, False)]

    inside = rel in ("<", "<=")
    truth_set = region(inside, closed)
    category = rng.choice(["open_closed_swap", "flipped_inequality"]) if inject else "correct"
    if category == "open_closed_swap":
        if not closed:
            raise Redraw
        claimed = [(iv[0], iv[1], iv[0] is not None, iv[1] is not None) for iv in truth_set]  # pole closed
    elif category == "flipped_inequality":
        claimed = region(not inside, closed)
    else:
        claimed = truth_set
    problem = f"\\frac{{{poly([1, -a])}}}{{{poly([1, -b])}}} {LATEX_REL[rel]} 0"
    style = rng.randrange(3)
    answer, truth = set_text(rng, claimed, style=style), set_text(rng, truth_set, style=style)
    return draft(category, "solve", problem, answer, truth, params={"a": a, "b": b, "rel": rel})


def solve_system(rng: random.Random, inject: bool) -> Draft:
    """Two linear equations through (x0, y0), solved by eliminating y."""
    x0, y0 = rng.randint(-6, 6), rng.randint(-6, 6)
    a1, b1, a2, b2 = (nonzero(rng, -5, 5) for _ in range(4))
    det = a1 * b2 - a2 * b1
    if det == 0:
        raise Redraw
    c1, c2 = a1 * x0 + b1 * y0, a2 * x0 + b2 * y0
    eq1, eq2 = f"{lin2(a1, b1)} = {c1}", f"{lin2(a2, b2)} = {c2}"
    if rng.random() < 0.5:
        problem = f"\\begin{{cases}} {eq1} \\\\ {eq2} \\end{{cases}}"
    else:
        problem = f"{eq1}{rng.choice([', ', '; '])}{eq2}"
    category = rng.choice(["arithmetic_slip", "sign_slip", "arithmetic_slip"]) if inject else "correct"
    d, e = det, c1 * b2 - c2 * b1
    swap = category == "arithmetic_slip" and rng.random() < 0.5
    if category == "sign_slip":  # added the equations where they had to be subtracted
        d, e = a1 * b2 + a2 * b1, c1 * b2 + c2 * b1
    elif category == "arithmetic_slip" and not swap:
        e += nonzero(rng, -3, 3)
    if d == 0:
        raise Redraw
    x = F(e, d)
    y = (c2 - a2 * x) / b2
    steps = [
        f"{poly([d, 0])} = {e}, {eq2}",
        f"x = {num(x)}, {eq2}",
        f"x = {num(x)}, y = {num(y)}",
    ]
    if swap:  # solved right, then copied x and y the wrong way round
        if x0 == y0:
            raise Redraw
        x, y = F(y0), F(x0)
    answer, truth = f"x = {num(x)}, y = {num(y)}", f"x = {x0}, y = {y0}"
    params = {"a1": a1, "b1": b1, "c1": c1, "a2": a2, "b2": b2, "c2": c2, "x": x0, "y": y0}
    return draft(category, "solve", problem, answer, truth, steps=steps, variable="x,y", params=params)


# --- simplify ---


def simplify_expand(rng: random.Random, inject: bool) -> Draft:
    """(x + a)^2 - (x + b)(x - b) = 2 a x + a^2 + b^2."""
    a, b = nonzero(rng, -6, 6), rng.randint(1, 6)
    problem = f"({poly([1, a])})^2 - ({poly([1, b])})({poly([1, -b])})"
    category = rng.choice(["arithmetic_slip", "sign_slip"]) if inject else "correct"
    square = [1, 0, a * a] if category == "arithmetic_slip" else [1, 2 * a, a * a]  # (x+a)^2 = x^2 + a^2
    if category == "sign_slip":  # -(x^2 - b^2) written as -x^2 - b^2
        steps = [f"{poly(square)} - x^2 - {b * b}"]
        result = [square[1], a * a - b * b]
    else:
        steps = [f"{poly(square)} - ({poly([1, 0, -b * b])})"]
        result = [square[1], a * a + b * b]
    answer, truth = poly(result), poly([2 * a, a * a + b * b])
    return draft(category, "simplify", problem, answer, truth, steps=steps, params={"a": a, "b": b})


def simplify_cancel(rng: random.Random, inject: bool) -> Draft:
    """(x + p)(x + q) / (x + p) = x + q."""
    p, q = rng.sample([v for v in range(-6, 7) if v], 2)
    problem = f"\\frac{{{poly([1, p + q, p * q])}}}{{{poly([1, p])}}}"
    steps = [f"\\frac{{({poly([1, p])})({poly([1, q])})}}{{{poly([1, p])}}}"]
    category = "sign_slip" if inject else "correct"
    if inject:
        steps = [f"\\frac{{({poly([1, p])})({poly([1, -q])})}}{{{poly([1, p])}}}"]
    answer, truth = poly([1, -q if inject else q]), poly([1, q])
    return draft(category, "simplify", problem, answer, truth, steps=steps, params={"p": p, "q": q})


def simplify_fraction_sum(rng: random.Random, inject: bool) -> Draft:
    """k/(x - a) - k/(x + a) = 2 k a / (x^2 - a^2); with + it is 2 k x / (x^2 - a^2)."""
    a, k, op = rng.randint(1, 6), rng.choice([1, 1, 2, 3]), rng.choice("-+")
    left, right = poly([1, -a]), poly([1, a])
    problem = f"\\frac{{{k}}}{{{left}}} {op} \\frac{{{k}}}{{{right}}}"
    den = poly([1, 0, -a * a])
    kk = "" if k == 1 else str(k)
    truth_num = str(2 * k * a) if op == "-" else poly([2 * k, 0])
    category = rng.choice(["arithmetic_slip", "sign_slip"]) if inject else "correct"
    inner = {
        "correct": f"{kk}({right}) {op} {kk}({left})",
        "sign_slip": f"{kk}({left}) {op} {kk}({right})" if op == "-" else f"{kk}({right}) - {kk}({left})",
        "arithmetic_slip": f"{k} {op} {k}",  # added the numerators, multiplied the denominators
    }[category]
    numerator = {
        "correct": truth_num,
        "sign_slip": str(-2 * k * a) if op == "-" else str(2 * k * a),
        "arithmetic_slip": str(2 * k) if op == "+" else "0",
    }[category]
    if numerator == "0":  # k - k: not a slip anyone would keep
        raise Redraw
    steps = [f"\\frac{{{inner}}}{{({left})({right})}}"]
    answer, truth = f"\\frac{{{numerator}}}{{{den}}}", f"\\frac{{{truth_num}}}{{{den}}}"
    return draft(category, "simplify", problem, answer, truth, steps=steps, params={"a": a, "k": k, "op": op})


def simplify_radicals(rng: random.Random, inject: bool) -> Draft:
    """sqrt(m^2 k) + sqrt(n^2 k) = (m + n) sqrt(k)."""
    k = rng.choice([2, 3, 5, 6, 7])
    m, n = rng.sample([1, 2, 3, 4, 5], 2)
    sign = rng.choice([1, -1])
    op = "+" if sign > 0 else "-"
    problem = f"\\sqrt{{{m * m * k}}} {op} \\sqrt{{{n * n * k}}}"
    steps = [f"{m if m > 1 else ''}\\sqrt{{{k}}} {op} {n if n > 1 else ''}\\sqrt{{{k}}}"]
    coef = m + sign * n
    truth = "0" if coef == 0 else f"{'' if coef == 1 else '-' if coef == -1 else coef}\\sqrt{{{k}}}"
    category = "arithmetic_slip" if inject else "correct"
    if inject:  # adds under one root
        inner = m * m * k + sign * n * n * k
        if inner <= 0:
            raise Redraw
        steps, answer = [], f"\\sqrt{{{inner}}}"
    else:
        answer = truth
    return draft(category, "simplify", problem, answer, truth, steps=steps, variable=None, params={"k": k})


def simplify_powers(rng: random.Random, inject: bool) -> Draft:
    """x^a x^b / x^c = x^(a + b - c), or (x^a)^b = x^(a b)."""
    a, b = rng.randint(2, 6), rng.randint(2, 5)
    category = "arithmetic_slip" if inject else "correct"
    if rng.random() < 0.5:
        c = rng.randint(1, a + b - 2)
        below = "x" if c == 1 else f"x^{{{c}}}"
        problem = f"\\frac{{x^{{{a}}} \\cdot x^{{{b}}}}}{{{below}}}"
        exponent = a * b - c if inject else a + b - c  # multiplied the exponents
        truth_exp = a + b - c
        steps = [f"\\frac{{x^{{{a * b if inject else a + b}}}}}{{{below}}}"]
    else:
        problem = f"(x^{{{a}}})^{{{b}}}"
        exponent = a + b if inject else a * b
        truth_exp, steps = a * b, []
    if inject and exponent == truth_exp:
        raise Redraw
    answer, truth = f"x^{{{exponent}}}", f"x^{{{truth_exp}}}"
    return draft(category, "simplify", problem, answer, truth, steps=steps, params={"a": a, "b": b})


# --- evaluate ---

# exact values p + q sqrt(3) of the special angles used, and the value a confused student writes
TRIG: dict[tuple[str, int], tuple[Fraction, Fraction]] = {
    ("sin", 30): (F(1, 2), F(0)), ("sin", 60): (F(0), F(1, 2)), ("sin", 90): (F(1), F(0)),
    ("cos", 0): (F(1), F(0)), ("cos", 30): (F(0), F(1, 2)), ("cos", 60): (F(1, 2), F(0)),
    ("tan", 30): (F(0), F(1, 3)), ("tan", 45): (F(1), F(0)), ("tan", 60): (F(0), F(1)),
    ("cos", 120): (F(-1, 2), F(0)), ("sin", 120): (F(0), F(1, 2)),
}  # fmt: skip
CONFUSED = {
    ("sin", 30): ("cos", 30), ("cos", 30): ("sin", 30), ("sin", 60): ("cos", 60), ("cos", 60): ("sin", 60),
    ("tan", 30): ("tan", 60), ("tan", 60): ("tan", 30), ("cos", 120): ("cos", 60), ("sin", 120): ("cos", 120),
}  # fmt: skip
RADIANS = {0: "0", 30: "\\frac{\\pi}{6}", 45: "\\frac{\\pi}{4}", 60: "\\frac{\\pi}{3}", 90: "\\frac{\\pi}{2}"}
RADIANS[120] = "\\frac{2\\pi}{3}"


def sqrt3_text(p: Fraction, q: Fraction) -> str:
    """p + q sqrt(3) over a common denominator."""
    den = p.denominator * q.denominator // math.gcd(p.denominator, q.denominator)
    pn, qn = int(p * den), int(q * den)
    rad = "" if qn == 0 else ("\\sqrt{3}" if abs(qn) == 1 else f"{abs(qn)}\\sqrt{{3}}")
    if qn == 0:
        return num(p)
    top = rad if pn == 0 else f"{pn} {'+' if qn > 0 else '-'} {rad}"
    if pn == 0 and qn < 0:
        if den == 1:
            return f"-{rad}"
        return f"-\\frac{{{rad}}}{{{den}}}"
    return top if den == 1 else f"\\frac{{{top}}}{{{den}}}"


def evaluate_trig(rng: random.Random, inject: bool) -> Draft:
    terms = rng.sample(sorted(TRIG), rng.choice([1, 2, 2]))
    coefs = [1] if len(terms) == 1 else [rng.choice([1, 2, 3]), rng.choice([1, -1, 2, -2])]
    wrong = rng.choice([i for i, t in enumerate(terms) if t in CONFUSED] or [-1]) if inject else -1
    if inject and wrong < 0:
        raise Redraw
    parts, values, worked = [], [F(0), F(0)], [F(0), F(0)]
    for i, ((fn, angle), coef) in enumerate(zip(terms, coefs, strict=True)):
        arg = f"{angle}^\\circ" if rng.random() < 0.6 or angle not in RADIANS else RADIANS[angle]
        mag = "" if abs(coef) == 1 else str(abs(coef))
        sign = ("-" if coef < 0 else "") if i == 0 else (" - " if coef < 0 else " + ")
        parts.append(f"{sign}{mag}\\{fn} {arg}")
        p, q = TRIG[(fn, angle)]
        wp, wq = TRIG[CONFUSED[(fn, angle)]] if i == wrong else (p, q)
        values = [values[0] + coef * p, values[1] + coef * q]
        worked = [worked[0] + coef * wp, worked[1] + coef * wq]
    problem = "".join(parts)
    category = "wrong_trig_value" if inject else "correct"
    answer, truth = sqrt3_text(*worked), sqrt3_text(*values)
    params = {"terms": [f"{fn} {angle}" for fn, angle in terms], "coefs": coefs}
    return draft(category, "evaluate", problem, answer, truth, variable=None, params=params)


def evaluate_fractions(rng: random.Random, inject: bool) -> Draft:
    a, c = rng.randint(1, 9), rng.randint(1, 9)
    b, d = rng.randint(2, 9), rng.randint(2, 9)
    x, y = F(a, b), F(c, d)
    if x.denominator != b or y.denominator != d or b == d:
        raise Redraw
    op = rng.choice(["+", "-", "\\times", "\\div"])
    fx, fy = f"\\frac{{{a}}}{{{b}}}", f"\\frac{{{c}}}{{{d}}}"
    problem = f"{fx} {op} {fy}"
    truth_value = {"+": x + y, "-": x - y, "\\times": x * y, "\\div": x / y}[op]
    steps: list[str] = []
    if op in ("+", "-"):
        lcm = b * d // math.gcd(b, d)
        steps = [f"\\frac{{{a * lcm // b}}}{{{lcm}}} {op} \\frac{{{c * lcm // d}}}{{{lcm}}}"]
    elif op == "\\div":
        steps = [f"{fx} \\times \\frac{{{d}}}{{{c}}}"]
    category = "correct"
    value = truth_value
    if inject:
        if op == "+":
            category, value, steps = "arithmetic_slip", F(a + c, b + d), []  # numerators and denominators
        elif op == "-":
            category, value = "sign_slip", x + y
            lcm = b * d // math.gcd(b, d)
            steps = [f"\\frac{{{a * lcm // b}}}{{{lcm}}} + \\frac{{{c * lcm // d}}}{{{lcm}}}"]
        elif op == "\\div":
            category, value, steps = "arithmetic_slip", x * y, [f"{fx} \\times {fy}"]  # forgot to invert
        else:
            category, value, steps = "arithmetic_slip", F(a * d, b * c), []
    answer, truth = num(value), num(truth_value)
    return draft(category, "evaluate", problem, answer, truth, steps=steps, variable=None, params={"op": op})


def evaluate_powers(rng: random.Random, inject: bool) -> Draft:
    """Negative, fractional and signed powers: the classic slips of each."""
    kind = rng.randrange(5)
    if kind == 0:  # a^{-k} = 1 / a^k; a negative exponent is not a negative number
        a, k = rng.randint(2, 5), rng.randint(1, 3)
        problem, value, wrong = f"{a}^{{-{k}}}", F(1, a**k), F(-(a**k))
        steps, cat, wrong_steps = [f"\\frac{{1}}{{{a}^{{{k}}}}}"], "arithmetic_slip", []
    elif kind == 1:  # -a^2 + b
        a, b = rng.randint(2, 6), rng.randint(1, 20)
        problem, value, wrong = f"-{a}^2 + {b}", F(-a * a + b), F(a * a + b)
        steps, cat, wrong_steps = [f"-{a * a} + {b}"], "sign_slip", [f"{a * a} + {b}"]
    elif kind == 2:  # (-a)^3 + b^2
        a, b = rng.randint(2, 4), rng.randint(2, 5)
        problem, value, wrong = f"(-{a})^3 + {b}^2", F(-(a**3) + b * b), F(a**3 + b * b)
        steps, cat, wrong_steps = [f"-{a**3} + {b * b}"], "sign_slip", [f"{a**3} + {b * b}"]
    elif kind == 3:  # (p/q)^{-2}
        p, q = rng.sample([1, 2, 3, 4, 5], 2)
        problem, value, wrong = (
            f"\\left(\\frac{{{p}}}{{{q}}}\\right)^{{-2}}",
            F(q * q, p * p),
            F(p * p, q * q),
        )
        flipped = f"{q}^2" if p == 1 else f"\\left(\\frac{{{q}}}{{{p}}}\\right)^2"
        steps, cat, wrong_steps = [flipped], "arithmetic_slip", []
    else:  # (m^3)^{2/3} = m^2, not m^3 times 2/3
        m = rng.randint(2, 5)
        problem, value, wrong = f"{m**3}^{{\\frac{{2}}{{3}}}}", F(m * m), F(m**3 * 2, 3)
        steps, cat, wrong_steps = [f"({m}^3)^{{\\frac{{2}}{{3}}}}"], "arithmetic_slip", []
    category, claimed = (cat, wrong) if inject else ("correct", value)
    return draft(
        category,
        "evaluate",
        problem,
        num(claimed),
        num(value),
        steps=wrong_steps if inject else steps,
        variable=None,
        params={"kind": kind},
    )


# --- differentiate ---


def differentiate_poly(rng: random.Random, inject: bool) -> Draft:
    """a x^3 + b x^2 + c x + d -> 3a x^2 + 2b x + c."""
    a, b, c, d = nonzero(rng, -4, 4), rng.randint(-6, 6), rng.randint(-9, 9), nonzero(rng, -9, 9)
    problem = poly([a, b, c, d])
    truth_coeffs = [3 * a, 2 * b, c]
    category = rng.choice(["wrong_derivative", "wrong_derivative", "sign_slip"]) if inject else "correct"
    claimed: list[int] = truth_coeffs
    if category == "wrong_derivative":
        claimed = rng.choice([[3 * a, 2 * b, c, d], [a, b, c]])  # kept the constant / dropped the exponent
    elif category == "sign_slip":
        if b == 0:
            raise Redraw
        claimed = [3 * a, -2 * b, c]
    answer, truth = poly(claimed), poly(truth_coeffs)
    return draft(category, "differentiate", problem, answer, truth, params={"coeffs": [a, b, c, d]})


def differentiate_power(rng: random.Random, inject: bool) -> Draft:
    """a x^2 + k / x -> 2a x - k / x^2; a negative power's sign is the slip."""
    a, k = nonzero(rng, -4, 4), rng.randint(1, 9)
    problem = f"{poly([a, 0, 0])} + \\frac{{{k}}}{{x}}"
    category = "sign_slip" if inject else "correct"
    op = "+" if inject else "-"
    answer = f"{poly([2 * a, 0])} {op} \\frac{{{k}}}{{x^2}}"
    truth = f"{poly([2 * a, 0])} - \\frac{{{k}}}{{x^2}}"
    return draft(category, "differentiate", problem, answer, truth, params={"a": a, "k": k})


def differentiate_product(rng: random.Random, inject: bool) -> Draft:
    """x^n g(x) by the product rule; multiplying the two derivatives is the slip."""
    n, g = rng.randint(2, 4), rng.choice(["sin", "cos", "exp", "ln"])
    xn, dxn = f"x^{n}", f"{n}x" + ("" if n == 2 else f"^{n - 1}")
    factor_text = {"sin": "\\sin x", "cos": "\\cos x", "exp": "e^{x}", "ln": "\\ln x"}[g]
    problem = f"{xn}{factor_text}" if g != "exp" else f"{xn} e^{{x}}"
    truth = {
        "sin": f"{dxn}\\sin x + {xn}\\cos x",
        "cos": f"{dxn}\\cos x - {xn}\\sin x",
        "exp": f"{dxn} e^{{x}} + {xn} e^{{x}}",
        "ln": f"{dxn}\\ln x + x" + ("" if n == 2 else f"^{n - 1}"),
    }[g]
    # the slip: (u v)' = u' v'
    quotient = {2: "2", 3: "3x", 4: "4x^2"}[n]  # n x^(n-1) times 1/x
    wrong = {"sin": f"{dxn}\\cos x", "cos": f"-{dxn}\\sin x", "exp": f"{dxn} e^{{x}}", "ln": quotient}[g]
    category = "wrong_derivative" if inject else "correct"
    answer = wrong if inject else truth
    return draft(category, "differentiate", problem, answer, truth, params={"n": n, "g": g})


def differentiate_quotient(rng: random.Random, inject: bool) -> Draft:
    """(a x + b)/(c x + d) -> (a d - b c)/(c x + d)^2; the numerator's order is the slip."""
    a, b, c, d = nonzero(rng, -4, 4), rng.randint(-6, 6), rng.randint(1, 4), nonzero(rng, -6, 6)
    if a * d - b * c == 0:
        raise Redraw
    top, bottom = poly([a, b]), poly([c, d])
    problem = f"\\frac{{{top}}}{{{bottom}}}"
    category = "sign_slip" if inject else "correct"
    if inject:
        step = f"\\frac{{{c}({top}) - {par(a)}({bottom})}}{{({bottom})^2}}"
        value = b * c - a * d
    else:
        step = f"\\frac{{{par(a)}({bottom}) - {c}({top})}}{{({bottom})^2}}"
        value = a * d - b * c
    answer = f"\\frac{{{value}}}{{({bottom})^2}}"
    truth = f"\\frac{{{a * d - b * c}}}{{({bottom})^2}}"
    params = {"a": a, "b": b, "c": c, "d": d}
    return draft(category, "differentiate", problem, answer, truth, steps=[step], params=params)


def differentiate_chain(rng: random.Random, inject: bool) -> Draft:
    """Composite functions; forgetting the inner derivative is the slip."""
    kind, a, b = rng.randrange(5), rng.randint(2, 5), nonzero(rng, -5, 5)
    inner = poly([a, b])
    if kind == 0:
        n = rng.randint(3, 5)
        problem, truth, wrong = f"({inner})^{n}", f"{n * a}({inner})^{n - 1}", f"{n}({inner})^{n - 1}"
    elif kind == 1:
        problem = f"\\sqrt{{{inner}}}"
        truth = f"\\frac{{{a}}}{{2\\sqrt{{{inner}}}}}"
        wrong = f"\\frac{{1}}{{2\\sqrt{{{inner}}}}}"
    elif kind == 2:
        k = rng.randint(1, 9)
        problem, truth, wrong = f"\\ln(x^2 + {k})", f"\\frac{{2x}}{{x^2 + {k}}}", f"\\frac{{1}}{{x^2 + {k}}}"
    elif kind == 3:
        problem, truth, wrong = f"e^{{{a}x}}", f"{a}e^{{{a}x}}", f"e^{{{a}x}}"
    else:
        problem, truth, wrong = f"\\sin({a}x)", f"{a}\\cos({a}x)", f"\\cos({a}x)"
    category = "wrong_derivative" if inject else "correct"
    answer = wrong if inject else truth
    return draft(category, "differentiate", problem, answer, truth, params={"kind": kind, "a": a, "b": b})


# --- compare ---

REL_OF = {-1: "<", 0: "=", 1: ">"}


def cmp(x: Fraction, y: Fraction) -> int:
    return (x > y) - (x < y)


def compare_text(rng: random.Random, first: str, second: str) -> str:
    return f"{first} {rng.choice(['与', '和', ','])} {second}".replace(" ,", ",")


def compare_decimals(rng: random.Random, inject: bool) -> Draft:
    """9.11 vs 9.8: more decimal places is not a bigger number."""
    whole, short = rng.randint(0, 12), rng.randint(2, 9)
    long_digits = rng.randint(10, short * 10 - 1) if rng.random() < 0.7 else rng.randint(100, short * 100 - 1)
    long_text = f"{whole}.{long_digits}"
    short_text = f"{whole}.{short}"
    if long_text.endswith("0"):
        raise Redraw
    negative = rng.random() < 0.3
    if negative:
        long_text, short_text = f"-{long_text}", f"-{short_text}"
    pair = [long_text, short_text]
    rng.shuffle(pair)
    x, y = F(pair[0]), F(pair[1])
    truth_rel = REL_OF[cmp(x, y)]
    category = "decimal_comparison" if inject else "correct"
    claimed = FLIP[truth_rel] if inject else truth_rel
    problem = compare_text(rng, *pair)
    answer, truth = f"{pair[0]} {claimed} {pair[1]}", f"{pair[0]} {truth_rel} {pair[1]}"
    return draft(category, "compare", problem, answer, truth, variable=None, params={"pair": pair})


def compare_fractions(rng: random.Random, inject: bool) -> Draft:
    """a/b vs c/d where the bigger numerator is the smaller fraction; negatives reverse the order."""
    a, b = rng.randint(1, 8), rng.randint(2, 9)
    c, d = rng.randint(a + 1, a + 6), rng.randint(b + 1, b + 8)
    x, y = F(a, b), F(c, d)
    if x.denominator != b or y.denominator != d or x <= y or a >= b or c >= d:
        raise Redraw
    negative = rng.random() < 0.4
    texts = [f"\\frac{{{a}}}{{{b}}}", f"\\frac{{{c}}}{{{d}}}"]
    if negative:
        texts, x, y = [f"-{t}" for t in texts], -x, -y
    order = rng.random() < 0.5
    if order:
        texts, x, y = texts[::-1], y, x
    truth_rel = REL_OF[cmp(x, y)]
    category = ("sign_slip" if negative else "arithmetic_slip") if inject else "correct"
    claimed = FLIP[truth_rel] if inject else truth_rel
    problem = compare_text(rng, *texts)
    answer, truth = f"{texts[0]} {claimed} {texts[1]}", f"{texts[0]} {truth_rel} {texts[1]}"
    return draft(
        category, "compare", problem, answer, truth, variable=None, params={"values": [str(x), str(y)]}
    )


def compare_mixed(rng: random.Random, inject: bool) -> Draft:
    """A decimal against a fraction: 0.3 vs 1/3 is not equal, 0.75 vs 3/4 is."""
    q = rng.choice([3, 6, 7, 9, 11, 4, 8])
    p = rng.randint(1, q - 1)
    frac = F(p, q)
    if frac.denominator != q:
        raise Redraw
    places = rng.choice([1, 2, 3])
    dec = F(round(frac * 10**places), 10**places)
    dec_text = f"{float(dec):.{places}f}"
    if F(dec_text) != dec or dec == 0:
        raise Redraw
    texts = [dec_text, f"\\frac{{{p}}}{{{q}}}"]
    values = [dec, frac]
    if rng.random() < 0.5:
        texts, values = texts[::-1], values[::-1]
    truth_rel = REL_OF[cmp(*values)]
    category = ("arithmetic_slip" if truth_rel != "=" else "decimal_comparison") if inject else "correct"
    claimed = ("=" if truth_rel != "=" else rng.choice(["<", ">"])) if inject else truth_rel
    problem = compare_text(rng, *texts)
    answer, truth = f"{texts[0]} {claimed} {texts[1]}", f"{texts[0]} {truth_rel} {texts[1]}"
    return draft(
        category,
        "compare",
        problem,
        answer,
        truth,
        variable=None,
        params={"values": [str(v) for v in values]},
    )


# --- sequences ---


def sequence_term(rng: random.Random, inject: bool) -> Draft:
    """Arithmetic a_n = d n + c or geometric a_n = a q^(n-1); the slip is off by one."""
    if rng.random() < 0.5:
        d, c, n = nonzero(rng, -5, 6), rng.randint(-9, 9), rng.randint(5, 40)
        problem = f"a_n = {poly([d, c], 'n')}"
        used = n - 1 if inject else n
        value, truth_value = d * used + c, d * n + c
        steps = [f"{d} \\times {used}" + (f" {'+' if c > 0 else '-'} {abs(c)}" if c else "")]
        params: dict[str, Any] = {"kind": "arithmetic", "d": d, "c": c}
    else:
        a, q, n = rng.choice([1, 2, 3, 5]), rng.choice([2, 3, -2]), rng.randint(3, 8)
        coef = "" if a == 1 else f"{a} \\cdot "
        problem = f"a_n = {coef}{par(q)}^{{n - 1}}"
        power = n if inject else n - 1  # q^n for q^(n-1)
        value, truth_value = a * q**power, a * q ** (n - 1)
        steps = [f"{coef}{par(q)}^{{{power}}}"]
        params = {"kind": "geometric", "a": a, "q": q}
    category = "wrong_sequence" if inject else "correct"
    return draft(
        category,
        "sequence_term",
        problem,
        str(value),
        str(truth_value),
        steps=steps,
        variable="n",
        n=n,
        params=params,
    )


def sequence_sum(rng: random.Random, inject: bool) -> Draft:
    """S_n of an arithmetic, geometric or telescoping sequence."""
    kind = rng.choice(["arithmetic", "arithmetic", "geometric", "geometric", "telescoping"])
    if kind == "arithmetic":
        d, c, n = nonzero(rng, -4, 5), rng.randint(-9, 9), rng.randint(5, 30)
        first, last = d + c, d * n + c
        problem = f"a_n = {poly([d, c], 'n')}"
        truth_value = F(n * (first + last), 2)
        step = f"\\frac{{{n} \\times ({first} + {par(last)})}}{{2}}"
        wrong_step, wrong = f"{n} \\times ({first} + {par(last)})", F(n * (first + last))  # forgot / 2
        if first + last == 0:
            raise Redraw
    elif kind == "geometric":
        a, q, n = rng.choice([1, 2, 3]), rng.choice([2, 3]), rng.randint(3, 8)
        coef = "" if a == 1 else f"{a} \\cdot "
        problem = f"a_n = {coef}{q}^{{n - 1}}"
        truth_value = F(a * (q**n - 1), q - 1)
        step = f"\\frac{{{a}({q}^{{{n}}} - 1)}}{{{q} - 1}}"
        wrong_step, wrong = f"\\frac{{{a}({q}^{{{n + 1}}} - 1)}}{{{q} - 1}}", F(a * (q ** (n + 1) - 1), q - 1)
    else:
        n = rng.randint(5, 50)
        problem = "a_n = \\frac{1}{n(n + 1)}"
        truth_value = F(n, n + 1)
        step = f"1 - \\frac{{1}}{{{n + 1}}}"
        wrong_step, wrong = f"1 - \\frac{{1}}{{{n}}}", F(n - 1, n)
    category = "wrong_sequence" if inject else "correct"
    answer = num(wrong if inject else truth_value)
    return draft(
        category,
        "sequence_sum",
        problem,
        answer,
        num(truth_value),
        steps=[wrong_step if inject else step],
        variable="n",
        n=n,
        params={"kind": kind},
    )


# --- extrema and monotonicity ---


@dataclass
class Curve:
    """f with known critical points, built from f'(x) = 3 a (x - p)(x - q) or simpler."""

    text: str
    kind: str
    maxima: list[tuple[Fraction, str]]  # (x, f(x) as LaTeX)
    minima: list[tuple[Fraction, str]]
    increasing: list[Interval]
    decreasing: list[Interval]
    params: dict[str, Any]


def cubic(rng: random.Random) -> Curve:
    a = rng.choice([1, 1, -1, F(1, 3), F(-1, 3), 2])
    p, q = sorted(rng.sample(range(-4, 5), 2))
    lead = 3 * a  # f' = lead (x - p)(x - q)
    b2, b1 = -lead * (p + q) / 2, lead * p * q
    if F(b2).denominator > 1:
        raise Redraw
    c0 = F(rng.randint(-6, 6))
    coeffs = [F(a), F(b2), F(b1), c0]

    def f(x: Fraction) -> Fraction:
        return ((coeffs[0] * x + coeffs[1]) * x + coeffs[2]) * x + coeffs[3]

    left, right = (F(p), num(f(F(p)))), (F(q), num(f(F(q))))
    outer: list[Interval] = [(None, F(p), False, False), (F(q), None, False, False)]
    inner: list[Interval] = [(F(p), F(q), False, False)]
    if a > 0:
        return Curve(poly(coeffs), "cubic", [left], [right], outer, inner, {"a": str(a), "p": p, "q": q})
    return Curve(poly(coeffs), "cubic", [right], [left], inner, outer, {"a": str(a), "p": p, "q": q})


def parabola(rng: random.Random) -> Curve:
    a, h, k = nonzero(rng, -3, 3), rng.randint(-5, 5), rng.randint(-9, 9)
    text = poly([a, -2 * a * h, a * h * h + k])
    vertex = [(F(h), num(k))]
    left: list[Interval] = [(None, F(h), False, False)]
    right: list[Interval] = [(F(h), None, False, False)]
    params = {"a": a, "h": h, "k": k}
    if a > 0:
        return Curve(text, "parabola", [], vertex, right, left, params)
    return Curve(text, "parabola", vertex, [], left, right, params)


def log_curve(rng: random.Random) -> Curve:
    """x - k ln x on x > 0: decreasing on (0, k), increasing after, minimum at k."""
    k = rng.randint(1, 4)
    text = f"x - {k if k > 1 else ''}\\ln x"
    value = "1" if k == 1 else f"{k} - {k}\\ln {k}"
    return Curve(
        text, "log", [], [(F(k), value)], [(F(k), None, False, False)], [(F(0), F(k), False, False)], {"k": k}
    )


ZH = {"max": "极大值", "min": "极小值", "none": "无极值", "inc": "增区间", "dec": "减区间", "sep": "；"}
EN = {"max": "max", "min": "min", "none": "none", "inc": "increasing", "dec": "decreasing", "sep": "; "}


def extrema_text(
    words: dict[str, str], maxima: list[tuple[Fraction, str]], minima: list[tuple[Fraction, str]]
) -> str:
    parts = [
        f"{words[label]} f({num(x)}) = {v}"
        for label, pts in (("max", maxima), ("min", minima))
        for x, v in pts
    ]
    return words["sep"].join(parts) or words["none"]


def extrema(rng: random.Random, inject: bool) -> Draft:
    words = rng.choice([ZH, EN])
    draw = rng.random()
    if draw < 0.15:  # x^3 + c: f'(0) = 0 but no extremum
        c = rng.randint(-5, 5)
        curve = Curve(poly([1, 0, 0, c]), "flat", [], [], [], [], {"c": c})
        claimed_max, claimed_min = [], [(F(0), str(c))] if inject else []
        category = "wrong_extremum" if inject else "correct"
    else:
        curve = cubic(rng) if draw < 0.7 else parabola(rng) if draw < 0.88 else log_curve(rng)
        category = rng.choice(["wrong_extremum", "arithmetic_slip"]) if inject else "correct"
        claimed_max, claimed_min = curve.maxima, curve.minima
        if category == "wrong_extremum":  # calls the maximum a minimum and vice versa
            claimed_max, claimed_min = curve.minima, curve.maxima
        elif category == "arithmetic_slip":
            if curve.kind == "log":
                raise Redraw
            points = curve.maxima or curve.minima
            x, v = points[0]
            slipped = [(x, num(F(v.replace("\\frac{", "").replace("}{", "/").replace("}", "")) + 1))]
            claimed_max, claimed_min = (slipped, curve.minima) if curve.maxima else ([], slipped)
    answer = extrema_text(words, claimed_max, claimed_min)
    truth = extrema_text(words, curve.maxima, curve.minima)
    params = {"curve": curve.kind, **curve.params}
    return draft(category, "extrema", f"f(x) = {curve.text}", answer, truth, params=params)


def monotonic_text(words: dict[str, str], inc: list[Interval], dec: list[Interval]) -> str:
    parts = [
        f"{words[label]} {', '.join(interval_text(iv) for iv in ivs)}"
        for label, ivs in (("inc", inc), ("dec", dec))
    ]
    return words["sep"].join(parts)


def monotonic(rng: random.Random, inject: bool) -> Draft:
    words = rng.choice([ZH, EN])
    draw = rng.random()
    curve = cubic(rng) if draw < 0.55 else parabola(rng) if draw < 0.8 else log_curve(rng)
    category = rng.choice(["wrong_monotonic", "wrong_interval_end"]) if inject else "correct"
    inc, dec = curve.increasing, curve.decreasing
    if category == "wrong_monotonic":
        inc, dec = dec, inc
    elif category == "wrong_interval_end":
        if curve.kind == "log":  # ignores the domain x > 0
            dec = [(None, dec[0][1], False, False)]
        elif curve.kind == "parabola":  # vertex read with the wrong sign
            h = curve.params["h"]
            if h == 0:
                raise Redraw
            inc = [
                (None if lo is None else -lo, None if hi is None else -hi, False, False)
                for lo, hi, _, _ in inc
            ]
            dec = [
                (None if lo is None else -lo, None if hi is None else -hi, False, False)
                for lo, hi, _, _ in dec
            ]
        else:  # critical points from f'(x) = 0 solved with the wrong signs
            p, q = curve.params["p"], curve.params["q"]
            if p == -q:
                raise Redraw
            swap = {F(p): F(-q), F(q): F(-p)}
            inc = [
                (
                    swap.get(lo, lo) if lo is not None else None,
                    swap.get(hi, hi) if hi is not None else None,
                    False,
                    False,
                )
                for lo, hi, _, _ in inc
            ]
            dec = [
                (
                    swap.get(lo, lo) if lo is not None else None,
                    swap.get(hi, hi) if hi is not None else None,
                    False,
                    False,
                )
                for lo, hi, _, _ in dec
            ]
    answer = monotonic_text(words, inc, dec)
    truth = monotonic_text(words, curve.increasing, curve.decreasing)
    params = {"curve": curve.kind, **curve.params}
    return draft(category, "monotonic", f"f(x) = {curve.text}", answer, truth, params=params)


# --- registry: family name, generator, item count (even: correct and injected alternate) ---

Family = Callable[[random.Random, bool], Draft]
FAMILIES: list[tuple[str, Family, int]] = [
    ("linear", solve_linear, 12),
    ("quadratic", solve_quadratic, 18),
    ("quadratic-surd", solve_quadratic_surd, 6),
    ("common-factor", solve_common_factor, 8),
    ("rational", solve_rational_quadratic, 10),
    ("rational-linear", solve_rational_linear, 8),
    ("radical", solve_radical, 14),
    ("log", solve_log, 10),
    ("linear-inequality", solve_linear_inequality, 16),
    ("quadratic-inequality", solve_quadratic_inequality, 20),
    ("square-inequality", solve_quadratic_inequality_special, 6),
    ("rational-inequality", solve_rational_inequality, 8),
    ("system", solve_system, 16),
    ("expand", simplify_expand, 8),
    ("cancel", simplify_cancel, 6),
    ("fraction-sum", simplify_fraction_sum, 6),
    ("radicals", simplify_radicals, 6),
    ("powers", simplify_powers, 8),
    ("trig", evaluate_trig, 12),
    ("fractions", evaluate_fractions, 10),
    ("powers", evaluate_powers, 12),
    ("polynomial", differentiate_poly, 10),
    ("power", differentiate_power, 6),
    ("product", differentiate_product, 6),
    ("quotient", differentiate_quotient, 6),
    ("chain", differentiate_chain, 6),
    ("decimals", compare_decimals, 12),
    ("fractions", compare_fractions, 8),
    ("mixed", compare_mixed, 8),
    ("term", sequence_term, 14),
    ("sum", sequence_sum, 14),
    ("function", extrema, 16),
    ("function", monotonic, 14),
]


def build() -> list[dict[str, Any]]:
    """Every family's items, correct and injected alternating, ids `task-family-NNN`."""
    items, seen = [], set()
    for name, family, count in FAMILIES:
        for k in range(count):
            inject = k % 2 == 1
            for attempt in range(200):
                rng = random.Random(f"{family.__name__}/{k}/{attempt}")
                try:
                    d = family(rng, inject)
                except Redraw:
                    continue
                if (d.task, d.problem, d.n) not in seen:
                    break
            else:
                raise RuntimeError(f"{name}: no usable draw for item {k}")
            seen.add((d.task, d.problem, d.n))
            request = {"problem": d.problem, "task": d.task, "variable": d.variable, "steps": d.steps}
            request |= {"answer": d.answer, "n": d.n}
            items.append(
                {
                    "id": f"{d.task}-{name}-{k:03d}",
                    "category": d.category,
                    "injected": d.category != "correct",
                    "request": request,
                    "truth": d.truth,
                    "params": d.params,
                }
            )
    return items


def main(out_path: Path = OUT) -> None:
    lines = [json.dumps(item, ensure_ascii=False) for item in build()]
    Path(out_path).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
