"""The human review step without the orchestrator: the decision, the policy and the review packet.

A reviewer reads one packet (the script, each worked solution with the verifier's verdict beside
every step, the reflection notes and the content gate's findings) and answers with a
`ReviewDecision`. `flows/review.py` turns that model into the pause form of the Prefect UI.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import Field

from mathcast.lesson import (
    Claim,
    Cue,
    FormulaCue,
    FunctionGraphCue,
    GeometryCue,
    Language,
    LessonPlan,
    Model,
    Quality,
    QuestionCue,
    Reflection,
    Solution,
    TitleCue,
    VerificationReport,
)
from mathcast.store import ArtifactRef, digest
from quality.gate import CheckResult, GateResult

Decision = Literal["approve", "reject", "request_changes"]
STEP_KINDS = ("step_equivalence", "step_rewrite")
VERDICT_MARKS = {"verified": "✅", "refuted": "❌", "unverifiable": "❔"}
POLICY_REVIEWER = "policy:auto-approve-clean"


class ReviewDecision(Model):
    """A reviewer's answer; request_changes sends the comment into a reflect round."""

    decision: Decision = Field(description="approve, reject, or request_changes (the comment says what).")
    comment: str = Field(
        default="", max_length=4000, description="Why: names the rejection, or says what to change."
    )
    reviewer: str = Field(default="", max_length=120, description="Who decided: name or email.")

    def feedback(self) -> list[str]:
        """What a reflect round reads: the comment, or a plain request when there is none."""
        return [self.comment.strip() or f"{self.reviewer or 'the reviewer'} requested changes"]


class Review(ReviewDecision):
    """The recorded outcome: the decision, whether the gate had flagged the lesson, what was read."""

    flagged: bool
    packet: ArtifactRef


class ReviewPolicy(Model):
    """Bulk runs may skip the person for lessons the content gate passed; flagged ones always wait."""

    auto_approve: bool

    def decide(self, gate: GateResult) -> ReviewDecision | None:
        if self.auto_approve and gate.success:
            return ReviewDecision(decision="approve", comment="content gate passed", reviewer=POLICY_REVIEWER)
        return None


class ReviewRejected(RuntimeError):
    """A reviewer rejected the lesson, or still wanted changes when no revision round was left."""

    def __init__(self, decision: ReviewDecision, note: str = "") -> None:
        self.decision = decision
        comment = decision.comment.strip() or "(no comment)"
        super().__init__(
            f"lesson rejected by {decision.reviewer or 'the reviewer'}: {comment}"
            + (f" ({note})" if note else "")
        )


class ReviewTimedOut(RuntimeError):
    """Nobody answered the review in time; the run fails instead of staying paused."""

    def __init__(self, packet_key: str, timeout_s: int) -> None:
        super().__init__(f"no review decision within {timeout_s} s for packet {packet_key!r}")


def _lesson_slug(topic: str, language: Language, quality: Quality) -> str:
    """A lesson in Prefect artifact keys: stable across runs, so an artifact's versions stack up."""
    return f"{digest(topic, language, quality)[:12]}-{language.lower()}-{quality}"


def packet_key(topic: str, language: Language, quality: Quality) -> str:
    """The Prefect artifact key of a lesson's review packet."""
    return f"review-{_lesson_slug(topic, language, quality)}"


def media_gate_key(topic: str, language: Language, quality: Quality) -> str:
    """The Prefect artifact key of a lesson's media gate facts and pictures."""
    return f"media-gate-{_lesson_slug(topic, language, quality)}"


def gate_feedback(gate: GateResult, report: VerificationReport) -> list[str]:
    """The failed gate checks and the claims that are not verified, with reasons, for reflect."""
    checks = [f"content gate: {_check(c)}" for c in gate.failures()]
    claims = [
        f"{c.problem_id} {c.kind} ({c.statement}) is {c.verdict.verdict}: {c.verdict.reason}"
        + (f" (counterexample: {c.verdict.counterexample})" if c.verdict.counterexample else "")
        for c in report.claims
        if c.verdict.verdict != "verified"
    ]
    return checks + claims


def claims_table(report: VerificationReport) -> list[dict[str, Any]]:
    return [
        {
            "problem": c.problem_id,
            "index": c.index,
            "kind": c.kind,
            "statement": c.statement,
            "verdict": c.verdict.verdict,
            "reason": c.verdict.reason,
            "counterexample": c.verdict.counterexample or "",
        }
        for c in report.claims
    ]


def packet_markdown(
    plan: LessonPlan, reflections: Sequence[Reflection], report: VerificationReport, gate: GateResult
) -> str:
    """Everything a reviewer needs on one page, the gate first: a flagged lesson says so at the top."""
    lines = [f"# Review: {plan.title}", "", f"topic **{plan.topic}** · {plan.language} · {plan.family}", ""]
    lines += _gate_section(gate)
    lines += ["## Script", ""]
    for number, section in enumerate(plan.sections, start=1):
        lines += [f"### {number}. {section.title} ({section.kind})", ""]
        for segment in section.segments:
            cues = "".join(f" [{_cue(c)}]" for c in segment.cues)
            lines.append(f"- `{segment.id}` {segment.text}{cues}")
        lines.append("")
    statements = {p.id: p.statement for p in plan.problems}
    for reflection in reflections:
        statement = statements.get(reflection.solution.problem_id, "")
        lines += _solution_section(statement, reflection, report.claims)
    solved = {r.solution.problem_id for r in reflections}
    others = [c for c in report.claims if c.problem_id not in solved]
    if others:
        lines += ["## Other claims (narration, graphs)", ""]
        lines += [f"- {c.statement} — **{_verdicts([c])}**" for c in others]
    return "\n".join(lines).rstrip() + "\n"


def _check(check: CheckResult) -> str:
    column = f"({check.column})" if check.column else ""
    return f"{check.expectation}{column} observed {check.observed!r}, unexpected {check.unexpected[:5]!r}"


def _gate_section(gate: GateResult) -> list[str]:
    failures = gate.failures()
    if not failures:
        return [f"## Content gate: passed ({len(gate.checks)} checks)", ""]
    return [
        f"> **FLAGGED** — the content gate failed {len(failures)} of {len(gate.checks)} checks, so no "
        "policy may approve this lesson. Read the failed checks before deciding.",
        "",
        f"## Content gate: FAILED ({len(failures)} of {len(gate.checks)} checks)",
        "",
        *(f"- ❌ {_check(c)}" for c in failures),
        "",
    ]


def _cue(cue: Cue) -> str:
    match cue:
        case TitleCue():
            return f"title: {cue.title}"
        case FormulaCue():
            return f"formula: `{cue.latex}`"
        case FunctionGraphCue():
            return "graph: " + ", ".join(f"`y = {c.latex}`" for c in cue.curves)
        case QuestionCue():
            return f"question: {cue.question} → {cue.answer}"
        case GeometryCue():
            return "figure: " + ", ".join(f"{p.name}({p.x:g}, {p.y:g})" for p in cue.points)
        case _:
            return cue.kind


def _verdicts(claims: Sequence[Claim]) -> str:
    if not claims:
        return "no claim checked"
    return "; ".join(
        f"{VERDICT_MARKS[c.verdict.verdict]} {c.verdict.verdict} ({c.kind}: {c.verdict.reason})"
        for c in claims
    )


def _solution_section(statement: str, reflection: Reflection, claims: Sequence[Claim]) -> list[str]:
    """The verifier writes one step claim per step, in step order; the rest are about the answer."""
    solution: Solution = reflection.solution
    mine = [c for c in claims if c.problem_id == solution.problem_id]
    steps = [c for c in mine if c.kind in STEP_KINDS]
    lines = [f"## Worked solution: {solution.problem_id}", "", statement, "", f"by {solution.author}", ""]
    for number, step in enumerate(solution.steps):
        equations = ", ".join(f"`{e}`" for e in step.equations)
        verdict = _verdicts(steps[number : number + 1])
        lines.append(f"{number + 1}. {equations} — {step.explanation}  \n   **{verdict}**")
    answer = steps[len(solution.steps) :] + [c for c in mine if c.kind not in STEP_KINDS]
    lines += ["", f"**Answer** `{solution.answer}` — **{_verdicts(answer)}**", ""]
    if reflection.notes:
        lines += [f"### Reflection notes ({reflection.rounds} rounds)", ""]
        lines += [f"- {note}" for note in reflection.notes]
        lines.append("")
    return lines
