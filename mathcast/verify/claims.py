"""The claims of a whole lesson, each with a verdict: worked solutions step by step, numbers
compared in the narration, and every drawn curve against the formula it illustrates."""

from __future__ import annotations

import re
from collections.abc import Sequence

import sympy

from mathcast.lesson import (
    Claim,
    ClaimKind,
    FunctionGraphCue,
    LessonPlan,
    Problem,
    Solution,
    Verdict,
    VerificationReport,
)
from mathcast.verify.check import judged


def _claim(claims: list[Claim], subject: str, kind: ClaimKind, statement: str, verdict: Verdict) -> None:
    claims.append(
        Claim(index=len(claims), problem_id=subject, kind=kind, statement=statement, verdict=verdict)
    )


def _conditions(problem: Problem) -> str:
    """The given points as a system in k and b: y_i = k x_i + b."""
    k, b = sympy.symbols("k b")
    return "; ".join(sympy.latex(sympy.Eq(k * x + b, y), order="rev-lex") for x, y in problem.points)


def solution_claims(problem: Problem, solution: Solution) -> list[Claim]:
    """Each step keeps the solutions of the one before (the first: of the given points); the
    answer passes the points and is what the last step says."""
    claims: list[Claim] = []
    given, unknowns = _conditions(problem), ",".join(problem.unknowns)
    before: str | None = None
    for step in solution.steps:
        after = "; ".join(step.equations)
        verdict = judged("check_step", given, unknowns, before, after)
        _claim(claims, problem.id, "step_equivalence", f"step {step.index}: {after}", verdict)
        before = after
    points = [list(p) for p in problem.points]
    _claim(
        claims,
        problem.id,
        "answer_satisfies",
        f"{solution.answer} passes {problem.points}",
        judged("check_line_through", solution.answer, points),
    )
    if before is not None:
        _claim(
            claims,
            problem.id,
            "answer_matches_steps",
            f"{solution.answer} follows from {before}",
            judged("check_line_matches", before, unknowns, solution.answer),
        )
    return claims


_COMPARISON = re.compile(
    r"(-?\d+(?:\.\d+)?)\s*(>=|<=|≥|≤|>|<|＞|＜|大于等于|小于等于|不小于|不大于|大于|小于|比\s*(-?\d+(?:\.\d+)?)\s*(大|小))\s*"
    r"(-?\d+(?:\.\d+)?)?"
)
_RELATIONS = {
    ">=": r"\ge", "≥": r"\ge", "大于等于": r"\ge", "不小于": r"\ge",
    "<=": r"\le", "≤": r"\le", "小于等于": r"\le", "不大于": r"\le",
    ">": ">", "＞": ">", "大于": ">", "大": ">", "<": "<", "＜": "<", "小于": "<", "小": "<",
}  # fmt: skip


def narration_comparisons(text: str) -> list[tuple[str, str, str]]:
    """Numeric comparisons stated in words or symbols: (left, relation, right)."""
    found = []
    for match in _COMPARISON.finditer(text):
        left, word, than, than_word, right = match.groups()
        if than is not None:
            found.append((left, _RELATIONS[than_word], than))
        elif right is not None:
            found.append((left, _RELATIONS[word], right))
    return found


def lesson_claims(plan: LessonPlan) -> list[Claim]:
    """What the narration and the pictures assert, beyond the worked solutions."""
    claims: list[Claim] = []
    for _, segment in plan.segments():
        for left, relation, right in narration_comparisons(segment.text):
            statement = f"{left} {relation} {right}"
            _claim(
                claims,
                segment.id,
                "comparison",
                statement,
                judged("check_comparison", f"{left} 与 {right}", statement),
            )
        for cue in segment.cues:
            if isinstance(cue, FunctionGraphCue):
                for curve in cue.curves:
                    if curve.label:
                        _claim(
                            claims,
                            cue.id,
                            "graph_formula",
                            f"the curve {curve.latex} is {curve.label}",
                            judged("check_same_value", curve.label, curve.latex),
                        )
    return claims


def verify_lesson(plan: LessonPlan, solutions: Sequence[Solution]) -> VerificationReport:
    problems = {p.id: p for p in plan.problems}
    claims = [c for s in solutions for c in solution_claims(problems[s.problem_id], s)]
    claims += lesson_claims(plan)
    return VerificationReport(claims=[c.model_copy(update={"index": i}) for i, c in enumerate(claims)])
