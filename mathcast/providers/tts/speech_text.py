"""Math as a teacher says it: the voice reads `y = kx + b` aloud, subtitles keep the symbols."""

from __future__ import annotations

import re

from mathcast.lesson import Language

_DIGITS = "零一二三四五六七八九"
_POWERS = {"2": "²", "3": "³"}
_NUMBER = r"\d+(?:\.\d+)?"
_END = rf"(-?{_NUMBER}|[+-]?∞|[+-]?\\infty)"  # an interval end


def chinese_number(number: str) -> str:
    """190 → 一百九十, 9.11 → 九点一一, 12 → 十二: as a teacher reads a number aloud."""
    whole, _, fraction = number.partition(".")
    said = _chinese_integer(int(whole))
    return said + ("点" + "".join(_DIGITS[int(d)] for d in fraction) if fraction else "")


def _chinese_integer(value: int) -> str:
    if value >= 100_000_000:
        return "".join(_DIGITS[int(d)] for d in str(value))  # read digit by digit, like an id
    if value >= 10_000:
        high, low = divmod(value, 10_000)
        rest = _chinese_integer(low) if low else ""
        return _chinese_integer(high) + "万" + ("零" if 0 < low < 1000 else "") + rest
    if value == 0:
        return "零"
    said, zero = "", False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, value = divmod(value, unit)
        if digit:
            said += ("零" if zero and said else "") + _DIGITS[digit] + name
            zero = False
        elif said:
            zero = True
    return said[1:] if said.startswith("一十") else said  # 十二, not 一十二


def _interval(opening: str, low: str, high: str, closing: str, language: Language) -> str:
    """(1, 2] → 左开右闭区间 1 到 2: the brackets said as words, finite ends kept for later rules."""
    infinite = {"zh-CN": ("负无穷", "正无穷"), "en-US": ("negative infinity", "infinity")}[language]

    def said(end: str) -> str:
        if "∞" not in end and "infty" not in end:
            return end
        return infinite[0] if end.startswith("-") else infinite[1]

    low, high = said(low), said(high)
    kind = {("(", ")"): "开", ("[", "]"): "闭"}.get((opening, closing))
    if language == "zh-CN":
        name = f"{kind}区间" if kind else f"左{'开闭'[opening == '[']}右{'开闭'[closing == ']']}区间"
        return f"{name} {low} 到 {high}"
    ends = f"open at {low}, " if opening == "(" else f"closed at {low}, "
    ends += f"open at {high}" if closing == ")" else f"closed at {high}"
    return f"the interval from {low} to {high}, {ends}"


_SPOKEN: dict[Language, list[tuple[str, str]]] = {
    "zh-CN": [
        (r"(?<=[A-Za-z0-9)])\s*-\s*(?=[A-Za-z0-9(])", " 减 "),
        (r"点?\s*\(\s*(-?\d+)\s*,\s*(-?\d+)\s*\)", r"点 \1，\2"),
        (r"([A-Za-z])\s*'\s*\(\s*([A-Za-z])\s*\)", r"\1 撇 \2"),
        (r"\^\s*\{?2\}?|²", " 的平方"),
        (r"\^\s*\{?3\}?|³", " 的立方"),
        (r"\^\s*\{?([A-Za-z0-9]+)\}?", r" 的 \1 次方"),
        (r"\\frac\{([^{}]+)\}\{([^{}]+)\}|(?<![\d.])(\d+)\s*/\s*(\d+)(?![\d.])", "FRACTION"),
        (r"√|\\sqrt", "根号"),
        (r"π|\\pi", "派"),
        (r"°|\^\\circ", "度"),
        (r"[+]?(?:∞|\\infty)", "正无穷"),
        (r"(?<![A-Za-z0-9)])[-−]\s*(?=\d|正无穷)", "负"),
        (r"负正无穷", "负无穷"),
        (r"\s*≠\s*", " 不等于 "),
        (r"\s*∈\s*", " 属于 "),
        (r"\s*∪\s*", " 并 "),
        (r"\s*≥\s*", " 大于等于 "),
        (r"\s*≤\s*", " 小于等于 "),
        (r"\s*>\s*", " 大于 "),
        (r"\s*<\s*", " 小于 "),
        (r"\s*=\s*", " 等于 "),
        (r"\s*\+\s*", " 加 "),
        (r"……", "。"),
        (_NUMBER, "NUMBER"),
    ],
    "en-US": [
        (r"(?<=[A-Za-z0-9)])\s*-\s*(?=[A-Za-z0-9(])", " minus "),
        (r"([A-Za-z])\s*'\s*\(\s*([A-Za-z])\s*\)", r"\1 prime of \2"),
        (r"\^\s*\{?2\}?|²", " squared"),
        (r"\^\s*\{?3\}?|³", " cubed"),
        (r"\^\s*\{?([A-Za-z0-9]+)\}?", r" to the power \1"),
        (r"\\frac\{([^{}]+)\}\{([^{}]+)\}|(?<![\d.])(\d+)\s*/\s*(\d+)(?![\d.])", "FRACTION"),
        (r"√|\\sqrt", "the square root of "),
        (r"π|\\pi", "pi"),
        (r"°|\^\\circ", " degrees"),
        (r"[+]?(?:∞|\\infty)", "infinity"),
        (r"(?<![A-Za-z0-9)])[-−]\s*(?=\d|infinity)", "negative "),
        (r"\s*≠\s*", " is not equal to "),
        (r"\s*∈\s*", " in "),
        (r"\s*∪\s*", " union "),
        (r"\s*≥\s*", " is at least "),
        (r"\s*≤\s*", " is at most "),
        (r"\s*>\s*", " is greater than "),
        (r"\s*<\s*", " is less than "),
        (r"\s*=\s*", " equals "),
        (r"\s*\+\s*", " plus "),
    ],
}
_INTERVAL = re.compile(rf"(?<![A-Za-z])([(\[])\s*{_END}\s*,\s*{_END}\s*([)\]])")
_HALF = {
    "1/2": "one half",
    "1/3": "one third",
    "1/4": "one quarter",
    "2/3": "two thirds",
    "3/4": "three quarters",
}


def _fraction(match: re.Match[str], language: Language) -> str:
    top, bottom = (
        (match.group(1), match.group(2)) if match.group(1) is not None else (match.group(3), match.group(4))
    )
    if language == "zh-CN":
        return f"{bottom}分之{top}"
    return _HALF.get(f"{top}/{bottom}", f"{top} over {bottom}")


def spoken(text: str, language: Language) -> str:
    """What the voice says for a written narration line: symbols read out, numbers in words for
    Chinese (the subtitles keep the written form)."""
    text = _INTERVAL.sub(
        lambda m: (
            _interval(m.group(1), m.group(2), m.group(3), m.group(4), language)
            if m.group(1) + m.group(4) != "()" or re.search(r"∞|infty", m.group(0))
            else m.group(0)
        ),
        text,
    )
    for pattern, replacement in _SPOKEN[language]:
        if replacement == "FRACTION":
            text = re.sub(pattern, lambda m: _fraction(m, language), text)
        elif replacement == "NUMBER":
            text = re.sub(pattern, lambda m: chinese_number(m.group(0)), text)
        else:
            text = re.sub(pattern, replacement, text)
    return re.sub(r"\s+", " ", text).strip()


SENTENCE_MARK = "sentence-{}"  # the bookmark before each sentence after the first, in every voice
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])\s*|(?<=[.])\s+")


def sentences(said: str) -> list[str]:
    """The spoken text cut after each sentence's end mark: voices report when each one starts."""
    return [s for s in _SENTENCE_END.split(said) if s.strip()]
