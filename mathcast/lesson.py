"""The artifacts that cross stages: the lesson script, its scene spec, solutions, claims and timings.

Every model is frozen and forbids unknown fields, so a model reply or a stale artifact that
does not match fails loudly at the stage boundary instead of deep inside a renderer.
All times are integer milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal, NamedTuple

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

Millis = Annotated[int, Field(ge=0, description="A time or duration in integer milliseconds.")]
Language = Literal["zh-CN", "en-US"]
PresetName = Literal["classroom", "bilibili", "youtube"]  # delivery presets: mathcast.media.mux.PRESETS
SectionKind = Literal["intro", "explain", "example", "interact", "summary"]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]

SECTION_ORDER: tuple[SectionKind, ...] = ("intro", "explain", "example", "interact", "summary")


class Model(BaseModel):
    # Validators are built on first use, not at import: a CLI command pays only for the models it uses.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


# --- the scene spec: one cue kind per visual, drawn by our renderer, never by model code ---


class TitleCue(Model):
    kind: Literal["title"] = "title"
    id: Identifier
    title: str = Field(min_length=1, max_length=80)
    subtitle: str | None = Field(default=None, max_length=120)


class BulletsCue(Model):
    kind: Literal["bullets"] = "bullets"
    id: Identifier
    heading: str | None = Field(default=None, max_length=80)
    items: list[str] = Field(min_length=1, max_length=6)


Parts = Annotated[
    list[Annotated[str, Field(min_length=1, max_length=40)]],
    Field(
        max_length=6, description="LaTeX substrings kept as named parts, so an emphasis cue can colour them."
    ),
]


def _latex_present(latex: str) -> str:
    if not latex.strip():
        raise ValueError("a formula cannot be empty")
    return latex


NonEmptyLatex = Annotated[
    str,
    Field(min_length=1, max_length=400, description="LaTeX math, allowlisted before TeX."),
    AfterValidator(_latex_present),
]


class FormulaCue(Model):
    kind: Literal["formula"] = "formula"
    id: Identifier
    latex: NonEmptyLatex
    caption: str | None = Field(default=None, max_length=120)
    parts: Parts = Field(default_factory=list)

    @model_validator(mode="after")
    def _parts_are_in_the_formula(self) -> FormulaCue:
        _require_parts(self.parts, [self.latex])
        return self


def _require_parts(parts: list[str], lines: list[str]) -> None:
    missing = [p for p in parts if not any(p in line for line in lines)]
    if missing:
        raise ValueError(f"parts {missing} do not occur in the formula")


class DerivationCue(Model):
    """A chain of equations, each line grown from the previous one by moving the parts they share."""

    kind: Literal["derivation"] = "derivation"
    id: Identifier
    lines: list[NonEmptyLatex] = Field(
        min_length=2, max_length=12, description="Lines that do not fit one screen continue on the next."
    )
    parts: Parts = Field(default_factory=list)

    @model_validator(mode="after")
    def _parts_are_in_the_lines(self) -> DerivationCue:
        _require_parts(self.parts, self.lines)
        return self


class Curve(Model):
    latex: str = Field(min_length=1, max_length=200, description="Right-hand side in x and parameters.")
    label: str | None = Field(default=None, max_length=60, description="LaTeX label, e.g. y = kx + b.")


class ParameterSweep(Model):
    """Animates one parameter through keyframe values over the cue's time on screen."""

    parameter: str = Field(pattern=r"^[a-zA-Z]$")
    values: list[float] = Field(min_length=2, max_length=8)


class Shade(Model):
    """The region between a curve and the x axis over [x_from, x_to]."""

    curve: int = Field(default=0, ge=0)
    x_from: float
    x_to: float


class FunctionGraphCue(Model):
    kind: Literal["function_graph"] = "function_graph"
    id: Identifier
    x_range: tuple[float, float] = (-5.0, 5.0)
    y_range: tuple[float, float] = (-5.0, 5.0)
    curves: list[Curve] = Field(min_length=1, max_length=3)
    parameters: dict[str, float] = Field(default_factory=dict, description="Initial parameter values.")
    sweep: ParameterSweep | None = None
    points: list[tuple[float, float]] = Field(default_factory=list, max_length=6)
    intercepts: bool = Field(default=False, description="Mark where the first curve meets the axes.")
    shade: Shade | None = None
    asymptotes: list[float] = Field(
        default_factory=list, max_length=4, description="x values of vertical asymptotes, drawn dashed."
    )

    @model_validator(mode="after")
    def _sweep_parameter_is_known(self) -> FunctionGraphCue:
        if self.sweep is not None and self.sweep.parameter not in self.parameters:
            raise ValueError(f"sweep parameter {self.sweep.parameter!r} needs an initial value in parameters")
        (x0, x1), (y0, y1) = self.x_range, self.y_range
        if x0 >= x1 or y0 >= y1:
            raise ValueError("x_range and y_range must be (min, max) with min < max")
        if self.shade is not None:
            if self.shade.curve >= len(self.curves):
                raise ValueError(f"shade.curve {self.shade.curve} but there are {len(self.curves)} curves")
            if not x0 <= self.shade.x_from < self.shade.x_to <= x1:
                raise ValueError("shade needs x_from < x_to inside x_range")
        outside = [a for a in self.asymptotes if not x0 < a < x1]
        if outside:
            raise ValueError(f"asymptotes {outside} lie outside x_range")
        return self


class Interval(Model):
    """A piece of the number line; a missing end runs to infinity (always open)."""

    low: float | None = None
    high: float | None = None
    low_closed: bool = False
    high_closed: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Interval:
        if self.low is None and self.high is None:
            raise ValueError("an interval needs at least one finite end")
        if self.low is not None and self.high is not None and self.low >= self.high:
            raise ValueError(f"interval low ({self.low}) must be below high ({self.high})")
        if (self.low is None and self.low_closed) or (self.high is None and self.high_closed):
            raise ValueError("an infinite end cannot be closed")
        return self


class NumberLineCue(Model):
    kind: Literal["number_line"] = "number_line"
    id: Identifier
    x_range: tuple[float, float] = (-5.0, 5.0)
    intervals: list[Interval] = Field(min_length=1, max_length=4)
    caption: str | None = Field(default=None, max_length=120, description="LaTeX, e.g. the solution set.")

    @model_validator(mode="after")
    def _inside_the_range(self) -> NumberLineCue:
        x0, x1 = self.x_range
        if x0 >= x1:
            raise ValueError("x_range must be (min, max) with min < max")
        ends = [e for i in self.intervals for e in (i.low, i.high) if e is not None]
        outside = [e for e in ends if not x0 <= e <= x1]
        if outside:
            raise ValueError(f"interval ends {outside} lie outside x_range")
        return self


class TableCue(Model):
    kind: Literal["table"] = "table"
    id: Identifier
    header: list[Annotated[str, Field(max_length=30)]] = Field(min_length=1, max_length=6)
    rows: list[list[Annotated[str, Field(max_length=30)]]] = Field(
        min_length=1, max_length=20, description="Rows that do not fit one screen continue under the header."
    )
    caption: str | None = Field(default=None, max_length=120)

    @model_validator(mode="after")
    def _rectangular(self) -> TableCue:
        ragged = [i for i, row in enumerate(self.rows) if len(row) != len(self.header)]
        if ragged:
            raise ValueError(f"rows {ragged} do not have {len(self.header)} cells like the header")
        return self


PointName = Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9']{0,3}$")]


class GeoPoint(Model):
    name: PointName
    x: float = Field(ge=-1000, le=1000)
    y: float = Field(ge=-1000, le=1000)


class Midpoint(Model):
    """A new point halfway between two named points."""

    kind: Literal["midpoint"] = "midpoint"
    name: PointName
    of: tuple[PointName, PointName]

    def uses(self) -> tuple[str, ...]:
        return self.of


class Foot(Model):
    """The foot of the perpendicular from a point to the line through two points."""

    kind: Literal["foot"] = "foot"
    name: PointName
    source: PointName
    line: tuple[PointName, PointName]

    def uses(self) -> tuple[str, ...]:
        return (self.source, *self.line)


Construction = Annotated[Midpoint | Foot, Field(discriminator="kind")]


class GeoSegment(Model):
    kind: Literal["segment"] = "segment"
    ends: tuple[PointName, PointName]
    label: str | None = Field(default=None, max_length=30, description="LaTeX beside its middle, e.g. a = 3.")
    dashed: bool = False

    def uses(self) -> tuple[str, ...]:
        return self.ends


class GeoLine(Model):
    """The whole line through two points, drawn across the figure."""

    kind: Literal["line"] = "line"
    through: tuple[PointName, PointName]
    label: str | None = Field(default=None, max_length=30)

    def uses(self) -> tuple[str, ...]:
        return self.through


class GeoPolygon(Model):
    kind: Literal["polygon"] = "polygon"
    vertices: list[PointName] = Field(min_length=3, max_length=8)
    filled: bool = True

    def uses(self) -> tuple[str, ...]:
        return tuple(self.vertices)


class GeoCircle(Model):
    kind: Literal["circle"] = "circle"
    center: PointName
    radius: float | None = Field(default=None, gt=0, le=1000)
    through: PointName | None = Field(default=None, description="A point on the circle, instead of radius.")

    @model_validator(mode="after")
    def _radius_or_point(self) -> GeoCircle:
        if (self.radius is None) == (self.through is None):
            raise ValueError(f"circle about {self.center}: give exactly one of radius or through")
        return self

    def uses(self) -> tuple[str, ...]:
        return (self.center, *([self.through] if self.through else []))


class GeoAngle(Model):
    """The angle at `vertex` from ray vertex→`start` counter-clockwise to ray vertex→`end`; a right
    angle is drawn as a square corner."""

    kind: Literal["angle"] = "angle"
    vertex: PointName
    start: PointName
    end: PointName
    label: str | None = Field(default=None, max_length=30, description=r"LaTeX, e.g. 60^\circ or \alpha.")

    def uses(self) -> tuple[str, ...]:
        return (self.vertex, self.start, self.end)


Shape = Annotated[GeoSegment | GeoLine | GeoPolygon | GeoCircle | GeoAngle, Field(discriminator="kind")]


class GeometryCue(Model):
    """A figure from named points: shapes drawn one by one over the narration, points labelled."""

    kind: Literal["geometry"] = "geometry"
    id: Identifier
    points: list[GeoPoint] = Field(min_length=1, max_length=12)
    constructions: list[Construction] = Field(default_factory=list, max_length=6)
    shapes: list[Shape] = Field(min_length=1, max_length=12)
    caption: str | None = Field(default=None, max_length=120)

    def named(self) -> list[str]:
        return [p.name for p in self.points] + [c.name for c in self.constructions]

    def latex(self) -> list[str]:
        """Every piece of LaTeX the figure draws: point names and shape labels."""
        labels = [s.label for s in self.shapes if isinstance(s, GeoSegment | GeoLine | GeoAngle) and s.label]
        return [*self.named(), *labels]

    @model_validator(mode="after")
    def _names_resolve(self) -> GeometryCue:
        names = self.named()
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"geometry {self.id}: points named twice: {', '.join(dupes)}")
        known: set[str] = {p.name for p in self.points}
        for construction in self.constructions:
            self._require(construction.uses(), known, construction.kind)
            known.add(construction.name)
        for shape in self.shapes:
            used = shape.uses()
            self._require(used, known, shape.kind)
            if len(set(used)) != len(used):
                raise ValueError(f"geometry {self.id}: a {shape.kind} repeats a point: {', '.join(used)}")
        return self

    def _require(self, used: Sequence[str], known: set[str], what: str) -> None:
        missing = [n for n in used if n not in known]
        if missing:
            raise ValueError(
                f"geometry {self.id}: {what} uses {', '.join(missing)}, not a point defined before it "
                f"(points: {', '.join(sorted(known))})"
            )


class EmphasisCue(Model):
    """Draws attention to something already on screen: the cue shown just before, in the same section."""

    kind: Literal["emphasis"] = "emphasis"
    id: Identifier
    target: Identifier = Field(description="Id of the cue on screen.")
    effect: Literal["indicate", "circumscribe", "color"] = "indicate"
    element: str | None = Field(
        default=None, max_length=20, description="One element of it, e.g. item-2 or line-3; all when absent."
    )
    part: str | None = Field(default=None, max_length=40, description="A named part of a formula.")


class QuestionCue(Model):
    """A question on screen, a think-time countdown in silence, then the answer."""

    kind: Literal["question"] = "question"
    id: Identifier
    question: str = Field(min_length=1, max_length=160)
    think_ms: Millis = 5000
    answer: str = Field(min_length=1, max_length=160)


class SummaryCue(Model):
    kind: Literal["summary"] = "summary"
    id: Identifier
    heading: str = Field(min_length=1, max_length=80)
    points: list[str] = Field(min_length=1, max_length=6)


Cue = Annotated[
    TitleCue
    | BulletsCue
    | FormulaCue
    | DerivationCue
    | FunctionGraphCue
    | NumberLineCue
    | TableCue
    | GeometryCue
    | QuestionCue
    | SummaryCue
    | EmphasisCue,
    Field(discriminator="kind"),
]


# --- the script ---


class Segment(Model):
    """One narration clip; the cues it drives appear when it starts."""

    id: Identifier
    text: str = Field(min_length=1, max_length=600, description="Written form: shown as subtitles.")
    language: Language
    cues: list[Cue] = Field(default_factory=list)
    pause_after_ms: Millis = Field(default=300, le=20_000, description="Silence after the clip.")

    @model_validator(mode="after")
    def _think_time_is_silent(self) -> Segment:
        think = max((c.think_ms for c in self.cues if isinstance(c, QuestionCue)), default=0)
        if self.pause_after_ms < think:
            raise ValueError(
                f"segment {self.id}: pause_after_ms ({self.pause_after_ms}) must cover the "
                f"question's think time ({think})"
            )
        return self


class Section(Model):
    id: Identifier
    kind: SectionKind
    title: str = Field(min_length=1, max_length=40)
    segments: list[Segment] = Field(min_length=1)
    target_ms: Millis | None = Field(default=None, description="Planned length: the gate checks the pace.")

    @model_validator(mode="after")
    def _emphasis_targets_the_screen(self) -> Section:
        """An emphasis acts on the cue on screen, so it must follow that cue (emphases keep the screen)."""
        shown: Cue | None = None
        for segment in self.segments:
            for cue in segment.cues:
                if not isinstance(cue, EmphasisCue):
                    shown = cue
                    continue
                if shown is None or shown.id != cue.target:
                    on_screen = shown.id if shown else "nothing"
                    raise ValueError(
                        f"emphasis {cue.id} targets {cue.target}, but the screen shows {on_screen} then"
                    )
                if cue.part is not None and cue.part not in getattr(shown, "parts", []):
                    raise ValueError(f"emphasis {cue.id}: {cue.part!r} is not one of {shown.id}'s parts")
        return self


ProblemKind = Literal[
    # equations and inequalities: `given` is the equation, inequality or system (`,`-separated)
    "linear_equation", "linear_system", "quadratic_equation", "rational_equation",
    "absolute_value_equation", "exponential_equation", "logarithmic_equation",
    "linear_inequality", "quadratic_inequality", "rational_inequality",
    # the analytic expression of a function from `points` (and `facts["vertex"]`)
    "linear_function", "quadratic_function",
    # calculus: `given` is f(x), the right-hand side only
    "derivative", "monotonic_intervals", "extrema",
    # sequences: `facts` holds what is known (a_1, d or q, a_k...), `ask` is a_n, a_10, S_10...
    "arithmetic_sequence", "geometric_sequence",
    # `given` is the expression to evaluate or simplify
    "trig_value", "trig_identity",
    # counting and probability, triangles and vectors: `facts` and `ask`, see each solver
    "counting", "classical_probability", "triangle", "vector",
]  # fmt: skip


class Problem(Model):
    """A worked example: the statement as shown, and the math in it read into fields the offline
    expert and the verifier use (`kind` picks both; see mathcast.content.solvers for each kind)."""

    id: Identifier
    statement: str = Field(min_length=1, max_length=400)
    language: Language
    kind: ProblemKind
    given: str = Field(default="", max_length=400, description="LaTeX: the equation, inequality or f(x).")
    unknowns: list[str] = Field(default_factory=list, max_length=4)
    points: list[tuple[int, int]] = Field(default_factory=list, max_length=4)
    facts: dict[str, str] = Field(
        default_factory=dict, max_length=12, description='Named givens, e.g. {"a_1": "2", "d": "3"}.'
    )
    ask: str = Field(default="", max_length=40, description="What is asked, when a kind asks several.")


class Step(Model):
    """One line of a worked solution: a system of equations equivalent to the previous one."""

    index: int = Field(ge=0)
    equations: list[str] = Field(min_length=1, max_length=4, description="LaTeX equations.")
    explanation: str = Field(min_length=1, max_length=300, description="Narrated while shown.")


class Solution(Model):
    problem_id: Identifier
    author: str = Field(description="Provider that wrote it, e.g. offline-sympy.")
    steps: list[Step] = Field(min_length=1)
    answer: str = Field(min_length=1, max_length=200, description="LaTeX.")
    summary: str = Field(default="", max_length=400)


TopicFamily = Literal["代数基础", "函数与方程", "函数性质", "几何基础"]


class FamilyPlan(NamedTuple):
    """A topic family's three teaching steps, in order, in each language."""

    english: str
    steps: dict[Language, tuple[str, str, str]]


FAMILY_PLANS: dict[TopicFamily, FamilyPlan] = {
    "代数基础": FamilyPlan(
        "algebra basics",
        {"zh-CN": ("概念引入", "示例分析", "练习巩固"), "en-US": ("Concept", "Examples", "Practice")},
    ),
    "函数与方程": FamilyPlan(
        "functions and equations",
        {"zh-CN": ("图像展示", "性质讲解", "应用实践"), "en-US": ("Graphs", "Properties", "Applications")},
    ),
    "函数性质": FamilyPlan(
        "function properties",
        {
            "zh-CN": ("公式推导", "图像验证", "实际应用"),
            "en-US": ("Derivation", "Graph check", "Applications"),
        },
    ),
    "几何基础": FamilyPlan(
        "geometry basics",
        {"zh-CN": ("定义解释", "性质归纳", "证明演示"), "en-US": ("Definition", "Properties", "Proof")},
    ),
}


def family_step_titles(family: TopicFamily, language: Language) -> dict[SectionKind, str]:
    """The titles that carry the family's plan, by section kind: explain names the first two steps,
    the worked example the third (函数与方程: 图像展示 → 性质讲解, then 应用实践).

    Why this mapping of three steps onto five sections: explain is where a lesson teaches, and it
    walks through the first two steps (a definition, graph or derivation, then what follows from
    it); the worked example applies them. Intro, interact and summary (the hook, the learner's
    turn, the recap) are alike in every family and keep titles of their own (引入, 互动, 总结)."""
    first, second, third = FAMILY_PLANS[family].steps[language]
    return {"explain": f"{first} → {second}", "example": third}


def _family_key(value: object) -> object:
    """A family given by its English name (as an English prompt may write it) is the same family."""
    if isinstance(value, str):
        named = {plan.english: key for key, plan in FAMILY_PLANS.items()}
        return named.get(" ".join(value.split()).casefold(), value)
    return value


class LessonPlan(Model):
    topic: str = Field(min_length=1, max_length=80)
    title: str = Field(min_length=1, max_length=80)
    language: Language
    family: Annotated[TopicFamily, BeforeValidator(_family_key)] = Field(
        description="The topic family; its three steps title the explain and example sections."
    )
    sections: list[Section] = Field(min_length=1)
    problems: list[Problem] = Field(default_factory=list)

    def segments(self) -> list[tuple[Section, Segment]]:
        return [(section, segment) for section in self.sections for segment in section.segments]

    def with_family_steps(self) -> LessonPlan:
        """This plan with its explain and example sections titled by its family's steps."""
        titles = family_step_titles(self.family, self.language)
        sections = [s.model_copy(update={"title": titles.get(s.kind, s.title)}) for s in self.sections]
        return self.model_copy(update={"sections": sections})

    @model_validator(mode="after")
    def _ids_are_unique(self) -> LessonPlan:
        for what, ids in (
            ("section", [s.id for s in self.sections]),
            ("segment", [seg.id for _, seg in self.segments()]),
            ("cue", [c.id for _, seg in self.segments() for c in seg.cues]),
        ):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"duplicate {what} ids: {', '.join(dupes)}")
        return self


# --- verification ---

VerdictKind = Literal["verified", "refuted", "unverifiable"]


class Verdict(Model):
    verdict: VerdictKind
    reason: str
    counterexample: str | None = None


ClaimKind = Literal[
    "step_equivalence",  # a solve step keeps the solution set
    "step_rewrite",  # an expression rewrite keeps the value
    "answer_satisfies",  # the answer solves the original problem
    "answer_matches_steps",  # the answer is what the last step says
    "answer_complete",  # all solutions, none extra, domain respected
    "answer_value",  # a value, derivative, term or sum is right
    "comparison",  # a numeric comparison holds (9.11 < 9.8)
    "extrema",
    "monotonic",
    "graph_formula",  # a drawn curve is the formula it illustrates
]


class Claim(Model):
    index: int = Field(ge=0)
    problem_id: Identifier = "problem"
    kind: ClaimKind
    statement: str
    verdict: Verdict


class VerificationReport(Model):
    claims: list[Claim]

    @property
    def overall(self) -> VerdictKind:
        verdicts = {c.verdict.verdict for c in self.claims}
        if "refuted" in verdicts:
            return "refuted"
        if not verdicts or verdicts == {"verified"}:
            return "verified"
        return "unverifiable"


class Reflection(Model):
    """What the reviewing model did with the expert's solution, kept for the reviewer."""

    rounds: int = Field(ge=0)
    solution: Solution
    notes: list[str] = Field(default_factory=list)


# --- speech and timing ---


class WordTiming(Model):
    text: str
    start_ms: Millis
    end_ms: Millis


class Bookmark(Model):
    """A named place in the narration (an SSML bookmark) and when the voice reached it."""

    name: str
    at_ms: Millis


class SpokenAudio(Model):
    """What a voice reports about one clip it synthesized."""

    duration_ms: Millis
    sample_rate: int = Field(gt=0)
    voice: str
    words: list[WordTiming] = Field(default_factory=list)
    marks: list[Bookmark] = Field(default_factory=list)
    confidence: float | None = Field(
        default=None, ge=0, le=1, description="A cut of one whole recording: how surely alignment found it."
    )
    pause_after_ms: Millis | None = Field(
        default=None, description="A cut of one whole recording: the pause the speaker left after it."
    )


class SpeechResult(SpokenAudio):
    """A stored narration clip: where it lives and what the voice said about it."""

    segment_id: Identifier
    audio_key: str


class Span(Model):
    id: Identifier
    start_ms: Millis
    end_ms: Millis

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end_ms < self.start_ms:
            raise ValueError(f"span {self.id} ends ({self.end_ms}) before it starts ({self.start_ms})")
        return self


class SyncMap(Model):
    """Where every section and segment sits in the final narration track.

    Segment spans cover speech only; section spans tile the track (their pauses included).
    """

    total_ms: Millis
    sections: list[Span]
    segments: list[Span]
    words: dict[str, list[WordTiming]] = Field(
        default_factory=dict, description="Per segment id, its words' times in the track, where known."
    )

    def segment(self, segment_id: str) -> Span:
        for span in self.segments:
            if span.id == segment_id:
                return span
        raise KeyError(segment_id)


class VideoFormat(Model):
    width: int = Field(gt=0)
    height: int = Field(gt=0)
    fps: int = Field(gt=0, le=120)

    def frame_at(self, ms: int) -> int:
        """The frame index at a time, rounded half up, so section clips tile the lesson exactly."""
        return (ms * self.fps + 500) // 1000


Quality = Literal["low", "medium", "high"]
QUALITIES: dict[Quality, VideoFormat] = {
    "low": VideoFormat(width=854, height=480, fps=15),
    "medium": VideoFormat(width=1280, height=720, fps=30),
    "high": VideoFormat(width=1920, height=1080, fps=30),
}


ARTIFACT_MODELS: tuple[type[Model], ...] = (
    LessonPlan,
    Problem,
    Solution,
    Reflection,
    VerificationReport,
    SpeechResult,
    SyncMap,
)
