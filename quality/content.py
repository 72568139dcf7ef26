"""The content gate: no refuted claim, every answer verified, few claims left unverifiable,
every required section present, narration paced for a listener, and every cue drawable."""

from __future__ import annotations

import re

import great_expectations as gx
import pandas as pd
from pydantic import Field

from mathcast.lesson import SECTION_ORDER, Language, LessonPlan, Model, VerificationReport
from mathcast.scenes.spec import cue_problems
from quality.gate import GateResult, combine, validate

PACE: dict[Language, tuple[float, float]] = {"zh-CN": (2.0, 6.5), "en-US": (90.0, 200.0)}
ANSWER_KINDS = (
    "answer_satisfies",
    "answer_matches_steps",
    "answer_complete",
    "answer_value",
    "extrema",
    "monotonic",
)


class ContentRules(Model):
    """What the gate asks of a lesson; one place to tune it."""

    max_unverifiable_share: float = Field(default=0.25, ge=0, le=1)
    required_sections: tuple[str, ...] = SECTION_ORDER
    # characters per second (zh) and words per minute (en) a listener can follow
    pace: dict[Language, tuple[float, float]] = Field(default_factory=lambda: dict(PACE))


def _pace(text: str, language: Language, seconds: float) -> float:
    if language == "en-US":
        return len(text.split()) / seconds * 60
    return len(re.sub(r"[\s\W]", "", text)) / seconds


def content_gate(
    plan: LessonPlan, report: VerificationReport, rules: ContentRules | None = None
) -> GateResult:
    rules = rules or ContentRules()
    claims = pd.DataFrame(
        [
            {"subject": c.problem_id, "index": c.index, "kind": c.kind, "verdict": c.verdict.verdict,
             "reason": c.verdict.reason, "unverifiable": c.verdict.verdict == "unverifiable"}
            for c in report.claims
        ],
        columns=["subject", "index", "kind", "verdict", "reason", "unverifiable"],
    )  # fmt: skip
    answers = claims[claims["kind"].isin(ANSWER_KINDS)]
    sections = pd.DataFrame(
        {"kind": [s.kind for s in plan.sections], "segments": [len(s.segments) for s in plan.sections]}
    )
    paced = [
        {
            "section": s.id,
            "pace": _pace(" ".join(g.text for g in s.segments), plan.language, s.target_ms / 1000),
        }
        for s in plan.sections
        if s.target_ms
    ]
    drawable = pd.DataFrame(
        [
            {"cue": cue.id, "problem": "; ".join(cue_problems(cue)) or None}
            for _, segment in plan.segments()
            for cue in segment.cues
        ],
        columns=["cue", "problem"],
    )
    low, high = rules.pace[plan.language]
    e = gx.expectations
    results = [
        validate("content_gate", "claims", claims, [
            e.ExpectTableRowCountToBeBetween(min_value=len(plan.problems)),
            e.ExpectColumnValuesToNotBeInSet(column="verdict", value_set=["refuted"]),
            e.ExpectColumnMeanToBeBetween(
                column="unverifiable", min_value=0, max_value=rules.max_unverifiable_share
            ),
        ]),
        validate("content_gate", "answers", answers, [
            e.ExpectTableRowCountToBeBetween(min_value=len(plan.problems)),
            e.ExpectColumnValuesToBeInSet(column="verdict", value_set=["verified"]),
        ]),
        validate("content_gate", "sections", sections, [
            e.ExpectColumnDistinctValuesToContainSet(column="kind", value_set=list(rules.required_sections)),
            e.ExpectColumnValuesToBeBetween(column="segments", min_value=1),
        ]),
        validate("content_gate", "scene_spec", drawable, [e.ExpectColumnValuesToBeNull(column="problem")]),
    ]  # fmt: skip
    if paced:
        results.append(
            validate(
                "content_gate",
                "pace",
                pd.DataFrame(paced),
                [
                    e.ExpectColumnValuesToBeBetween(column="pace", min_value=low, max_value=high),
                ],
            )
        )
    return combine("content_gate", results)
