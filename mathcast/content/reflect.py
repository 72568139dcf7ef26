"""The bounded expert-reflection loop: verify, let the writer correct, verify again."""

from __future__ import annotations

from collections.abc import Sequence

from mathcast.lesson import Problem, Reflection, Solution
from mathcast.providers.llm.base import LessonWriter
from mathcast.verify.claims import solution_claims


def reflect(
    writer: LessonWriter,
    problem: Problem,
    solution: Solution,
    max_rounds: int,
    feedback: Sequence[str] = (),
) -> Reflection:
    """Rounds of verify-then-correct until nothing is refuted; a reviewer's feedback forces a round."""
    notes = [f"reviewer: {comment}" for comment in feedback]
    for round_no in range(1, max_rounds + 1):
        findings = solution_claims(problem, solution)
        refuted = [c for c in findings if c.verdict.verdict == "refuted"]
        if feedback and round_no == 1:
            solution = writer.reflect(problem, solution, findings, feedback)
            notes.append(f"round 1: revised for the reviewer's {len(feedback)} comment(s)")
            continue
        if not refuted:
            notes.append(f"round {round_no}: every claim holds or cannot be refuted; solution kept")
            return Reflection(rounds=round_no, solution=solution, notes=notes)
        notes.extend(
            f"round {round_no}: {c.kind} {c.index} refuted ({c.verdict.reason}; {c.verdict.counterexample})"
            for c in refuted
        )
        solution = writer.reflect(problem, solution, findings, feedback)
    if any(c.verdict.verdict == "refuted" for c in solution_claims(problem, solution)):
        notes.append(f"stopped after {max_rounds} rounds; the verifier's verdicts go to the reviewer")
    return Reflection(rounds=max_rounds, solution=solution, notes=notes)
