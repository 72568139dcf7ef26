"""media_gate: Great Expectations over the measured facts of lesson.mp4, shown to the reviewer."""

from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.lesson import Quality
from mathcast.store import ArtifactRef, ArtifactStore, open_store
from quality.gate import QualityGateError
from tasks.policy import RETRY, stage_timeout


@task(name="media_gate", cache_policy=NO_CACHE, timeout_seconds=stage_timeout("media_gate"), **RETRY)
def media_gate(
    store_url: str, video: ArtifactRef, lesson: ArtifactRef, quality: Quality, artifact_key: str
) -> ArtifactRef:
    """Raise QualityGateError with the facts when the video is not fit to ship. Pass or fail, the
    facts, the verdict per check and the pictures are shown as markdown artifact `artifact_key`."""
    store = open_store(store_url)
    try:
        gate = stages.media_gate(store, video, lesson, quality)
    except QualityGateError as failed:
        if failed.evidence is not None:
            _show(store, video, lesson, failed.evidence, artifact_key)
        raise
    _show(store, video, lesson, gate, artifact_key)
    return gate


def _show(store: ArtifactStore, video: ArtifactRef, lesson: ArtifactRef, gate: ArtifactRef, key: str) -> None:
    report = stages.media_gate_report(store, video, lesson, gate)
    verdict = "passed" if report.success else "FAILED"
    create_markdown_artifact(
        markdown=report.markdown, key=key, description=f"Media gate: {report.title} ({verdict})"
    )
