from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from mathcast.content.catalog import UnknownTopicError, known_topics, lookup
from mathcast.lesson import (
    QUALITIES,
    Cue,
    FunctionGraphCue,
    LessonPlan,
    QuestionCue,
    Section,
    Segment,
    Span,
    VerificationReport,
)


def _segment(segment_id: str, **extra: object) -> Segment:
    return Segment.model_validate({"id": segment_id, "text": "好", "language": "zh-CN", **extra})


def test_demo_plan_has_every_section_in_order() -> None:
    plan = lookup("一次函数的图像和性质", "zh-CN")
    assert [s.kind for s in plan.sections] == ["intro", "explain", "example", "interact", "summary"]
    assert plan.problems[0].points == [(1, 3), (2, 5)]
    kinds = {c.kind for _, seg in plan.segments() for c in seg.cues}
    assert {"title", "formula", "function_graph", "bullets", "question", "summary"} <= kinds


def test_topic_aliases_match_case_insensitively() -> None:
    assert lookup("Linear Function", "zh-CN").topic == "一次函数的图像和性质"


def test_unknown_topic_names_the_known_ones_and_the_llm_switch() -> None:
    with pytest.raises(UnknownTopicError) as caught:
        lookup("三角函数的诱导公式", "zh-CN")
    message = str(caught.value)
    assert "三角函数的诱导公式" in message
    for topic in known_topics():
        assert topic in message
    assert "--writer NAME" in message and "writers installed here: dashscope, offline, openai." in message


def test_cues_parse_by_kind_from_json() -> None:
    raw = '{"kind": "question", "id": "q", "question": "?", "think_ms": 3000, "answer": "!"}'
    cue = TypeAdapter(Cue).validate_json(raw)
    assert isinstance(cue, QuestionCue) and cue.think_ms == 3000
    with pytest.raises(ValidationError):
        TypeAdapter(Cue).validate_json('{"kind": "python_code", "id": "x", "code": "import os"}')


def test_sweep_needs_an_initial_parameter_value() -> None:
    with pytest.raises(ValidationError, match="sweep parameter 'k'"):
        FunctionGraphCue.model_validate(
            {"id": "g", "curves": [{"latex": "kx"}], "sweep": {"parameter": "k", "values": [1, 2]}}
        )


def test_think_time_must_be_silent() -> None:
    question = {"kind": "question", "id": "q", "question": "?", "think_ms": 4000, "answer": "!"}
    with pytest.raises(ValidationError, match="think time"):
        _segment("s", cues=[question], pause_after_ms=1000)
    assert _segment("s", cues=[question], pause_after_ms=4000).pause_after_ms == 4000


def test_times_are_non_negative_integer_milliseconds() -> None:
    with pytest.raises(ValidationError):
        Span(id="a", start_ms=-1, end_ms=5)
    with pytest.raises(ValidationError):
        Span(id="a", start_ms=1.5, end_ms=5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="ends"):
        Span(id="a", start_ms=10, end_ms=5)


def test_duplicate_ids_are_rejected() -> None:
    section = Section(id="intro", kind="intro", title="引入", segments=[_segment("a"), _segment("a")])
    with pytest.raises(ValidationError, match="duplicate segment ids: a"):
        LessonPlan(topic="t", title="t", language="zh-CN", family="函数与方程", sections=[section])


def test_the_family_is_one_of_four_and_titles_the_explain_and_example_sections() -> None:
    sections = [
        Section(id=kind, kind=kind, title=title, segments=[_segment(kind)])
        for kind, title in [("intro", "Intro"), ("explain", "Explore"), ("example", "Example")]
    ]
    with pytest.raises(ValidationError, match="family"):
        LessonPlan(topic="t", title="t", language="en-US", family="calculus", sections=sections)
    plan = LessonPlan(topic="t", title="t", language="en-US", family=" Geometry  Basics", sections=sections)
    assert plan.family == "几何基础"  # an English name is the same family
    titled = plan.with_family_steps()
    assert [s.title for s in titled.sections] == ["Intro", "Definition → Properties", "Proof"]
    assert titled.model_copy(update={"language": "zh-CN"}).with_family_steps().sections[1].title == (
        "定义解释 → 性质归纳"
    )


def test_overall_verdict_is_refuted_when_any_claim_is() -> None:
    verdicts = ["verified", "unverifiable", "refuted"]
    claims = [
        {
            "index": i,
            "problem_id": "p",
            "kind": "step_equivalence",
            "statement": "s",
            "verdict": {"verdict": v, "reason": "r"},
        }
        for i, v in enumerate(verdicts)
    ]
    assert VerificationReport.model_validate({"claims": claims}).overall == "refuted"
    assert VerificationReport.model_validate({"claims": claims[:2]}).overall == "unverifiable"
    assert VerificationReport.model_validate({"claims": claims[:1]}).overall == "verified"


def test_frames_tile_without_drift() -> None:
    video = QUALITIES["medium"]
    bounds = [0, 5937, 48657, 84899, 100715, 106000]
    frames = [video.frame_at(b) - video.frame_at(a) for a, b in itertools.pairwise(bounds)]
    assert sum(frames) == video.frame_at(bounds[-1])
    assert abs(sum(frames) / video.fps * 1000 - bounds[-1]) <= 1000 / video.fps / 2


def test_schema_command_writes_every_model(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from mathcast.cli import app

    result = CliRunner().invoke(app, ["schema", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "LessonPlan.schema.json" in names and "Cue.schema.json" in names and "SyncMap.schema.json" in names
    cue = json.loads((tmp_path / "Cue.schema.json").read_text())
    assert cue["discriminator"]["propertyName"] == "kind"


def test_the_demo_topic_exists_in_english_too() -> None:
    english = lookup("一次函数的图像和性质", "en-US")
    assert english.language == "en-US" and english.title == "Graphs of Linear Functions"
    assert [s.kind for s in english.sections] == ["intro", "explain", "example", "interact", "summary"]
    assert all(seg.language == "en-US" for _, seg in english.segments())


def test_a_huge_unknown_topic_is_not_echoed_whole() -> None:
    with pytest.raises(UnknownTopicError) as caught:
        lookup("x" * 50_000, "zh-CN")
    assert len(str(caught.value)) < 1000 and "characters)" in str(caught.value)
