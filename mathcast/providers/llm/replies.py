"""Finds the JSON object in a model's reply: code fences, prose around it, Chinese punctuation.

Only `json` parses model text here; nothing in a reply is evaluated.
"""

from __future__ import annotations

import json
import re
from typing import Any

FENCE = re.compile(r"```(?:json|JSON)?\s*\n(.*?)```", re.DOTALL)
# Full-width punctuation an IME puts between JSON tokens; inside strings it is content and stays.
STRUCTURAL = str.maketrans({"，": ",", "：": ":", "｛": "{", "｝": "}", "［": "[", "］": "]"})


class ReplyFormatError(ValueError):
    """The reply holds no JSON object; the message says where parsing stopped."""


def _ends_string(text: str, at: int) -> bool:
    """A quote of the other kind ends a string only where JSON punctuation follows it."""
    rest = text[at + 1 :].lstrip()
    return not rest or rest[0] in ",:}]，：｝］"


def _closes(text: str, at: int, opener: str, mixed_quotes: bool) -> bool:
    char = text[at]
    if char == '"' and opener == '"':
        return True
    if mixed_quotes:  # “他说“你好”了” nests, so a curly quote closes only before JSON punctuation
        return char in '"”' and _ends_string(text, at)
    return opener == "“" and char == "”"


def _ascii_structure(text: str, mixed_quotes: bool) -> str:
    """Map full-width punctuation outside strings to ASCII; “…” used as string quotes become "…".

    With `mixed_quotes`, a string opened by one kind of quote may end with the other kind.
    """
    out: list[str] = []
    opener: str | None = None  # the quote that opened the string we are in
    escaped = False
    for at, char in enumerate(text):
        if opener is None:
            if char in '"“':
                opener = char
                out.append('"')
            else:
                out.append(char.translate(STRUCTURAL))
        elif escaped:
            escaped = False
            out.append(char)
        elif char == "\\":
            escaped = True
            out.append(char)
        elif _closes(text, at, opener, mixed_quotes):
            opener = None
            out.append('"')
        elif char == '"':  # an ASCII quote inside a “…” string is content
            out.append('\\"')
        else:
            out.append(char)
    return "".join(out)


def _first_object(text: str) -> Any:
    start = text.find("{")
    if start < 0:
        raise ReplyFormatError("the reply contains no JSON object (no '{')")
    value, _ = json.JSONDecoder().raw_decode(text, start)  # whatever follows the object is ignored
    return value


def extract_json(reply: str) -> dict[str, Any]:
    """The first JSON object in `reply`, tolerating fences, surrounding prose and Chinese punctuation."""
    fenced = FENCE.search(reply)
    text = fenced.group(1) if fenced else reply
    candidates = (text, _ascii_structure(text, mixed_quotes=False), _ascii_structure(text, mixed_quotes=True))
    for number, candidate in enumerate(candidates, start=1):
        try:
            value = _first_object(candidate)
            break
        except json.JSONDecodeError as error:
            if number == len(candidates):
                raise ReplyFormatError(f"the reply is not valid JSON: {error}") from None
    if not isinstance(value, dict):
        raise ReplyFormatError(f"expected a JSON object, got {type(value).__name__}")
    return value
