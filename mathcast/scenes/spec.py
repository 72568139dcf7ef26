"""What stops a cue from being drawn, found from the spec alone: before any voice or render runs.

The content gate asks this of every cue of a lesson, and `mathcast render` before it draws, so a
model-written formula outside the LaTeX allowlist or a curve that cannot be plotted is refused
where it is cheap to fix, not after the narration has been spoken and aligned.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from mathcast.lesson import Cue, DerivationCue, FormulaCue, FunctionGraphCue, GeometryCue, NumberLineCue
from mathcast.scenes.cues import SAMPLES, CueDrawError, CurveFunction, compile_curve, sample
from mathcast.scenes.latex import UnsafeLatexError, check_latex


def _latex_of(cue: Cue) -> Iterator[str]:
    if isinstance(cue, FormulaCue):
        yield cue.latex
    elif isinstance(cue, DerivationCue):
        yield from cue.lines
    elif isinstance(cue, FunctionGraphCue):
        for curve in cue.curves:
            yield curve.latex
            if curve.label:
                yield curve.label
    elif isinstance(cue, NumberLineCue) and cue.caption:
        yield cue.caption
    elif isinstance(cue, GeometryCue):
        yield from cue.latex()


def cue_problems(cue: Cue) -> list[str]:
    """LaTeX outside the allowlist, curves that do not parse or use undeclared symbols, each
    message naming the cue."""
    problems: list[str] = []
    for latex in _latex_of(cue):
        try:
            check_latex(latex)
        except UnsafeLatexError as error:
            problems.append(f"cue {cue.id}: {error}")
    if isinstance(cue, FunctionGraphCue):
        for curve in cue.curves:
            try:
                function = compile_curve(curve, sorted(cue.parameters))
            except CueDrawError as error:
                problems.append(f"cue {cue.id}: {error}")
                continue
            if not _shows_anywhere(cue, function):
                (x0, x1), (y0, y1) = cue.x_range, cue.y_range
                problems.append(
                    f"cue {cue.id}: curve {curve.latex!r} draws nothing inside x in [{x0:g}, {x1:g}], "
                    f"y in [{y0:g}, {y1:g}]: widen the ranges or fix the formula"
                )
    return problems


def _shows_anywhere(cue: FunctionGraphCue, function: CurveFunction) -> bool:
    """Whether the curve has a visible point at the initial parameters or at any sweep keyframe
    (a blank graph would pass the layout check and show the learner empty axes)."""
    names = sorted(cue.parameters)
    settings = [dict(cue.parameters)]
    if cue.sweep is not None:
        settings += [{**cue.parameters, cue.sweep.parameter: value} for value in cue.sweep.values]
    xs = np.linspace(*cue.x_range, SAMPLES)
    low, high = cue.y_range
    for values in settings:
        ys = sample(function, xs, [values[name] for name in names])
        if np.any(np.isfinite(ys) & (ys >= low) & (ys <= high)):
            return True
    return False
