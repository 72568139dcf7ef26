"""The offline expert on counting and classical probability, and the verifier's reading."""

from __future__ import annotations

from typing import Any

import pytest

from mathcast.content.solvers import UnsupportedProblemError, solve
from mathcast.lesson import Language, Problem, ProblemKind
from tests.content.solution_helpers import assert_every_claim_verified, refuted_kinds, with_line


def _problem(kind: ProblemKind, language: Language = "zh-CN", **fields: Any) -> Problem:
    return Problem(id="count", statement="计数", language=language, kind=kind, **fields)


COUNTS: list[tuple[dict[str, Any], str]] = [
    ({"given": "A_5^3"}, "60"),  # 5·4·3
    ({"given": r"\mathrm{A}_{7}^{3}"}, "210"),  # 7·6·5
    ({"given": "C_{10}^{8}"}, "45"),  # C(10, 2) = 10·9/2
    ({"given": r"\binom{6}{2}"}, "15"),
    ({"given": "5!"}, "120"),
    ({"given": "0!"}, "1"),
    ({"facts": {"n": "6", "k": "2", "ordered": "no"}}, "15"),
    ({"facts": {"n": "5", "k": "5", "ordered": "yes"}}, "120"),
    ({"given": "A_{10}^{8}"}, "1814400"),  # 10!/2!
]


@pytest.mark.parametrize(("fields", "value"), COUNTS)
def test_counts_match_hand_computed_values(fields: dict[str, Any], value: str) -> None:
    for language in ("zh-CN", "en-US"):
        solution = solve(_problem("counting", language, **fields))
        assert solution.answer == value
        assert 2 <= len(solution.steps) <= 6


PROBABILITIES: list[tuple[dict[str, str], str]] = [
    ({"dice": "2", "event": "sum=7"}, r"P = \frac{1}{6}"),  # 6 of 36
    ({"dice": "2", "event": "sum>=10"}, r"P = \frac{1}{6}"),  # (4,6) (5,5) (5,6) (6,4) (6,5) (6,6)
    ({"dice": "2", "event": "sum<=3"}, r"P = \frac{1}{12}"),  # (1,1) (1,2) (2,1)
    ({"dice": "2", "event": "doubles"}, r"P = \frac{1}{6}"),
    ({"dice": "2", "event": "both_even"}, r"P = \frac{1}{4}"),  # 9 of 36
    ({"dice": "1", "event": "sum>=5"}, r"P = \frac{1}{3}"),
    ({"red": "3", "white": "2", "draw": "2", "event": "red=2"}, r"P = \frac{3}{10}"),  # C(3,2)/C(5,2)
    ({"red": "3", "white": "2", "draw": "2", "event": "white>=1"}, r"P = \frac{7}{10}"),  # 1 - 3/10
    ({"coins": "3", "event": "heads=2"}, r"P = \frac{3}{8}"),
    ({"coins": "3", "event": "heads>=1"}, r"P = \frac{7}{8}"),
]


@pytest.mark.parametrize(("facts", "answer"), PROBABILITIES)
def test_probabilities_match_hand_computed_values(facts: dict[str, str], answer: str) -> None:
    for language in ("zh-CN", "en-US"):
        solution = solve(_problem("classical_probability", language, facts=facts))
        assert solution.answer == answer
        assert [len(solution.steps), solution.steps[-1].equations[0][:4]] == [3, "P(A)"]


def test_dice_outcomes_are_listed() -> None:
    solution = solve(_problem("classical_probability", facts={"dice": "2", "event": "sum=7"}))
    assert solution.steps[1].equations == ["(1, 6), (2, 5), (3, 4), (4, 3), (5, 2), (6, 1)", "m = 6"]


VERIFIED: list[tuple[ProblemKind, dict[str, Any]]] = [
    ("counting", {"given": "C_{10}^{8}"}),
    ("counting", {"facts": {"n": "5", "k": "3", "ordered": "yes"}}),
    ("classical_probability", {"facts": {"dice": "2", "event": "sum>=10"}}),
    ("classical_probability", {"facts": {"red": "3", "white": "2", "draw": "2", "event": "white>=1"}}),
    ("classical_probability", {"facts": {"coins": "3", "event": "heads>=1"}}),
]


@pytest.mark.parametrize(("kind", "fields"), VERIFIED)
def test_every_claim_of_the_expert_is_verified(kind: ProblemKind, fields: dict[str, Any]) -> None:
    assert_every_claim_verified(_problem(kind, "en-US", **fields))


def test_a_changed_number_is_refuted() -> None:
    problem = _problem("counting", given="A_5^3")
    good = solve(problem)
    ten = good.model_copy(update={"answer": "10"})
    assert refuted_kinds(problem, ten) == ["answer_value", "answer_matches_steps"]
    wrong = with_line(good, 1, 0, r"A_{5}^{3} = \frac{5!}{2!} = 5 \times 4 \times 3 = 50")
    assert refuted_kinds(problem, wrong) == ["step_rewrite", "answer_matches_steps"]


def test_a_wrong_probability_or_count_is_refuted() -> None:
    problem = _problem(
        "classical_probability", facts={"red": "3", "white": "2", "draw": "2", "event": "red=2"}
    )
    good = solve(problem)
    assert "answer_value" in refuted_kinds(problem, good.model_copy(update={"answer": r"P = \frac{3}{20}"}))
    assert refuted_kinds(problem, with_line(good, 0, 0, "n = C_{5}^{2} = 20")) == ["step_rewrite"]


@pytest.mark.parametrize(
    ("kind", "fields", "reason"),
    [
        ("counting", {"given": "C_3^5"}, "0 <= k <= n"),
        ("counting", {"given": "x!"}, "is not A_n"),
        ("counting", {"facts": {"n": "5", "k": "3"}}, "ordered"),
        (
            "classical_probability",
            {"facts": {"dice": "2", "event": "product=6"}},
            "not one this solver counts",
        ),
        ("classical_probability", {"facts": {"dice": "7", "event": "sum=7"}}, "from 1 to 3"),
        ("classical_probability", {"facts": {"coins": "3", "event": "red=1"}}, "does not apply"),
        ("classical_probability", {"facts": {"cards": "52", "event": "heads=1"}}, "not dice"),
    ],
)
def test_cases_the_expert_does_not_cover_are_refused(
    kind: ProblemKind, fields: dict[str, Any], reason: str
) -> None:
    with pytest.raises(UnsupportedProblemError, match=reason):
        solve(_problem(kind, **fields))
