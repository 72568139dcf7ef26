"""Writes worked solutions into the lesson script: a narrated formula per step, then the answer drawn."""

from __future__ import annotations

import re
from collections.abc import Sequence

from mathcast.lesson import Curve, FormulaCue, FunctionGraphCue, LessonPlan, Problem, Segment, Solution


def system_latex(equations: Sequence[str]) -> str:
    if len(equations) == 1:
        return equations[0]
    return r"\begin{cases} " + r" \\ ".join(equations) + r" \end{cases}"


def _answer_graph(problem: Problem, solution: Solution) -> FunctionGraphCue | None:
    """The answer's curve through the given points (and the vertex, when one was given), when the
    answer reads y = f(x)."""
    lhs, _, rhs = solution.answer.partition("=")
    if lhs.strip() != "y" or not rhs.strip() or not problem.points:
        return None
    marked = [(float(x), float(y)) for x, y in problem.points]
    vertex = re.fullmatch(
        r"\(\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*\)", problem.facts.get("vertex", "")
    )
    if vertex:
        marked.insert(0, (float(vertex.group(1)), float(vertex.group(2))))
    xs = [x for x, _ in marked]
    ys = [y for _, y in marked]
    return FunctionGraphCue(
        id=f"{problem.id}-answer-graph",
        x_range=(min(-1, min(xs) - 2), max(1, max(xs) + 2)),
        y_range=(min(-1, min(ys) - 3), max(1, max(ys) + 3)),
        curves=[Curve(latex=rhs.strip(), label=solution.answer)],
        points=marked,
    )


def worked_segments(problem: Problem, solution: Solution) -> list[Segment]:
    segments = [
        Segment(
            id=f"{problem.id}-step-{step.index}",
            text=step.explanation,
            language=problem.language,
            cues=[FormulaCue(id=f"{problem.id}-step-{step.index}-math", latex=system_latex(step.equations))],
        )
        for step in solution.steps
    ]
    graph = _answer_graph(problem, solution)
    segments.append(
        Segment(
            id=f"{problem.id}-answer",
            text=solution.summary or solution.answer,
            language=problem.language,
            cues=[graph] if graph else [FormulaCue(id=f"{problem.id}-answer-math", latex=solution.answer)],
            pause_after_ms=600,
        )
    )
    return segments


def with_worked_examples(plan: LessonPlan, solutions: Sequence[Solution]) -> LessonPlan:
    """The plan with each solution appended to the example section, in problem order."""
    by_problem = {s.problem_id: s for s in solutions}
    extra = [seg for p in plan.problems if p.id in by_problem for seg in worked_segments(p, by_problem[p.id])]
    sections = [
        s.model_copy(update={"segments": [*s.segments, *extra]}) if s.kind == "example" else s
        for s in plan.sections
    ]
    return LessonPlan.model_validate({**plan.model_dump(), "sections": [s.model_dump() for s in sections]})
