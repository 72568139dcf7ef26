"""The `lesson` flow: one topic in, a verified, narrated, animated lesson out."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from prefect import flow, get_run_logger, unmapped

from mathcast.lesson import Language, LessonPlan, Model, Quality
from mathcast.progress import StageTiming, emit
from mathcast.settings import Settings
from mathcast.store import ArtifactRef, get_model, open_store
from tasks.align import align
from tasks.content_gate import content_gate
from tasks.generate import generate
from tasks.media_gate import media_gate
from tasks.mux import mux
from tasks.publish import publish
from tasks.reflect import reflect
from tasks.render import render
from tasks.review import review
from tasks.solve import solve
from tasks.speak import speak
from tasks.verify import verify

DEMO_TOPIC = "一次函数的图像和性质"
T = TypeVar("T")


class LessonResult(Model):
    store_url: str
    artifacts: dict[str, ArtifactRef]
    timings: list[StageTiming]


@flow(name="lesson", flow_run_name="{topic} [{language}, {quality}]")
def lesson(
    topic: str = DEMO_TOPIC,
    language: Language = "zh-CN",
    quality: Quality = "medium",
    store: str | None = None,
    writer: str | None = None,
    tts: str | None = None,
) -> LessonResult:
    """generate → solve → reflect → verify → content gate → review → speak → align → render → mux
    → media gate → publish."""
    settings = Settings()
    store_url = open_store(store or settings.store).url
    writer_name, tts_name = writer or settings.writer, tts or settings.tts
    logger = get_run_logger()
    timings: list[StageTiming] = []

    def stage(name: str, call: Callable[[], T]) -> T:
        started = time.perf_counter()
        result = call()
        timing = StageTiming(stage=name, seconds=round(time.perf_counter() - started, 3))
        timings.append(timing)
        logger.info("%s done in %.1f s", name, timing.seconds)
        emit(timing)
        return result

    plan = stage("generate", lambda: generate(store_url, topic, language, writer_name))
    solutions = stage("solve", lambda: solve(store_url, plan, writer_name))
    reflected = stage(
        "reflect", lambda: reflect(store_url, plan, solutions, writer_name, settings.reflect_rounds)
    )
    verification = stage("verify", lambda: verify(store_url, reflected.lesson, reflected.reflections))
    gate = stage("content_gate", lambda: content_gate(store_url, reflected.lesson, verification))
    decision = stage("review", lambda: review(store_url, reflected.lesson, gate))
    speech = stage("speak", lambda: speak(store_url, reflected.lesson, tts_name))
    aligned = stage("align", lambda: align(store_url, reflected.lesson, speech))
    sections = get_model(open_store(store_url), reflected.lesson.key, LessonPlan).sections
    clips = stage(
        "render",
        lambda: render.map(
            unmapped(store_url),
            unmapped(reflected.lesson),
            unmapped(aligned.syncmap),
            [s.id for s in sections],
            unmapped(quality),
            unmapped(settings.cache_dir / "render"),
        ).result(),
    )
    video = stage("mux", lambda: mux(store_url, reflected.lesson, clips, aligned, quality))
    facts = stage("media_gate", lambda: media_gate(store_url, video, reflected.lesson, quality))
    artifacts = {
        "plan.json": plan,
        "solutions.json": solutions,
        "reflections.json": reflected.reflections,
        "lesson.json": reflected.lesson,
        "verification.json": verification,
        "content_gate.json": gate,
        "review.json": decision,
        "speech.json": speech,
        "syncmap.json": aligned.syncmap,
        "narration.wav": aligned.narration,
        "subtitles.srt": aligned.subtitles,
        "lesson.mp4": video,
        "media_gate.json": facts,
    }
    manifest = stage("publish", lambda: publish(store_url, topic, language, quality, artifacts))
    return LessonResult(
        store_url=store_url, artifacts={**artifacts, "manifest.json": manifest}, timings=timings
    )


if __name__ == "__main__":
    print(lesson().model_dump_json(indent=2))
