"""content_gate: Great Expectations over the verification table and the plan."""

from prefect import task
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.store import ArtifactRef, get_model, open_store
from quality.gate import GateResult, QualityGateError
from tasks.policy import RETRY, stage_timeout


@task(name="content_gate", cache_policy=NO_CACHE, timeout_seconds=stage_timeout("content_gate"), **RETRY)
def content_gate(store_url: str, lesson: ArtifactRef, verification: ArtifactRef) -> ArtifactRef:
    """Judge the lesson's math and structure; a failure raises QualityGateError with the evidence,
    so the run shows the failed gate, and the flow routes the lesson back to reflect."""
    store = open_store(store_url)
    ref = stages.content_gate(store, lesson, verification)
    result = get_model(store, ref.key, GateResult)
    if not result.success:
        raise QualityGateError(result, evidence=ref)
    return ref
