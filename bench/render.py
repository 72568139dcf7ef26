"""Benchmark: the renderer alone on the demo lesson, timed without TTS (durations estimated from the text).

    .venv/bin/python bench/render.py [--quality low medium high] [--workers 2] [--json bench/render.json]

Measures render seconds per video second per quality, cold (empty TeX/text cache) and warm;
parallel against serial section renders; the re-render after editing one segment (through
stages.render_section and its content-addressed store, so only the edited section renders);
and layout violations over every catalog topic (goal: 0).
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rich.console import Console
from rich.table import Table

from mathcast.content.catalog import known_topics, lookup
from mathcast.content.compose import with_worked_examples
from mathcast.content.solvers import solve
from mathcast.lesson import QUALITIES, LessonPlan, Quality
from mathcast.scenes.check import LayoutReport
from mathcast.scenes.render import LayoutError, render_scene
from mathcast.scenes.standalone import estimated_syncmap
from mathcast.scenes.timeline import SceneJob, scene_job
from mathcast.store import LocalArtifactStore, put_model


def render_sections(plan: LessonPlan, quality: Quality, cache: Path, out: Path, workers: int) -> float:
    """Wall seconds to render every section of `plan` (clips only, no join)."""
    syncmap = estimated_syncmap(plan)
    jobs = [scene_job(plan.title, s, syncmap, QUALITIES[quality]) for s in plan.sections]
    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda job: render_scene(job, out / f"{job.section.id}.mp4", cache), jobs))
    return time.perf_counter() - started


def edited(plan: LessonPlan) -> LessonPlan:
    """The plan with one formula caption changed: one segment, one section."""
    data = plan.model_dump(mode="json")
    for section in data["sections"]:
        for segment in section["segments"]:
            for cue in segment["cues"]:
                if cue["kind"] == "formula":
                    cue["caption"] = (cue.get("caption") or "") + "（修订）"
                    return LessonPlan.model_validate(data)
    raise ValueError("the demo plan has no formula to edit")


def rerender_after_edit(plan: LessonPlan, work: Path, workers: int) -> tuple[float, float, int]:
    """(first render s, re-render s, sections rendered again) through stages.render_section."""
    logging.getLogger("great_expectations").setLevel(logging.WARNING)  # stages imports the gates
    from mathcast import stages

    store = LocalArtifactStore(work / "store")
    cache = work / "cache"

    def render_all(version: LessonPlan, tag: str) -> tuple[float, int]:
        lesson = put_model(store, f"bench/{tag}/lesson.json", version)
        syncmap = put_model(store, f"bench/{tag}/syncmap.json", estimated_syncmap(version))
        before = len(list((work / "store").rglob("*.mp4")))
        started = time.perf_counter()
        with ThreadPoolExecutor(workers) as pool:
            list(
                pool.map(
                    lambda s: stages.render_section(store, lesson, syncmap, s.id, "low", cache),
                    version.sections,
                )
            )
        return time.perf_counter() - started, len(list((work / "store").rglob("*.mp4"))) - before

    first, _ = render_all(plan, "original")
    again, rendered = render_all(edited(plan), "edited")
    return first, again, rendered


def violations(job: SceneJob, out: Path, cache: Path) -> int:
    """Layout violations of one rendered section."""
    try:
        render_scene(job, out / f"{job.section.id}.mp4", cache)
    except LayoutError as error:
        return len(error.report.violations)
    report = LayoutReport.model_validate_json((out / f"{job.section.id}.layout.json").read_text())
    return len(report.violations)


def catalog_violations(work: Path, workers: int) -> dict[str, int]:
    """Layout violations per catalog topic, rendered at low quality with the offline expert's
    worked examples in them (as the lesson flow writes them)."""
    counts: dict[str, int] = {}
    for name in known_topics():
        topic, language = name.rsplit(" (", 1)
        outline = lookup(topic, language.rstrip(")"))  # type: ignore[arg-type]
        plan = with_worked_examples(outline, [solve(p) for p in outline.problems])
        syncmap = estimated_syncmap(plan)
        jobs = [scene_job(plan.title, s, syncmap, QUALITIES["low"]) for s in plan.sections]
        outs = [work / f"catalog-{plan.language}"] * len(jobs)
        caches = [work / "cache-catalog"] * len(jobs)
        with ThreadPoolExecutor(workers) as pool:
            counts[name] = sum(pool.map(violations, jobs, outs, caches))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quality", nargs="+", default=["low", "medium"], choices=list(QUALITIES))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mathcast-bench-render-"))
    plan = lookup("一次函数", "zh-CN")
    video_s = estimated_syncmap(plan).total_ms / 1000
    results: dict[str, float] = {"video seconds": video_s}
    for quality in args.quality:
        cache = work / f"cache-{quality}"
        for temperature in ("cold", "warm"):
            seconds = render_sections(plan, quality, cache, work / f"{quality}-{temperature}", args.workers)
            results[f"{quality} {temperature}: s / video s"] = seconds / video_s
    warm = work / "cache-low"
    serial = render_sections(plan, "low", warm, work / "serial", 1)
    parallel = render_sections(plan, "low", warm, work / "parallel", args.workers)
    results |= {
        "low warm serial s": serial,
        f"low warm {args.workers} workers s": parallel,
        "parallel speed-up": serial / parallel,
    }
    first, again, rendered = rerender_after_edit(plan, work / "edit", args.workers)
    results |= {
        "stages render (cold store) s": first,
        "re-render after one edit s": again,
        "sections re-rendered": rendered,
    }
    for topic, count in catalog_violations(work, args.workers).items():
        results[f"layout violations: {topic}"] = count

    table = Table(title=f"mathcast renderer on the demo lesson ({args.workers} workers)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for measure, value in results.items():
        table.add_row(measure, f"{value:.2f}" if isinstance(value, float) else str(value))
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
