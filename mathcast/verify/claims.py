"""The claims of a whole lesson, each with a verdict: worked solutions step by step, numbers
compared in the narration, and every drawn curve against the formula it illustrates."""

from __future__ import annotations

import re
from collections.abc import Sequence

from mathcast.lesson import (
    Claim,
    FunctionGraphCue,
    LessonPlan,
    Problem,
    Solution,
    Verdict,
    VerificationReport,
)
from mathcast.verify.check import judged
from mathcast.verify.kinds import CLAIMS_BY_KIND
from mathcast.verify.kinds.base import add_claim


def solution_claims(problem: Problem, solution: Solution) -> list[Claim]:
    """The claims of one worked solution, read the way its problem kind is checked."""
    reading = CLAIMS_BY_KIND.get(problem.kind)
    if reading is None:
        verdict = Verdict(
            verdict="unverifiable", reason=f"the verifier has no reading for {problem.kind} problems"
        )
        return [
            Claim(
                index=0,
                problem_id=problem.id,
                kind="answer_value",
                statement=solution.answer,
                verdict=verdict,
            )
        ]
    return reading(problem, solution)


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
            add_claim(
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
                        add_claim(
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
