"""The artifacts that cross stages: the lesson script, its scene spec, solutions, claims and timings.

Every model is frozen and forbids unknown fields, so a model reply or a stale artifact that
does not match fails loudly at the stage boundary instead of deep inside a renderer.
All times are integer milliseconds.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Millis = Annotated[int, Field(ge=0, description="A time or duration in integer milliseconds.")]
Language = Literal["zh-CN", "en-US"]
SectionKind = Literal["intro", "explain", "example", "interact", "summary"]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]

SECTION_ORDER: tuple[SectionKind, ...] = ("intro", "explain", "example", "interact", "summary")


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


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


class FormulaCue(Model):
    kind: Literal["formula"] = "formula"
    id: Identifier
    latex: str = Field(min_length=1, max_length=400, description="LaTeX math, allowlisted before TeX.")
    caption: str | None = Field(default=None, max_length=120)


class Curve(Model):
    latex: str = Field(min_length=1, max_length=200, description="Right-hand side in x and parameters.")
    label: str | None = Field(default=None, max_length=60, description="LaTeX label, e.g. y = kx + b.")


class ParameterSweep(Model):
    """Animates one parameter through keyframe values over the cue's time on screen."""

    parameter: str = Field(pattern=r"^[a-zA-Z]$")
    values: list[float] = Field(min_length=2, max_length=8)


class FunctionGraphCue(Model):
    kind: Literal["function_graph"] = "function_graph"
    id: Identifier
    x_range: tuple[float, float] = (-5.0, 5.0)
    y_range: tuple[float, float] = (-5.0, 5.0)
    curves: list[Curve] = Field(min_length=1, max_length=3)
    parameters: dict[str, float] = Field(default_factory=dict, description="Initial parameter values.")
    sweep: ParameterSweep | None = None
    points: list[tuple[float, float]] = Field(default_factory=list, max_length=6)

    @model_validator(mode="after")
    def _sweep_parameter_is_known(self) -> FunctionGraphCue:
        if self.sweep is not None and self.sweep.parameter not in self.parameters:
            raise ValueError(f"sweep parameter {self.sweep.parameter!r} needs an initial value in parameters")
        if self.x_range[0] >= self.x_range[1] or self.y_range[0] >= self.y_range[1]:
            raise ValueError("x_range and y_range must be (min, max) with min < max")
        return self


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
    TitleCue | BulletsCue | FormulaCue | FunctionGraphCue | QuestionCue | SummaryCue,
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


class Problem(Model):
    """A worked example. `points` are the given points for function-finding problems."""

    id: Identifier
    statement: str = Field(min_length=1, max_length=400)
    language: Language
    task: Literal["find_linear_function"]
    unknowns: list[str] = Field(min_length=1, max_length=4)
    points: list[tuple[int, int]] = Field(default_factory=list, max_length=4)


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


class LessonPlan(Model):
    topic: str = Field(min_length=1, max_length=80)
    title: str = Field(min_length=1, max_length=80)
    language: Language
    family: str = Field(min_length=1, max_length=40)
    sections: list[Section] = Field(min_length=1)
    problems: list[Problem] = Field(default_factory=list)

    def segments(self) -> list[tuple[Section, Segment]]:
        return [(section, segment) for section in self.sections for segment in section.segments]

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


class SpokenAudio(Model):
    """What a voice reports about one clip it synthesized."""

    duration_ms: Millis
    sample_rate: int = Field(gt=0)
    voice: str
    words: list[WordTiming] = Field(default_factory=list)


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
