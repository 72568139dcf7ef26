from __future__ import annotations

import pytest

from mathcast.content.catalog import lookup
from mathcast.content.compose import with_worked_examples
from mathcast.content.reflect import reflect
from mathcast.content.solvers import solve
from mathcast.lesson import Cue, Curve, FormulaCue, FunctionGraphCue, LessonPlan, Step
from mathcast.providers.llm.base import get_writer
from mathcast.review import gate_feedback
from mathcast.verify.claims import verify_lesson
from quality.content import content_gate

PLAN = lookup("一次函数的图像和性质", "zh-CN")
PROBLEM = PLAN.problems[0]


def test_clean_lesson_passes_the_content_gate() -> None:
    solutions = [solve(PROBLEM)]
    result = content_gate(PLAN, verify_lesson(PLAN, solutions))
    assert result.success and len(result.checks) == 9


def test_refuted_step_fails_the_gate_with_its_evidence() -> None:
    good = solve(PROBLEM)
    broken = good.model_copy(
        update={"steps": [good.steps[0], Step(index=1, equations=["k = 3", "k + b = 3"], explanation="错")]}
    )
    result = content_gate(PLAN, verify_lesson(PLAN, [broken]))
    assert not result.success
    failed = {(c.expectation, c.column) for c in result.failures()}
    assert ("expect_column_values_to_not_be_in_set", "verdict") in failed
    assert "refuted" in {f["verdict"] for f in result.facts if "verdict" in f}


def test_missing_section_fails_the_gate() -> None:
    no_summary = PLAN.model_copy(update={"sections": [s for s in PLAN.sections if s.kind != "summary"]})
    result = content_gate(no_summary, verify_lesson(PLAN, [solve(PROBLEM)]))
    assert [c.expectation for c in result.failures()] == ["expect_column_distinct_values_to_contain_set"]


def test_reflection_replaces_a_refuted_solution_and_keeps_a_sound_one() -> None:
    writer = get_writer("offline")
    good = solve(PROBLEM)
    assert reflect(writer, PROBLEM, good, max_rounds=2).solution == good
    wrong = good.model_copy(update={"answer": "y = 3x"})
    fixed = reflect(writer, PROBLEM, wrong, max_rounds=2)
    assert fixed.solution.answer == "y = 2 x + 1" and fixed.rounds == 2
    assert any("answer_satisfies" in note for note in fixed.notes)


def test_worked_example_is_written_into_the_example_section() -> None:
    lesson = with_worked_examples(PLAN, [solve(PROBLEM)])
    example = next(s for s in lesson.sections if s.kind == "example")
    ids = [seg.id for seg in example.segments]
    assert ids[1:] == [f"{PROBLEM.id}-step-{i}" for i in range(3)] + [f"{PROBLEM.id}-answer"]
    graph = example.segments[-1].cues[0]
    assert graph.kind == "function_graph" and graph.points == [(1.0, 3.0), (2.0, 5.0)]
    assert example.segments[1].cues[0].latex == r"\begin{cases} k + b = 3 \\ 2 k + b = 5 \end{cases}"


def test_too_many_unverifiable_claims_fail_the_gate() -> None:
    good = solve(PROBLEM)
    unreadable = good.model_copy(
        update={
            "steps": [Step(index=i, equations=[r"\\foo{" + str(i) + "}"], explanation="?") for i in range(3)]
        }
    )
    result = content_gate(PLAN, verify_lesson(PLAN, [unreadable]))
    failed = {c.expectation for c in result.failures()}
    assert "expect_column_mean_to_be_between" in failed


def test_narration_too_fast_for_its_section_fails_the_pace_check() -> None:
    rushed = [s.model_copy(update={"target_ms": 1000}) if s.kind == "intro" else s for s in PLAN.sections]
    result = content_gate(PLAN.model_copy(update={"sections": rushed}), verify_lesson(PLAN, [solve(PROBLEM)]))
    (failure,) = result.failures()
    assert failure.column == "pace" and failure.unexpected


def test_english_demo_lesson_passes_the_gate() -> None:
    english = lookup("一次函数的图像和性质", "en-US")
    assert content_gate(english, verify_lesson(english, [solve(english.problems[0])])).success


def test_gate_keeps_a_rendered_html_report() -> None:
    result = content_gate(PLAN, verify_lesson(PLAN, [solve(PROBLEM)]))
    assert result.html and result.html[0].startswith("<!DOCTYPE html>")
    assert "html" not in result.model_dump_json()


def _showing(cue: Cue) -> LessonPlan:
    """The demo lesson with `cue` as the first picture of its intro."""
    intro, *rest = PLAN.sections
    first, *others = intro.segments
    shown = intro.model_copy(update={"segments": [first.model_copy(update={"cues": [cue]}), *others]})
    return PLAN.model_copy(update={"sections": [shown, *rest]})


@pytest.mark.parametrize(
    ("cue", "named"),
    [
        (
            FormulaCue(id="leak", latex=r"y = \input{/etc/passwd}"),
            r"cue leak: LaTeX command \input is not allowed",
        ),
        (
            FunctionGraphCue(id="graph", curves=[Curve(latex="ax^2 + c")], parameters={"a": 1.0}),
            "cue graph: curve 'ax^2 + c' uses c; only x, a may appear",
        ),
        (
            FunctionGraphCue(id="blank", curves=[Curve(latex="x^2 + 50")], y_range=(-5.0, 5.0)),
            "cue blank: curve 'x^2 + 50' draws nothing inside x in [-5, 5], y in [-5, 5]",
        ),
    ],
    ids=["latex-outside-the-allowlist", "curve-with-an-undeclared-symbol", "curve-outside-its-axes"],
)
def test_a_cue_that_cannot_be_drawn_fails_the_gate_before_any_voice(cue: Cue, named: str) -> None:
    """Caught with the content, so the problem goes to reflect and the reviewer, not to TTS and render."""
    plan = _showing(cue)
    report = verify_lesson(plan, [solve(PROBLEM)])
    result = content_gate(plan, report)
    (failure,) = result.failures()
    assert (failure.expectation, failure.column) == ("expect_column_values_to_be_null", "problem")
    (problem,) = failure.unexpected
    assert problem.startswith(named)
    assert any(f"cue {cue.id}: " in line for line in gate_feedback(result, report))  # for reflect
