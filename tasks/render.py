"""render: one section's clip with manim; the flow maps it over sections to render in parallel,
then merges their layout reports."""

from pathlib import Path

from prefect import task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from mathcast import stages
from mathcast.lesson import Quality
from mathcast.scenes.render import LayoutError
from mathcast.stages import RenderedClip
from mathcast.store import ArtifactRef, open_store
from tasks.policy import RETRY


# No Prefect timeout: mapped renders run in worker threads, where it cannot interrupt; the
# manim subprocess has its own time limit (RenderError / TimeoutExpired, which retries).
@task(name="render", task_run_name="render-{section_id}", cache_policy=NO_CACHE, **RETRY)
def render(
    store_url: str,
    lesson: ArtifactRef,
    syncmap: ArtifactRef,
    section_id: str,
    quality: Quality,
    cache_dir: Path,
) -> RenderedClip:
    """Render one section, timed by the sync map; a layout violation fails it with the report
    shown in the Prefect UI (one row per violation: which cue, what overlaps what)."""
    try:
        return stages.render_section(open_store(store_url), lesson, syncmap, section_id, quality, cache_dir)
    except LayoutError as error:
        create_table_artifact(
            key=f"layout-{section_id}".lower(),
            table=[v.model_dump(mode="json") for v in error.report.violations],
            description=f"Layout violations of section {section_id}: the render failed on these.",
        )
        raise


@task(name="layout_report", cache_policy=NO_CACHE, **RETRY)
def layout_report(store_url: str, lesson: ArtifactRef, clips: list[RenderedClip]) -> ArtifactRef:
    """The lesson's layout_report.json: every section's report, for the manifest."""
    return stages.layout_report(open_store(store_url), lesson, clips)
