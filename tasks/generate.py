"""generate: the lesson plan (sections, narration, scene cues) from a topic."""

from prefect import task
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.store import ArtifactRef, open_store
from tasks.policy import RETRY, stage_timeout


@task(name="generate", cache_policy=NO_CACHE, timeout_seconds=stage_timeout("generate"), **RETRY)
def generate(store_url: str, topic: str, language: str, writer: str) -> ArtifactRef:
    """Plan the lesson; the store's content-addressed keys are the cache."""
    return stages.generate(open_store(store_url), topic, language, writer)
