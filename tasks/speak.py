"""speak: one narration clip per segment."""

from prefect import task
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.store import ArtifactRef, open_store
from tasks.policy import RETRY


@task(name="speak", cache_policy=NO_CACHE, timeout_seconds=1800, **RETRY)
def speak(store_url: str, lesson: ArtifactRef, tts: str) -> ArtifactRef:
    """Synthesize every segment; clips already spoken are reused."""
    return stages.speak(open_store(store_url), lesson, tts)
