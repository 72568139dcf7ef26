"""content_gate: Great Expectations over the verification table and the plan."""

from prefect import task
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.store import ArtifactRef, open_store
from tasks.policy import RETRY


@task(name="content_gate", cache_policy=NO_CACHE, timeout_seconds=300, **RETRY)
def content_gate(store_url: str, lesson: ArtifactRef, verification: ArtifactRef) -> ArtifactRef:
    """Judge the lesson's math and structure; the result (pass or fail) is the evidence."""
    return stages.content_gate(open_store(store_url), lesson, verification)
