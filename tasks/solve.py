"""solve: the expert writes each worked example step by step."""

from prefect import task
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.store import ArtifactRef, open_store
from tasks.policy import RETRY, stage_timeout


@task(name="solve", cache_policy=NO_CACHE, timeout_seconds=stage_timeout("solve"), **RETRY)
def solve(store_url: str, plan: ArtifactRef, writer: str) -> ArtifactRef:
    """Solve every problem of the plan."""
    return stages.solve(open_store(store_url), plan, writer)
