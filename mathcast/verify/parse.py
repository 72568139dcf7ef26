"""Safe parsing of untrusted math: LaTeX through sympy's lark grammar, never `sympify`.

The lark parser builds sympy objects from a grammar, so no text is evaluated as Python.
Size and nesting limits keep pathological input from stalling a worker thread.
"""

from __future__ import annotations

import sympy
from sympy.parsing.latex import parse_latex
from sympy.parsing.latex.errors import LaTeXParsingError

MAX_LATEX_CHARS = 400
MAX_NESTING = 12


class MathParseError(ValueError):
    """Math text that cannot be read; the message says what to fix."""


def _nesting_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")}]":
            depth -= 1
    return deepest


def parse_math(latex: str) -> sympy.Basic:
    """Parse one LaTeX expression or relation into sympy, within size and nesting limits."""
    text = latex.strip()
    if not text:
        raise MathParseError("empty formula: write an expression such as 2x + 1")
    if len(text) > MAX_LATEX_CHARS:
        raise MathParseError(f"formula is {len(text)} characters; the limit is {MAX_LATEX_CHARS}")
    if _nesting_depth(text) > MAX_NESTING:
        raise MathParseError(f"formula nests brackets deeper than {MAX_NESTING} levels")
    try:
        return parse_latex(text, backend="lark")
    except (LaTeXParsingError, ValueError, TypeError) as error:
        raise MathParseError(f"cannot read {text!r} as LaTeX math: {error}") from None
    except Exception as error:  # lark raises its own exception tree
        raise MathParseError(f"cannot read {text!r} as LaTeX math: {type(error).__name__}") from None


def parse_equation(latex: str) -> sympy.Eq:
    """Parse `lhs = rhs`; anything else is an error naming what was found."""
    parsed = parse_math(latex)
    if not isinstance(parsed, sympy.Eq):
        if parsed is sympy.true or parsed is sympy.false:
            raise MathParseError(f"{latex!r} has no unknowns left: it is always {parsed}")
        raise MathParseError(f"{latex!r} is not an equation of the form lhs = rhs")
    return parsed
