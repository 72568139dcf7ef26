"""Every lesson shipped in the offline catalog is teachable as written: it validates, is found by
each of its names, has the five sections, its worked examples are solved by the offline expert,
nothing it says is refuted, its pictures can be drawn, and it passes the content gate.

Parametrized by topic file (globbed, so every helper's topics are covered), so a failure names
the lesson to fix.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from mathcast.content.catalog import TOPICS_DIR, lookup
from mathcast.content.compose import with_worked_examples
from mathcast.content.solvers import solve
from mathcast.lesson import (
    SECTION_ORDER,
    BulletsCue,
    DerivationCue,
    FormulaCue,
    FunctionGraphCue,
    LessonPlan,
    NumberLineCue,
    SummaryCue,
    TableCue,
    family_step_titles,
)
from mathcast.scenes.cues import compile_curve
from mathcast.scenes.latex import check_latex
from mathcast.verify.claims import verify_lesson
from quality.content import content_gate

TOPIC_FILES = sorted(TOPICS_DIR.glob("*.yaml"))
MIN_TOPICS = 20


def _raw(path: Path) -> dict[str, Any]:
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return raw


def _plan(path: Path) -> LessonPlan:
    raw = _raw(path)
    raw.pop("aliases", None)
    return LessonPlan.model_validate(raw)


topic_files = pytest.mark.parametrize("path", TOPIC_FILES, ids=[p.name for p in TOPIC_FILES])


@topic_files
def test_plan_validates_and_every_name_finds_it(path: Path) -> None:
    plan = _plan(path)
    names = [plan.topic, plan.title, *_raw(path).get("aliases", [])]
    shadowed = [name for name in names if lookup(name, plan.language) != plan]
    assert not shadowed, f"{path.name}: these names open another lesson: {shadowed}"


@topic_files
def test_plan_has_the_five_sections_in_order(path: Path) -> None:
    plan = _plan(path)
    assert [s.kind for s in plan.sections] == list(SECTION_ORDER)


@topic_files
def test_plan_follows_its_familys_steps(path: Path) -> None:
    """Explain is titled by the family's first two steps, the worked example by its third."""
    plan = _plan(path)
    titles = family_step_titles(plan.family, plan.language)
    assert {s.kind: s.title for s in plan.sections if s.kind in titles} == titles, path.name


def _formulas(plan: LessonPlan) -> list[str]:
    """Every piece of LaTeX the lesson shows: formulas, derivations, number-line captions, curve labels."""
    found: list[str] = []
    for _, segment in plan.segments():
        for cue in segment.cues:
            if isinstance(cue, FormulaCue):
                found.append(cue.latex)
            elif isinstance(cue, DerivationCue):
                found += cue.lines
            elif isinstance(cue, NumberLineCue) and cue.caption:
                found.append(cue.caption)
            elif isinstance(cue, FunctionGraphCue):
                found += [curve.label for curve in cue.curves if curve.label]
    return found


@topic_files
def test_every_formula_and_curve_can_be_drawn(path: Path) -> None:
    """LaTeX passes the allowlist and curves parse with their declared parameters, before any render."""
    plan = _plan(path)
    for latex in _formulas(plan):
        check_latex(latex)
    for _, segment in plan.segments():
        for cue in segment.cues:
            if isinstance(cue, FunctionGraphCue):
                for curve in cue.curves:
                    compile_curve(curve, sorted(cue.parameters))


@topic_files
def test_formulas_keep_chinese_out(path: Path) -> None:
    """Chinese set by xelatex inside a formula sits below the baseline: it belongs in captions,
    tables and bullets, which the theme font draws."""
    chinese = [latex for latex in _formulas(_plan(path)) if re.search(r"[\u4e00-\u9fff]", latex)]
    assert not chinese, f"{path.name}: Chinese inside formulas: {chinese}"


@topic_files
def test_on_screen_texts_keep_their_brackets(path: Path) -> None:
    """An unquoted YAML list item such as `定义域 (0, +∞)` splits at its comma into `定义域 (0`
    and `+∞)`; every item on screen must open as many brackets as it closes."""
    plan = _plan(path)
    texts: list[str] = []
    for _, segment in plan.segments():
        for cue in segment.cues:
            if isinstance(cue, BulletsCue):
                texts += cue.items
            elif isinstance(cue, SummaryCue):
                texts += cue.points
            elif isinstance(cue, TableCue):
                texts += [*cue.header, *(cell for row in cue.rows for cell in row)]
    split = [t for t in texts if sum(t.count(c) for c in "([{（") != sum(t.count(c) for c in ")]}）")]
    assert not split, f"{path.name}: items with unbalanced brackets (an unquoted comma?): {split}"


@topic_files
def test_worked_examples_are_solved_verified_and_pass_the_content_gate(path: Path) -> None:
    plan = _plan(path)
    assert plan.problems, f"{path.name} has no worked example"
    solutions = [solve(problem) for problem in plan.problems]
    report = verify_lesson(plan, solutions)
    refuted = [
        f"{c.problem_id} {c.kind}: {c.statement} ({c.verdict.reason}; {c.verdict.counterexample})"
        for c in report.claims
        if c.verdict.verdict == "refuted"
    ]
    assert not refuted, f"{path.name}: refuted claims: {refuted}"
    gate = content_gate(plan, report)
    assert gate.success, f"{path.name}: content gate failed: {gate.failures()}"
    example = next(s for s in with_worked_examples(plan, solutions).sections if s.kind == "example")
    assert len(example.segments) > len(next(s for s in plan.sections if s.kind == "example").segments)


def test_the_catalog_teaches_at_least_twenty_topics() -> None:
    topics = {(p.topic, p.language) for p in map(_plan, TOPIC_FILES)}
    assert len(topics) >= MIN_TOPICS, f"{len(topics)} topics in the catalog: {sorted(topics)}"
