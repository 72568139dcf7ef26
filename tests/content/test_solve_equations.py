"""The offline expert on equations and systems, and the verifier's reading of its solutions."""

from __future__ import annotations

import re
from typing import Any

import pytest
import sympy

from mathcast.content.solvers import UnsupportedProblemError, solve
from mathcast.lesson import Language, Problem, ProblemKind, Solution, Step
from mathcast.verify.claims import solution_claims
from mathcast.verify.kinds.equations import alternatives, statement
from mathcast.verify.sets import single_set


def problem_of(kind: ProblemKind, given: str, language: Language = "zh-CN", **fields: Any) -> Problem:
    return Problem(id="eq", statement="解题", language=language, kind=kind, given=given, **fields)


def assert_written_for_students(solution: Solution, language: Language) -> None:
    """2 to 6 steps (one for a one-line case), narrated in plain text in the problem's language."""
    assert 1 <= len(solution.steps) <= 6
    for step in solution.steps:
        assert "\\" not in step.explanation and "{" not in step.explanation, step.explanation
        chinese = bool(re.search(r"[\u4e00-\u9fff]", step.explanation))
        assert chinese == (language == "zh-CN"), step.explanation
    assert "\\" not in solution.summary


def unverified(problem: Problem, solution: Solution) -> list[str]:
    claims = solution_claims(problem, solution)
    assert "answer_complete" in {c.kind for c in claims}
    return [
        f"{c.kind} {c.statement}: {c.verdict.verdict} ({c.verdict.reason})"
        for c in claims
        if c.verdict.verdict != "verified"
    ]


def refuted(problem: Problem, solution: Solution) -> set[str]:
    """The kinds of claim the verifier refutes."""
    return {c.kind for c in solution_claims(problem, solution) if c.verdict.verdict == "refuted"}


def corrupted(solution: Solution, step: int, old: str, new: str) -> Solution:
    equations = solution.steps[step].equations
    assert any(old in e for e in equations), f"{old!r} is not in step {step}: {equations}"
    changed = Step(index=step, equations=[e.replace(old, new) for e in equations], explanation="changed")
    return solution.model_copy(update={"steps": [changed if s.index == step else s for s in solution.steps]})


# kind, given, language, the answer worked out by hand
ANSWERS = [
    ("linear_equation", "3(x - 1) = 2x + 5", "zh-CN", "x = 8"),
    ("linear_equation", r"\frac{x-1}{2} - \frac{x+2}{3} = 1", "zh-CN", "x = 13"),  # 3(x-1) - 2(x+2) = 6
    ("linear_equation", "5 - 2(x - 1) = 3x", "en-US", r"x = \frac{7}{5}"),  # 7 = 5x
    ("linear_equation", "0.5x + 1 = 2", "en-US", "x = 2"),
    ("linear_system", "2x+y=5, x-y=1", "zh-CN", "x = 2, y = 1"),
    ("linear_system", "3x + 2y = 7, 2x - 3y = -4", "en-US", "x = 1, y = 2"),
    ("linear_system", "y = 2x - 1, 3x + y = 9", "zh-CN", "x = 2, y = 3"),  # 3x + 2x - 1 = 9
    ("linear_system", "x + y + z = 6, 2x - y + z = 3, x + 2y - z = 2", "zh-CN", "x = 1, y = 2, z = 3"),
    ("linear_system", "x + y = 3, y + z = 5, x + z = 4", "en-US", "x = 1, y = 2, z = 3"),
    ("quadratic_equation", "x^2 - 5x + 6 = 0", "zh-CN", r"x = 2 \text{ 或 } x = 3"),
    ("quadratic_equation", "2x^2 - 5x + 2 = 0", "en-US", r"x = \frac{1}{2} \text{ or } x = 2"),
    ("quadratic_equation", "x^2 = 2x", "zh-CN", r"x = 0 \text{ 或 } x = 2"),
    ("quadratic_equation", "x^2 - 2x - 1 = 0", "zh-CN", r"x = 1 - \sqrt{2} \text{ 或 } x = 1 + \sqrt{2}"),
    (
        "quadratic_equation",
        "x^2 + 3x - 1 = 0",
        "en-US",
        r"x = \frac{-3 - \sqrt{13}}{2} \text{ or } x = \frac{-3 + \sqrt{13}}{2}",
    ),
    ("quadratic_equation", "x^2 + x + 1 = 0", "zh-CN", r"\text{无实数解}"),  # Δ = -3
    ("quadratic_equation", "x^2 + x + 1 = 0", "en-US", r"\text{no real solution}"),
    ("quadratic_equation", "x^2 - 2x + 1 = 0", "zh-CN", "x = 1"),
    ("quadratic_equation", "(x-1)^2 = 4", "zh-CN", r"x = -1 \text{ 或 } x = 3"),
    ("quadratic_equation", "x^2 - 4 = 0", "en-US", r"x = -2 \text{ or } x = 2"),
    (
        "rational_equation",
        r"\frac{1}{x-2} + 3 = \frac{x-1}{x-2}",
        "zh-CN",
        r"\text{无解}",
    ),  # x = 2 is extraneous
    ("rational_equation", r"\frac{3}{x} = \frac{2}{x-1}", "zh-CN", "x = 3"),
    ("rational_equation", r"\frac{x^2}{x-1} = \frac{1}{x-1}", "zh-CN", "x = -1"),  # x = 1 is extraneous
    ("rational_equation", r"\frac{2}{x+1} + \frac{3}{x-1} = \frac{6}{x^2-1}", "en-US", r"\text{no solution}"),
    ("rational_equation", r"\frac{x}{x-1} - 1 = \frac{2}{x}", "en-US", "x = 2"),
    ("absolute_value_equation", "|2x-1|=3", "zh-CN", r"x = -1 \text{ 或 } x = 2"),
    ("absolute_value_equation", "2|x+1| - 3 = 5", "zh-CN", r"x = -5 \text{ 或 } x = 3"),
    ("absolute_value_equation", "|x - 1| = 2x + 1", "en-US", "x = 0"),  # x = -2 fails x >= 1
    ("absolute_value_equation", "|x-1| + |x+2| = 5", "zh-CN", r"x = -3 \text{ 或 } x = 2"),
    ("absolute_value_equation", "|x-1| + |x+2| = 3", "zh-CN", r"x \in [-2, 1]"),
    ("absolute_value_equation", "|x-1| = |2x+1|", "en-US", r"x = -2 \text{ or } x = 0"),
    ("exponential_equation", "2^{x+1}=8", "zh-CN", "x = 2"),
    ("exponential_equation", "9^{x} = 3^{x+2}", "en-US", "x = 2"),  # 2x = x + 2
    ("exponential_equation", "4^{x} = 8", "zh-CN", r"x = \frac{3}{2}"),
    ("exponential_equation", "3^{x} = 5", "zh-CN", r"x = \log_{3} 5"),
    ("exponential_equation", "2^{x-1} = 5", "en-US", r"x = 1 + \log_{2} 5"),
    ("exponential_equation", "2^{x^2 - x} = 4", "zh-CN", r"x = -1 \text{ 或 } x = 2"),
    ("exponential_equation", r"4^x - 3 \cdot 2^x + 2 = 0", "zh-CN", r"x = 0 \text{ 或 } x = 1"),
    ("exponential_equation", r"2^{2x+1} - 5 \cdot 2^{x} + 2 = 0", "en-US", r"x = -1 \text{ or } x = 1"),
    ("exponential_equation", r"9^{x} - 2 \cdot 3^{x} - 3 = 0", "zh-CN", "x = 1"),  # 3^x = -1 rejected
    ("exponential_equation", "3^{x+1} - 3^{x} = 18", "zh-CN", "x = 2"),  # 2·3^x = 18
    ("exponential_equation", "e^{x} = 3", "en-US", r"x = \ln 3"),
    ("exponential_equation", "2^{x} = -4", "zh-CN", r"\text{无解}"),
    ("logarithmic_equation", r"\log_2(x-1)=3", "zh-CN", "x = 9"),
    ("logarithmic_equation", r"\lg x+\lg(x-3)=1", "zh-CN", "x = 5"),  # x = -2 is outside x > 3
    ("logarithmic_equation", r"\log_{2}(x+1) - \log_{2}(x-1) = 1", "en-US", "x = 3"),  # x + 1 = 2(x - 1)
    ("logarithmic_equation", r"2\log_{3} x = \log_{3}(x + 6)", "zh-CN", "x = 3"),
    ("logarithmic_equation", r"\log_{3}(x^2 - 2x) = 1", "zh-CN", r"x = -1 \text{ 或 } x = 3"),
    ("logarithmic_equation", r"\ln(2x - 1) = \ln(x + 2)", "zh-CN", "x = 3"),
    ("logarithmic_equation", r"\log_{4}(x + 1) = 2", "en-US", "x = 15"),
    ("logarithmic_equation", r"(\log_{2} x)^{2} - 3\log_{2} x + 2 = 0", "en-US", r"x = 2 \text{ or } x = 4"),
]


@pytest.mark.parametrize(("kind", "given", "language", "answer"), ANSWERS)
def test_answers_are_the_hand_worked_ones(
    kind: ProblemKind, given: str, language: Language, answer: str
) -> None:
    solution = solve(problem_of(kind, given, language))
    assert solution.answer == answer
    assert_written_for_students(solution, language)


# Every claim the verifier makes about these solutions holds (a sample of each kind, both languages).
VERIFIED = [
    ("linear_equation", r"\frac{x-1}{2} - \frac{x+2}{3} = 1", "zh-CN"),
    ("linear_equation", "5 - 2(x - 1) = 3x", "en-US"),
    ("linear_system", "3x + 2y = 7, 2x - 3y = -4", "en-US"),
    ("linear_system", "x + y + z = 6, 2x - y + z = 3, x + 2y - z = 2", "zh-CN"),
    ("linear_system", "y = 2x - 1, 3x + y = 9", "zh-CN"),
    ("quadratic_equation", "2x^2 - 5x + 2 = 0", "en-US"),
    ("quadratic_equation", "x^2 - 2x - 1 = 0", "zh-CN"),
    ("quadratic_equation", "x^2 + x + 1 = 0", "zh-CN"),
    ("rational_equation", r"\frac{1}{x-2} + 3 = \frac{x-1}{x-2}", "zh-CN"),
    ("rational_equation", r"\frac{x^2}{x-1} = \frac{1}{x-1}", "en-US"),
    ("absolute_value_equation", "|x-1| + |x+2| = 5", "zh-CN"),
    ("absolute_value_equation", "|x - 1| = 2x + 1", "en-US"),
    ("exponential_equation", r"4^x - 3 \cdot 2^x + 2 = 0", "zh-CN"),
    ("exponential_equation", "2^{x-1} = 5", "en-US"),
    ("logarithmic_equation", r"\lg x+\lg(x-3)=1", "zh-CN"),
    ("logarithmic_equation", r"(\log_{2} x)^{2} - 3\log_{2} x + 2 = 0", "en-US"),
]


@pytest.mark.parametrize(("kind", "given", "language"), VERIFIED)
def test_every_claim_about_the_solution_is_verified(
    kind: ProblemKind, given: str, language: Language
) -> None:
    problem = problem_of(kind, given, language)
    assert unverified(problem, solve(problem)) == []


def test_the_method_is_the_one_a_teacher_chooses() -> None:
    factored = solve(problem_of("quadratic_equation", "x^2 - 5x + 6 = 0"))
    assert [s.equations for s in factored.steps] == [
        [r"\left(x - 2\right)\left(x - 3\right) = 0"],
        [r"x - 2 = 0 \text{ 或 } x - 3 = 0"],
        ["x_{1} = 2, x_{2} = 3"],
    ]
    formula = solve(problem_of("quadratic_equation", "x^2 - 2x - 1 = 0"))
    assert formula.steps[0].equations == [
        r"\Delta = b^{2} - 4ac = \left(-2\right)^{2} - 4 \times 1 \times \left(-1\right) = 8 > 0"
    ]
    assert formula.steps[1].equations == [r"x = \frac{2 \pm \sqrt{8}}{2} = 1 \pm \sqrt{2}"]
    square_root = solve(problem_of("quadratic_equation", "(x-1)^2 = 4"))
    assert square_root.steps[0].equations == [r"x - 1 = \pm 2"]
    assert "开平方" in square_root.steps[0].explanation


def test_completing_the_square_when_asked() -> None:
    problem = problem_of("quadratic_equation", "x^2 + 4x - 1 = 0", facts={"method": "complete_square"})
    solution = solve(problem)
    assert [s.equations[0] for s in solution.steps] == [
        "x^{2} + 4 x = 1",
        "x^{2} + 4 x + 4 = 1 + 4",
        r"\left(x + 2\right)^{2} = 5",
        r"x + 2 = \pm \sqrt{5}",
        r"x_{1} = -2 + \sqrt{5}, x_{2} = -2 - \sqrt{5}",
    ]
    assert solution.answer == r"x = -2 - \sqrt{5} \text{ 或 } x = -2 + \sqrt{5}"
    assert unverified(problem, solution) == []


def test_linear_steps_are_the_five_moves() -> None:
    solution = solve(problem_of("linear_equation", r"\frac{x-1}{2} - \frac{x+2}{3} = 1"))
    assert [s.equations for s in solution.steps] == [
        [r"3\left(x - 1\right) - 2\left(x + 2\right) = 6"],
        ["3 x - 3 - 2 x - 4 = 6"],
        ["3 x - 2 x = 6 + 3 + 4"],
        ["x = 13"],
    ]
    assert "去分母" in solution.steps[0].explanation and "去括号" in solution.steps[1].explanation


def test_excluded_values_come_first_and_extraneous_roots_are_rejected_aloud() -> None:
    solution = solve(problem_of("rational_equation", r"\frac{x^2}{x-1} = \frac{1}{x-1}"))
    assert solution.steps[0].equations == [r"x \ne 1", "x^{2} = 1"]
    assert solution.steps[-1].equations == ["x = -1"]
    assert "增根" in solution.steps[-1].explanation and "x = 1" in solution.steps[-1].explanation
    english = solve(problem_of("rational_equation", r"\frac{1}{x-2} + 3 = \frac{x-1}{x-2}", "en-US"))
    assert "extraneous" in english.steps[-1].explanation


def test_logarithms_state_the_domain_and_check_it() -> None:
    solution = solve(problem_of("logarithmic_equation", r"\lg x+\lg(x-3)=1"))
    assert solution.steps[0].equations == ["x > 3", r"\lg\left(x\left(x - 3\right)\right) = 1"]
    assert "定义域" in solution.steps[0].explanation
    assert solution.steps[-1].equations == ["x = 5"]
    assert "x = -2" in solution.steps[-1].explanation and "舍去" in solution.steps[-1].explanation


def test_powers_of_one_base_are_substituted() -> None:
    solution = solve(problem_of("exponential_equation", r"9^{x} - 2 \cdot 3^{x} - 3 = 0"))
    assert solution.steps[0].equations == [r"\left(3^{x}\right)^{2} - 2 \cdot 3^{x} - 3 = 0"]
    assert "t = 3^x" in solution.steps[0].explanation
    assert "3^x = -1 舍去" in solution.steps[2].explanation


def test_absolute_values_split_at_their_zero_points() -> None:
    solution = solve(problem_of("absolute_value_equation", "|x-1| + |x+2| = 5"))
    assert solution.steps[0].equations == [
        r"x < -2 \text{ 且 } - 2 x - 1 = 5",
        r"\text{或 } -2 \le x < 1 \text{ 且 } 3 = 5",
        r"\text{或 } x \ge 1 \text{ 且 } 2 x + 1 = 5",
    ]
    assert "x = -2, x = 1" in solution.steps[0].explanation


# a solution with one number changed, and the claim that must then be refuted
CORRUPTIONS = [
    ("linear_equation", "3(x - 1) = 2x + 5", 1, "5 + 3", "5 + 4"),
    ("linear_system", "2x+y=5, x-y=1", 2, "y = 1", "y = 2"),
    ("quadratic_equation", "x^2 - 5x + 6 = 0", 1, "x - 3 = 0", "x - 4 = 0"),
    ("quadratic_equation", "x^2 - 2x - 1 = 0", 0, "= 8 > 0", "= 12 > 0"),  # arithmetic
    (
        "quadratic_equation",
        "x^2 - 2x - 1 = 0",
        0,
        r"\left(-1\right) = 8",
        r"\left(-2\right) = 12",
    ),  # not this Δ
    ("rational_equation", r"\frac{3}{x} = \frac{2}{x-1}", 1, "3 x - 3", "3 x - 2"),
    ("absolute_value_equation", "|x-1| + |x+2| = 5", 1, "x = 2", "x = 3"),
    ("exponential_equation", "2^{x+1}=8", 1, "x + 1 = 3", "x + 1 = 4"),
    ("logarithmic_equation", r"\lg x+\lg(x-3)=1", 1, "= 10", "= 100"),
]


@pytest.mark.parametrize(("kind", "given", "step", "old", "new"), CORRUPTIONS)
def test_a_changed_number_in_a_step_is_refuted(
    kind: ProblemKind, given: str, step: int, old: str, new: str
) -> None:
    problem = problem_of(kind, given)
    assert refuted(problem, corrupted(solve(problem), step, old, new))


WRONG_ANSWERS = [
    ("linear_equation", "3(x - 1) = 2x + 5", "x = 9"),
    ("linear_system", "2x+y=5, x-y=1", "x = 2, y = 2"),
    ("quadratic_equation", "x^2 - 2x - 1 = 0", r"x = 1 + \sqrt{2}"),  # one root lost
    ("rational_equation", r"\frac{1}{x-2} + 3 = \frac{x-1}{x-2}", "x = 2"),  # the extraneous root kept
    ("absolute_value_equation", "|x - 1| = 2x + 1", r"x = -2 \text{ 或 } x = 0"),
    ("exponential_equation", r"4^x - 3 \cdot 2^x + 2 = 0", r"x = 1 \text{ 或 } x = 2"),
    ("logarithmic_equation", r"\lg x+\lg(x-3)=1", r"x = -2 \text{ 或 } x = 5"),  # outside the domain
]


@pytest.mark.parametrize(("kind", "given", "answer"), WRONG_ANSWERS)
def test_a_wrong_answer_is_refuted(kind: ProblemKind, given: str, answer: str) -> None:
    problem = problem_of(kind, given)
    wrong = solve(problem).model_copy(update={"answer": answer})
    assert refuted(problem, wrong) & {"answer_complete", "answer_satisfies", "answer_matches_steps"}


UNSUPPORTED = [
    ("quadratic_equation", "x^3 - x = 0", "degree 2"),
    ("quadratic_equation", "x^2 + ax = 0", "parameters"),
    ("linear_equation", "x^2 = 4", "not linear"),
    ("linear_equation", "2x + 3 > 7", "inequality"),
    ("linear_system", "x + 2y = 3, 2x + 4y = 6", "no unique solution"),
    ("exponential_equation", "2^{x} = x + 3", "outside the exponents"),
    ("exponential_equation", "2^{x} = 3^{x-1}", "not powers of one number"),
    ("logarithmic_equation", r"\log_{2} x = \log_{4}(x + 2)", "different bases"),
    ("logarithmic_equation", r"\log_{2} x = \log_{3}(x + 2)", "different bases"),
    ("absolute_value_equation", "|x^2 - 1| = 3", "linear"),
    ("rational_equation", "2x + 1 = 5", "not a rational equation"),
    ("linear_equation", "2(x + 1) = 2x + 3", "always False"),
    ("linear_equation", "", "empty"),
]


@pytest.mark.parametrize(("kind", "given", "message"), UNSUPPORTED)
def test_cases_not_covered_are_refused_with_the_reason(kind: ProblemKind, given: str, message: str) -> None:
    with pytest.raises(UnsupportedProblemError, match=message):
        solve(problem_of(kind, given))


def test_the_reading_expands_plus_minus_listed_roots_and_case_lines() -> None:
    assert alternatives(r"x = 1 \pm \sqrt{2}") == [r"x = 1 + \sqrt{2}", r"x = 1 - \sqrt{2}"]
    assert alternatives(r"x - 1 = \pm 2") == ["x - 1 = 2", "x - 1 = - 2"]
    assert alternatives("x_{1} = 2, x_{2} = 3") == ["x_{1} = 2", "x_{2} = 3"]
    assert alternatives("x = 2, y = 1") == ["x = 2, y = 1"]  # a system's solution stays one case
    x = sympy.Symbol("x")
    cases = statement([r"x < 1 \text{ 且 } x = 0", r"\text{或 } x \ge 1 \text{ 且 } x = -2"])
    assert single_set(cases, x, sympy.S.Reals) == sympy.FiniteSet(0)
    domain_beside_roots = statement(["x > 3", r"x = 5 \text{ 或 } x = -2"])
    assert single_set(domain_beside_roots, x, sympy.S.Reals) == sympy.FiniteSet(5)
