"""media_gate: Great Expectations over the measured facts of lesson.mp4."""

from prefect import task
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.lesson import Quality
from mathcast.store import ArtifactRef, open_store
from tasks.policy import RETRY, stage_timeout


@task(name="media_gate", cache_policy=NO_CACHE, timeout_seconds=stage_timeout("media_gate"), **RETRY)
def media_gate(store_url: str, video: ArtifactRef, lesson: ArtifactRef, quality: Quality) -> ArtifactRef:
    """Raise QualityGateError with the facts when the video is not fit to ship."""
    return stages.media_gate(open_store(store_url), video, lesson, quality)
