"""Geometry figures: named points (given or constructed), then shapes drawn one by one.

Coordinates are the figure's own; the whole figure is scaled uniformly (angles stay true) into
the body box, with room left for the labels. Point labels sit outside the figure, away from its
centre; segment labels beside their middle, on the outer side; angle labels on the bisector.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import (
    UR,
    Angle,
    Animation,
    Circle,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    Line,
    Polygon,
    RightAngle,
    VGroup,
    VMobject,
    Write,
)

from mathcast.lesson import (
    Foot,
    GeoAngle,
    GeoCircle,
    GeoLine,
    GeometryCue,
    GeoPolygon,
    GeoSegment,
    Language,
    Shape,
)
from mathcast.scenes import theme
from mathcast.scenes.cues import Beat, CueDrawError, Drawing, Element, SlotTime, plan, spread
from mathcast.scenes.latex import safe_math_tex
from mathcast.scenes.layout import Box, body_box, text

LABEL_ROOM = 0.7  # scene units kept free around the figure for labels
ANGLE_RADIUS = 0.45
RIGHT_ANGLE_TOLERANCE = 1e-6


def coordinates(cue: GeometryCue) -> dict[str, np.ndarray]:
    """Every named point in the figure's coordinates, constructions worked out in order."""
    at = {p.name: np.array([p.x, p.y, 0.0]) for p in cue.points}
    for construction in cue.constructions:
        if isinstance(construction, Foot):
            a, b = (at[n] for n in construction.line)
            direction = b - a
            if not np.any(direction):
                raise CueDrawError(
                    f"geometry {cue.id}: line {''.join(construction.line)} joins one point to itself"
                )
            p = at[construction.source]
            at[construction.name] = a + direction * float(
                np.dot(p - a, direction) / np.dot(direction, direction)
            )
        else:
            a, b = (at[n] for n in construction.of)
            at[construction.name] = (a + b) / 2
    return at


def _radius(circle: GeoCircle, at: dict[str, np.ndarray]) -> float:
    if circle.through is not None:
        radius = float(np.linalg.norm(at[circle.through] - at[circle.center]))
        if radius == 0:
            raise CueDrawError(f"circle about {circle.center} through itself has no radius")
        return radius
    assert circle.radius is not None  # the model requires one of the two
    return circle.radius


def _extent(cue: GeometryCue, at: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Lower-left and upper-right corners of everything drawn, in figure coordinates."""
    corners = list(at.values())
    for shape in cue.shapes:
        if isinstance(shape, GeoCircle):
            r = _radius(shape, at)
            corners += [at[shape.center] - np.array([r, r, 0]), at[shape.center] + np.array([r, r, 0])]
    stacked = np.array(corners)
    low, high = stacked.min(axis=0), stacked.max(axis=0)
    if np.allclose(low, high):
        high = low + np.array([1.0, 1.0, 0.0])
    return low, high


def _placement(low: np.ndarray, high: np.ndarray, box: Box) -> tuple[float, np.ndarray]:
    """Uniform scale and the scene point of the figure's centre, so the figure fills `box`."""
    span = high - low
    scale = min(
        (box.width - 2 * LABEL_ROOM) / max(span[0], 1e-9),
        (box.height - 2 * LABEL_ROOM) / max(span[1], 1e-9),
    )
    return scale, (low + high) / 2


def _outward(point: np.ndarray, centre: np.ndarray) -> np.ndarray:
    away = point - centre
    norm = float(np.linalg.norm(away[:2]))
    return away / norm if norm > 1e-9 else UR / np.linalg.norm(UR)


def _reach(label: VMobject) -> float:
    """How far a label's centre sits from what it names, so the label clears it in any direction."""
    return max(label.width, label.height) / 2


def _label(latex: str, color: str) -> VMobject:
    return safe_math_tex(latex, font_size=theme.LABEL_SIZE, color=color)


class _Figure:
    """The figure mapped into the scene: point positions and the mobjects of each shape."""

    def __init__(self, cue: GeometryCue, box: Box) -> None:
        self.cue = cue
        self.at = coordinates(cue)
        low, high = _extent(cue, self.at)
        self.scale, middle = _placement(low, high, box)
        self.scene: dict[str, np.ndarray] = {
            name: box.center + (p - middle) * self.scale for name, p in self.at.items()
        }
        self.centroid = np.mean(list(self.scene.values()), axis=0)
        half = (high - low) * self.scale / 2 + np.array([LABEL_ROOM, LABEL_ROOM, 0.0]) / 2
        self.frame = (box.center - half, box.center + half)

    def point(self, name: str) -> np.ndarray:
        return self.scene[name]

    def shape(self, shape: Shape, color: str) -> tuple[VMobject, VMobject | None]:
        """The drawn shape and its label (None when it has none)."""
        if isinstance(shape, GeoSegment):
            a, b = (self.point(n) for n in shape.ends)
            line = DashedLine(a, b, dash_length=0.12) if shape.dashed else Line(a, b)
            line.set_stroke(color, width=4)
            return line, self._side_label(shape.label, a, b, color)
        if isinstance(shape, GeoLine):
            a, b = (self.point(n) for n in shape.through)
            start, end = self._across(a, b)
            line = Line(start, end).set_stroke(color, width=3)
            return line, self._side_label(shape.label, a, b, color)
        if isinstance(shape, GeoPolygon):
            polygon = Polygon(*(self.point(n) for n in shape.vertices), stroke_color=color, stroke_width=4)
            polygon.set_fill(color, opacity=0.15 if shape.filled else 0.0)
            return polygon, None
        if isinstance(shape, GeoCircle):
            circle = Circle(radius=_radius(shape, self.at) * self.scale)
            circle.set_stroke(color, width=4).move_to(self.point(shape.center))
            return circle, None
        return self._angle(shape, color)

    def _side_label(self, latex: str | None, a: np.ndarray, b: np.ndarray, color: str) -> VMobject | None:
        if latex is None:
            return None
        middle = (a + b) / 2
        normal = np.array([-(b - a)[1], (b - a)[0], 0.0])
        normal /= max(float(np.linalg.norm(normal)), 1e-9)
        if np.dot(normal, middle - self.centroid) < 0:
            normal = -normal
        label = _label(latex, color)
        return label.move_to(middle + normal * (0.15 + _reach(label)))

    def _across(self, a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The line through a and b cut to the figure's frame."""
        direction = (b - a) / max(float(np.linalg.norm(b - a)), 1e-9)
        (x0, y0, _), (x1, y1, _) = self.frame
        ts = []
        for axis, low, high in ((0, x0, x1), (1, y0, y1)):
            if abs(direction[axis]) > 1e-9:
                ts += [(low - a[axis]) / direction[axis], (high - a[axis]) / direction[axis]]
        inside = sorted(t for t in ts if x0 - 1e-6 <= (a + t * direction)[0] <= x1 + 1e-6
                        and y0 - 1e-6 <= (a + t * direction)[1] <= y1 + 1e-6)  # fmt: skip
        return a + inside[0] * direction, a + inside[-1] * direction

    def _angle(self, shape: GeoAngle, color: str) -> tuple[VMobject, VMobject | None]:
        vertex = self.point(shape.vertex)
        first = Line(vertex, self.point(shape.start))
        second = Line(vertex, self.point(shape.end))
        u, v = (line.get_unit_vector() for line in (first, second))
        if abs(float(np.dot(u, v))) < RIGHT_ANGLE_TOLERANCE:
            mark: VMobject = RightAngle(first, second, length=ANGLE_RADIUS * 0.7, color=color)
        else:
            counter_clockwise = float(np.cross(u, v)[2]) > 0
            mark = Angle(first, second, radius=ANGLE_RADIUS, other_angle=not counter_clockwise, color=color)
        if shape.label is None:
            return mark, None
        bisector = u + v if np.linalg.norm(u + v) > 1e-9 else np.array([-u[1], u[0], 0.0])
        if float(np.cross(u, v)[2]) < 0 and np.dot(u, v) < 0:
            bisector = -bisector
        bisector /= float(np.linalg.norm(bisector))
        label = _label(shape.label, color)
        return mark, label.move_to(
            vertex + bisector * (ANGLE_RADIUS + 0.1 + max(label.width, label.height) / 2)
        )

    def points(self) -> list[tuple[str, VMobject, VMobject]]:
        """Each named point as a dot and its name, the name pushed away from the figure's centre."""
        drawn: list[tuple[str, VMobject, VMobject]] = []
        for name, where in self.scene.items():
            dot = Dot(where, radius=0.06, color=theme.POINT).set_z_index(1)  # points stay on top of lines
            label = _label(name, theme.TEXT)
            label.move_to(
                where + _outward(where, self.centroid) * (0.12 + max(label.width, label.height) / 2)
            )
            drawn.append((name, dot, label))
        return drawn


@plan.register
def _geometry(cue: GeometryCue, time: SlotTime, language: Language) -> Drawing:
    """Points and their names first, then each shape in the order given, spread over the narration."""
    box = body_box()
    caption = text(cue.caption, theme.BODY_SIZE, theme.MUTED, max_width=box.width) if cue.caption else None
    figure_box = box
    if caption is not None:
        figure_box = Box(box.left, box.right, box.top, box.bottom + caption.height + 0.3)
        caption.move_to(np.array([box.center[0], box.bottom + caption.height / 2, 0.0]))
    figure = _Figure(cue, figure_box)
    shapes = [figure.shape(shape, theme.CURVES[i % len(theme.CURVES)]) for i, shape in enumerate(cue.shapes)]
    points = figure.points()
    dots = VGroup(*(dot for _, dot, _ in points))
    labels: list[tuple[str, VMobject]] = [(f"point-{name}", label) for name, _, label in points]
    labels += [(f"label-{i}", label) for i, (_, label) in enumerate(shapes, start=1) if label is not None]
    whole = VGroup(*(m for m, _ in shapes), dots, *(label for _, label in labels))
    entry: list[Animation] = [FadeIn(dots), *(FadeIn(label) for _, label in labels[: len(points)])]
    beats = [Beat(0, time.entry, tuple(entry))]
    end = time.speech_end if time.speech_end - time.entry >= len(shapes) else time.frames
    for at, (mobject, label) in zip(spread(len(shapes), time.entry, end), shapes, strict=True):
        animations: Sequence[Animation] = (Create(mobject), *([Write(label)] if label is not None else []))
        beats.append(Beat(at, time.seconds(theme.ITEM_SECONDS * 2), tuple(animations)))
    elements = [Element("figure", whole), *(Element(name, label, within="figure") for name, label in labels)]
    if caption is not None:
        beats[0] = Beat(0, time.entry, (*beats[0].animations, FadeIn(caption)))
        elements.append(Element("caption", caption))
    return Drawing(beats, tuple(elements))
