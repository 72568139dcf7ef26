"""The `lesson` flow: one topic in, a verified, narrated, animated lesson out."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, unmapped
from pydantic import Field

from blocks.settings import saved_settings
from flows.review import reviewed_content
from flows.timing import StageClock
from mathcast.lesson import Language, LessonPlan, Model, PresetName, Quality
from mathcast.progress import StageTiming
from mathcast.providers.llm.usage import UsageSummary
from mathcast.review import ReviewPolicy, media_gate_key, packet_key
from mathcast.stages import background_music, lesson_usage
from mathcast.store import ArtifactRef, get_model, open_store
from tasks.align import align
from tasks.generate import generate
from tasks.media_gate import media_gate
from tasks.mux import mux
from tasks.publish import publish
from tasks.render import layout_report, render
from tasks.solve import solve
from tasks.speak import speak

DEMO_TOPIC = "一次函数的图像和性质"


class LessonResult(Model):
    store_url: str
    artifacts: dict[str, ArtifactRef]
    timings: list[StageTiming]
    usage: UsageSummary = Field(default_factory=UsageSummary, description="LLM tokens and estimated cost.")


@flow(name="lesson", flow_run_name="{topic} [{language}, {quality}]")
def lesson(
    topic: str = DEMO_TOPIC,
    language: Language = "zh-CN",
    quality: Quality = "medium",
    store: str | None = None,
    writer: str | None = None,
    tts: str | None = None,
    auto_approve: bool | None = None,
    preset: PresetName = "classroom",
    music: str | None = None,
    music_gain_db: float | None = None,
    thumbnail_cue: str | None = None,
) -> LessonResult:
    """generate → solve → (reflect → verify → content gate → review, until approved) → speak → align
    → render → mux → media gate → publish. `auto_approve` overrides MATHCAST_AUTO_APPROVE; `music`
    (an audio file or store key) and `music_gain_db` override MATHCAST_MUSIC and
    MATHCAST_MUSIC_GAIN_DB; `thumbnail_cue` is the id of the cue the thumbnail shows."""
    settings = saved_settings()  # the environment, then what `mathcast configure` saved
    store_url = open_store(store or settings.store).url
    music_source = music or settings.music
    gain_db = settings.music_gain_db if music_gain_db is None else music_gain_db
    # stored first: a missing music file fails the run now, not after the render
    bed = background_music(open_store(store_url), music_source, gain_db) if music_source else None
    writer_name, tts_name = writer or settings.writer, tts or settings.tts
    policy = ReviewPolicy(auto_approve=settings.auto_approve if auto_approve is None else auto_approve)
    clock = StageClock()

    with clock.stage("generate"):
        plan = generate(store_url, topic, language, writer_name)
    with clock.stage("solve"):
        solutions = solve(store_url, plan, writer_name)
    content = reviewed_content(
        clock,
        store_url,
        plan,
        solutions,
        writer_name,
        settings,
        policy,
        artifact_key=packet_key(topic, language, quality),
    )
    lesson_ref = content.reflected.lesson
    with clock.stage("speak"):
        speech = speak(store_url, lesson_ref, tts_name)
    with clock.stage("align"):
        aligned = align(store_url, lesson_ref, speech)
    sections = get_model(open_store(store_url), lesson_ref.key, LessonPlan).sections
    with clock.stage("render"):
        clips = render.map(
            unmapped(store_url),
            unmapped(lesson_ref),
            unmapped(aligned.syncmap),
            [s.id for s in sections],
            unmapped(quality),
            unmapped(settings.cache_dir / "render"),
        ).result()
        layout = layout_report(store_url, lesson_ref, clips)
    with clock.stage("mux"):
        video = mux(store_url, lesson_ref, clips, aligned, quality, preset, bed, thumbnail_cue)
    with clock.stage("media_gate"):
        facts = media_gate(store_url, video, lesson_ref, quality, media_gate_key(topic, language, quality))
    artifacts = {
        "plan.json": plan,
        "expert_solutions.json": solutions,
        "solutions.json": content.reflected.solutions,
        "reflections.json": content.reflected.reflections,
        "exchange.json": content.reflected.exchange,
        "lesson.json": lesson_ref,
        "verification.json": content.verification,
        "content_gate.json": content.gate,
        "review.md": content.packet,
        "review.json": content.review,
        "speech.json": speech,
        "syncmap.json": aligned.syncmap,
        "narration.wav": aligned.narration,
        "subtitles.srt": aligned.subtitles,
        "layout_report.json": layout,
        "lesson.mp4": video,
        "media_gate.json": facts,
        **{f"render/{clip.section_id}.mp4": clip.video for clip in clips},
        **({f"music{Path(bed.audio.key).suffix}": bed.audio} if bed else {}),
    }
    with clock.stage("publish"):
        manifest = publish(store_url, topic, language, quality, artifacts, writer_name, tts_name)
    return LessonResult(
        store_url=store_url,
        artifacts={**artifacts, "manifest.json": manifest},
        timings=clock.timings,
        usage=lesson_usage(open_store(store_url), [plan, solutions, *content.revisions]),
    )


if __name__ == "__main__":
    print(lesson().model_dump_json(indent=2))
