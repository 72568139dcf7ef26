"""Curriculum manifests: the lessons a bulk run makes, read from YAML or CSV and checked row by row.

A curriculum team writes one row per lesson (a catalog topic, or a concrete problem for an LLM
writer) with its language, grade, voice, quality and tags. Reading never stops at the first
bad row: every row that cannot be made is reported with its line number and the reason, and the
rest run. Rows asking for the same lesson (same topic, language and quality, which is also one
entry in the store's catalog of published lessons) are planned once; the later lines reuse it.

YAML:

    name: 高一 函数
    defaults: {language: zh-CN, grade: 高一, quality: low}
    lessons:
      - topic: 函数的概念
      - {topic: 二次函数, tags: [期中]}
      - problem: 解方程 x^2 - 5x + 6 = 0      # needs an LLM writer

CSV: a header naming some of topic, problem, language, grade, voice, quality, tags (tags joined
with `;`), then one lesson per line.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import Field, ValidationError, field_validator, model_validator

from mathcast.content import catalog
from mathcast.lesson import Language, LessonPlan, Model, Quality
from mathcast.progress import StageTiming
from mathcast.store import ArtifactRef, ArtifactStore, get_model

COLUMNS = ("topic", "problem", "language", "grade", "voice", "quality", "tags")
TAG_SEPARATOR = ";"
OFFLINE_WRITER = "offline"


class ManifestError(ValueError):
    """The manifest as a whole cannot be read (no file, bad syntax, unknown columns): says what to fix."""


class ManifestRow(Model):
    """One row as the team wrote it; blank fields fall back to the manifest's defaults, then the run's."""

    model_config = Model.model_config | {"str_strip_whitespace": True}

    topic: str | None = Field(default=None, min_length=1, max_length=200)
    problem: str | None = Field(default=None, min_length=1, max_length=400)
    language: Language | None = None
    grade: str | None = Field(default=None, max_length=40)
    voice: str | None = Field(default=None, max_length=40, description="Speech synthesizer by name.")
    quality: Quality | None = None
    tags: list[str] = Field(default_factory=list)

    @field_validator("grade", mode="before")
    @classmethod
    def _grade_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @field_validator("tags", mode="before")
    @classmethod
    def _split_tags(cls, value: object) -> object:
        if isinstance(value, str):
            return [t.strip() for t in value.split(TAG_SEPARATOR) if t.strip()]
        return value

    @model_validator(mode="after")
    def _one_subject(self) -> ManifestRow:
        if (self.topic is None) == (self.problem is None):
            raise ValueError("give exactly one of topic or problem")
        return self


class RowError(Model):
    line: int
    message: str
    topic: str = Field(default="", description="The row's topic or problem as written, when it has one.")


class PlannedLesson(Model):
    """One lesson to make, and every manifest line that asked for it (the first one makes it)."""

    topic: str = Field(description="What the lesson flow is given: the catalog's name when it has one.")
    kind: Literal["topic", "problem"]
    language: Language
    quality: Quality
    voice: str | None
    grade: str | None
    family: str | None = Field(description="The catalog's topic family; unknown for LLM-only topics.")
    tags: list[str]
    lines: list[int] = Field(min_length=1)

    @property
    def identity(self) -> tuple[str, str, str]:
        """What makes two rows the same lesson: one catalog entry per topic, language and quality."""
        return (self.topic.casefold(), self.language, self.quality)

    def run_tags(self) -> list[str]:
        """Tags on the lesson's flow run: topic family and grade, then the row's own tags."""
        labels = [f"family:{self.family}" if self.family else "", f"grade:{self.grade}" if self.grade else ""]
        return list(dict.fromkeys(t for t in ["curriculum", *labels, *self.tags] if t))


class CurriculumPlan(Model):
    name: str
    lessons: list[PlannedLesson]
    errors: list[RowError]

    @property
    def rows(self) -> int:
        return len(self.errors) + sum(len(lesson.lines) for lesson in self.lessons)


class LessonOutcome(Model):
    """How one planned lesson ended: the table row every manifest line of it shares."""

    state: str = Field(description="The lesson run's final state: Completed, Failed, Crashed ...")
    content_gate: str = ""
    review: str = ""
    seconds: float
    video: str = Field(default="", description="Where lesson.mp4 is, in the store's terms.")
    manifest: str = ""
    message: str = ""


class LessonFinished(StageTiming):
    """Announced when a curriculum's lesson ends, so a CLI can move its progress bar."""

    lesson: PlannedLesson
    outcome: LessonOutcome


class CurriculumRow(Model):
    """One manifest line in the final table: what it asked for and how it ended."""

    line: int
    topic: str
    language: str = ""
    quality: str = ""
    state: str
    content_gate: str = ""
    review: str = ""
    seconds: float | None = None
    video: str = ""
    manifest: str = ""
    note: str = ""


class CurriculumReport(Model):
    name: str
    rows: list[CurriculumRow]

    def count(self, state: str) -> int:
        return sum(row.state == state for row in self.rows)


def published_outcome(store: ArtifactStore, manifest: ArtifactRef, seconds: float) -> LessonOutcome:
    """A made lesson's row, read back from its manifest: gate verdict, review decision, where it lives."""
    from mathcast.review import POLICY_REVIEWER, Review
    from mathcast.stages import LessonManifest
    from quality.gate import GateResult

    published = get_model(store, manifest.key, LessonManifest)
    gate = get_model(store, published.artifacts["content_gate.json"].key, GateResult)
    review = get_model(store, published.artifacts["review.json"].key, Review)
    failed = len(gate.failures())
    by = "policy" if review.reviewer == POLICY_REVIEWER else review.reviewer or "a reviewer"
    return LessonOutcome(
        state="Completed",
        content_gate="passed" if gate.success else f"failed ({failed} checks)",
        review=f"{review.decision} ({by})" + (", flagged" if review.flagged else ""),
        seconds=round(seconds, 1),
        video=store.location(published.artifacts["lesson.mp4"].key),
        manifest=store.location(manifest.key),
    )


def curriculum_rows(
    plan: CurriculumPlan, outcomes: Mapping[tuple[str, str, str], LessonOutcome]
) -> list[CurriculumRow]:
    """Every manifest line in order: made, reused from an earlier line, invalid, or not run."""
    rows = [
        CurriculumRow(line=error.line, topic=error.topic, state="Invalid", note=error.message)
        for error in plan.errors
    ]
    for lesson in plan.lessons:
        outcome = outcomes.get(lesson.identity)
        for line in lesson.lines:
            same = f"same lesson as line {lesson.lines[0]}" if line != lesson.lines[0] else ""
            rows.append(
                CurriculumRow(
                    line=line,
                    topic=lesson.topic,
                    language=lesson.language,
                    quality=lesson.quality,
                    state=outcome.state if outcome else "NotRun",
                    content_gate=outcome.content_gate if outcome else "",
                    review=outcome.review if outcome else "",
                    seconds=outcome.seconds if outcome else None,
                    video=outcome.video if outcome else "",
                    manifest=outcome.manifest if outcome else "",
                    note="; ".join(n for n in (same, outcome.message if outcome else "") if n),
                )
            )
    return sorted(rows, key=lambda row: row.line)


def read_manifest(
    path: Path,
    *,
    writer: str = OFFLINE_WRITER,
    default_quality: Quality = "medium",
    default_voice: str | None = None,
    quality_override: Quality | None = None,
) -> CurriculumPlan:
    """Parse, check and de-duplicate a manifest; raises ManifestError only when no row can be read."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise ManifestError(f"cannot read the manifest {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ManifestError(f"the manifest {path} is not UTF-8 text: save it as UTF-8") from None
    readers = {".yaml": _yaml_rows, ".yml": _yaml_rows, ".csv": _csv_rows}
    try:
        read = readers[path.suffix.lower()]
    except KeyError:
        raise ManifestError(f"the manifest {path} must end in .yaml, .yml or .csv") from None
    name, raw_rows = read(text, path)
    planner = _Planner(writer, quality_override, default_quality, default_voice)
    for row in raw_rows:
        if isinstance(row, RowError):
            planner.errors.append(row)
        else:
            planner.add(*row)
    return CurriculumPlan(name=name, lessons=planner.lessons(), errors=planner.errors)


RawRow = tuple[int, Any] | RowError


def _yaml_rows(text: str, path: Path) -> tuple[str, list[RawRow]]:
    """Rows with the line each starts on: composed node by node, since plain loading drops lines."""
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as error:
        raise ManifestError(f"{path} is not valid YAML: {error}") from None
    finally:
        loader.dispose()
    if root is None:
        raise ManifestError(f"{path} is empty: write a `lessons:` list")
    name, items = path.stem, root
    defaults: dict[str, Any] = {}
    if isinstance(root, yaml.MappingNode):
        top = {key.value: value for key, value in root.value}
        unknown = sorted(set(top) - {"name", "defaults", "lessons"})
        if unknown or "lessons" not in top:
            raise ManifestError(
                f"{path}: a manifest has `name`, `defaults` and `lessons` (a list)"
                + (f"; unknown keys: {', '.join(unknown)}" if unknown else "; `lessons` is missing")
            )
        name = str(_construct(top["name"])) if "name" in top else name
        defaults = _construct(top["defaults"]) if "defaults" in top else {}
        if not isinstance(defaults, dict):
            raise ManifestError(f"{path} line {_line(top['defaults'])}: `defaults` must be a mapping")
        items = top["lessons"]
    if not isinstance(items, yaml.SequenceNode):
        raise ManifestError(f"{path} line {_line(items)}: `lessons` must be a list, one item per lesson")
    rows: list[RawRow] = []
    for item in items.value:
        value = _construct(item)
        value = {"topic": value} if isinstance(value, str) else value  # `- 二次函数` is a topic row
        rows.append((_line(item), {**defaults, **value} if isinstance(value, dict) else value))
    return name, rows


def _construct(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _csv_rows(text: str, path: Path) -> tuple[str, list[RawRow]]:
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    unknown = [h for h in header if h not in COLUMNS]
    if not header or unknown:
        raise ManifestError(
            f"{path} line 1: the header must name columns among {', '.join(COLUMNS)}"
            + (f"; unknown: {', '.join(unknown)}" if unknown else "")
        )
    rows: list[RawRow] = []
    line = reader.line_num
    for cells in reader:
        start, line = line + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            message = f"the row has {len(cells)} fields, the header {len(header)}: quote a value with a comma"
            rows.append(RowError(line=start, message=message))
            continue
        rows.append((start, {h: c for h, c in zip(header, cells, strict=True) if c.strip()}))
    return path.stem, rows


class _Planner:
    """Checks rows one at a time and folds duplicates into the lesson of the first line."""

    def __init__(
        self,
        writer: str,
        quality_override: Quality | None,
        default_quality: Quality,
        default_voice: str | None,
    ) -> None:
        self.writer = writer
        self.quality_override = quality_override
        self.default_quality = default_quality
        self.default_voice = default_voice
        self.errors: list[RowError] = []
        self._lessons: dict[tuple[str, str, str], PlannedLesson] = {}

    def lessons(self) -> list[PlannedLesson]:
        return list(self._lessons.values())

    def add(self, line: int, fields: Any) -> None:
        try:
            lesson = self._plan(line, fields)
        except ValueError as error:
            written = fields.get("topic") or fields.get("problem") if isinstance(fields, Mapping) else None
            self.errors.append(RowError(line=line, message=str(error), topic=str(written or "")))
            return
        first = self._lessons.get(lesson.identity)
        if first is None:
            self._lessons[lesson.identity] = lesson
        elif first.voice != lesson.voice:
            self.errors.append(
                RowError(
                    line=line,
                    message=(
                        f"asks for {lesson.topic} ({lesson.language}, {lesson.quality}) again, which line "
                        f"{first.lines[0]} asks for with voice {first.voice or 'default'}: the store keeps "
                        "one lesson per topic, language and quality; give it another quality or drop the row"
                    ),
                )
            )
        else:
            self._lessons[lesson.identity] = first.model_copy(update={"lines": [*first.lines, line]})

    def _plan(self, line: int, fields: Any) -> PlannedLesson:
        """The lesson a row asks for; raises ValueError saying what to fix."""
        if not isinstance(fields, Mapping):
            raise ValueError(
                f"a lesson is a mapping such as {{topic: 二次函数}}, not {type(fields).__name__}"
            )
        try:
            row = ManifestRow.model_validate(fields)
        except ValidationError as error:
            raise ValueError(_describe(error)) from None
        language: Language = row.language or "zh-CN"
        voice = row.voice or self.default_voice
        if voice is not None:
            _check_voice(voice)
        known = _catalog_plan(row.topic, language) if row.topic else None
        if self.writer == OFFLINE_WRITER and row.problem:
            raise ValueError(
                "a problem row needs an LLM writer (the offline writer only knows catalog topics): "
                "run with --writer NAME, or write the topic it belongs to instead"
            )
        if self.writer == OFFLINE_WRITER and known is None:
            raise ValueError(_unknown_topic(str(row.topic), language))
        return PlannedLesson(
            topic=known.topic if known else str(row.topic or row.problem),
            kind="topic" if row.topic else "problem",
            language=language,
            quality=self.quality_override or row.quality or self.default_quality,
            voice=voice,
            grade=row.grade,
            family=known.family if known else None,
            tags=row.tags,
            lines=[line],
        )


def _describe(error: ValidationError) -> str:
    """`quality: Input should be 'low', 'medium' or 'high' (got 'ultra')`, one clause per problem."""
    clauses = []
    for problem in error.errors(include_url=False):
        where = ".".join(str(p) for p in problem["loc"])
        if problem["type"] == "extra_forbidden":
            clauses.append(f"{where}: unknown column; known: {', '.join(COLUMNS)}")
        elif not where:
            clauses.append(str(problem.get("ctx", {}).get("error", problem["msg"])))
        else:
            clauses.append(f"{where}: {problem['msg']} (got {problem['input']!r})")
    return "; ".join(clauses)


def _catalog_plan(topic: str, language: Language) -> LessonPlan | None:
    """The offline catalog's lesson on `topic` (by any of its names), or None."""
    try:
        return catalog.lookup(topic, language)
    except catalog.UnknownTopicError:
        return None


def _unknown_topic(topic: str, language: Language) -> str:
    """Names the closest catalog topics, or the language the catalog has the topic in."""
    elsewhere = [lang for lang in get_args(Language) if lang != language and _catalog_plan(topic, lang)]
    names = [plan.topic for plan, _ in catalog.catalog() if plan.language == language]
    close = difflib.get_close_matches(topic, names, n=3, cutoff=0.6)
    if elsewhere:
        hint = f"the catalog has it in {', '.join(elsewhere)} only; set the row's language"
    elif close:
        hint = f"did you mean {' or '.join(close)}?"
    else:
        hint = f"known topics in {language}: {', '.join(names)}"
    return f"the offline catalog has no lesson on {topic!r} in {language}: {hint} (or run with --writer NAME)"


def _check_voice(voice: str) -> None:
    from mathcast.providers.tts import espeak  # noqa: F401  (registers the default voice)
    from mathcast.providers.tts.base import SYNTHESIZERS

    if voice not in SYNTHESIZERS:
        raise ValueError(
            f"voice: unknown speech synthesizer {voice!r}; installed: {', '.join(sorted(SYNTHESIZERS))}"
        )


SLUG = re.compile(r"[^a-z0-9]+")


def artifact_key(name: str, suffix: str) -> str:
    """A Prefect artifact key (lowercase letters, digits, dashes) for a curriculum's name."""
    from mathcast.store import digest

    slug = SLUG.sub("-", name.lower()).strip("-")[:40] or "curriculum"
    return f"{slug}-{digest(name)[:8]}-{suffix}"
