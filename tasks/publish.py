"""publish: the lesson manifest and its catalog entry."""

from prefect import task
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.lesson import Quality
from mathcast.store import ArtifactRef, open_store
from tasks.policy import RETRY, stage_timeout


@task(name="publish", cache_policy=NO_CACHE, timeout_seconds=stage_timeout("publish"), **RETRY)
def publish(
    store_url: str,
    topic: str,
    language: str,
    quality: Quality,
    artifacts: dict[str, ArtifactRef],
    writer: str | None = None,
    tts: str | None = None,
) -> ArtifactRef:
    """Write manifest.json and point the catalog at it."""
    return stages.publish(open_store(store_url), topic, language, quality, artifacts, writer, tts)
