"""speak: one narration clip per segment."""

from prefect import task
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.store import ArtifactRef, open_store
from tasks.policy import RETRY, stage_timeout


@task(name="speak", cache_policy=NO_CACHE, timeout_seconds=stage_timeout("speak"), **RETRY)
def speak(store_url: str, lesson: ArtifactRef, tts: str) -> ArtifactRef:
    """Synthesize every segment; clips already spoken are reused."""
    return stages.speak(open_store(store_url), lesson, tts)
