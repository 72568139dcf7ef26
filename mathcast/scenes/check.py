"""The layout check: measures the mobjects actually on screen once a cue has settled.

Layout rules place content, but a model-written spec can still defeat them (a label pushed
out of the axes, a table scaled down to specks). So the truth is measured after drawing:
every element inside the title-safe frame, no two overlapping, no text below a readable size.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from typing import Literal

from manim import DL, UR, DecimalNumber, MarkupText, Mobject, SingleStringMathTex, Text
from pydantic import Field

from mathcast.lesson import Model
from mathcast.scenes import theme
from mathcast.scenes.cues import Element
from mathcast.scenes.layout import Box, safe_frame

HEADER = "header"
ViolationKind = Literal["off_frame", "overlap", "outside_container", "small_font"]


class Violation(Model):
    cue_id: str
    kind: ViolationKind
    elements: list[str]
    detail: str


class LayoutReport(Model):
    section_id: str
    checked: list[str] = Field(default_factory=list, description="Cue ids measured, in order.")
    violations: list[Violation] = Field(default_factory=list)


class LessonLayout(Model):
    """The layout reports of every section of a lesson: its `layout_report.json`."""

    lesson: str
    violations: int
    sections: list[LayoutReport]

    @classmethod
    def of(cls, lesson: str, sections: Sequence[LayoutReport]) -> LessonLayout:
        return cls(
            lesson=lesson, violations=sum(len(r.violations) for r in sections), sections=list(sections)
        )


def bounds(mobject: Mobject) -> Box | None:
    """The bounding box of what is drawn, or None when nothing visible is (hidden or empty)."""
    visible = [
        m
        for m in mobject.get_family()
        if m.has_points() and (m.get_fill_opacity() > 0 or m.get_stroke_opacity() > 0)
    ]
    if not visible:
        return None
    lows = [m.get_corner(DL) for m in visible]
    highs = [m.get_corner(UR) for m in visible]
    return Box(
        left=min(float(p[0]) for p in lows),
        right=max(float(p[0]) for p in highs),
        top=max(float(p[1]) for p in highs),
        bottom=min(float(p[1]) for p in lows),
    )


def overlap(a: Box, b: Box) -> tuple[float, float]:
    """Width and height the two boxes share (zero or negative when they are apart)."""
    return min(a.right, b.right) - max(a.left, b.left), min(a.top, b.top) - max(a.bottom, b.bottom)


def _outside(inner: Box, outer: Box) -> float:
    """How far `inner` reaches past `outer` at its worst edge, in scene units."""
    return max(
        outer.left - inner.left,
        inner.right - outer.right,
        inner.top - outer.top,
        outer.bottom - inner.bottom,
        0.0,
    )


def font_sizes(mobject: Mobject) -> Iterator[float]:
    """The effective font size of every text-like mobject, after all the scaling layout did."""
    if isinstance(mobject, Text | MarkupText | SingleStringMathTex | DecimalNumber):
        if mobject.height > 0 and mobject.family_members_with_points():
            yield float(mobject.font_size)
        return
    for child in mobject.submobjects:
        yield from font_sizes(child)


def check_screen(cue_id: str, elements: Sequence[Element], header: Mobject | None) -> list[Violation]:
    """All layout violations among `elements` (and the section header) as they stand now."""
    tolerance = theme.OVERLAP_TOLERANCE
    boxes = {e.name: box for e in elements if (box := bounds(e.mobject)) is not None}
    if header is not None and (header_box := bounds(header)) is not None:
        boxes[HEADER] = header_box
    parents = {e.name: e.within for e in elements}
    found: list[Violation] = []

    def add(kind: ViolationKind, names: list[str], detail: str) -> None:
        found.append(Violation(cue_id=cue_id, kind=kind, elements=names, detail=detail))

    safe = safe_frame()
    for name, box in boxes.items():
        if (beyond := _outside(box, safe)) > tolerance:
            add("off_frame", [name], f"reaches {beyond:.2f} units past the title-safe frame")
        parent = parents.get(name)
        if parent in boxes and (beyond := _outside(box, boxes[parent])) > tolerance:
            add("outside_container", [name, parent], f"reaches {beyond:.2f} units outside {parent}")
    for (a, box_a), (b, box_b) in itertools.combinations(boxes.items(), 2):
        if (
            b == parents.get(a)
            or a == parents.get(b)
            or (parents.get(a) != parents.get(b) and HEADER not in (a, b))
        ):
            continue  # a child over its container, or children of different containers (checked via them)
        width, height = overlap(box_a, box_b)
        if width > tolerance and height > tolerance:
            add("overlap", [a, b], f"{a} and {b} overlap by {width:.2f} x {height:.2f} units")
    for element in elements:
        smallest = min(font_sizes(element.mobject), default=None)
        if smallest is not None and smallest < theme.MIN_FONT_SIZE - 0.5:
            add(
                "small_font",
                [element.name],
                f"text at font size {smallest:.1f}, below the readable {theme.MIN_FONT_SIZE}",
            )
    return found
