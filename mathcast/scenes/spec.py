"""What stops a cue from being drawn, found from the spec alone: before any voice or render runs.

The content gate asks this of every cue of a lesson, and `mathcast render` before it draws, so a
model-written formula outside the LaTeX allowlist or a curve that cannot be plotted is refused
where it is cheap to fix, not after the narration has been spoken and aligned.
"""

from __future__ import annotations

from collections.abc import Iterator

from mathcast.lesson import Cue, DerivationCue, FormulaCue, FunctionGraphCue, GeometryCue, NumberLineCue
from mathcast.scenes.cues import CueDrawError, compile_curve
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
                compile_curve(curve, sorted(cue.parameters))
            except CueDrawError as error:
                problems.append(f"cue {cue.id}: {error}")
    return problems
