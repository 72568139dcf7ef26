from __future__ import annotations

import pytest
import sympy

from mathcast.content.catalog import lookup
from mathcast.content.solvers import UnsupportedProblemError, solve
from mathcast.lesson import Curve, FunctionGraphCue, LessonPlan, Problem, Section, Segment, Solution, Step
from mathcast.verify.claims import lesson_claims, narration_comparisons, solution_claims
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
    claims = solution_claims(PROBLEM, solve(PROBLEM))
    assert [c.kind for c in claims] == ["step_equivalence"] * 3 + ["answer_satisfies", "answer_matches_steps"]
    assert {c.verdict.verdict for c in claims} == {"verified"}


@pytest.mark.parametrize(
    ("step", "equations", "reason"),
    [
        (1, ["k = 3", "k + b = 3"], "loses solutions"),
        (0, ["k + b = 3"], "infinitely many"),
        (2, ["k = 2", "b = 1", "k = b"], "loses solutions"),
    ],
)
def test_broken_steps_are_caught(step: int, equations: list[str], reason: str) -> None:
    claims = solution_claims(PROBLEM, _with(solve(PROBLEM), step, equations))
    assert reason in claims[step].verdict.reason


def test_wrong_answer_is_refuted_with_a_counterexample() -> None:
    claims = solution_claims(PROBLEM, _with(solve(PROBLEM), answer="y = 2x + 2"))
    satisfies, matches = claims[-2], claims[-1]
    assert satisfies.verdict.verdict == "refuted" and satisfies.verdict.counterexample == "x = 1 gives y = 4"
    assert matches.verdict.verdict == "refuted"


def test_non_linear_answer_is_refuted() -> None:
    claims = solution_claims(PROBLEM, _with(solve(PROBLEM), answer="y = x^2 + 2"))
    assert "not a linear function" in claims[-2].verdict.reason


def test_unreadable_step_is_unverifiable_not_a_crash() -> None:
    claims = solution_claims(PROBLEM, _with(solve(PROBLEM), 1, [r"\input{/etc/passwd} = 1"]))
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
        kind="linear_function",
        unknowns=["k", "b"],
        points=[(1, 2), (1, 5)],
    )
    with pytest.raises(UnsupportedProblemError, match="share x"):
        solve(vertical)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("9.11 大于 9.8 吗？", [("9.11", ">", "9.8")]),
        ("所以 9.11 < 9.8。", [("9.11", "<", "9.8")]),
        ("9.8 比 9.11 大", [("9.8", ">", "9.11")]),
        ("k 从 1 增加到 2", []),
    ],
)
def test_numeric_comparisons_in_the_narration_are_found(text: str, found: list[tuple[str, str, str]]) -> None:
    assert narration_comparisons(text) == found


def test_a_false_comparison_in_the_narration_is_refuted() -> None:
    plan = lookup("一次函数的图像和性质", "zh-CN")
    intro = plan.sections[0]
    wrong = intro.segments[0].model_copy(update={"text": "注意：9.11 大于 9.8。"})
    plan = plan.model_copy(
        update={"sections": [intro.model_copy(update={"segments": [wrong]}), *plan.sections[1:]]}
    )
    claims = lesson_claims(plan)
    comparison = next(c for c in claims if c.kind == "comparison")
    assert comparison.problem_id == "intro-picture" and comparison.verdict.verdict == "refuted"
    graphs = [c for c in claims if c.kind == "graph_formula"]
    assert len(graphs) == 2 and {c.verdict.verdict for c in graphs} == {"verified"}


def test_a_curve_drawn_unlike_its_label_is_refuted() -> None:
    cue = FunctionGraphCue(id="g", curves=[Curve(latex="2x - 1", label="y = 2x + 1")])
    segment = Segment(id="s", text="看图。", language="zh-CN", cues=[cue])
    plan = LessonPlan(
        topic="t",
        title="t",
        language="zh-CN",
        family="函数与方程",
        sections=[Section(id="a", kind="intro", title="引入", segments=[segment])],
    )
    (claim,) = lesson_claims(plan)
    assert claim.kind == "graph_formula" and claim.verdict.verdict == "refuted"


@pytest.mark.parametrize(
    ("written", "value"),
    [
        (r"\sin 2x", "sin(2*x)"),
        (r"\sin^2 x + \cos^2 x", "sin(x)**2 + cos(x)**2"),
        (r"\sin^{2}(x)", "sin(x)**2"),
        (r"a \cdot \cos x", "a*cos(x)"),
        (r"(x-1)(x-2)(x-3)", "(x - 3)*(x - 2)*(x - 1)"),
        (r"(x+1)e^{x}", "(x + 1)*exp(x)"),
        (r"\frac{2\sin 45^\circ}{\sin 30^\circ}", "2*sqrt(2)"),
    ],
)
def test_math_as_textbooks_write_it_is_read(written: str, value: str) -> None:
    """sin 2x is sin(2x), sin^2 x is (sin x)^2, brackets side by side multiply, 45^\\circ inside a
    fraction keeps the fraction's brace."""
    assert str(parse_math(written)) == value


def test_an_equation_sympy_settles_to_false_stays_an_equation_with_no_solution() -> None:
    """|x - 2| = -1 is built as False by sympy; read as an equation it has the empty solution set."""
    equation = parse_equation("|x - 2| = -1")
    assert isinstance(equation, sympy.Eq) and str(equation.lhs) == "Abs(x - 2)"
    problem = Problem(
        id="p",
        statement="解方程 |x - 2| = -1",
        language="zh-CN",
        kind="absolute_value_equation",
        given="|x - 2| = -1",
    )
    solution = solve(problem)
    assert solution.answer == r"\text{无解}"
    assert {c.verdict.verdict for c in solution_claims(problem, solution)} == {"verified"}
