"""Curriculum manifests: rows read with their line numbers, bad rows reported while the rest plan,
duplicates folded into one lesson, unknown topics named with a hint."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mathcast.curriculum import (
    LessonOutcome,
    ManifestError,
    curriculum_rows,
    read_manifest,
)

YAML = """\
name: 高一 函数
defaults: {language: zh-CN, grade: 高一, quality: low}
lessons:
  - topic: 二次函数
  - {topic: 集合, tags: [期中, 基础]}
  - 一次函数
  - {topic: 二次函数, quality: ultra}
  - topic: 复数的几何意义
  - topic: 一次函数的图像和性质
  - {topic: 集合, colour: red}
  - {topic: 二次函数, quality: medium, grade: 10}
  - 42
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_rows_plan_with_defaults_and_tags(tmp_path: Path) -> None:
    plan = read_manifest(write(tmp_path, "grade10.yaml", YAML))
    assert plan.name == "高一 函数" and plan.rows == 9
    by_line = {lesson.lines[0]: lesson for lesson in plan.lessons}
    assert by_line[4].topic == "二次函数" and by_line[4].quality == "low" and by_line[4].grade == "高一"
    assert by_line[4].run_tags() == ["curriculum", "family:函数与方程", "grade:高一"]
    assert by_line[5].run_tags() == ["curriculum", "family:代数基础", "grade:高一", "期中", "基础"]
    assert by_line[11].quality == "medium" and by_line[11].grade == "10"  # its own fields win


def test_an_alias_and_the_catalog_name_are_one_lesson_made_once(tmp_path: Path) -> None:
    plan = read_manifest(write(tmp_path, "m.yaml", YAML))
    (linear,) = [lesson for lesson in plan.lessons if lesson.topic == "一次函数的图像和性质"]
    assert linear.lines == [6, 9]  # `- 一次函数` on line 6, the full name on line 9
    rows = curriculum_rows(plan, {linear.identity: LessonOutcome(state="Completed", seconds=40.0, video="v")})
    reused = next(row for row in rows if row.line == 9)
    assert (reused.state, reused.video, reused.note) == ("Completed", "v", "same lesson as line 6")


def test_bad_rows_are_reported_by_line_and_the_rest_plan(tmp_path: Path) -> None:
    plan = read_manifest(write(tmp_path, "m.yaml", YAML))
    errors = {error.line: error.message for error in plan.errors}
    assert sorted(errors) == [7, 8, 10, 12]
    assert "quality" in errors[7] and "'ultra'" in errors[7]
    assert (
        "复数的几何意义" in errors[8] and "--writer" in errors[8] and "二次函数" in errors[8]
    )  # lists the known
    assert "colour: unknown column" in errors[10]
    assert "not int" in errors[12]
    assert len(plan.lessons) == 4
    rows = curriculum_rows(plan, {})
    assert [row.line for row in rows] == list(range(4, 13))
    assert {row.line: row.state for row in rows}[8] == "Invalid"
    assert {row.line: row.topic for row in rows}[8] == "复数的几何意义"


def test_a_near_miss_gets_a_suggestion_and_another_language_says_so(tmp_path: Path) -> None:
    text = "lessons:\n  - 一元二次方城\n  - {topic: 二次函数, language: en-US}\n"
    errors = read_manifest(write(tmp_path, "m.yaml", text)).errors
    assert "did you mean 一元二次方程" in errors[0].message
    assert "in zh-CN only" in errors[1].message and errors[1].line == 3


def test_csv_reports_a_row_with_a_stray_comma_by_its_line(tmp_path: Path) -> None:
    text = (
        "topic,language,grade,quality,tags\n"
        "集合,zh-CN,10,low,基础;期中\n"
        "二次函数, 图像,zh-CN,10,low,基础\n"
        '"二次函数",zh-CN,10,low,\n'
        "\n"
        "一次函数,zh-CN,10,,\n"
    )
    plan = read_manifest(write(tmp_path, "c.csv", text), default_quality="high")
    assert [(e.line, "6 fields" in e.message) for e in plan.errors] == [(3, True)]
    assert [(lesson.topic, lesson.lines, lesson.quality) for lesson in plan.lessons] == [
        ("集合", [2], "low"),
        ("二次函数", [4], "low"),
        ("一次函数的图像和性质", [6], "high"),  # a blank cell takes the run's default
    ]
    assert plan.lessons[0].tags == ["基础", "期中"]


def test_quality_override_folds_rows_that_differed_only_in_quality(tmp_path: Path) -> None:
    text = "lessons:\n  - {topic: 二次函数, quality: low}\n  - {topic: 二次函数, quality: high}\n"
    path = write(tmp_path, "m.yaml", text)
    assert len(read_manifest(path).lessons) == 2
    (only,) = read_manifest(path, quality_override="medium").lessons
    assert only.lines == [2, 3] and only.quality == "medium"


def test_the_same_lesson_with_another_voice_is_refused(tmp_path: Path) -> None:
    text = "lessons:\n  - {topic: 集合, quality: low}\n  - {topic: 集合, quality: low, voice: espeak}\n"
    plan = read_manifest(write(tmp_path, "m.yaml", text))
    assert [lesson.lines for lesson in plan.lessons] == [[2]]
    assert plan.errors[0].line == 3 and "line 2" in plan.errors[0].message


def test_voices_and_problems_are_checked(tmp_path: Path) -> None:
    text = (
        "lessons:\n  - {topic: 集合, voice: nobody}\n  - problem: 解方程 x^2-5x+6=0\n"
        "  - {topic: 集合, problem: x}\n"
    )
    path = write(tmp_path, "m.yaml", text)
    errors = {e.line: e.message for e in read_manifest(path).errors}
    assert "unknown speech synthesizer 'nobody'" in errors[2] and "espeak" in errors[2]
    assert "LLM writer" in errors[3]
    assert "exactly one of topic or problem" in errors[4]
    with_llm = read_manifest(path, writer="dashscope")
    (problem,) = [lesson for lesson in with_llm.lessons if lesson.kind == "problem"]
    assert problem.topic == "解方程 x^2-5x+6=0" and problem.family is None and problem.lines == [3]


@pytest.mark.parametrize(
    ("name", "text", "says"),
    [
        ("m.txt", "x", "must end in .yaml, .yml or .csv"),
        ("m.yaml", "lessons: [a\n", "not valid YAML"),
        ("m.yaml", "", "is empty"),
        ("m.yaml", "lesons: []\n", "unknown keys: lesons"),
        ("m.yaml", "lessons: {a: 1}\n", "line 1: `lessons` must be a list"),
        ("m.csv", "topik,language\n集合,zh-CN\n", "unknown: topik"),
    ],
)
def test_a_manifest_that_cannot_be_read_says_what_to_fix(
    tmp_path: Path, name: str, text: str, says: str
) -> None:
    with pytest.raises(ManifestError, match=re.escape(says)):
        read_manifest(write(tmp_path, name, text))


def test_a_missing_manifest_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match=r"cannot read the manifest .*nowhere\.yaml"):
        read_manifest(tmp_path / "nowhere.yaml")
