"""verify: every step and answer of the final script becomes a claim with a verdict."""

from prefect import task
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.store import ArtifactRef, open_store
from tasks.policy import RETRY, stage_timeout


@task(name="verify", cache_policy=NO_CACHE, timeout_seconds=stage_timeout("verify"), **RETRY)
def verify(store_url: str, lesson: ArtifactRef, reflections: ArtifactRef) -> ArtifactRef:
    """Write verification.json."""
    return stages.verify(open_store(store_url), lesson, reflections)
