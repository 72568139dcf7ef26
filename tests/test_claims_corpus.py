"""The labelled claims corpus: its shape, its reproducibility, its labels, and the verifier on it.

The labels are checked here WITHOUT the verifier: a small float evaluator of our own reads the
LaTeX of the problem, the truth and the answer (numbers, x, + - * /, powers, \\frac, \\sqrt,
sin/cos/tan/ln/log at given points) and compares them point by point. It is deliberately
independent of sympy and of `mathcast.verify`, so a bug shared by generator and verifier cannot
make a wrong label look right. Compare items are recomputed with `Fraction`.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any, get_args

import pytest

from mathcast.verify.request import Task, VerifyRequest

DATA = Path(__file__).parent / "data"
CORPUS = DATA / "claims_corpus.jsonl"
CATEGORIES = {
    "correct", "sign_slip", "dropped_root", "extraneous_root", "wrong_interval_end", "flipped_inequality",
    "wrong_derivative", "arithmetic_slip", "decimal_comparison", "wrong_trig_value", "wrong_sequence",
    "wrong_extremum", "wrong_monotonic", "open_closed_swap",
}  # fmt: skip


def _load() -> list[dict[str, Any]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


ITEMS = _load()


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_claims_corpus", DATA / "make_claims_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


# --- shape ---


def test_corpus_is_large_balanced_valid_and_covers_every_task() -> None:
    assert len(ITEMS) >= 300
    for item in ITEMS:
        VerifyRequest.model_validate(item["request"])
        assert item["category"] in CATEGORIES, item["id"]
        assert item["injected"] == (item["category"] != "correct"), item["id"]
        assert item["truth"], item["id"]
    ids = [item["id"] for item in ITEMS]
    assert len(set(ids)) == len(ids)
    injected = sum(item["injected"] for item in ITEMS) / len(ITEMS)
    assert 0.45 <= injected <= 0.55
    assert {item["request"]["task"] for item in ITEMS} == set(get_args(Task))
    solve = sum(item["request"]["task"] == "solve" for item in ITEMS) / len(ITEMS)
    assert 0.40 <= solve <= 0.50


def test_generator_reproduces_the_file_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "corpus.jsonl"
    _generator().main(out)
    assert out.read_bytes() == CORPUS.read_bytes()


# --- an independent float evaluator for the LaTeX the corpus uses ---

Env = dict[str, float]
Fn = Callable[[Env], float]
Pred = Callable[[Env], bool]
UNDEFINED = (ZeroDivisionError, ValueError, OverflowError)
_TOKEN = re.compile(r"\s*(\\[a-zA-Z]+|\\\{|\\\}|\d+\.\d+|\d+|[a-zA-Z]|[-+*/^_(){}\[\],|])")
_FUNCS = {"\\sin": math.sin, "\\cos": math.cos, "\\tan": math.tan, "\\ln": math.log}
_ATOM_START = {"(", "{", "\\frac", "\\sqrt", "\\pi", "\\log", *_FUNCS}


def _tokens(text: str) -> list[str]:
    text = text.replace("\\left", "").replace("\\right", "")
    tokens, pos = [], 0
    while pos < len(text.rstrip()):
        match = _TOKEN.match(text, pos)
        if not match:
            raise ValueError(f"cannot read {text[pos:]!r} in {text!r}")
        tokens.append(match.group(1))
        pos = match.end()
    return tokens


class _Parser:
    """Recursive descent to a closure; implicit multiplication binds like explicit."""

    def __init__(self, text: str) -> None:
        self.toks, self.i = _tokens(text), 0

    def peek(self) -> str:
        return self.toks[self.i] if self.i < len(self.toks) else ""

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if expected is not None and tok != expected:
            raise ValueError(f"expected {expected!r}, got {tok!r} in {self.toks}")
        self.i += 1
        return tok

    def parse(self) -> Fn:
        fn = self.expr()
        if self.i != len(self.toks):
            raise ValueError(f"trailing {self.toks[self.i :]}")
        return fn

    def expr(self) -> Fn:
        fn = self.unary()
        while self.peek() in ("+", "-"):
            op = self.take()
            fn = _binary(op, fn, self.unary())
        return fn

    def unary(self) -> Fn:
        if self.peek() == "-":
            self.take()
            f = self.term()
            return lambda e: -f(e)
        if self.peek() == "+":
            self.take()
        return self.term()

    def term(self) -> Fn:
        fn = self.power()
        while True:
            tok = self.peek()
            if tok in ("*", "\\cdot", "\\times", "/", "\\div"):
                self.take()
                fn = _binary("/" if tok in ("/", "\\div") else "*", fn, self.power())
            elif tok and (tok in _ATOM_START or tok[0].isalnum()):  # implicit multiplication: 2x, x(x - 1)
                fn = _binary("*", fn, self.power())
            else:
                return fn

    def power(self) -> Fn:
        base = self.atom()
        if self.peek() != "^":
            return base
        self.take()
        if self.peek() == "\\circ":
            self.take()
            return lambda e: base(e) * math.pi / 180
        exponent = self.script()
        return lambda e: _pow(base(e), exponent(e))

    def script(self) -> Fn:
        """A superscript or subscript: a braced group, or one digit or letter."""
        tok = self.peek()
        if tok == "{":
            return self.group()
        if tok.isdigit() and len(tok) > 1:
            self.toks[self.i] = tok[1:]
            value = float(tok[0])
            return lambda e: value
        return self.atom()

    def group(self) -> Fn:
        self.take("{")
        fn = self.expr()
        self.take("}")
        return fn

    def atom(self) -> Fn:
        tok = self.take()
        if re.fullmatch(r"\d+(\.\d+)?", tok):
            value = float(tok)
            return lambda e: value
        if tok in ("x", "y", "n"):
            return lambda e: e[tok]
        if tok == "e":
            return lambda e: math.e
        if tok == "\\pi":
            return lambda e: math.pi
        if tok in ("(", "{"):
            fn = self.expr()
            self.take(")" if tok == "(" else "}")
            return fn
        if tok == "\\frac":
            top, bottom = self.group(), self.group()
            return lambda e: top(e) / bottom(e)
        if tok == "\\sqrt":
            inner = self.group()
            return lambda e: math.sqrt(inner(e))
        if tok in _FUNCS:
            func, arg = _FUNCS[tok], self.power()
            return lambda e: func(arg(e))
        if tok == "\\log":
            self.take("_")
            base, arg = self.script(), self.power()
            return lambda e: math.log(arg(e)) / math.log(base(e))
        raise ValueError(f"unexpected {tok!r} in {self.toks}")


def _binary(op: str, f: Fn, g: Fn) -> Fn:
    if op == "+":
        return lambda e: f(e) + g(e)
    if op == "-":
        return lambda e: f(e) - g(e)
    if op == "*":
        return lambda e: f(e) * g(e)
    return lambda e: f(e) / g(e)


def _pow(base: float, exponent: float) -> float:
    if base < 0 and exponent != int(exponent):
        raise ValueError("negative base, fractional power")
    return float(base**exponent)


def expr(text: str) -> Fn:
    return _Parser(text).parse()


def const(text: str) -> float:
    return expr(text)({})


def close(a: float, b: float, tol: float = 1e-9) -> bool:
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def _holds(op: str, a: float, b: float) -> bool:
    eq = close(a, b)
    return {
        "=": eq, "<": a < b and not eq, "<=": a < b or eq, ">": a > b and not eq, ">=": a > b or eq,
    }[op]  # fmt: skip


def _normal(text: str) -> str:
    text = re.sub(r"\\text\{\s*(.*?)\s*\}", r" \1 ", text).replace("\\left", "").replace("\\right", "")
    text = re.sub(r"\\le(?![a-z])", "<=", text)
    return re.sub(r"\\ge(?![a-z])", ">=", text)


def _split_top(text: str, sep: str) -> list[str]:
    """Split at `sep` outside braces and parentheses."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "({":
            depth += 1
        elif ch in ")}":
            depth -= 1
        if depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            start = i + len(sep)
    return [*parts, text[start:]]


def _relation(text: str, points: list[float]) -> Pred:
    """A chain like `1 < x <= 2` or `x^2 - 1 = 0`; numbers standing alone become test points."""
    pieces = re.split(r"(<=|>=|<|>|=)", text)
    sides, ops = [expr(p) for p in pieces[::2]], pieces[1::2]
    for piece in pieces[::2]:
        try:
            points.append(const(piece))
        except (KeyError, *UNDEFINED):
            pass

    def pred(env: Env) -> bool:
        try:
            values = [side(env) for side in sides]
        except UNDEFINED:
            return False  # outside the domain: no solution there
        return all(_holds(op, a, b) for op, a, b in zip(ops, values, values[1:], strict=False))

    return pred


def _endpoint(text: str) -> float:
    text = text.strip()
    if text in ("-\\infty",):
        return -math.inf
    if text in ("+\\infty", "\\infty"):
        return math.inf
    return const(text)


def _interval(text: str, points: list[float]) -> Pred:
    match = re.fullmatch(r"\s*([(\[])(.*),(.*)([)\]])\s*", text)
    if not match:
        raise ValueError(f"not an interval: {text!r}")
    left, lo_text, hi_text, right = match.groups()
    lo, hi = _endpoint(lo_text), _endpoint(hi_text)
    points.extend(v for v in (lo, hi) if math.isfinite(v))

    def pred(env: Env) -> bool:
        x = env["x"]
        above = (x > lo and not close(x, lo)) or (left == "[" and close(x, lo))
        below = (x < hi and not close(x, hi)) or (right == "]" and close(x, hi))
        return above and below

    return pred


def solution_set(text: str) -> tuple[Pred, list[float]]:
    """An answer, the truth or a step as a predicate over x (or x, y), plus its notable numbers."""
    text, points = _normal(text).strip(), []
    if text in ("无解", "no solution"):
        return (lambda env: False), points
    if "\\cup" in text or re.search(r"\\in(?![a-z])", text) or re.fullmatch(r"[(\[].*,.*[)\]]", text):
        union = re.split(r"\\in(?![a-z])", text)[-1]
        parts = [_interval(part, points) for part in union.split("\\cup")]
        return (lambda env: any(p(env) for p in parts)), points
    if text.startswith("\\{"):
        values = [const(v) for v in text[2:-2].split(",")]
        points.extend(values)
        return (lambda env: any(close(env["x"], v) for v in values)), points
    alternatives = []
    for part in re.split(r"或", text):
        atoms = [a for a in _split_top(part, ",") if a.strip()]
        preds = [_relation(re.sub(r"x_\d", "x", a), points) for a in atoms]
        listing = len(atoms) > 1 and all(re.match(r"\s*x_\d\s*=", a) for a in atoms)
        alternatives.append((any if listing else all, preds))
    return (lambda env: any(join(p(env) for p in preds) for join, preds in alternatives)), points


def _problem(text: str) -> list[str]:
    text = text.replace("\\begin{cases}", "").replace("\\end{cases}", "")
    return [p for p in re.split(r"\\\\|;|,", text) if p.strip()]


# --- label checks per task; each returns whether the answer matches the truth ---

GRID = [-30 + 0.0731 * k for k in range(821)]
# small fractions: where a double root or an endpoint the text never names can hide
RATIONALS = sorted({k / q for q in range(1, 9) for k in range(-15 * q, 15 * q + 1)})


def _check_solve_one(item: dict[str, Any]) -> bool:
    req = item["request"]
    problem, points = solution_set(req["problem"])
    truth, truth_points = solution_set(item["truth"])
    answer, answer_points = solution_set(req["answer"])
    steps = [solution_set(step) for step in req["steps"]]
    notable = truth_points + answer_points + [p for _, pts in steps for p in pts] + points
    xs = GRID + RATIONALS + [p + d for p in notable for d in (0.0, -1e-3, 1e-3)]
    for x in xs:
        assert problem({"x": x}) == truth({"x": x}), f"{item['id']}: truth wrong at x = {x}"
    equation = bool(re.fullmatch(r"[^<>]*=[^<>]*", _normal(req["problem"])))
    if equation:
        lhs, rhs = (expr(side) for side in _normal(req["problem"]).split("="))
        for root in _sign_changes(lambda x: lhs({"x": x}) - rhs({"x": x})):
            assert truth({"x": root}), f"{item['id']}: the truth misses the root {root}"
    roots = [x for x in xs if truth({"x": x})]
    if not item["injected"]:
        for step, _ in steps:
            if not equation:  # an inequality's steps are equivalences
                assert all(step({"x": x}) == truth({"x": x}) for x in xs), f"{item['id']}: a step differs"
            else:  # an equation's steps may add roots (squaring, clearing denominators), never lose one
                assert all(step({"x": x}) for x in roots), f"{item['id']}: a step loses a root"
    return all(answer({"x": x}) == truth({"x": x}) for x in xs)


def _sign_changes(g: Callable[[float], float]) -> list[float]:
    """Roots where g changes sign on [-30, 30], refined by bisection; poles are not roots."""
    found, prev = [], None
    for x in GRID:
        try:
            value = g(x)
        except UNDEFINED:
            prev = None
            continue
        if prev is not None and (prev[1] < 0) != (value < 0):
            lo, hi = prev[0], x
            for _ in range(80):
                mid = (lo + hi) / 2
                try:
                    mid_value = g(mid)
                except UNDEFINED:
                    break
                lo, hi = (mid, hi) if (mid_value < 0) == (prev[1] < 0) else (lo, mid)
            mid = (lo + hi) / 2
            try:
                if abs(g(mid)) < 1e-6:
                    found.append(mid)
            except UNDEFINED:
                pass
        prev = (x, value)
    return found


def _point(text: str) -> tuple[float, float]:
    values = dict(re.fullmatch(r"\s*([xy])\s*=\s*(.+?)\s*", a).groups() for a in text.split(","))  # type: ignore[union-attr]
    return const(values["x"]), const(values["y"])


def _check_system(item: dict[str, Any]) -> bool:
    req = item["request"]
    equations = [(expr(lhs), expr(rhs)) for lhs, rhs in (eq.split("=") for eq in _problem(req["problem"]))]
    assert len(equations) == 2

    def g(i: int, x: float, y: float) -> float:
        lhs, rhs = equations[i]
        return lhs({"x": x, "y": y}) - rhs({"x": x, "y": y})

    x0, y0 = _point(item["truth"])
    assert all(close(g(i, x0, y0), 0.0) for i in range(2)), item["id"]
    coef = [(g(i, 1, 0) - g(i, 0, 0), g(i, 0, 1) - g(i, 0, 0)) for i in range(2)]
    assert not close(coef[0][0] * coef[1][1] - coef[0][1] * coef[1][0], 0.0), f"{item['id']}: not unique"
    if not item["injected"]:
        for step in req["steps"]:
            pred, _ = solution_set(step)
            assert pred({"x": x0, "y": y0}), f"{item['id']}: step {step} drops the solution"
    x, y = _point(req["answer"])
    return close(x, x0) and close(y, y0)


def _check_value(item: dict[str, Any]) -> bool:
    """simplify, evaluate, differentiate: the truth equals the problem's value (or slope) point by point."""
    req, task = item["request"], item["request"]["task"]
    f, truth, answer = expr(req["problem"]), expr(item["truth"]), expr(req["answer"])
    steps = [expr(step) for step in req["steps"]]
    xs = [0.35, 0.85, 1.45, 2.3, 3.7, 4.6, -1.3, -2.7] if req["variable"] else [0.0]
    same, checked = True, 0
    for x in xs:
        env = {"x": x}
        try:
            if task == "differentiate":
                h = 1e-4
                expected = (f({"x": x + h}) - f({"x": x - h})) / (2 * h)
                tol = 1e-5
            else:
                expected, tol = f(env), 1e-9
            value = truth(env)
        except UNDEFINED:
            continue
        checked += 1
        assert close(value, expected, tol), f"{item['id']}: truth {value} != {expected} at x = {x}"
        try:
            same &= close(answer(env), value)
        except UNDEFINED:
            same = False
        if not item["injected"]:
            assert all(close(step(env), value) for step in steps), f"{item['id']}: a step changes the value"
    assert checked >= 2 or not req["variable"], f"{item['id']}: too few points in the domain"
    return same


def _fraction(text: str) -> Fraction:
    text = text.strip()
    match = re.fullmatch(r"(-?)\\frac\{(\d+)\}\{(\d+)\}", text)
    if match:
        sign, top, bottom = match.groups()
        return Fraction(int(top), int(bottom)) * (-1 if sign else 1)
    return Fraction(text)


def _check_compare(item: dict[str, Any]) -> bool:
    req = item["request"]
    first, second = re.split(r"与|和|,", req["problem"])
    a, b = _fraction(first), _fraction(second)
    relations = {"<": a < b, ">": a > b, "=": a == b}

    def parse(text: str) -> str:
        left, op, right = re.fullmatch(r"(.+?)\s*([<>=])\s*(.+)", text).groups()  # type: ignore[union-attr]
        assert (left.strip(), right.strip()) == (first.strip(), second.strip()), item["id"]
        return op

    assert relations[parse(item["truth"])], f"{item['id']}: the truth's relation is false"
    return relations[parse(req["answer"])]


def _check_sequence(item: dict[str, Any]) -> bool:
    req = item["request"]
    term = expr(req["problem"].split("=", 1)[1])
    n = req["n"]
    value = term({"n": n}) if req["task"] == "sequence_term" else sum(term({"n": k}) for k in range(1, n + 1))
    assert close(const(item["truth"]), value), f"{item['id']}: truth {item['truth']} != {value}"
    if not item["injected"]:
        assert all(close(const(step), value) for step in req["steps"]), f"{item['id']}: a step is off"
    return close(const(req["answer"]), value)


def _slope(f: Fn, x: float) -> float:
    h = 1e-6
    return (f({"x": x + h}) - f({"x": x - h})) / (2 * h)


def _extrema(text: str) -> list[tuple[str, float, float]]:
    found = []
    for part in re.split(r"；|;", text):
        part = part.strip()
        if part in ("无极值", "none"):
            continue
        label, x, value = re.fullmatch(r"(极大值|极小值|max|min)\s*f\((.+?)\)\s*=\s*(.+)", part).groups()  # type: ignore[union-attr]
        found.append(("max" if label in ("极大值", "max") else "min", const(x), const(value)))
    return sorted(found)


def _check_extrema(item: dict[str, Any]) -> bool:
    req = item["request"]
    f = expr(req["problem"].split("=", 1)[1])
    numeric = []
    for root in _sign_changes(lambda x: _slope(f, x)):
        kind = "max" if _slope(f, root - 1e-3) > 0 else "min"
        numeric.append((kind, root, f({"x": root})))

    def same(found: list[tuple[str, float, float]]) -> bool:
        return len(found) == len(numeric) and all(
            k1 == k2 and close(x1, x2, 1e-6) and close(v1, v2, 1e-6)
            for (k1, x1, v1), (k2, x2, v2) in zip(sorted(found), sorted(numeric), strict=True)
        )

    assert same(_extrema(item["truth"])), f"{item['id']}: truth {item['truth']} vs numeric {numeric}"
    return same(_extrema(req["answer"]))


def _monotonic(text: str) -> Callable[[float], str | None]:
    kinds: list[tuple[str, Pred]] = []
    for part in re.split(r"；|;", text):
        label, rest = part.strip().split(" ", 1)
        kind = "inc" if label in ("增区间", "increasing") else "dec"
        for iv in re.findall(r"[(\[][^()\[\]]*[)\]]", rest):
            kinds.append((kind, _interval(iv, [])))
    return lambda x: next((kind for kind, pred in kinds if pred({"x": x})), None)


def _check_monotonic(item: dict[str, Any]) -> bool:
    req = item["request"]
    f = expr(req["problem"].split("=", 1)[1])
    truth, answer = _monotonic(item["truth"]), _monotonic(req["answer"])
    same = True
    for x in GRID:
        try:
            slope = _slope(f, x)
        except UNDEFINED:
            expected = None  # outside the domain: in no interval
        else:
            if abs(slope) < 1e-6:
                continue
            expected = "inc" if slope > 0 else "dec"
        assert truth(x) == expected, f"{item['id']}: truth says {truth(x)} at x = {x}, f' says {expected}"
        same &= answer(x) == expected
    return same


def check_label(item: dict[str, Any]) -> bool:
    """Asserts the truth is right; returns whether the item's answer agrees with it."""
    task = item["request"]["task"]
    if task == "solve":
        return _check_system(item) if item["request"]["variable"] == "x,y" else _check_solve_one(item)
    if task in ("simplify", "evaluate", "differentiate"):
        return _check_value(item)
    if task == "compare":
        return _check_compare(item)
    if task in ("sequence_term", "sequence_sum"):
        return _check_sequence(item)
    if task == "extrema":
        return _check_extrema(item)
    return _check_monotonic(item)


@pytest.mark.parametrize("item", ITEMS, ids=[item["id"] for item in ITEMS])
def test_label_is_right_by_an_independent_check(item: dict[str, Any]) -> None:
    assert check_label(item) != item["injected"]


def test_the_evaluator_reads_what_the_corpus_writes() -> None:
    """Guards the label check itself: known values, so a lenient evaluator cannot pass everything."""
    assert close(const("\\sin 30^\\circ + \\cos \\frac{\\pi}{3}"), 1.0)
    assert close(const("-3^2"), -9.0) and close(const("(-3)^2"), 9.0)
    assert close(const("2^{-3}"), 0.125) and close(const("64^{\\frac{2}{3}}"), 16.0)
    assert close(expr("2x^2\\ln x")({"x": math.e}), 2 * math.e**2)
    assert close(expr("\\log_{2}(x + 6) + \\log_{2} x")({"x": 2.0}), 4.0)
    pred, _ = solution_set("x \\in (-\\infty, -1) \\cup [3, +\\infty)")
    assert [pred({"x": v}) for v in (-2.0, -1.0, 0.0, 3.0, 9.0)] == [True, False, False, True, True]
    pred, _ = solution_set("x_1 = -2, x_2 = 1")
    assert [pred({"x": v}) for v in (-2.0, 1.0, 0.0)] == [True, True, False]
    pred, _ = solution_set("-4 < x \\le 0")
    assert [pred({"x": v}) for v in (-4.0, -1.0, 0.0)] == [False, True, True]


# --- the verifier on the corpus ---


@pytest.mark.slow
def test_verifier_refutes_injected_errors_and_accepts_correct_work() -> None:
    from mathcast.verify.check import verify_request

    def verdict_of(item: dict[str, Any]) -> str:
        return verify_request(VerifyRequest.model_validate(item["request"])).verdict

    missed, wrongly_refuted = [], []
    with ThreadPoolExecutor(2) as pool:  # as lessons verify side by side: one checking process each
        verdicts = list(pool.map(verdict_of, ITEMS))
    for item, verdict in zip(ITEMS, verdicts, strict=True):
        if item["injected"] and verdict != "refuted":
            missed.append(f"{item['id']} ({verdict})")
        if not item["injected"] and verdict == "refuted":
            wrongly_refuted.append(item["id"])
    injected = sum(item["injected"] for item in ITEMS)
    correct = len(ITEMS) - injected
    assert len(missed) <= 0.01 * injected, f"{len(missed)} of {injected} errors not refuted: {missed[:20]}"
    assert len(wrongly_refuted) <= 0.01 * correct, f"correct work refuted: {wrongly_refuted[:20]}"
