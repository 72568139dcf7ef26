"""The offline expert on derivatives, monotonic intervals and extrema, and the verifier's reading."""

from __future__ import annotations

import pytest
import sympy

from mathcast.content.solvers import UnsupportedProblemError, solve
from mathcast.lesson import Language, Problem, ProblemKind
from mathcast.verify.parse import parse_expression
from tests.content.solution_helpers import (
    assert_every_claim_verified,
    refuted_kinds,
    refuted_statements,
    with_line,
)

x = sympy.Symbol("x")


def _problem(kind: ProblemKind, given: str, language: Language = "zh-CN") -> Problem:
    return Problem(id="p", statement=f"f(x) = {given}", language=language, kind=kind, given=given)


# f(x), its derivative worked out by hand, and the rule the first step must name (zh, en)
DERIVATIVES = [
    ("x^3-3x", 3 * x**2 - 3, "和差", "sum rule"),
    ("x e^{x}", (x + 1) * sympy.exp(x), "乘积", "product rule"),
    (r"\frac{\ln x}{x}", (1 - sympy.log(x)) / x**2, "商", "quotient rule"),
    (r"\sin(2x+1)", 2 * sympy.cos(2 * x + 1), "复合函数", "chain rule"),
    (r"\sqrt{x^2+1}", x / sympy.sqrt(x**2 + 1), "复合函数", "chain rule"),
    ("3x^2", 6 * x, "基本初等函数", "basic"),
]


@pytest.mark.parametrize(("given", "derivative", "zh_rule", "en_rule"), DERIVATIVES)
def test_derivative_names_its_rule_and_is_right(
    given: str, derivative: sympy.Expr, zh_rule: str, en_rule: str
) -> None:
    for language, rule in (("zh-CN", zh_rule), ("en-US", en_rule)):
        solution = solve(_problem("derivative", given, language))
        assert solution.answer.startswith("f'(x) = ")
        assert sympy.simplify(parse_expression(solution.answer) - derivative) == 0
        assert 2 <= len(solution.steps) <= 6
        assert rule in " ".join(s.explanation for s in solution.steps) + solution.summary
        assert not any("\\" in s.explanation for s in solution.steps), "explanations are narrated: no LaTeX"


MONOTONIC = [
    (
        "x^3-3x",
        r"增区间 (-\infty, -1), (1, +\infty)；减区间 (-1, 1)",
        r"increasing (-\infty, -1), (1, +\infty); decreasing (-1, 1)",
    ),
    (r"x - \ln x", r"增区间 (1, +\infty)；减区间 (0, 1)", r"increasing (1, +\infty); decreasing (0, 1)"),
    (
        r"x + \frac{1}{x}",
        r"增区间 (-\infty, -1), (1, +\infty)；减区间 (-1, 0), (0, 1)",
        r"increasing (-\infty, -1), (1, +\infty); decreasing (-1, 0), (0, 1)",
    ),
    ("x^3", r"增区间 (-\infty, +\infty)", r"increasing (-\infty, +\infty)"),
]


@pytest.mark.parametrize(("given", "zh", "en"), MONOTONIC)
def test_monotonic_intervals(given: str, zh: str, en: str) -> None:
    assert solve(_problem("monotonic_intervals", given)).answer == zh
    assert solve(_problem("monotonic_intervals", given, "en-US")).answer == en


EXTREMA = [
    ("x^3-3x", "极大值 f(-1) = 2；极小值 f(1) = -2", "max f(-1) = 2; min f(1) = -2"),
    (
        "x^4-2x^2",
        "极小值 f(-1) = -1；极大值 f(0) = 0；极小值 f(1) = -1",
        "min f(-1) = -1; max f(0) = 0; min f(1) = -1",
    ),
    (r"\frac{x^2}{2} - \ln x", r"极小值 f(1) = \frac{1}{2}", r"min f(1) = \frac{1}{2}"),
    ("x^3", "无极值", "none"),
    ("e^{x} + x", "无极值", "none"),
]


@pytest.mark.parametrize(("given", "zh", "en"), EXTREMA)
def test_extrema(given: str, zh: str, en: str) -> None:
    assert solve(_problem("extrema", given)).answer == zh
    assert solve(_problem("extrema", given, "en-US")).answer == en


VERIFIED = [
    ("derivative", r"\frac{\ln x}{x}"),
    ("derivative", r"\sin(2x+1)"),
    ("derivative", "x e^{x}"),
    ("monotonic_intervals", r"x + \frac{1}{x}"),
    ("extrema", "x^3-3x"),
    ("extrema", r"x - \ln x"),
]


@pytest.mark.parametrize(("kind", "given"), VERIFIED)
def test_every_claim_of_the_expert_is_verified(kind: ProblemKind, given: str) -> None:
    assert_every_claim_verified(_problem(kind, given, "en-US"))


def test_a_wrong_derivative_is_refuted_in_the_step_and_the_answer() -> None:
    problem = _problem("derivative", r"\frac{\ln x}{x}")
    good = solve(problem)
    assert refuted_kinds(problem, good.model_copy(update={"answer": r"f'(x) = \frac{1 + \ln x}{x^{2}}"}))
    wrong_step = with_line(good, 1, 1, r"f'(x) = \frac{\frac{1}{x} \cdot x + \ln x \cdot 1}{x^{2}}")
    assert any(r"x + \ln x \cdot 1" in s for s in refuted_statements(problem, wrong_step))


def test_wrong_extremum_value_and_wrong_root_are_refuted() -> None:
    problem = _problem("extrema", "x^3-3x")
    good = solve(problem)
    wrong_value = good.model_copy(update={"answer": "极大值 f(-1) = 3；极小值 f(1) = -2"})
    assert refuted_kinds(problem, wrong_value) == ["extrema"]
    wrong_root = with_line(good, 1, 1, "x = -1 或 x = 2")
    assert any("f'(x) = 0" in s for s in refuted_statements(problem, wrong_root))
    wrong_line = with_line(good, 3, 0, "f(-1) = (-1)^{3} - 3 \\cdot (-1) = 3")
    assert any(s.startswith("step 3") for s in refuted_statements(problem, wrong_line))


def test_wrong_intervals_are_refuted() -> None:
    problem = _problem("monotonic_intervals", "x^3-3x")
    wrong = solve(problem).model_copy(update={"answer": r"增区间 (-\infty, -1)；减区间 (-1, +\infty)"})
    assert refuted_kinds(problem, wrong) == ["monotonic"]


@pytest.mark.parametrize(
    ("kind", "given", "reason"),
    [
        ("monotonic_intervals", r"\sin x", "zeros"),
        ("derivative", "5", "function of x"),
        ("extrema", r"x^{2} + y", "function of x"),
        ("derivative", r"\frac{1}{", "cannot read"),
    ],
)
def test_cases_the_expert_does_not_cover_are_refused(kind: ProblemKind, given: str, reason: str) -> None:
    with pytest.raises(UnsupportedProblemError, match=reason):
        solve(_problem(kind, given))
