"""The offline expert on trigonometric values and identities, and the verifier's reading."""

from __future__ import annotations

from typing import Any

import pytest

from mathcast.content.solvers import UnsupportedProblemError, solve
from mathcast.lesson import Language, Problem, ProblemKind
from tests.content.solution_helpers import assert_every_claim_verified, refuted_kinds, with_line


def _problem(kind: ProblemKind, language: Language = "zh-CN", **fields: Any) -> Problem:
    return Problem(id="trig", statement="三角", language=language, kind=kind, **fields)


# given, value worked out by hand
VALUES = [
    (r"\sin 30^\circ + \cos 60^\circ", "1"),
    (r"\sin(30^{\circ}) + \cos(60^{\circ})", "1"),
    (r"\tan\frac{\pi}{4}", "1"),
    (r"\sin 150^\circ", r"\frac{1}{2}"),  # sin(180° - 30°)
    (r"\cos(-30^\circ)", r"\frac{\sqrt{3}}{2}"),  # cos is even
    (r"\sin\frac{5\pi}{6}", r"\frac{1}{2}"),  # sin(π - π/6)
    (r"\tan 210^\circ", r"\frac{\sqrt{3}}{3}"),  # tan(180° + 30°)
    (r"\sin 390^\circ \cos 300^\circ", r"\frac{1}{4}"),  # sin 30° · cos 60°
    (r"\sin 30^\circ - \cos 120^\circ", "1"),  # 1/2 - (-1/2)
    (r"\cos(-\frac{2\pi}{3})", r"- \frac{1}{2}"),
]


@pytest.mark.parametrize(("given", "value"), VALUES)
def test_values_at_special_angles(given: str, value: str) -> None:
    for language in ("zh-CN", "en-US"):
        solution = solve(_problem("trig_value", language, given=given))
        assert solution.answer == value
        assert 2 <= len(solution.steps) <= 6
        assert not any("\\" in s.explanation for s in solution.steps)


def test_reduction_formulas_are_written_out() -> None:
    solution = solve(_problem("trig_value", given=r"\sin 150^\circ"))
    assert solution.steps[0].equations == [
        r"\sin 150^{\circ} = \sin\left(180^{\circ} - 30^{\circ}\right) = \sin 30^{\circ}"
    ]
    assert "诱导公式" in solution.steps[0].explanation


QUADRANT = [
    ({"sin": r"\frac{3}{5}", "quadrant": "2"}, "cos", r"\cos\alpha = - \frac{4}{5}"),
    ({"sin": r"\frac{3}{5}", "quadrant": "2"}, "tan", r"\tan\alpha = - \frac{3}{4}"),
    ({"cos": r"- \frac{4}{5}", "quadrant": "2"}, "tan", r"\tan\alpha = - \frac{3}{4}"),
    ({"cos": r"\frac{1}{2}", "quadrant": "4"}, "sin", r"\sin\alpha = - \frac{\sqrt{3}}{2}"),
    ({"tan": r"\frac{3}{4}", "quadrant": "3"}, "sin", r"\sin\alpha = - \frac{3}{5}"),
    ({"tan": r"\frac{3}{4}", "quadrant": "3"}, "cos", r"\cos\alpha = - \frac{4}{5}"),
]


@pytest.mark.parametrize(("facts", "ask", "answer"), QUADRANT)
def test_one_value_and_the_quadrant_give_the_others(facts: dict[str, str], ask: str, answer: str) -> None:
    for language in ("zh-CN", "en-US"):
        assert solve(_problem("trig_value", language, facts=facts, ask=ask)).answer == answer


IDENTITIES = [
    (r"\sin(x)^{2} + \cos(x)^{2}", "1"),
    (r"\frac{\sin(2x)}{2\cos(x)}", r"\sin{\left(x \right)}"),
    (r"(\sin x+\cos x)^2-\sin(2x)", "1"),
    (r"\tan x \cos x", r"\sin{\left(x \right)}"),
    (r"1 - 2\sin(x)^{2}", r"\cos{\left(2 x \right)}"),
    (r"\frac{\cos(2x)}{\cos x - \sin x}", r"\sin{\left(x \right)} + \cos{\left(x \right)}"),
]


@pytest.mark.parametrize(("given", "simplified"), IDENTITIES)
def test_identities_simplify_with_named_identities(given: str, simplified: str) -> None:
    chinese = solve(_problem("trig_identity", given=given))
    english = solve(_problem("trig_identity", "en-US", given=given))
    assert chinese.answer == english.answer == simplified
    assert any(name in chinese.summary for name in ("二倍角", "平方关系", "商数关系"))
    assert 2 <= len(chinese.steps) <= 6


VERIFIED: list[dict[str, Any]] = [
    {"kind": "trig_value", "given": r"\sin 390^\circ \cos 300^\circ"},
    {"kind": "trig_value", "given": r"\sin 30^\circ - \cos 120^\circ"},
    {"kind": "trig_value", "facts": {"sin": r"\frac{3}{5}", "quadrant": "2"}, "ask": "tan"},
    {"kind": "trig_value", "facts": {"tan": r"\frac{3}{4}", "quadrant": "3"}, "ask": "sin"},
    {"kind": "trig_identity", "given": r"(\sin x+\cos x)^2-\sin(2x)"},
    {"kind": "trig_identity", "given": r"\frac{\cos(2x)}{\cos x - \sin x}"},
]


@pytest.mark.parametrize("fields", VERIFIED, ids=lambda f: f.get("given") or f["ask"])
def test_every_claim_of_the_expert_is_verified(fields: dict[str, Any]) -> None:
    assert_every_claim_verified(_problem(language="en-US", **fields))


def test_a_wrong_sign_or_value_is_refuted() -> None:
    problem = _problem("trig_value", facts={"sin": r"\frac{3}{5}", "quadrant": "2"}, ask="cos")
    good = solve(problem)
    positive = good.model_copy(update={"answer": r"\cos\alpha = \frac{4}{5}"})
    assert refuted_kinds(problem, positive) == ["answer_value"]
    wrong_sign = with_line(good, 1, 0, r"\cos\alpha = \sqrt{\frac{16}{25}} = \frac{4}{5}")
    assert refuted_kinds(problem, wrong_sign) == ["step_rewrite"]
    other_function = good.model_copy(update={"answer": r"\sin\alpha = \frac{3}{5}"})
    assert "answer_value" in refuted_kinds(problem, other_function)


def test_a_wrong_reduction_is_refuted() -> None:
    problem = _problem("trig_value", given=r"\sin 30^\circ - \cos 120^\circ")
    good = solve(problem)
    plus = r"\cos 120^\circ = \cos\left(180^\circ - 60^\circ\right) = \cos 60^\circ = \frac{1}{2}"
    assert refuted_kinds(problem, with_line(good, 0, 1, plus)) == ["step_rewrite"]
    zero = good.model_copy(update={"answer": "0"})
    assert refuted_kinds(problem, zero) == ["answer_value", "answer_matches_steps"]


def test_a_wrong_identity_is_refuted() -> None:
    problem = _problem("trig_identity", given=r"\frac{\sin(2x)}{2\cos(x)}")
    good = solve(problem)
    wrong = with_line(good, 1, 0, r"\sin{\left(2 x \right)} = \sin{\left(x \right)} \cos{\left(x \right)}")
    assert "step_rewrite" in refuted_kinds(problem, wrong)
    cosine = good.model_copy(update={"answer": r"\cos{\left(x \right)}"})
    assert "answer_value" in refuted_kinds(problem, cosine)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"kind": "trig_value", "given": r"\sin 20^\circ"}, "not a special angle"),
        ({"kind": "trig_value", "given": r"\tan 90^\circ"}, "undefined"),
        ({"kind": "trig_value", "given": "x + 1"}, "no sin, cos or tan"),
        (
            {"kind": "trig_value", "facts": {"sin": r"\frac{3}{5}", "quadrant": "3"}, "ask": "cos"},
            "cannot hold",
        ),
        (
            {"kind": "trig_value", "facts": {"sin": r"\frac{3}{5}", "quadrant": "2"}, "ask": "sin"},
            "other than sin",
        ),
        ({"kind": "trig_identity", "given": r"\sin x"}, "does not simplify"),
        ({"kind": "trig_identity", "given": r"\sin x + \cos y"}, "one angle"),
    ],
)
def test_cases_the_expert_does_not_cover_are_refused(fields: dict[str, Any], reason: str) -> None:
    with pytest.raises(UnsupportedProblemError, match=reason):
        solve(_problem(**fields))


def test_the_angle_keeps_the_name_the_problem_gives_it() -> None:
    problem = _problem(
        "trig_value", facts={"cos": r"\frac{1}{2}", "quadrant": "4"}, ask="tan", unknowns=["\\theta"]
    )
    solution = solve(problem)
    assert solution.answer == r"\tan\theta = - \sqrt{3}"  # sin θ = -√3/2 in quadrant 4
    assert "θ" in solution.steps[1].explanation and "α" not in solution.summary
    assert_every_claim_verified(problem)
