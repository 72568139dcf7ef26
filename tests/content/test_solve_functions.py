"""The offline expert on analytic expressions from points (lines and parabolas), and the verifier."""

from __future__ import annotations

import pytest

from mathcast.content.solvers import UnsupportedProblemError, solve
from mathcast.lesson import Language, Problem, ProblemKind
from mathcast.verify.claims import solution_claims
from tests.content.solution_helpers import assert_every_claim_verified, refuted_statements, with_line


def _problem(
    kind: ProblemKind,
    points: list[tuple[int, int]],
    facts: dict[str, str] | None = None,
    language: Language = "zh-CN",
) -> Problem:
    return Problem(
        id="fn", statement="求解析式", language=language, kind=kind, points=points, facts=facts or {}
    )


# points (and vertex), answer worked by hand
PARABOLAS: list[tuple[list[tuple[int, int]], dict[str, str], str]] = [
    ([(0, -1), (1, -2), (2, -1)], {}, "y = x^{2} - 2 x - 1"),  # c = -1, a + b = -1, 4a + 2b = 0
    ([(0, 1), (1, 2), (2, 5)], {}, "y = x^{2} + 1"),
    ([(-1, 0), (3, 0), (1, -4)], {}, "y = x^{2} - 2 x - 3"),  # (x + 1)(x - 3)
    ([(1, 1), (2, 3), (-1, 6)], {}, r"y = \frac{3 x^{2}}{2} - \frac{5 x}{2} + 2"),
    ([(0, -1)], {"vertex": "(1, -2)"}, "y = x^{2} - 2 x - 1"),  # a(0 - 1)^2 - 2 = -1
    ([(0, 3)], {"vertex": "(2, -1)"}, "y = x^{2} - 4 x + 3"),
    ([(1, 0)], {"vertex": "(-1, 4)"}, "y = - x^{2} - 2 x + 3"),  # a·4 + 4 = 0
]


@pytest.mark.parametrize(("points", "facts", "answer"), PARABOLAS)
def test_parabolas_match_hand_computed_values(
    points: list[tuple[int, int]], facts: dict[str, str], answer: str
) -> None:
    for language in ("zh-CN", "en-US"):
        solution = solve(_problem("quadratic_function", points, facts, language))
        assert solution.answer == answer
        assert 2 <= len(solution.steps) <= 6
        assert not any("\\" in s.explanation for s in solution.steps)


def test_three_points_are_solved_by_elimination_step_by_step() -> None:
    solution = solve(_problem("quadratic_function", [(0, -1), (1, -2), (2, -1)]))
    assert [s.equations for s in solution.steps[:4]] == [
        ["c = -1", "a + b + c = -2", "4 a + 2 b + c = -1"],
        ["a + b = -1", "3 a + b = 1", "c = -1"],
        ["2 a = 2", "a + b = -1", "c = -1"],
        ["a = 1", "b = -2", "c = -1"],
    ]


@pytest.mark.parametrize(
    ("points", "facts", "answer"), [PARABOLAS[0], PARABOLAS[3], PARABOLAS[4], PARABOLAS[6]]
)
def test_every_claim_of_a_parabola_is_verified(
    points: list[tuple[int, int]], facts: dict[str, str], answer: str
) -> None:
    assert_every_claim_verified(_problem("quadratic_function", points, facts, "en-US"))


def test_a_changed_coefficient_is_refuted_in_the_step_and_the_answer() -> None:
    problem = _problem("quadratic_function", [(0, -1), (1, -2), (2, -1)])
    good = solve(problem)
    refuted = refuted_statements(problem, good.model_copy(update={"answer": "y = x^{2} - 3 x - 1"}))
    assert "y = x^{2} - 3 x - 1 passes (1, -2)" in refuted
    wrong = with_line(good, 3, 1, "b = -3")
    assert any(s.startswith("step 3") for s in refuted_statements(problem, wrong))


def test_a_curve_through_the_points_that_is_not_a_parabola_isrefuted_statements() -> None:
    problem = _problem("quadratic_function", [(0, 0), (1, 1), (2, 4)])
    cubic = solve(problem).model_copy(update={"answer": "y = x^{3} - 2 x^{2} + 2 x"})  # also passes all three
    assert refuted_statements(problem, cubic) == [
        "y = x^{3} - 2 x^{2} + 2 x is a polynomial of degree at most 2"
    ]


def test_a_wrong_vertex_isrefuted_statements() -> None:
    problem = _problem("quadratic_function", [(0, -1)], {"vertex": "(1, -2)"})
    shifted = solve(problem).model_copy(
        update={"answer": "y = x^{2} - 4 x - 1"}
    )  # passes (0, -1), vertex (2, -5)
    assert "y = x^{2} - 4 x - 1 passes the vertex (1, -2)" in refuted_statements(problem, shifted)


@pytest.mark.parametrize(
    ("points", "facts", "reason"),
    [
        ([(0, 1), (1, 2), (2, 3)], {}, "lie on a line"),
        ([(0, 1), (0, 2), (2, 3)], {}, "different x"),
        ([(0, 1), (1, 2)], {}, "three points"),
        ([(1, 5)], {"vertex": "(1, -2)"}, "on the axis"),
        ([(3, -2)], {"vertex": "(1, -2)"}, "a = 0"),
        ([(0, 1)], {"vertex": "1, -2"}, "not a point"),
    ],
)
def test_parabola_cases_the_expert_does_not_cover_are_refused(
    points: list[tuple[int, int]], facts: dict[str, str], reason: str
) -> None:
    with pytest.raises(UnsupportedProblemError, match=reason):
        solve(_problem("quadratic_function", points, facts))


def test_the_line_through_two_points_still_works_and_verifies() -> None:
    problem = _problem("linear_function", [(1, 3), (2, 5)])
    solution = solve(problem)
    assert solution.answer == "y = 2 x + 1"
    assert {c.verdict.verdict for c in solution_claims(problem, solution)} == {"verified"}
