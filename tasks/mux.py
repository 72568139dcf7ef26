"""mux: scene clips + narration + subtitles + chapters into lesson.mp4, its sidecars and pictures."""

from prefect import task
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.lesson import PresetName, Quality
from mathcast.stages import AlignOutput, BackgroundMusic, RenderedClip
from mathcast.store import ArtifactRef, open_store
from tasks.policy import RETRY, stage_timeout


@task(name="mux", cache_policy=NO_CACHE, timeout_seconds=stage_timeout("mux"), **RETRY)
def mux(
    store_url: str,
    lesson: ArtifactRef,
    clips: list[RenderedClip],
    aligned: AlignOutput,
    quality: Quality,
    preset: PresetName = "classroom",
    music: BackgroundMusic | None = None,
    thumbnail_cue: str | None = None,
) -> ArtifactRef:
    """Encode the lesson video for one delivery preset, with optional background music."""
    return stages.mux_lesson(
        open_store(store_url), lesson, clips, aligned, quality, preset, music, thumbnail_cue
    )
