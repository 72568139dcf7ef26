"""Renders one SceneJob in its own process.

    python -m mathcast.scenes.runner JOB.json OUT.mp4 CACHE_DIR REPORT.json

manim keeps its settings in a process-wide `config`, so each render gets a fresh process;
that also lets sections render in parallel. Timing is done in frames: an animation of n
frames is played with run_time (n - 0.5) / fps, which manim's `arange` turns into exactly
n frames, and a still hold of n frames with (n + 0.5) / fps, which its `int()` truncates
to exactly n. So every slot starts on its frame and the clip has exactly `job.frames` frames.
At the end of each slot, with the cue settled, the layout check measures what is on screen.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree

from manim import Animation, FadeIn, FadeOut, Scene, VGroup, VMobject, config

from mathcast.lesson import EmphasisCue, Language
from mathcast.scenes import layout, theme
from mathcast.scenes.check import LayoutReport, Violation, check_screen
from mathcast.scenes.cues import Drawing, Element, SlotTime, emphasize, plan
from mathcast.scenes.latex import tex_template
from mathcast.scenes.timeline import SceneJob

OUTPUT_NAME = "section"


class SectionScene(Scene):
    """Plays a job's slots in order: each cue's beats, previous content fading out as it enters.

    An emphasis cue keeps the screen and acts on the cue shown there.
    """

    def __init__(self, job: SceneJob) -> None:
        self.job = job
        self.cursor = 0  # frames written so far
        self.pending: list[Animation] = []  # header entry and fade-outs, joined to the next animation
        self.shown: tuple[str, Drawing] | None = None  # the cue on screen and its drawing
        self.report = LayoutReport(section_id=job.section.id)
        super().__init__()

    def construct(self) -> None:
        job = self.job
        language: Language = job.section.segments[0].language
        header = layout.header(job.section.title)
        self.pending = [FadeIn(header)]
        for slot in sorted(job.slots, key=lambda s: s.start_frame):
            start, end = max(slot.start_frame, self.cursor), min(slot.end_frame, job.frames)
            if end <= start:
                continue
            self._hold_until(start)
            speech_end = min(max(slot.speech_end_frame - start, 0), end - start)
            time = SlotTime(frames=end - start, speech_end=speech_end, fps=job.format.fps)
            cue = slot.cue
            if isinstance(cue, EmphasisCue):
                if self.shown is None or self.shown[0] != cue.target:
                    continue  # its target had no frames of its own: nothing to emphasise
                drawing = emphasize(cue, self.shown[1], time)
            else:
                self._clear(header)
                drawing = plan(cue, time, language)
                self.shown = (cue.id, drawing)
            self._play_beats(cue.id, drawing, time, header)
            self._check(cue.id, drawing.elements, header)
        self._hold_until(job.frames)
        if self.cursor != job.frames:
            raise RuntimeError(f"rendered {self.cursor} frames, the job needs {job.frames}")

    def _clear(self, keep: VMobject) -> None:
        """Fade out everything but `keep` together with the next cue's entry."""
        outgoing = [m for m in self.mobjects if m is not keep]
        self.remove(*(m for m in outgoing if not isinstance(m, VMobject)))
        leaving = [m for m in outgoing if isinstance(m, VMobject)]
        if leaving:
            self.pending.append(FadeOut(VGroup(*leaving)))

    def _check(self, cue_id: str, elements: Sequence[Element], header: VMobject) -> None:
        """Measure the settled elements still on screen (a faded-out countdown is not).

        Membership is by drawn pieces: animating a group regroups the scene's top-level list.
        """
        on_screen = set(self.get_mobject_family_members())
        shown = [e for e in elements if any(m in on_screen for m in e.mobject.family_members_with_points())]
        violations: list[Violation] = check_screen(cue_id, shown, header)
        self.report = self.report.model_copy(
            update={
                "checked": [*self.report.checked, cue_id],
                "violations": [*self.report.violations, *violations],
            }
        )

    def _play_beats(self, cue_id: str, drawing: Drawing, time: SlotTime, header: VMobject) -> None:
        """Play beats at their slot frames; a beat is cut short where the next one (or the slot) starts.

        Each earlier page of a cue split across screens is measured just before it is replaced.
        """
        origin = self.cursor
        ordered = sorted(drawing.beats, key=lambda b: b.at)
        pages = sorted(drawing.earlier, key=lambda s: s.until)
        for i, beat in enumerate(ordered):
            at = max(beat.at, self.cursor - origin)
            limit = min(ordered[i + 1].at if i + 1 < len(ordered) else time.frames, time.frames)
            frames = min(beat.frames, limit - at)
            if frames <= 0:
                continue
            self._hold(at - (self.cursor - origin))
            while pages and pages[0].until <= beat.at:
                self._check(cue_id, pages.pop(0).elements, header)
            self._play(frames, beat.animations)
        for page in pages:  # never replaced: its slot ended first
            self._check(cue_id, page.elements, header)
        self._hold_until(origin + time.frames)

    def _hold_until(self, frame: int) -> None:
        """Still frames up to `frame`; the header fades in first if nothing has been shown yet."""
        if self.pending and frame > self.cursor:
            entry = min(round(theme.ENTRY_SECONDS * self.job.format.fps) or 1, frame - self.cursor)
            self._play(entry, ())
        self._hold(frame - self.cursor)

    def _play(self, frames: int, animations: Sequence[Animation]) -> None:
        """Exactly `frames` frames of the animations, plus any pending header and fade-outs."""
        everything = [*self.pending, *animations]
        self.pending = []
        if not everything:
            self._hold(frames)
            return
        fps = self.job.format.fps
        self.play(*everything, run_time=1 / fps if frames == 1 else (frames - 0.5) / fps)
        self.cursor += frames

    def _hold(self, frames: int) -> None:
        if frames > 0:
            self.wait((frames + 0.5) / self.job.format.fps, frozen_frame=True)
            self.cursor += frames


def configure(job: SceneJob, scratch: Path) -> None:
    """Point manim at this job's format and at this render's own dirs; keep TeX locked down."""
    fmt = job.format
    # Read by kpathsea: no \write18 at all, and TeX writes only below its output directory.
    # (openin_any=p would also refuse the cache when it sits under a dot-directory like ~/.cache.)
    os.environ.update(shell_escape="f", openout_any="p")
    config.pixel_width, config.pixel_height, config.frame_rate = fmt.width, fmt.height, fmt.fps
    config.frame_height = 8.0
    config.frame_width = 8.0 * fmt.width / fmt.height
    config.background_color = theme.BACKGROUND
    config.media_dir = str(scratch)
    config.tex_dir = str(scratch / "tex")
    config.text_dir = str(scratch / "text")
    config.tex_template = tex_template("")
    config.output_file = OUTPUT_NAME
    config.progress_bar = "none"
    config.verbosity = "WARNING"
    config.preview = False
    # Whole clips are cached by the pipeline; manim's per-play hashing would only cost time.
    config.disable_caching = True


def _whole(svg: Path) -> bool:
    """An SVG a render can use: not empty, and well-formed XML to its end."""
    try:
        return svg.stat().st_size > 0 and ElementTree.parse(svg) is not None
    except (OSError, ElementTree.ParseError):
        return False


def _borrow(shared: Path, private: Path) -> None:
    """Copy the shared SVG cache into a render's private dir, leaving out (and removing) broken files.

    manim writes scratch files beside the SVGs it parses, so parallel renders must not parse in
    one directory — and copies, not hard links, so no render can ever write into the shared copy.
    """
    private.mkdir(parents=True, exist_ok=True)
    for svg in shared.glob("*.svg"):
        if svg.stat().st_size:
            shutil.copyfile(svg, private / svg.name)
        else:
            svg.unlink(missing_ok=True)  # a truncated shape would break every later render


def _publish(private: Path, shared: Path) -> None:
    """Add this render's new, well-formed SVGs (content-addressed names) to the shared cache, atomically."""
    shared.mkdir(parents=True, exist_ok=True)
    for svg in private.glob("*.svg"):
        target = shared / svg.name
        if not target.exists() and _whole(svg):
            partial = shared / f".{svg.name}.{os.getpid()}.part"
            shutil.copyfile(svg, partial)
            os.replace(partial, target)


def render(job: SceneJob, out_path: Path, cache_dir: Path, report_path: Path) -> Path:
    """Render into a scratch dir under the cache, then move the clip to `out_path` atomically.

    Compiled TeX and text shapes come from `cache_dir` and new ones go back to it, so a
    re-render, or any section sharing a formula, skips TeX. The layout report is written
    to `report_path` whatever it says: the caller decides what a violation means.
    """
    scratch_root = cache_dir / "scratch"
    scratch_root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=f"{job.section.id}-", dir=scratch_root))
    caches = [(cache_dir / "tex", scratch / "tex"), (cache_dir / "text", scratch / "text")]
    try:
        for shared, private in caches:
            _borrow(shared, private)
        configure(job, scratch)
        scene = SectionScene(job)
        scene.render()
        report_path.parent.mkdir(parents=True, exist_ok=True)
        report_path.write_text(scene.report.model_dump_json(indent=2), encoding="utf-8")
        for shared, private in caches:
            _publish(private, shared)
        movie = scene.output_plan.primary_artifact
        if movie is None or not movie.exists():
            raise RuntimeError("manim finished without writing a movie file")
        out_path.parent.mkdir(parents=True, exist_ok=True)
        partial = out_path.with_name(f".{out_path.name}.{os.getpid()}.part")
        shutil.copyfile(movie, partial)
        os.replace(partial, out_path)
        return out_path
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv: Sequence[str]) -> int:
    if len(argv) != 4:
        print(
            "usage: python -m mathcast.scenes.runner JOB.json OUT.mp4 CACHE_DIR REPORT.json", file=sys.stderr
        )
        return 2
    job_path, out_path, cache_dir, report_path = (Path(a) for a in argv)
    job = SceneJob.model_validate_json(job_path.read_text(encoding="utf-8"))
    render(job, out_path.resolve(), cache_dir.resolve(), report_path.resolve())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
