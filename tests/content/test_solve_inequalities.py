"""The offline expert on inequalities, and the verifier's reading of its solutions."""

from __future__ import annotations

import pytest

from mathcast.content.solvers import UnsupportedProblemError, solve
from mathcast.lesson import Language, ProblemKind
from tests.content.test_solve_equations import (
    assert_written_for_students,
    corrupted,
    problem_of,
    refuted,
    unverified,
)

# kind, given, language, the answer worked out by hand
ANSWERS = [
    ("linear_inequality", "2x+3>7", "zh-CN", r"x \in (2, +\infty)"),
    ("linear_inequality", "-2x > 4", "en-US", r"x \in (-\infty, -2)"),  # divided by -2: the sign flips
    ("linear_inequality", "3x - 1 < 5x + 3", "zh-CN", r"x \in (-2, +\infty)"),  # -2x < 4
    (
        "linear_inequality",
        r"\frac{x-1}{2} \ge \frac{x}{3} + 1",
        "zh-CN",
        r"x \in [9, +\infty)",
    ),  # 3x - 3 >= 2x + 6
    ("linear_inequality", r"2(x + 1) \le 2x + 5", "en-US", r"x \in (-\infty, +\infty)"),  # 2 <= 5 always
    ("linear_inequality", r"2(x + 1) > 2x + 5", "zh-CN", r"\text{无解}"),  # 2 > 5 never
    ("quadratic_inequality", "x^2 - 3x + 2 < 0", "zh-CN", r"x \in (1, 2)"),
    ("quadratic_inequality", r"x^2 - 4x + 3 \ge 0", "en-US", r"x \in (-\infty, 1] \cup [3, +\infty)"),
    ("quadratic_inequality", "-x^2 + 2x + 3 > 0", "zh-CN", r"x \in (-1, 3)"),  # x^2 - 2x - 3 < 0
    ("quadratic_inequality", "2x^2 > x + 1", "zh-CN", r"x \in (-\infty, - \frac{1}{2}) \cup (1, +\infty)"),
    ("quadratic_inequality", r"x^2 - 2x - 1 \le 0", "zh-CN", r"x \in [1 - \sqrt{2}, 1 + \sqrt{2}]"),
    ("quadratic_inequality", "x^2 - 2x + 1 > 0", "zh-CN", r"x \in (-\infty, 1) \cup (1, +\infty)"),
    ("quadratic_inequality", r"x^2 - 2x + 1 \le 0", "en-US", "x = 1"),
    ("quadratic_inequality", "x^2 - 2x + 1 < 0", "zh-CN", r"\text{无解}"),
    ("quadratic_inequality", "x^2 + x + 1 > 0", "zh-CN", r"x \in (-\infty, +\infty)"),  # Δ = -3
    ("quadratic_inequality", "x^2 + x + 1 < 0", "en-US", r"\text{no solution}"),
    ("rational_inequality", r"\frac{x-1}{x+2} \ge 0", "zh-CN", r"x \in (-\infty, -2) \cup [1, +\infty)"),
    ("rational_inequality", r"\frac{2x-1}{x+1} \le 1", "en-US", r"x \in (-1, 2]"),  # (x - 2)/(x + 1) <= 0
    ("rational_inequality", r"\frac{x+1}{x-3} < 0", "zh-CN", r"x \in (-1, 3)"),
    ("rational_inequality", r"\frac{2-x}{x+1} \ge 0", "zh-CN", r"x \in (-1, 2]"),
    ("rational_inequality", r"\frac{(x-1)(x+2)}{x-3} > 0", "en-US", r"x \in (-2, 1) \cup (3, +\infty)"),
    (
        "rational_inequality",
        r"\frac{1}{x} < 1",
        "zh-CN",
        r"x \in (-\infty, 0) \cup (1, +\infty)",
    ),  # (x - 1)/x > 0
]


@pytest.mark.parametrize(("kind", "given", "language", "answer"), ANSWERS)
def test_answers_are_the_hand_worked_ones(
    kind: ProblemKind, given: str, language: Language, answer: str
) -> None:
    solution = solve(problem_of(kind, given, language))
    assert solution.answer == answer
    assert_written_for_students(solution, language)


VERIFIED = [
    ("linear_inequality", r"\frac{x-1}{2} \ge \frac{x}{3} + 1", "zh-CN"),
    ("linear_inequality", "3x - 1 < 5x + 3", "en-US"),
    ("quadratic_inequality", "-x^2 + 2x + 3 > 0", "zh-CN"),
    ("quadratic_inequality", r"x^2 - 2x - 1 \le 0", "en-US"),
    ("quadratic_inequality", "x^2 - 2x + 1 > 0", "zh-CN"),
    ("quadratic_inequality", "x^2 + x + 1 > 0", "en-US"),
    ("rational_inequality", r"\frac{2x-1}{x+1} \le 1", "zh-CN"),
    ("rational_inequality", r"\frac{(x-1)(x+2)}{x-3} > 0", "en-US"),
]


@pytest.mark.parametrize(("kind", "given", "language"), VERIFIED)
def test_every_claim_about_the_solution_is_verified(
    kind: ProblemKind, given: str, language: Language
) -> None:
    problem = problem_of(kind, given, language)
    assert unverified(problem, solve(problem)) == []


def test_dividing_by_a_negative_flips_the_sign_and_says_so() -> None:
    chinese = solve(problem_of("linear_inequality", "3x - 1 < 5x + 3"))
    assert [s.equations for s in chinese.steps] == [["3 x - 5 x < 3 + 1"], ["- 2 x < 4"], ["x > -2"]]
    assert "不等号的方向要改变" in chinese.steps[-1].explanation
    english = solve(problem_of("linear_inequality", "-2x > 4", "en-US"))
    assert "flips" in english.steps[-1].explanation


def test_quadratics_are_read_off_the_parabola() -> None:
    solution = solve(problem_of("quadratic_inequality", "-x^2 + 2x + 3 > 0"))
    assert [s.equations for s in solution.steps] == [
        ["x^{2} - 2 x - 3 < 0"],
        [r"\left(x + 1\right)\left(x - 3\right) < 0"],
        ["-1 < x < 3"],
    ]
    assert "不等号的方向要改变" in solution.steps[0].explanation
    assert "开口向上" in solution.steps[2].explanation and "两根之间" in solution.steps[2].explanation
    no_roots = solve(problem_of("quadratic_inequality", "x^2 + x + 1 > 0", "en-US"))
    assert no_roots.steps[0].equations[0].startswith(r"\Delta = ")
    assert "holds for every real number" in no_roots.steps[0].explanation


def test_the_sign_chart_leaves_the_denominator_zeros_open() -> None:
    solution = solve(problem_of("rational_inequality", r"\frac{2x-1}{x+1} \le 1"))
    assert [s.equations for s in solution.steps] == [
        [r"\frac{2 x - 1}{x + 1} - 1 \le 0"],
        [r"\frac{x - 2}{x + 1} \le 0"],
        [r"\left(x + 1\right)\left(x - 2\right) \le 0", r"x + 1 \ne 0"],
        [r"-1 < x \le 2"],
    ]
    assert "+, -, +" in solution.steps[-1].explanation and "x = -1 取不到" in solution.steps[-1].explanation


# a solution with one number changed, and the claim that must then be refuted
CORRUPTIONS = [
    ("linear_inequality", "3x - 1 < 5x + 3", 2, "x > -2", "x < -2"),  # the sign not flipped
    ("quadratic_inequality", "x^2 - 3x + 2 < 0", 1, "1 < x < 2", "1 < x < 3"),
    ("quadratic_inequality", "x^2 + x + 1 > 0", 0, "= -3 < 0", "= 3 < 0"),
    ("rational_inequality", r"\frac{2x-1}{x+1} \le 1", 3, r"x \le 2", r"x \le 3"),
]


@pytest.mark.parametrize(("kind", "given", "step", "old", "new"), CORRUPTIONS)
def test_a_changed_step_is_refuted(kind: ProblemKind, given: str, step: int, old: str, new: str) -> None:
    problem = problem_of(kind, given)
    assert refuted(problem, corrupted(solve(problem), step, old, new))


WRONG_ANSWERS = [
    ("linear_inequality", "-2x > 4", r"x \in (-2, +\infty)"),
    ("quadratic_inequality", r"x^2 - 4x + 3 \ge 0", r"x \in (-\infty, 1) \cup (3, +\infty)"),  # ends dropped
    ("quadratic_inequality", "x^2 + x + 1 > 0", r"\text{无解}"),
    ("rational_inequality", r"\frac{x-1}{x+2} \ge 0", r"x \in (-\infty, -2] \cup [1, +\infty)"),  # -2 closed
]


@pytest.mark.parametrize(("kind", "given", "answer"), WRONG_ANSWERS)
def test_a_wrong_answer_is_refuted(kind: ProblemKind, given: str, answer: str) -> None:
    problem = problem_of(kind, given)
    assert refuted(problem, solve(problem).model_copy(update={"answer": answer}))


UNSUPPORTED = [
    ("linear_inequality", "x^2 > 4", "not linear"),
    ("linear_inequality", "2x + 1 = 5", "equation"),
    ("quadratic_inequality", "x^3 - x > 0", "degree 2"),
    ("quadratic_inequality", "x^2 + ax > 0", "parameters"),
    ("rational_inequality", "x^2 - 1 > 0", "no unknown in a denominator"),
    ("rational_inequality", r"\frac{x}{x^2 - 2} > 0", "linear factors"),
    ("rational_inequality", r"1 < \frac{x}{x+1} < 2", "one relation"),
]


@pytest.mark.parametrize(("kind", "given", "message"), UNSUPPORTED)
def test_cases_not_covered_are_refused_with_the_reason(kind: ProblemKind, given: str, message: str) -> None:
    with pytest.raises(UnsupportedProblemError, match=message):
        solve(problem_of(kind, given))
