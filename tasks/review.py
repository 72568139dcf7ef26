"""review: publish the review packet where reviewers look, and record their decision."""

from prefect import task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.review import ReviewDecision
from mathcast.stages import ReviewPacket
from mathcast.store import ArtifactRef, open_store
from tasks.policy import RETRY, stage_timeout


@task(name="review_packet", cache_policy=NO_CACHE, timeout_seconds=stage_timeout("review_packet"), **RETRY)
def review_packet(
    store_url: str,
    key: str,
    lesson: ArtifactRef,
    reflections: ArtifactRef,
    verification: ArtifactRef,
    gate: ArtifactRef,
) -> ReviewPacket:
    """Store packet.md and show it as artifacts `key` (markdown) and `key`-claims (table)."""
    packet = stages.review_packet(open_store(store_url), lesson, reflections, verification, gate)
    state = "FLAGGED: content gate failed" if packet.flagged else "content gate passed"
    create_markdown_artifact(
        markdown=packet.markdown, key=key, description=f"Review packet: {packet.title} ({state})"
    )
    create_table_artifact(
        table=packet.claims, key=f"{key}-claims", description=f"Verified claims: {packet.title}"
    )
    return packet


@task(name="review", cache_policy=NO_CACHE, timeout_seconds=stage_timeout("review"), **RETRY)
def review(
    store_url: str, lesson: ArtifactRef, packet: ReviewPacket, decision: ReviewDecision
) -> ArtifactRef:
    """Record the review decision."""
    return stages.review(open_store(store_url), lesson, packet, decision)
