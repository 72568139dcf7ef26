"""align: the narration track, its sync map and the subtitles."""

from prefect import task
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.stages import AlignOutput
from mathcast.store import ArtifactRef, open_store
from tasks.policy import RETRY, stage_timeout


@task(name="align", cache_policy=NO_CACHE, timeout_seconds=stage_timeout("align"), **RETRY)
def align(store_url: str, lesson: ArtifactRef, speech: ArtifactRef) -> AlignOutput:
    """Place every segment in the final narration track."""
    return stages.align(open_store(store_url), lesson, speech)
