"""Math as a teacher says it: the voice reads `y = kx + b` aloud, subtitles keep the symbols."""

from __future__ import annotations

import re

from mathcast.lesson import Language

_SPOKEN: dict[Language, list[tuple[str, str]]] = {
    "zh-CN": [
        (r"点?\s*\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)", r"点 \1，\2"),
        (r"(?<=[A-Za-z0-9)])\s*-\s*(?=[A-Za-z0-9(])", " 减 "),
        (r"(?<![A-Za-z0-9)])-\s*(?=\d)", "负"),
        (r"\s*≥\s*", " 大于等于 "),
        (r"\s*≤\s*", " 小于等于 "),
        (r"\s*>\s*", " 大于 "),
        (r"\s*<\s*", " 小于 "),
        (r"\s*=\s*", " 等于 "),
        (r"\s*\+\s*", " 加 "),
        (r"……", "。"),
    ],
    "en-US": [
        (r"(?<=[A-Za-z0-9)])\s*-\s*(?=[A-Za-z0-9(])", " minus "),
        (r"(?<![A-Za-z0-9)])-\s*(?=\d)", "negative "),
        (r"\s*≥\s*", " is at least "),
        (r"\s*≤\s*", " is at most "),
        (r"\s*>\s*", " is greater than "),
        (r"\s*<\s*", " is less than "),
        (r"\s*=\s*", " equals "),
        (r"\s*\+\s*", " plus "),
    ],
}


def spoken(text: str, language: Language) -> str:
    for pattern, replacement in _SPOKEN[language]:
        text = re.sub(pattern, replacement, text)
    return re.sub(r"\s+", " ", text).strip()


SENTENCE_MARK = "sentence-{}"  # the bookmark before each sentence after the first, in every voice
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])\s*|(?<=[.])\s+")


def sentences(said: str) -> list[str]:
    """The spoken text cut after each sentence's end mark: voices report when each one starts."""
    return [s for s in _SENTENCE_END.split(said) if s.strip()]
