"""Render a whole lesson plan on its own, without narration: for reviewers, tests and benchmarks.

Without a sync map each segment gets the time a narrator would take to read it (Chinese
about 4 characters a second, English about 150 words a minute) plus its pause, laid out the
way the align stage lays out real clips, so the timing rules are exercised as in a lesson.
"""

from __future__ import annotations

import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pydantic import Field

from mathcast.align.subtitles import subtitle_cues, to_srt
from mathcast.lesson import QUALITIES, LessonPlan, Model, Quality, Segment, Span, SyncMap
from mathcast.media.ffmpeg import SAMPLE_RATE, run_ffmpeg
from mathcast.media.mux import Chapter, Clip, mux
from mathcast.scenes.check import LayoutReport, LessonLayout
from mathcast.scenes.render import LayoutError, render_scene
from mathcast.scenes.spec import cue_problems
from mathcast.scenes.timeline import scene_job

CHARS_PER_SECOND = 4.0  # zh-CN narration
WORDS_PER_MINUTE = 150.0  # en-US narration
_CJK = re.compile(r"[\u3400-\u9fff]")


class SpecError(ValueError):
    """A plan the renderer refuses before drawing anything; the message lists every problem."""


class PlanRender(Model):
    """What a standalone render wrote into its output directory."""

    clips: list[str]
    video: str | None = Field(description="The joined lesson; None when a section failed its layout.")
    report: str
    violations: int
    video_ms: int


def estimated_ms(segment: Segment) -> int:
    """How long a narrator takes to read a segment, from its text alone."""
    if segment.language == "zh-CN":
        spoken = len(_CJK.findall(segment.text)) + len(re.findall(r"[A-Za-z0-9]+", segment.text))
        seconds = spoken / CHARS_PER_SECOND
    else:
        seconds = len(segment.text.split()) / WORDS_PER_MINUTE * 60
    return max(500, round(seconds * 1000))


def estimated_syncmap(plan: LessonPlan) -> SyncMap:
    """Segments end to end, each followed by its pause; sections tile the track."""
    cursor, sections, segments = 0, [], []
    for section in plan.sections:
        start = cursor
        for segment in section.segments:
            speech = estimated_ms(segment)
            segments.append(Span(id=segment.id, start_ms=cursor, end_ms=cursor + speech))
            cursor += speech + segment.pause_after_ms
        sections.append(Span(id=section.id, start_ms=start, end_ms=cursor))
    return SyncMap(total_ms=cursor, sections=sections, segments=segments)


def preflight(plan: LessonPlan, syncmap: SyncMap) -> None:
    """Everything that can be refused without manim: LaTeX outside the allowlist, curves that do
    not parse or use undeclared symbols, a sync map that misses a section or segment."""
    problems = [
        problem for _, segment in plan.segments() for cue in segment.cues for problem in cue_problems(cue)
    ]
    timed = {s.id for s in syncmap.sections} | {s.id for s in syncmap.segments}
    needed = [s.id for s in plan.sections] + [seg.id for _, seg in plan.segments()]
    missing = [i for i in needed if i not in timed]
    if missing:
        problems.append(f"the sync map has no times for {', '.join(missing)}")
    if problems:
        raise SpecError("; ".join(problems))


def render_plan(
    plan: LessonPlan,
    syncmap: SyncMap,
    quality: Quality,
    out: Path,
    cache_dir: Path,
    workers: int = 2,
) -> PlanRender:
    """Scene clips in `out/scenes/`, `out/layout_report.json`, and `out/lesson.mp4` when all pass.

    Sections render in parallel (each in its own manim process). A layout violation does not
    stop the other sections, so the report lists every violation of the lesson at once.
    """
    preflight(plan, syncmap)
    video = QUALITIES[quality]
    jobs = [scene_job(plan.title, section, syncmap, video) for section in plan.sections]
    scenes = out / "scenes"
    scenes.mkdir(parents=True, exist_ok=True)

    def one(job_index: int) -> LayoutReport:
        job = jobs[job_index]
        clip, report = scenes / f"{job.section.id}.mp4", scenes / f"{job.section.id}.layout.json"
        try:
            render_scene(job, clip, cache_dir, report_path=report)
        except LayoutError as error:
            return error.report
        return LayoutReport.model_validate_json(report.read_text(encoding="utf-8"))

    with ThreadPoolExecutor(max(1, workers)) as pool:
        reports = list(pool.map(one, range(len(jobs))))
    report_path = out / "layout_report.json"
    combined = LessonLayout.of(plan.title, reports)
    report_path.write_text(combined.model_dump_json(indent=2), encoding="utf-8")
    clips = [scenes / f"{job.section.id}.mp4" for job in jobs]
    joined = (
        None if combined.violations else _join(plan, syncmap, quality, clips, [j.frames for j in jobs], out)
    )
    return PlanRender(
        clips=[str(c) for c in clips],
        video=str(joined) if joined else None,
        report=str(report_path),
        violations=combined.violations,
        video_ms=syncmap.total_ms,
    )


def _join(
    plan: LessonPlan, syncmap: SyncMap, quality: Quality, clips: list[Path], frames: list[int], out: Path
) -> Path:
    """The clips muxed as in a lesson (subtitles, chapters), over a silent track in place of a voice."""
    titles = {s.id: s.title for s in plan.sections}
    with tempfile.TemporaryDirectory(prefix="mathcast-join-") as tmp:
        silence, srt = Path(tmp) / "silence.wav", Path(tmp) / "subtitles.srt"
        run_ffmpeg(
            "-f", "lavfi", "-i", f"anullsrc=r={SAMPLE_RATE}:cl=mono", "-t", f"{syncmap.total_ms / 1000:.3f}",
            str(silence),
        )  # fmt: skip
        srt.write_text(to_srt(subtitle_cues(plan, syncmap)), encoding="utf-8")
        return mux(
            [Clip(path=str(c), frames=n) for c, n in zip(clips, frames, strict=True)],
            narration=silence,
            subtitles_srt=srt,
            chapters=[
                Chapter(title=titles[s.id], start_ms=s.start_ms, end_ms=s.end_ms) for s in syncmap.sections
            ],
            video=QUALITIES[quality],
            language=plan.language,
            out=out / "lesson.mp4",
        )
