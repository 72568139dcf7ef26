"""The content gate: no refuted claim, every answer verified, the lesson's sections all present."""

from __future__ import annotations

import great_expectations as gx
import pandas as pd

from mathcast.lesson import SECTION_ORDER, LessonPlan, VerificationReport
from quality.gate import GateResult, combine, validate

ANSWER_KINDS = ("answer_satisfies", "answer_matches_steps")


def content_gate(plan: LessonPlan, report: VerificationReport) -> GateResult:
    claims = pd.DataFrame(
        [
            {
                "problem_id": c.problem_id,
                "index": c.index,
                "kind": c.kind,
                "verdict": c.verdict.verdict,
                "reason": c.verdict.reason,
            }
            for c in report.claims
        ],
        columns=["problem_id", "index", "kind", "verdict", "reason"],
    )
    answers = claims[claims["kind"].isin(ANSWER_KINDS)]
    sections = pd.DataFrame(
        {"kind": [s.kind for s in plan.sections], "segments": [len(s.segments) for s in plan.sections]}
    )
    e = gx.expectations
    return combine(
        "content_gate",
        [
            validate(
                "content_gate",
                "claims",
                claims,
                [
                    e.ExpectTableRowCountToBeBetween(min_value=len(plan.problems)),
                    e.ExpectColumnValuesToNotBeInSet(column="verdict", value_set=["refuted"]),
                ],
            ),
            validate(
                "content_gate",
                "answers",
                answers,
                [
                    e.ExpectTableRowCountToBeBetween(min_value=len(ANSWER_KINDS) * len(plan.problems)),
                    e.ExpectColumnValuesToBeInSet(column="verdict", value_set=["verified"]),
                ],
            ),
            validate(
                "content_gate",
                "sections",
                sections,
                [
                    e.ExpectColumnDistinctValuesToContainSet(column="kind", value_set=list(SECTION_ORDER)),
                    e.ExpectColumnValuesToBeBetween(column="segments", min_value=1),
                ],
            ),
        ],
    )
