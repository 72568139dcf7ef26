"""Layout rules: where the header and body sit, line wrapping, and keeping content inside the frame.

Model-written text has no line breaks and no length a designer checked, so every piece of
content is wrapped to the body width and, as a last resort, scaled down to fit the body box.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

import numpy as np
from manim import DOWN, LEFT, UL, Mobject, Text, VMobject, config

from mathcast.scenes import theme

NO_LINE_START = frozenset(
    "，。、；：！？）》」』】,.;:!?)"
)  # kept on the line before (Chinese line-breaking rule)
_TOKEN = re.compile(r"\s+|[A-Za-z0-9.,;:!?'\"()+\-*/=<>^_]+|.", re.DOTALL)


@dataclass(frozen=True)
class Box:
    left: float
    right: float
    top: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def center(self) -> np.ndarray:
        return np.array([(self.left + self.right) / 2, (self.top + self.bottom) / 2, 0.0])


def safe_frame() -> Box:
    """The title-safe area: players and TVs may crop outside it, so nothing is drawn there."""
    half_w, half_h = config.frame_width / 2, config.frame_height / 2
    inset_w, inset_h = config.frame_width * theme.SAFE_INSET, config.frame_height * theme.SAFE_INSET
    return Box(left=-half_w + inset_w, right=half_w - inset_w, top=half_h - inset_h, bottom=-half_h + inset_h)


def body_box() -> Box:
    """The safe area below the header band, read from the live config so any resolution works."""
    safe = safe_frame()
    return Box(
        left=safe.left, right=safe.right, top=config.frame_height / 2 - theme.HEADER_BAND, bottom=safe.bottom
    )


def fit(mobject: Mobject, box: Box) -> Mobject:
    """Scale down (never up) so the mobject fits the box, then centre it there."""
    if mobject.width > box.width:
        mobject.scale_to_fit_width(box.width)
    if mobject.height > box.height:
        mobject.scale_to_fit_height(box.height)
    return mobject.move_to(box.center)


@cache
def _em(size: int) -> float:
    """Width of one CJK character at a font size: the unit that line wrapping counts in."""
    return float(Text("中", font=theme.FONT, font_size=size).width)


def _units(token: str) -> float:
    """Display width of a token in ems: wide (CJK) characters 1, the rest about half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in token)


def wrap(text: str, size: int, max_width: float) -> str:
    """Greedy line breaking that splits between CJK characters and between Latin words."""
    limit = max_width / _em(size)
    lines: list[str] = []
    line, used = "", 0.0
    for token in _TOKEN.findall(" ".join(text.split())):
        width = _units(token)
        if line and used + width > limit and not token.isspace() and token not in NO_LINE_START:
            lines.append(line.rstrip())
            line, used = "", 0.0
        if token.isspace() and not line:
            continue
        line += token
        used += width
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines)


def text(content: str, size: int, color: str = theme.TEXT, max_width: float | None = None) -> Text:
    """Text in the theme font, wrapped to `max_width` scene units when given."""
    body = wrap(content, size, max_width) if max_width is not None else content
    return Text(body, font=theme.FONT, font_size=size, color=color, line_spacing=0.9)


def header(title: str) -> Text:
    """The section title, small at the top-left of every clip."""
    safe = safe_frame()
    label = text(title, theme.HEADER_SIZE, theme.MUTED)
    if label.width > safe.width / 2:
        label.scale_to_fit_width(safe.width / 2)
    return label.move_to(np.array([safe.left, safe.top, 0.0]), aligned_edge=UL)


def stack(*mobjects: VMobject, gap: float = theme.LINE_GAP) -> list[VMobject]:
    """Arrange mobjects top to bottom, left-aligned, and return them for further grouping."""
    for above, below in itertools.pairwise(mobjects):
        below.next_to(above, DOWN, buff=gap, aligned_edge=LEFT)
    return list(mobjects)
