"""Render a section clip in a child process and check it has exactly the frames the timeline needs.

The mux step concatenates clips against one narration track, so a clip one frame long or
short would drift the picture off the audio: the frame count is measured, not trusted.
Likewise the layout: the child measures every settled cue, and a violation fails the render.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from mathcast.scenes.check import LayoutReport
from mathcast.scenes.timeline import SceneJob

STDERR_TAIL = 2000


class RenderError(RuntimeError):
    """A section could not be rendered as asked; the message ends with manim's last words."""


class RenderTimeout(RenderError, TimeoutError):
    """A render that ran out of time: transient (a loaded machine), so the task may retry it."""


class LayoutError(RenderError):
    """A clip whose settled layout breaks the rules; carries the report and where it was written."""

    def __init__(self, report: LayoutReport, path: Path) -> None:
        self.report = report
        self.path = path
        lines = [f"{v.cue_id}: {v.kind} {'/'.join(v.elements)}: {v.detail}" for v in report.violations]
        super().__init__(
            f"section {report.section_id}: {len(lines)} layout violation(s), report at {path}:\n"
            + "\n".join(lines)
        )


def render_scene(
    job: SceneJob,
    out_path: Path,
    cache_dir: Path,
    *,
    timeout_s: float | None = None,
    report_path: Path | None = None,
) -> Path:
    """Render `job` to an MP4 at `out_path` with exactly `job.frames` frames and a clean layout.

    `cache_dir` holds the compiled TeX and text shapes shared by all renders, so a re-render
    or a sibling section reuses them. The default timeout scales with the clip length. The
    layout report goes to `report_path` (default: beside the clip, `.layout.json`).
    """
    report_path = (report_path or out_path.with_suffix(".layout.json")).resolve()
    cache_dir = cache_dir.resolve()
    job_dir = cache_dir / "jobs"
    job_dir.mkdir(parents=True, exist_ok=True)
    payload = job.model_dump_json()
    job_path = job_dir / f"{hashlib.sha256(payload.encode()).hexdigest()[:20]}.json"
    handle, partial = tempfile.mkstemp(dir=job_dir, suffix=".part")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(payload)
    os.replace(partial, job_path)

    seconds = job.frames / job.format.fps
    command = [
        sys.executable,
        "-m",
        "mathcast.scenes.runner",
        str(job_path),
        str(out_path.resolve()),
        str(cache_dir),
        str(report_path),
    ]
    try:
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            cwd=cache_dir,
            timeout=timeout_s if timeout_s is not None else 300 + 30 * seconds,
        )
    except subprocess.TimeoutExpired as error:
        raise RenderTimeout(
            f"section {job.section.id}: render timed out after {error.timeout:.0f} s"
        ) from None
    if result.returncode != 0:
        tail = (result.stderr.strip() or result.stdout.strip())[-STDERR_TAIL:]
        raise RenderError(f"section {job.section.id}: manim failed (exit {result.returncode}):\n{tail}")

    frames, width, height = probe_video(out_path)
    expected = (job.frames, job.format.width, job.format.height)
    if (frames, width, height) != expected:
        out_path.unlink(missing_ok=True)
        raise RenderError(
            f"section {job.section.id}: rendered {frames} frames at {width}x{height}, "
            f"the timeline needs {job.frames} at {job.format.width}x{job.format.height}"
        )
    report = LayoutReport.model_validate_json(report_path.read_text(encoding="utf-8"))
    if report.violations:
        raise LayoutError(report, report_path)
    return out_path


def probe_video(path: Path) -> tuple[int, int, int]:
    """(decoded frame count, width, height) of the first video stream, counted by ffprobe."""
    result = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-count_frames",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=nb_read_frames,width,height",
            "-of",
            "json",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RenderError(f"ffprobe cannot read {path.name}: {result.stderr.strip()[-STDERR_TAIL:]}")
    streams = json.loads(result.stdout).get("streams", [])
    if not streams:
        raise RenderError(f"{path.name} has no video stream")
    stream = streams[0]
    return int(stream.get("nb_read_frames", 0)), int(stream["width"]), int(stream["height"])
