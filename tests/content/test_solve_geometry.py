"""The offline expert on triangles and vectors, and the verifier's reading."""

from __future__ import annotations

import pytest

from mathcast.content.solvers import UnsupportedProblemError, solve
from mathcast.lesson import Language, Problem, ProblemKind
from tests.content.solution_helpers import assert_every_claim_verified, refuted_kinds, with_line


def _problem(kind: ProblemKind, facts: dict[str, str], ask: str, language: Language = "zh-CN") -> Problem:
    return Problem(id="geo", statement="几何", language=language, kind=kind, facts=facts, ask=ask)


NONE = ("无解", r"\text{no such triangle}")

# facts, ask, answer (zh; en differs only by 或 / \text{ or } and the no-triangle words), worked by hand
TRIANGLES: list[tuple[dict[str, str], str, str]] = [
    ({"a": "3", "b": "4", "C": "60"}, "c", r"c = \sqrt{13}"),  # 9 + 16 - 2·3·4·½
    ({"a": "2", "b": r"2 \sqrt{3}", "A": "30"}, "B", r"B = 60^{\circ} 或 B = 120^{\circ}"),  # sin B = √3/2
    ({"a": "2", "b": r"2 \sqrt{3}", "A": "30"}, "c", "c = 4 或 c = 2"),  # C = 90° or 30°
    ({"a": r"2\sqrt{3}", "b": "2", "A": "60"}, "B", r"B = 30^{\circ}"),  # b < a: B acute only
    ({"a": "1", "b": "2", "A": "30"}, "B", r"B = 90^{\circ}"),  # sin B = 1
    ({"a": "1", "b": "4", "A": "30"}, "B", NONE[0]),  # sin B = 2
    ({"b": "3", "c": "4", "A": "60"}, "area", r"S = 3 \sqrt{3}"),  # ½·3·4·√3/2
    ({"a": "3", "b": "4", "c": "5"}, "area", "S = 6"),
    ({"a": "7", "b": "5", "c": "3"}, "A", r"A = 120^{\circ}"),  # cos A = (25 + 9 - 49)/30 = -1/2
    ({"a": "3", "b": "4", "c": "8"}, "A", NONE[0]),  # 3 + 4 < 8
    ({"A": "30", "B": "45", "a": "2"}, "b", r"b = 2 \sqrt{2}"),  # 2·(√2/2)/(1/2)
    ({"A": "30", "B": "45", "a": "2"}, "area", r"S = 1 + \sqrt{3}"),  # ½·2·2√2·sin 105°
    ({"A": "100", "B": "90", "a": "2"}, "b", NONE[0]),
]


@pytest.mark.parametrize(("facts", "ask", "answer"), TRIANGLES)
def test_triangles_match_hand_computed_values(facts: dict[str, str], ask: str, answer: str) -> None:
    chinese, english = (
        solve(_problem("triangle", facts, ask)),
        solve(_problem("triangle", facts, ask, "en-US")),
    )
    assert chinese.answer == answer
    assert english.answer == (NONE[1] if answer == NONE[0] else answer.replace(" 或 ", r" \text{ or } "))
    assert 2 <= len(chinese.steps) <= 6
    assert not any("\\" in s.explanation for s in chinese.steps)


def test_the_ambiguous_case_explains_both_triangles() -> None:
    solution = solve(_problem("triangle", {"a": "2", "b": r"2 \sqrt{3}", "A": "30"}, "B"))
    assert "两解" in solution.steps[2].explanation
    assert "正弦定理" in solution.steps[1].explanation


VERIFIED = [TRIANGLES[0], TRIANGLES[1], TRIANGLES[2], TRIANGLES[5], TRIANGLES[8], TRIANGLES[11]]


@pytest.mark.parametrize(("facts", "ask", "answer"), VERIFIED)
def test_every_claim_of_a_triangle_is_verified(facts: dict[str, str], ask: str, answer: str) -> None:
    assert_every_claim_verified(_problem("triangle", facts, ask, "en-US"), at_least=2)


def test_a_wrong_side_is_refuted_in_the_step_and_the_answer() -> None:
    problem = _problem("triangle", {"a": "3", "b": "4", "C": "60"}, "c")
    good = solve(problem)
    assert "answer_value" in refuted_kinds(problem, good.model_copy(update={"answer": r"c = \sqrt{37}"}))
    plus = r"c^{2} = a^{2} + b^{2} + 2ab\cos C = 3^{2} + 4^{2} + 2 \times 3 \times 4\cos 60^{\circ} = 37"
    assert refuted_kinds(problem, with_line(good, 1, 0, plus))[:1] == ["step_rewrite"]


def test_missing_the_second_triangle_isrefuted_kinds() -> None:
    problem = _problem("triangle", {"a": "2", "b": r"2 \sqrt{3}", "A": "30"}, "B")
    only_acute = solve(problem).model_copy(update={"answer": r"B = 60^{\circ}"})
    assert refuted_kinds(problem, only_acute) == ["answer_complete"]


def test_a_triangle_that_exists_is_not_no_solution() -> None:
    problem = _problem("triangle", {"a": "7", "b": "5", "c": "3"}, "A")
    assert refuted_kinds(problem, solve(problem).model_copy(update={"answer": "无解"})) == ["answer_complete"]


@pytest.mark.parametrize(
    ("facts", "ask", "reason"),
    [
        ({"a": "3", "b": "4"}, "c", "three facts"),
        ({"A": "30", "B": "60", "C": "90"}, "a", "at least one a side"),
        ({"a": "3", "b": "4", "C": "60"}, "a", "one of the facts"),
        ({"a": "3", "b": "4", "C": "60"}, "perimeter", "ask one of"),
        ({"a": "3", "b": "2", "A": "60"}, "B", "needs a calculator"),  # sin B = √3/3
        ({"a": "-3", "b": "4", "C": "60"}, "c", "positive"),
    ],
)
def test_triangle_cases_the_expert_does_not_cover_are_refused(
    facts: dict[str, str], ask: str, reason: str
) -> None:
    with pytest.raises(UnsupportedProblemError, match=reason):
        solve(_problem("triangle", facts, ask))


# facts, ask, answer worked by hand
VECTORS: list[tuple[dict[str, str], str, str]] = [
    ({"a": "(1, 2)", "b": "(3, -1)"}, "dot", r"\vec{a} \cdot \vec{b} = 1"),  # 3 - 2
    ({"a": "(3, 4)", "b": "(1, 1)"}, "magnitude", r"|\vec{a}| = 5"),
    ({"a": "(1, 0)", "b": "(1, 1)"}, "angle", r"\theta = 45^{\circ}"),  # cos θ = 1/√2
    ({"a": "(1, 2)", "b": "(-2, 1)"}, "angle", r"\theta = 90^{\circ}"),  # perpendicular
    (
        {"a": "(1, 2)", "b": "(3, -1)"},
        "angle",
        r"\theta = \arccos{\left(\frac{\sqrt{2}}{10} \right)}",
    ),  # 1/(√5·√10)
    ({"a": "(1, 2)", "b": "(3, -1)"}, "projection", r"|\vec{a}|\cos\theta = \frac{\sqrt{10}}{10}"),  # 1/√10
    ({"a": "(1, 2, 2)", "b": "(2, 0, 1)"}, "dot", r"\vec{a} \cdot \vec{b} = 4"),
    ({"|a|": "2", "|b|": "3", "theta": "60"}, "dot", r"\vec{a} \cdot \vec{b} = 3"),  # 2·3·½
    ({"|a|": "2", "|b|": "3", "theta": "120"}, "projection", r"|\vec{a}|\cos\theta = -1"),
]


@pytest.mark.parametrize(("facts", "ask", "answer"), VECTORS)
def test_vectors_match_hand_computed_values(facts: dict[str, str], ask: str, answer: str) -> None:
    for language in ("zh-CN", "en-US"):
        solution = solve(_problem("vector", facts, ask, language))
        assert solution.answer == answer
        assert 2 <= len(solution.steps) <= 6


@pytest.mark.parametrize(("facts", "ask", "answer"), [VECTORS[2], VECTORS[4], VECTORS[5], VECTORS[7]])
def test_every_claim_of_a_vector_is_verified(facts: dict[str, str], ask: str, answer: str) -> None:
    assert_every_claim_verified(_problem("vector", facts, ask, "en-US"))


def test_a_wrong_dot_product_is_refuted_in_the_step_and_the_answer() -> None:
    problem = _problem("vector", {"a": "(1, 2)", "b": "(3, -1)"}, "dot")
    good = solve(problem)
    assert "answer_value" in refuted_kinds(
        problem, good.model_copy(update={"answer": r"\vec{a} \cdot \vec{b} = 5"})
    )
    wrong = r"\vec{a} \cdot \vec{b} = x_{1}x_{2} + y_{1}y_{2} = 1 \times 3 + 2 \times 1 = 5"
    assert "step_rewrite" in refuted_kinds(problem, with_line(good, 1, 0, wrong))


@pytest.mark.parametrize(
    ("facts", "ask", "reason"),
    [
        ({"a": "(1, 2)", "b": "(3, -1)"}, "cross", "ask one of"),
        ({"a": "(0, 0)", "b": "(3, -1)"}, "angle", "zero vector"),
        ({"a": "(1, 2)", "b": "(3, -1, 2)"}, "dot", "different numbers"),
        ({"|a|": "2", "|b|": "3", "theta": "60"}, "angle", "one of the facts"),
        ({"a": "1, 2", "b": "(3, -1)"}, "dot", "not coordinates"),
    ],
)
def test_vector_cases_the_expert_does_not_cover_are_refused(
    facts: dict[str, str], ask: str, reason: str
) -> None:
    with pytest.raises(UnsupportedProblemError, match=reason):
        solve(_problem("vector", facts, ask))


def test_a_side_named_by_its_ends_is_read_as_that_side() -> None:
    problem = _problem("triangle", {"a": "3", "b": "4", "C": "60"}, "c")
    written = with_line(solve(problem), 1, 1, r"AB = \sqrt{13}")
    assert refuted_kinds(problem, written) == []
    assert "step_rewrite" in refuted_kinds(problem, with_line(written, 1, 1, r"AB = \sqrt{37}"))
