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

HEADER_SIZE: Final = 22
TITLE_SIZE: Final = 60
SUBTITLE_SIZE: Final = 32
HEADING_SIZE: Final = 44
BODY_SIZE: Final = 34
MATH_SIZE: Final = 64
LABEL_SIZE: Final = 30
AXIS_NUMBER_SIZE: Final = 20
COUNTDOWN_SIZE: Final = 44

MARGIN: Final = 0.5
HEADER_BAND: Final = 0.9  # the header's strip at the top; the body starts below it
LINE_GAP: Final = 0.32

ENTRY_SECONDS: Final = 0.8  # longest entry animation; a short slot gets its whole length
ITEM_SECONDS: Final = 0.5
ANSWER_SHARE: Final = 0.25  # the answer is on screen for the last quarter of a question's slot

ANSWER_LABEL: Final[dict[Language, str]] = {"zh-CN": "答案：", "en-US": "Answer: "}
