"""The look of every clip in one place, so a restyle never touches drawing code.

Sizes are manim font sizes and scene units (the frame is 8 units high at any resolution),
so a clip looks the same at 480p and 1080p.
"""

from __future__ import annotations

from typing import Final

from mathcast.lesson import Language

FONT: Final = "Noto Sans CJK SC"  # covers Latin too, so one font serves both languages

BACKGROUND: Final = "#0f172a"
TEXT: Final = "#f8fafc"
MUTED: Final = "#94a3b8"
EMPHASIS: Final = "#facc15"
ACCENT: Final = "#38bdf8"
AXES: Final = "#cbd5e1"
CURVES: Final = ("#38bdf8", "#f472b6", "#4ade80")
POINT: Final = "#fb923c"
SHADE: Final = "#38bdf8"

HEADER_SIZE: Final = 22
TITLE_SIZE: Final = 60
SUBTITLE_SIZE: Final = 32
HEADING_SIZE: Final = 44
BODY_SIZE: Final = 34
MATH_SIZE: Final = 64
LABEL_SIZE: Final = 30
AXIS_NUMBER_SIZE: Final = 20
COUNTDOWN_SIZE: Final = 44

SAFE_INSET: Final = 0.05  # title-safe area: 5% in from every edge (EBU R 95 graphics-safe)
MIN_FONT_SIZE: Final = 16  # smallest text still legible at 480p (a CJK glyph about 14 px tall)
MIN_CONTENT_SCALE: Final = 0.7  # lists, tables, derivations split across screens rather than shrink more
OVERLAP_TOLERANCE: Final = 0.03  # scene units (about 2 px at 480p) two boxes may share before they overlap
HEADER_BAND: Final = 0.9  # the header's strip at the top; the body starts below it
LINE_GAP: Final = 0.32
INTERVAL_LEVEL: Final = 0.35  # height between stacked intervals above a number line
END_RADIUS: Final = 0.1  # interval end markers

ENTRY_SECONDS: Final = 0.8  # longest entry animation; a short slot gets its whole length
ITEM_SECONDS: Final = 0.5
EMPHASIS_SECONDS: Final = 1.0
ANSWER_SHARE: Final = 0.25  # the answer is on screen for the last quarter of a question's slot

ANSWER_LABEL: Final[dict[Language, str]] = {"zh-CN": "答案：", "en-US": "Answer: "}
