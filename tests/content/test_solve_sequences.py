"""The offline expert on arithmetic and geometric sequences, and the verifier's reading."""

from __future__ import annotations

import pytest

from mathcast.content.solvers import UnsupportedProblemError, solve
from mathcast.lesson import Language, Problem, ProblemKind, Solution, Step
from mathcast.verify.claims import solution_claims
from tests.content.solution_helpers import (
    assert_every_claim_verified,
    refuted_kinds,
    refuted_statements,
    with_line,
)


def _problem(kind: ProblemKind, facts: dict[str, str], ask: str, language: Language = "zh-CN") -> Problem:
    return Problem(id="seq", statement="数列", language=language, kind=kind, facts=facts, ask=ask)


ARITHMETIC = "arithmetic_sequence"
GEOMETRIC = "geometric_sequence"

# (kind, facts, ask, zh answer, en answer) worked out by hand
CASES: list[tuple[ProblemKind, dict[str, str], str, str, str]] = [
    (ARITHMETIC, {"a_1": "2", "d": "3"}, "a_10", "a_{10} = 29", "a_{10} = 29"),  # 2 + 9·3
    (
        ARITHMETIC,
        {"a_3": "7", "a_7": "15"},
        "S_10",
        "S_{10} = 120",
        "S_{10} = 120",
    ),  # d = 2, a_1 = 3, 10·3 + 45·2
    (ARITHMETIC, {"a_1": "2", "a_5": "14"}, "a_n", "a_{n} = 3 n - 1", "a_{n} = 3 n - 1"),
    (ARITHMETIC, {"d": "-2", "a_{4}": "5"}, "a_n", "a_{n} = 13 - 2 n", "a_{n} = 13 - 2 n"),  # a_1 = 11
    (ARITHMETIC, {"a_1": "2", "S_5": "40"}, "a_{10}", "a_{10} = 29", "a_{10} = 29"),  # 10 + 10d = 40
    (
        GEOMETRIC,
        {"a_2": "6", "a_5": "162"},
        "a_n",
        r"a_{n} = 2 \cdot 3^{n - 1}",
        r"a_{n} = 2 \cdot 3^{n - 1}",
    ),
    (GEOMETRIC, {"a_1": "3", "q": r"\frac{1}{2}"}, "S_4", r"S_{4} = \frac{45}{8}", r"S_{4} = \frac{45}{8}"),
    (GEOMETRIC, {"a_1": "5", "q": "1"}, "S_6", "S_{6} = 30", "S_{6} = 30"),  # q = 1: every term is 5
    (GEOMETRIC, {"q": "-2", "a_3": "12"}, "a_6", "a_{6} = -96", "a_{6} = -96"),  # a_1 = 3, 3·(-2)^5
    # q^2 = 9: q = 3, a_1 = 2 or q = -3, a_1 = -2
    (
        GEOMETRIC,
        {"a_2": "6", "a_4": "54"},
        "a_5",
        "a_{5} = 162 或 a_{5} = -162",
        r"a_{5} = 162 \text{ or } a_{5} = -162",
    ),
    (
        GEOMETRIC,
        {"a_2": "6", "a_4": "54"},
        "S_3",
        "S_{3} = 26 或 S_{3} = -14",
        r"S_{3} = 26 \text{ or } S_{3} = -14",
    ),
    (
        GEOMETRIC,
        {"a_2": "4", "a_4": "16"},
        "a_n",
        r"a_{n} = 2^{n} 或 a_{n} = \left(-2\right)^{n}",
        r"a_{n} = 2^{n} \text{ or } a_{n} = \left(-2\right)^{n}",
    ),
]


@pytest.mark.parametrize(("kind", "facts", "ask", "zh", "en"), CASES)
def test_answers_match_hand_computed_values(
    kind: ProblemKind, facts: dict[str, str], ask: str, zh: str, en: str
) -> None:
    chinese, english = solve(_problem(kind, facts, ask)), solve(_problem(kind, facts, ask, "en-US"))
    assert (chinese.answer, english.answer) == (zh, en)
    assert 2 <= len(chinese.steps) <= 6
    assert not any("\\" in s.explanation for s in [*chinese.steps, *english.steps])


@pytest.mark.parametrize(
    "case", [CASES[1], CASES[2], CASES[5], CASES[6], CASES[9]], ids=lambda c: f"{c[0]}-{c[2]}"
)
def test_every_claim_of_the_expert_is_verified(
    case: tuple[ProblemKind, dict[str, str], str, str, str],
) -> None:
    kind, facts, ask, _, _ = case
    assert_every_claim_verified(_problem(kind, facts, ask, "en-US"))


def test_a_changed_number_is_refuted_in_the_answer_and_in_the_step() -> None:
    problem = _problem(ARITHMETIC, {"a_3": "7", "a_7": "15"}, "S_10")
    good = solve(problem)
    wrong_answer = good.model_copy(update={"answer": "S_{10} = 130"})
    assert refuted_kinds(problem, wrong_answer) == ["answer_value", "answer_matches_steps"]
    wrong_step = with_line(good, 1, 0, r"d = \frac{a_{7} - a_{3}}{4} = \frac{15 - 7}{4} = 3")
    assert refuted_statements(problem, wrong_step) == [r"step 1: \frac{15 - 7}{4} = 3"]


def test_an_answer_missing_one_of_two_sequences_is_refuted() -> None:
    problem = _problem(GEOMETRIC, {"a_2": "6", "a_4": "54"}, "a_5")
    one = solve(problem).model_copy(update={"answer": "a_{5} = 162"})
    assert refuted_kinds(problem, one) == ["answer_complete"]


def test_a_wrong_general_term_is_refuted() -> None:
    problem = _problem(GEOMETRIC, {"a_2": "6", "a_5": "162"}, "a_n")
    wrong = solve(problem).model_copy(update={"answer": r"a_{n} = 2 \cdot 3^{n}"})
    assert "answer_value" in refuted_kinds(problem, wrong)


@pytest.mark.parametrize(
    ("kind", "facts", "ask", "reason"),
    [
        (ARITHMETIC, {"a_1": "2"}, "a_10", "two facts"),
        (ARITHMETIC, {"a_1": "2", "d": "3"}, "S_n", "is not a_n"),
        (ARITHMETIC, {"a_1": "2", "b_2": "3"}, "a_5", "is not a_k"),
        (GEOMETRIC, {"a_2": "2", "a_4": "-8"}, "a_n", "no real geometric"),  # q^2 = -4
        (ARITHMETIC, {"a_3": "7", "a_{3}": "7"}, "a_5", "two facts"),
    ],
)
def test_cases_the_expert_does_not_cover_are_refused(
    kind: ProblemKind, facts: dict[str, str], ask: str, reason: str
) -> None:
    with pytest.raises(UnsupportedProblemError, match=reason):
        solve(_problem(kind, facts, ask))


def test_unreadable_facts_make_the_reading_unverifiable_not_a_crash() -> None:
    problem = _problem(ARITHMETIC, {"a_1": "2", "d": "3"}, "a_10")
    odd = problem.model_copy(update={"facts": {"a_1": "9^{9^{9^{9}}}", "d": "3"}})
    claims = solution_claims(odd, solve(problem))
    assert [c.verdict.verdict for c in claims] == ["unverifiable"]


def test_facts_sympy_cannot_solve_are_unverifiable_not_refuted() -> None:
    # a_1(1 + q + ... + q^39) = 5 has a real root near q = 0.8, but sympy.solve returns nothing
    problem = _problem(GEOMETRIC, {"a_1": "1", "S_40": "5"}, "a_n")
    claimed = Solution(
        problem_id="seq",
        author="model",
        steps=[Step(index=0, equations=["q = 0.8"], explanation="近似")],
        answer="a_{n} = 0.8^{n - 1}",
    )
    assert {c.verdict.verdict for c in solution_claims(problem, claimed)} == {"unverifiable"}
