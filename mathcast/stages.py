"""Every pipeline stage in one place: read inputs from the store, do the work, store the output.

A stage's output key hashes the stage, its version, its inputs and its provider's config, so a
stage whose output exists is skipped: a re-run after a failure resumes where it stopped.
Stages are plain functions; `tasks/` adds retries and `flows/` orders them.
"""

from __future__ import annotations

import hashlib
import tempfile
import wave
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from mathcast.align.subtitles import subtitle_cues, to_srt
from mathcast.align.track import assemble
from mathcast.content.compose import with_worked_examples
from mathcast.content.reflect import reflect as reflect_solution
from mathcast.lesson import (
    QUALITIES,
    LessonPlan,
    Model,
    PresetName,
    Quality,
    Reflection,
    Segment,
    Solution,
    SpeechResult,
    SpokenAudio,
    SyncMap,
    VerificationReport,
    VideoFormat,
    WordTiming,
)
from mathcast.media.ffmpeg import measure
from mathcast.media.mux import PRESETS, Chapter, Clip, MuxInputError, contact_sheet, mux, thumbnail
from mathcast.providers.llm.base import LessonWriter, get_writer
from mathcast.providers.llm.usage import UsageSummary, summarize
from mathcast.providers.tts.base import LessonNarrator, SpeechRequest, get_synthesizer, speech_requests
from mathcast.providers.tts.loudness import TARGET_ID, normalized
from mathcast.published import CatalogEntry, record
from mathcast.review import Review, ReviewDecision, claims_table, packet_markdown
from mathcast.scenes import render as scene_render
from mathcast.scenes.check import LayoutReport, LessonLayout
from mathcast.scenes.timeline import scene_job
from mathcast.settings import LLMSettings
from mathcast.store import ArtifactRef, ArtifactStore, get_model, put_model, stage_key
from mathcast.verify.claims import verify_lesson
from quality.content import content_gate as judge_content
from quality.gate import GateResult, QualityGateError
from quality.media import facts_markdown, media_rules, review_markdown
from quality.media import media_gate as judge_media


class Solutions(Model):
    items: list[Solution]


class Reflections(Model):
    items: list[Reflection]


class Speech(Model):
    items: list[SpeechResult]


class ReviewPacket(Model):
    """The packet as stored (`ref`) and as the reviewer sees it in the orchestrator's UI."""

    ref: ArtifactRef
    title: str
    flagged: bool
    markdown: str
    claims: list[dict[str, Any]]


class ReflectOutput(Model):
    lesson: ArtifactRef
    reflections: ArtifactRef
    solutions: ArtifactRef = Field(description="The corrected solutions: the input of a further round.")
    exchange: ArtifactRef = Field(
        description="Every prompt and reply of the reflect calls, for the reviewer."
    )


class AlignOutput(Model):
    syncmap: ArtifactRef
    narration: ArtifactRef
    subtitles: ArtifactRef


class RenderedClip(Model):
    section_id: str
    frames: int
    video: ArtifactRef
    layout: ArtifactRef = Field(description="The section's layout report: what was measured, no violation.")


class ManifestArtifact(ArtifactRef):
    """One stored object of a lesson and the stage (at its version) that wrote it."""

    stage: str | None = Field(description="The stage that wrote it; None for an input stored by hand.")
    stage_version: str | None


class Providers(Model):
    """Who wrote and who spoke the lesson. Config ids name endpoints, models and voices, never a key."""

    writer: str
    writer_config: str
    tts: str
    tts_config: str
    voices: list[str] = Field(description="The voices the narration was spoken with.")


class LessonManifest(Model):
    """Every stored object one published lesson is made of: enough to check, copy or rebuild it."""

    topic: str
    language: str
    quality: Quality
    artifacts: dict[str, ManifestArtifact] = Field(
        description="Deliverables by role (lesson.mp4, lesson.srt ...); every other object by stage/file."
    )
    versions: dict[str, str] = Field(
        default_factory=dict, description="Every stage's version, and the renderer's and muxer's source."
    )
    providers: Providers | None = None


def lesson_usage(store: ArtifactStore, outputs: Sequence[ArtifactRef]) -> UsageSummary:
    """Token usage and cost of the model calls behind these writer-stage outputs, for the run summary."""
    keys = [usage_key(ref.key) for ref in outputs]
    calls = [c for key in keys if store.exists(key) for c in get_model(store, key, UsageSummary).calls]
    return summarize(calls, LLMSettings().prices)


STAGE_VERSIONS = {
    "generate": "1",
    "solve": "1",
    "reflect": "2",
    "verify": "1",
    "content_gate": "2",
    "review": "2",
    "speak": "2",
    "align": "2",
    "render": "1",
    "mux": "4",
    "media_gate": "4",
    "publish": "2",
}


def _key(stage: str, *inputs: object, name: str) -> str:
    return stage_key(stage, STAGE_VERSIONS[stage], *inputs, name=name)


def _cached(store: ArtifactStore, key: str, produce: Callable[[], BaseModel]) -> ArtifactRef:
    if store.exists(key):
        return store.ref(key)
    return put_model(store, key, produce())


@cache
def _source_digest(package: str) -> str:
    """A renderer's version is its source: editing the scene code invalidates cached clips."""
    root = Path(__file__).parent / package
    sha = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        sha.update(path.read_bytes())
    return sha.hexdigest()[:16]


# --- content ---


def _written(
    store: ArtifactStore, key: str, writer: LessonWriter, produce: Callable[[], BaseModel]
) -> ArtifactRef:
    """A writer stage's output, with its model calls (usage.json, exchange.json) stored beside it."""
    if store.exists(key):
        return store.ref(key)
    output = produce()
    _record_calls(store, key, writer)
    return put_model(store, key, output)


def usage_key(output_key: str) -> str:
    return f"{output_key.rsplit('/', 1)[0]}/usage.json"


def exchange_key(output_key: str) -> str:
    return f"{output_key.rsplit('/', 1)[0]}/exchange.json"


def _record_calls(store: ArtifactStore, output_key: str, writer: LessonWriter) -> None:
    """What the writer's model calls used and said, beside the output they made."""
    put_model(store, usage_key(output_key), writer.usage())
    put_model(store, exchange_key(output_key), writer.exchange())


def generate(store: ArtifactStore, topic: str, language: str, writer_name: str) -> ArtifactRef:
    writer = get_writer(writer_name)
    key = _key("generate", topic, language, writer.config_id, name="plan.json")
    return _written(store, key, writer, lambda: writer.plan(topic, language))  # type: ignore[arg-type]


def solve(store: ArtifactStore, plan_ref: ArtifactRef, writer_name: str) -> ArtifactRef:
    writer = get_writer(writer_name)
    key = _key("solve", plan_ref.sha256, writer.config_id, name="solutions.json")

    def produce() -> Solutions:
        plan = get_model(store, plan_ref.key, LessonPlan)
        return Solutions(items=[writer.solve(p) for p in plan.problems])

    return _written(store, key, writer, produce)


def reflect(
    store: ArtifactStore,
    plan_ref: ArtifactRef,
    solutions_ref: ArtifactRef,
    writer_name: str,
    rounds: int,
    feedback: Sequence[str] = (),
) -> ReflectOutput:
    """Check and correct each solution, then write the final script with the worked examples in it.

    `feedback` (failed gate checks, a reviewer's comments) forces a correction round.
    """
    writer = get_writer(writer_name)
    inputs = (plan_ref.sha256, solutions_ref.sha256, writer.config_id, rounds, list(feedback))
    keys = {
        name: _key("reflect", *inputs, name=name)
        for name in ("reflections.json", "solutions.json", "lesson.json")
    }
    if not store.exists(keys["lesson.json"]):
        plan = get_model(store, plan_ref.key, LessonPlan)
        solutions = get_model(store, solutions_ref.key, Solutions).items
        problems = {p.id: p for p in plan.problems}
        reflections = [
            reflect_solution(writer, problems[s.problem_id], s, rounds, feedback) for s in solutions
        ]
        _record_calls(store, keys["lesson.json"], writer)
        put_model(store, keys["reflections.json"], Reflections(items=reflections))
        put_model(store, keys["solutions.json"], Solutions(items=[r.solution for r in reflections]))
        put_model(store, keys["lesson.json"], with_worked_examples(plan, [r.solution for r in reflections]))
    return ReflectOutput(
        lesson=store.ref(keys["lesson.json"]),
        reflections=store.ref(keys["reflections.json"]),
        solutions=store.ref(keys["solutions.json"]),
        exchange=store.ref(exchange_key(keys["lesson.json"])),
    )


def verify(store: ArtifactStore, lesson_ref: ArtifactRef, reflections_ref: ArtifactRef) -> ArtifactRef:
    key = _key("verify", lesson_ref.sha256, reflections_ref.sha256, name="verification.json")

    def produce() -> VerificationReport:
        plan = get_model(store, lesson_ref.key, LessonPlan)
        reflections = get_model(store, reflections_ref.key, Reflections).items
        return verify_lesson(plan, [r.solution for r in reflections])

    return _cached(store, key, produce)


def _store_reports(store: ArtifactStore, stage: str, inputs: tuple[object, ...], result: GateResult) -> None:
    """GX's own HTML report of each table the gate validated, beside the gate's result."""
    for number, page in enumerate(result.html, start=1):
        store.put_bytes(_key(stage, *inputs, name=f"report-{number}.html"), page.encode())


def _gate(store: ArtifactStore, key: str, judge: Callable[[], GateResult]) -> ArtifactRef:
    """Store the gate's evidence first, then fail loudly with it; a cached failure fails again."""
    ref = _cached(store, key, judge)
    result = get_model(store, key, GateResult)
    if not result.success:
        raise QualityGateError(result, evidence=ref)
    return ref


def content_gate(store: ArtifactStore, lesson_ref: ArtifactRef, verification_ref: ArtifactRef) -> ArtifactRef:
    """The gate's result, pass or fail: the flow routes a failure back to reflect, then to a person."""
    inputs = (lesson_ref.sha256, verification_ref.sha256)
    key = _key("content_gate", *inputs, name="content_gate.json")
    if not store.exists(key):
        result = judge_content(
            get_model(store, lesson_ref.key, LessonPlan),
            get_model(store, verification_ref.key, VerificationReport),
        )
        _store_reports(store, "content_gate", inputs, result)
        put_model(store, key, result)
    return store.ref(key)


def review_packet(
    store: ArtifactStore,
    lesson_ref: ArtifactRef,
    reflections_ref: ArtifactRef,
    verification_ref: ArtifactRef,
    gate_ref: ArtifactRef,
) -> ReviewPacket:
    """What the reviewer reads: stored as packet.md beside the lesson, returned for the UI too."""
    plan = get_model(store, lesson_ref.key, LessonPlan)
    report = get_model(store, verification_ref.key, VerificationReport)
    gate = get_model(store, gate_ref.key, GateResult)
    inputs = (lesson_ref.sha256, reflections_ref.sha256, verification_ref.sha256, gate_ref.sha256)
    key = _key("review", *inputs, name="packet.md")
    if not store.exists(key):
        reflections = get_model(store, reflections_ref.key, Reflections).items
        store.put_bytes(key, packet_markdown(plan, reflections, report, gate).encode())
    return ReviewPacket(
        ref=store.ref(key),
        title=plan.title,
        flagged=not gate.success,
        markdown=store.get_bytes(key).decode(),
        claims=claims_table(report),
    )


def review(
    store: ArtifactStore, lesson_ref: ArtifactRef, packet: ReviewPacket, decision: ReviewDecision
) -> ArtifactRef:
    """Record who decided what about which lesson and packet, by a person or by the policy."""
    key = _key("review", lesson_ref.sha256, packet.ref.sha256, decision, name="review.json")
    return _cached(
        store, key, lambda: Review(**decision.model_dump(), flagged=packet.flagged, packet=packet.ref)
    )


# --- narration ---


def _clip_keys(segment_id: str, *inputs: object) -> tuple[str, str]:
    """Where a clip and what its voice said about it are stored."""
    return (
        _key("speak", *inputs, name=f"{segment_id}.wav"),
        _key("speak", *inputs, name=f"{segment_id}.json"),
    )


def _store_clip(
    store: ArtifactStore, keys: tuple[str, str], request: SpeechRequest, raw: Path, audio: SpokenAudio
) -> None:
    """The clip at the lesson's loudness, and what the voice reported (times hold: only the level changes)."""
    clip_key, meta_key = keys
    clip = normalized(raw, raw.with_name(f"{request.segment_id}.lufs.wav"))
    with wave.open(str(clip)) as stored:
        rate, frames = stored.getframerate(), stored.getnframes()
    report = audio.model_dump() | {"duration_ms": frames * 1000 // rate, "sample_rate": rate}
    store.put_file(clip_key, clip)
    put_model(store, meta_key, SpeechResult(segment_id=request.segment_id, audio_key=clip_key, **report))


def speak(store: ArtifactStore, lesson_ref: ArtifactRef, tts_name: str) -> ArtifactRef:
    """One clip per segment at the lesson's loudness, each cached by its text and delivery (voice,
    style, rate, engine version): an edit re-speaks one clip. The clips of one whole-lesson
    recording are cut together, so they are cached by the whole script."""
    voice = get_synthesizer(tts_name)
    requests = speech_requests(get_model(store, lesson_ref.key, LessonPlan))
    with tempfile.TemporaryDirectory(prefix="mathcast-speak-") as tmp:
        if isinstance(voice, LessonNarrator):
            keys = {
                r.segment_id: _clip_keys(r.segment_id, voice.config_id, TARGET_ID, *requests)
                for r in requests
            }
            if not all(store.exists(meta) for _, meta in keys.values()):
                cuts = voice.narrate(requests, Path(tmp))
                for request, audio in zip(requests, cuts, strict=True):
                    raw = Path(tmp) / f"{request.segment_id}.wav"
                    _store_clip(store, keys[request.segment_id], request, raw, audio)
        else:
            keys = {}
            for request in requests:
                keys[request.segment_id] = _clip_keys(
                    request.segment_id, request, voice.clip_id(request), TARGET_ID
                )
                if not store.exists(keys[request.segment_id][1]):
                    raw = Path(tmp) / f"{request.segment_id}.wav"
                    audio = voice.synthesize(request, raw)
                    _store_clip(store, keys[request.segment_id], request, raw, audio)
    speech = Speech(items=[get_model(store, meta, SpeechResult) for _, meta in keys.values()])
    return _cached(store, _key("speak", speech, name="speech.json"), lambda: speech)


def _paced(plan: LessonPlan, speech: dict[str, SpeechResult]) -> LessonPlan:
    """The plan with every pause at least the one its speaker left (a cut of one whole recording)."""

    def pause(segment: Segment) -> int:
        spoken = speech.get(segment.id)
        recorded = spoken.pause_after_ms if spoken is not None else None
        return max(segment.pause_after_ms, recorded or 0)

    sections = [
        section.model_copy(
            update={"segments": [s.model_copy(update={"pause_after_ms": pause(s)}) for s in section.segments]}
        )
        for section in plan.sections
    ]
    return plan.model_copy(update={"sections": sections})


def _words_in_track(syncmap: SyncMap, speech: dict[str, SpeechResult]) -> dict[str, list[WordTiming]]:
    """The words each voice reported, moved from clip time to track time."""
    words = {}
    for span in syncmap.segments:
        spoken = speech.get(span.id)
        if spoken is not None and spoken.words:
            words[span.id] = [
                w.model_copy(
                    update={"start_ms": w.start_ms + span.start_ms, "end_ms": w.end_ms + span.start_ms}
                )
                for w in spoken.words
            ]
    return words


def align(store: ArtifactStore, lesson_ref: ArtifactRef, speech_ref: ArtifactRef) -> AlignOutput:
    """The timeline: clips laid end to end, TTS clips at their own lengths with the plan's pauses,
    the cuts of a whole recording with the speaker's own pauses (never shorter than the plan's),
    so the segment times are where alignment found them; word times come along where known."""
    inputs = (lesson_ref.sha256, speech_ref.sha256)
    keys = {
        name: _key("align", *inputs, name=name) for name in ("syncmap.json", "narration.wav", "subtitles.srt")
    }
    if not store.exists(keys["syncmap.json"]):
        plan = get_model(store, lesson_ref.key, LessonPlan)
        speech = {s.segment_id: s for s in get_model(store, speech_ref.key, Speech).items}
        with tempfile.TemporaryDirectory(prefix="mathcast-align-") as tmp:
            clips = {
                segment_id: store.fetch(s.audio_key, Path(tmp) / f"{segment_id}.wav")
                for segment_id, s in speech.items()
            }
            narration = Path(tmp) / "narration.wav"
            placed = assemble(_paced(plan, speech), clips, narration)
            store.put_file(keys["narration.wav"], narration)
        syncmap = placed.model_copy(update={"words": _words_in_track(placed, speech)})
        store.put_bytes(keys["subtitles.srt"], to_srt(subtitle_cues(plan, syncmap)).encode())
        put_model(store, keys["syncmap.json"], syncmap)  # last: its presence means the stage finished
    return AlignOutput(
        syncmap=store.ref(keys["syncmap.json"]),
        narration=store.ref(keys["narration.wav"]),
        subtitles=store.ref(keys["subtitles.srt"]),
    )


# --- picture and sound ---


def render_section(
    store: ArtifactStore,
    lesson_ref: ArtifactRef,
    syncmap_ref: ArtifactRef,
    section_id: str,
    quality: Quality,
    cache_dir: Path,
) -> RenderedClip:
    """One section's clip and its layout report, cached by its spec, timing, format and the
    renderer's own source."""
    plan = get_model(store, lesson_ref.key, LessonPlan)
    section = next(s for s in plan.sections if s.id == section_id)
    job = scene_job(plan.title, section, get_model(store, syncmap_ref.key, SyncMap), QUALITIES[quality])
    inputs = (job, _source_digest("scenes"))
    key = _key("render", *inputs, name=f"{section_id}.mp4")
    report_key = _key("render", *inputs, name=f"{section_id}.layout.json")
    if not store.exists(report_key):
        with tempfile.TemporaryDirectory(prefix="mathcast-render-") as tmp:
            report = Path(tmp) / f"{section_id}.layout.json"
            out = scene_render.render_scene(
                job, Path(tmp) / f"{section_id}.mp4", cache_dir, report_path=report
            )
            store.put_file(key, out)
            store.put_file(report_key, report)  # last: its presence means the section rendered
    return RenderedClip(
        section_id=section_id, frames=job.frames, video=store.ref(key), layout=store.ref(report_key)
    )


def layout_report(
    store: ArtifactStore, lesson_ref: ArtifactRef, clips: Sequence[RenderedClip]
) -> ArtifactRef:
    """The sections' layout reports as the lesson's one layout_report.json, as `mathcast render` writes it."""
    key = _key("render", lesson_ref.sha256, [c.layout.sha256 for c in clips], name="layout_report.json")

    def merged() -> LessonLayout:
        plan = get_model(store, lesson_ref.key, LessonPlan)
        by_section = {c.section_id: c.layout for c in clips}
        return LessonLayout.of(
            plan.title, [get_model(store, by_section[s.id].key, LayoutReport) for s in plan.sections]
        )

    return _cached(store, key, merged)


class BackgroundMusic(Model):
    """A stored music file for under the narration, and its level against the default bed."""

    audio: ArtifactRef
    gain_db: float = Field(default=0.0, description="Added to the bed level, 16 LU under the voice.")


def background_music(store: ArtifactStore, source: str, gain_db: float = 0.0) -> BackgroundMusic:
    """`source`, a local audio file (stored under its content hash) or a key already in the store."""
    path = Path(source)
    if path.is_file():
        key = f"music/{hashlib.sha256(path.read_bytes()).hexdigest()[:16]}/{path.name}"
        audio = store.ref(key) if store.exists(key) else store.put_file(key, path)
        return BackgroundMusic(audio=audio, gain_db=gain_db)
    try:
        stored = store.exists(source)
    except ValueError:  # a path outside the store's root cannot be a key
        stored = False
    if not stored:
        raise MuxInputError(f"background music {source} is neither a file nor a key in the store {store.url}")
    return BackgroundMusic(audio=store.ref(source), gain_db=gain_db)


class MuxOutput(Model):
    """What the mux stored beside lesson.mp4: sidecars for players and pictures for reviewers."""

    video: ArtifactRef
    subtitles_srt: ArtifactRef
    subtitles_vtt: ArtifactRef
    thumbnail: ArtifactRef
    contact_sheet: ArtifactRef
    syncmap: ArtifactRef = Field(description="The timing the gate reads think time from.")
    preset: PresetName


def _settled_ms(start_ms: int, end_ms: int) -> int:
    """Half a second before a picture makes way for the next: what it built is fully drawn."""
    return max(start_ms, end_ms - 500)


def _cue_settled_ms(plan: LessonPlan, syncmap: SyncMap, video: VideoFormat, cue_id: str) -> int:
    """When cue `cue_id` stands fully drawn, from its slot in the timed scene (as rendered)."""
    for section in plan.sections:
        origin = video.frame_at(next(s for s in syncmap.sections if s.id == section.id).start_ms)
        for slot in scene_job(plan.title, section, syncmap, video).slots:
            if slot.cue.id == cue_id:
                start, end = ((origin + f) * 1000 // video.fps for f in (slot.start_frame, slot.end_frame))
                return _settled_ms(start, end)
    cues = ", ".join(c.id for _, seg in plan.segments() for c in seg.cues)
    raise ValueError(f"thumbnail cue {cue_id!r} is not a cue of the lesson; its cues: {cues}")


def _beside(ref: ArtifactRef, name: str) -> str:
    """Another output of the stage that wrote `ref`: one stage call's outputs share a key prefix."""
    return f"{ref.key.rsplit('/', 1)[0]}/{name}"


def mux_lesson(
    store: ArtifactStore,
    lesson_ref: ArtifactRef,
    clips: Sequence[RenderedClip],
    aligned: AlignOutput,
    quality: Quality,
    preset: PresetName = "classroom",
    music: BackgroundMusic | None = None,
    thumbnail_cue: str | None = None,
) -> ArtifactRef:
    """The lesson video for one delivery preset, with `music` ducked under it; the thumbnail is
    the title frame, or `thumbnail_cue` (a cue id) once drawn."""
    media_code = _source_digest("media")  # a change to the mux re-encodes, like the renderer's
    clip_hashes = [c.video.sha256 for c in clips]
    inputs = (lesson_ref.sha256, clip_hashes, aligned, quality, preset, music, thumbnail_cue, media_code)
    key = _key("mux", *inputs, name="lesson.mp4")
    done = _key("mux", *inputs, name="mux.json")
    if store.exists(done):
        return store.ref(key)
    plan = get_model(store, lesson_ref.key, LessonPlan)
    syncmap = get_model(store, aligned.syncmap.key, SyncMap)
    titles = {s.id: s.title for s in plan.sections}
    chapters = [Chapter(title=titles[s.id], start_ms=s.start_ms, end_ms=s.end_ms) for s in syncmap.sections]
    settled = [_settled_ms(c.start_ms, c.end_ms) for c in chapters]  # each section's picture
    video_format = QUALITIES[quality]
    cover_ms = _cue_settled_ms(plan, syncmap, video_format, thumbnail_cue) if thumbnail_cue else settled[0]
    by_section = {c.section_id: c for c in clips}
    with tempfile.TemporaryDirectory(prefix="mathcast-mux-") as tmp:
        work = Path(tmp)
        clip_inputs = [
            Clip(
                path=str(store.fetch(by_section[s.id].video.key, work / f"{s.id}.mp4")),
                frames=by_section[s.id].frames,
            )
            for s in plan.sections
        ]
        out = mux(
            clip_inputs,
            narration=store.fetch(aligned.narration.key, work / "narration.wav"),
            subtitles_srt=store.fetch(aligned.subtitles.key, work / "subtitles.srt"),
            chapters=chapters,
            video=video_format,
            language=plan.language,
            out=work / "lesson.mp4",
            preset=PRESETS[preset],
            music=store.fetch(music.audio.key, work / Path(music.audio.key).name) if music else None,
            music_gain_db=music.gain_db if music else 0.0,
        )
        output = MuxOutput(
            video=store.put_file(key, out),
            subtitles_srt=store.put_file(_key("mux", *inputs, name="lesson.srt"), out.with_suffix(".srt")),
            subtitles_vtt=store.put_file(_key("mux", *inputs, name="lesson.vtt"), out.with_suffix(".vtt")),
            thumbnail=store.put_file(
                _key("mux", *inputs, name="thumbnail.png"), thumbnail(out, cover_ms, work / "thumbnail.png")
            ),
            contact_sheet=store.put_file(
                _key("mux", *inputs, name="contact_sheet.png"),
                contact_sheet(out, settled, video_format.fps, work / "contact_sheet.png"),
            ),
            syncmap=aligned.syncmap,
            preset=preset,
        )
    put_model(store, done, output)  # last: its presence means the stage finished
    return output.video


def media_gate(
    store: ArtifactStore, video_ref: ArtifactRef, lesson_ref: ArtifactRef, quality: Quality
) -> ArtifactRef:
    """Measure lesson.mp4 and judge it; the facts are stored whether it passes or not."""
    muxed = get_model(store, _beside(video_ref, "mux.json"), MuxOutput)
    inputs = (video_ref.sha256, lesson_ref.sha256, muxed.syncmap.sha256, quality)
    key = _key("media_gate", *inputs, name="media_gate.json")

    def judge() -> GateResult:
        plan = get_model(store, lesson_ref.key, LessonPlan)
        rules = media_rules(plan, get_model(store, muxed.syncmap.key, SyncMap))
        with tempfile.TemporaryDirectory(prefix="mathcast-gate-") as tmp:
            facts = measure(store.fetch(video_ref.key, Path(tmp) / "lesson.mp4"))
        result = judge_media(facts, QUALITIES[quality], sections=len(plan.sections), rules=rules)
        store.put_bytes(_key("media_gate", *inputs, name="media_gate.md"), facts_markdown(result).encode())
        _store_reports(store, "media_gate", inputs, result)
        return result

    return _gate(store, key, judge)


class MediaGateReport(Model):
    """The media gate as a reviewer reads it in the orchestrator's UI."""

    title: str
    success: bool
    markdown: str


def media_gate_report(
    store: ArtifactStore, video_ref: ArtifactRef, lesson_ref: ArtifactRef, gate_ref: ArtifactRef
) -> MediaGateReport:
    """The gate's verdict and facts, and where the lesson's thumbnail and contact sheet are stored:
    review happens before render, so this is where a reviewer first sees the finished picture."""
    muxed = get_model(store, _beside(video_ref, "mux.json"), MuxOutput)
    result = get_model(store, gate_ref.key, GateResult)
    title = get_model(store, lesson_ref.key, LessonPlan).title
    pictures = {
        name: (ref.key, store.location(ref.key))
        for name, ref in (("thumbnail", muxed.thumbnail), ("contact sheet", muxed.contact_sheet))
    }
    return MediaGateReport(
        title=title, success=result.success, markdown=review_markdown(title, result, pictures)
    )


def publish(
    store: ArtifactStore,
    topic: str,
    language: str,
    quality: Quality,
    artifacts: dict[str, ArtifactRef],
    writer: str | None = None,
    tts: str | None = None,
) -> ArtifactRef:
    """The lesson's manifest, and the catalog entry that points at its newest published version.

    The manifest lists the artifacts named here, the video's sidecars and the media gate's readable
    facts by role, and everything else the stage calls behind them stored (model exchanges,
    per-segment clips, gate reports) by stage and file; `writer` and `tts` name the providers.
    """
    named = {**artifacts, **_sidecars(store, artifacts)}
    speech = artifacts.get("speech.json")
    clips = get_model(store, speech.key, Speech).items if speech is not None else []
    providers = None
    if writer is not None and tts is not None:
        providers = Providers(
            writer=writer,
            writer_config=get_writer(writer).config_id,
            tts=tts,
            tts_config=get_synthesizer(tts).config_id,
            voices=sorted({c.voice for c in clips}),
        )
    manifest = LessonManifest(
        topic=topic,
        language=language,
        quality=quality,
        artifacts=_every_object(store, named, [c.audio_key for c in clips]),
        versions={
            **STAGE_VERSIONS,
            "render.source": _source_digest("scenes"),
            "mux.source": _source_digest("media"),
        },
        providers=providers,
    )
    ref = _cached(store, _key("publish", manifest, name="manifest.json"), lambda: manifest)
    published = CatalogEntry(
        topic=topic,
        language=language,
        quality=quality,
        published_at=datetime.now(UTC),
        manifest=ref,
        video=artifacts.get("lesson.mp4"),
    )
    record(store, published)
    return ref


def _sidecars(store: ArtifactStore, artifacts: dict[str, ArtifactRef]) -> dict[str, ArtifactRef]:
    """The video's subtitles and pictures and the media gate's readable facts, by role."""
    found: dict[str, ArtifactRef] = {}
    video = artifacts.get("lesson.mp4")
    if video is not None and store.exists(_beside(video, "mux.json")):
        muxed = get_model(store, _beside(video, "mux.json"), MuxOutput)
        found |= {
            "lesson.srt": muxed.subtitles_srt,
            "lesson.vtt": muxed.subtitles_vtt,
            "thumbnail.png": muxed.thumbnail,
            "contact_sheet.png": muxed.contact_sheet,
        }
    gate = artifacts.get("media_gate.json")
    if gate is not None and store.exists(_beside(gate, "media_gate.md")):
        found["media_gate.md"] = store.ref(_beside(gate, "media_gate.md"))
    return found


def _stage_of(key: str) -> str | None:
    """Stage keys are `stage/<hash>/name`: the first part names the stage that wrote the object."""
    stage = key.split("/", 1)[0]
    return stage if stage in STAGE_VERSIONS and key.count("/") == 2 else None


def _made_by(ref: ArtifactRef) -> ManifestArtifact:
    stage = _stage_of(ref.key)
    version = STAGE_VERSIONS[stage] if stage else None
    return ManifestArtifact(**ref.model_dump(), stage=stage, stage_version=version)


def _every_object(
    store: ArtifactStore, named: dict[str, ArtifactRef], more: Sequence[str]
) -> dict[str, ManifestArtifact]:
    """The named artifacts, and every object stored beside them or beside `more` keys by one stage call."""
    listed = {name: _made_by(ref) for name, ref in named.items()}
    seen = {ref.key for ref in named.values()}
    folders = sorted({key.rsplit("/", 1)[0] + "/" for key in [*seen, *more] if _stage_of(key)})
    for key in sorted({k for folder in folders for k in store.list_keys(folder)} - seen):
        stage, _, name = key.split("/")
        short = f"{stage}/{name}"
        listed[key if short in listed else short] = _made_by(store.ref(key))
    return listed
