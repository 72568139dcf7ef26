from __future__ import annotations

import pytest

from mathcast.content.catalog import lookup
from mathcast.content.solver import UnsupportedProblemError, solve
from mathcast.lesson import Problem, Solution, Step
from mathcast.verify.claims import verify_solution
from mathcast.verify.parse import MathParseError, parse_equation, parse_math

PROBLEM = lookup("一次函数的图像和性质", "zh-CN").problems[0]


def _with(
    solution: Solution, step: int | None = None, equations: list[str] | None = None, answer: str | None = None
) -> Solution:
    steps = list(solution.steps)
    if step is not None and equations is not None:
        steps[step] = Step(index=step, equations=equations, explanation=steps[step].explanation)
    return solution.model_copy(update={"steps": steps, "answer": answer or solution.answer})


def test_offline_expert_solves_the_demo_problem_step_by_step() -> None:
    solution = solve(PROBLEM)
    assert [s.equations for s in solution.steps] == [
        ["k + b = 3", "2 k + b = 5"],
        ["k = 2", "k + b = 3"],
        ["k = 2", "b = 1"],
    ]
    assert solution.answer == "y = 2 x + 1"
    assert "k = 2" in solution.steps[1].explanation


def test_every_claim_of_the_expert_solution_is_verified() -> None:
    claims = verify_solution(PROBLEM, solve(PROBLEM))
    assert [c.kind for c in claims] == ["step_equivalence"] * 3 + ["answer_satisfies", "answer_matches_steps"]
    assert {c.verdict.verdict for c in claims} == {"verified"}


@pytest.mark.parametrize(
    ("step", "equations", "reason"),
    [
        (1, ["k = 3", "k + b = 3"], "loses a solution"),
        (0, ["k + b = 3"], "infinitely many"),
        (2, ["k = 2", "b = 1", "k = b"], "loses a solution"),
    ],
)
def test_broken_steps_are_caught(step: int, equations: list[str], reason: str) -> None:
    claims = verify_solution(PROBLEM, _with(solve(PROBLEM), step, equations))
    assert reason in claims[step].verdict.reason


def test_wrong_answer_is_refuted_with_a_counterexample() -> None:
    claims = verify_solution(PROBLEM, _with(solve(PROBLEM), answer="y = 2x + 2"))
    satisfies, matches = claims[-2], claims[-1]
    assert satisfies.verdict.verdict == "refuted" and satisfies.verdict.counterexample == "x = 1 gives y = 4"
    assert matches.verdict.verdict == "refuted"


def test_non_linear_answer_is_refuted() -> None:
    claims = verify_solution(PROBLEM, _with(solve(PROBLEM), answer="y = x^2 + 2"))
    assert "not a linear function" in claims[-2].verdict.reason


def test_unreadable_step_is_unverifiable_not_a_crash() -> None:
    claims = verify_solution(PROBLEM, _with(solve(PROBLEM), 1, [r"\input{/etc/passwd} = 1"]))
    assert claims[1].verdict.verdict == "unverifiable"
    assert claims[2].verdict.verdict == "unverifiable"


def test_parser_limits_and_errors() -> None:
    assert str(parse_equation("2k + b = 5")) == "Eq(b + 2*k, 5)"
    with pytest.raises(MathParseError, match="limit"):
        parse_math("x+" * 300 + "1")
    with pytest.raises(MathParseError, match="nests"):
        parse_math("(" * 20 + "x" + ")" * 20)
    with pytest.raises(MathParseError, match="not an equation"):
        parse_equation("x + 1")
    with pytest.raises(MathParseError, match="empty"):
        parse_math("  ")


def test_solver_rejects_points_that_no_line_passes() -> None:
    vertical = Problem(
        id="v",
        statement="s",
        language="zh-CN",
        task="find_linear_function",
        unknowns=["k", "b"],
        points=[(1, 2), (1, 5)],
    )
    with pytest.raises(UnsupportedProblemError, match="share x"):
        solve(vertical)
