"""review: the approval gate (auto-approval of clean lessons for now)."""

from prefect import task
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.store import ArtifactRef, open_store
from tasks.policy import RETRY


@task(name="review", cache_policy=NO_CACHE, timeout_seconds=300, **RETRY)
def review(store_url: str, lesson: ArtifactRef, gate: ArtifactRef) -> ArtifactRef:
    """Record the review decision."""
    return stages.review(open_store(store_url), lesson, gate)
