"""reflect: check the expert with the verifier, correct, summarise; write the final script."""

from prefect import task
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.stages import ReflectOutput
from mathcast.store import ArtifactRef, open_store
from tasks.policy import RETRY, stage_timeout


@task(name="reflect", cache_policy=NO_CACHE, timeout_seconds=stage_timeout("reflect"), **RETRY)
def reflect(
    store_url: str,
    plan: ArtifactRef,
    solutions: ArtifactRef,
    writer: str,
    rounds: int,
    feedback: list[str] | None = None,
) -> ReflectOutput:
    """Bounded reflection rounds; returns the lesson script, the corrected solutions and the log."""
    return stages.reflect(open_store(store_url), plan, solutions, writer, rounds, feedback or [])
