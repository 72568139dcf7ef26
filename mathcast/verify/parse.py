"""Safe parsing of untrusted math: LaTeX through sympy's lark grammar, never `sympify`.

The lark parser builds sympy objects from a grammar, so no text is evaluated as Python.
Before parsing, text is normalised (Unicode symbols, Chinese punctuation, decimals as exact
fractions, degrees) and split at connectives (或 / 且 / 所以 / ∴). Size and nesting limits
keep pathological input from stalling a worker.
"""

from __future__ import annotations

import re
from functools import lru_cache

import sympy
from sympy.parsing.latex import parse_latex
from sympy.parsing.latex.errors import LaTeXParsingError

MAX_LATEX_CHARS = 400
MAX_NESTING = 12
PI_PLACEHOLDER = "P_{mathcastpi}"
E_PLACEHOLDER = "E_{mathcaste}"
CONSTANTS = {PI_PLACEHOLDER: sympy.pi, E_PLACEHOLDER: sympy.E}


class MathParseError(ValueError):
    """Math text that cannot be read; the message says what to fix."""


_UNICODE = {
    "≤": r"\le ", "≥": r"\ge ", "≠": r"\ne ", "×": r"\times ", "÷": r"\div ", "−": "-", "–": "-",
    "∞": r"\infty ", "π": r"\pi ", "√": r"\sqrt", "²": "^{2}", "³": "^{3}", "，": ",", "；": ";",
    "（": "(", "）": ")", "：": ":", "＝": "=", "＜": "<", "＞": ">", "∪": r"\cup ", "∩": r"\cap ",
    "∈": r"\in ", "∅": r"\emptyset ", "·": r"\cdot ", "°": r"^{\circ}", "【": "[", "】": "]",
}  # fmt: skip
_COMMANDS = [
    (r"\\left|\\right|\\displaystyle|\\,|\\;|\\!|\\quad|\\qquad", " "),
    (r"\\[dt]frac", r"\\frac"),
    (r"\\leqslant|\\leq(?![a-z])", r"\\le "),
    (r"\\geqslant|\\geq(?![a-z])", r"\\ge "),
    (r"\\neq(?![a-z])", r"\\ne "),
    (r"\\lt(?![a-z])", "<"),
    (r"\\gt(?![a-z])", ">"),
    (r"\*\*", "^"),
    (r"(\d+(?:\.\d+)?)\s*\^\s*(?:\{\\circ\}|\\circ)", r"(\1 \\cdot \\frac{\\pi}{180})"),
    # the lark grammar has no \pi and reads e as a variable: placeholders, swapped back after parsing
    (r"\\pi(?![a-zA-Z])", " " + PI_PLACEHOLDER),
    (r"\\mathrm\{e\}|(?<![a-zA-Z\\])e(?![a-zA-Z])", " " + E_PLACEHOLDER),

]  # fmt: skip
# after functions are grouped (so sin^2 x stays one factor): where juxtaposition multiplies
_PRODUCTS = [
    # x(x + 1) is a product: only f, g and h name functions in school math
    (r"(?<![a-zA-Z\\])([a-eij-zA-Z])\s*\(", r"\1 \\cdot ("),
    # the grammar reads neither x^4 y nor \sqrt{x}(x+1) as products: say so
    (r"(\^\s*(?:\{[^{}]*\}|\w))\s*(?=[A-Za-z(]|\\(?:frac|sqrt))", r"\1 \\cdot "),
    (r"(\\sqrt\{[^{}]*\}|\\frac\{[^{}]*\}\{[^{}]*\})\s*(?=\()", r"\1 \\cdot "),
    # (x+1)(x-2)(x-3), (x+1)e^{x}, (x+1)\sin x: a bracket followed by a factor multiplies
    (r"\)\s*(?=\(|[A-Za-z]|\\(?:sin|cos|tan|cot|ln|lg|log|exp|sqrt|frac)(?![a-zA-Z]))", r") \\cdot "),
]  # fmt: skip
_FUNCTION = re.compile(
    r"\\(arcsin|arccos|arctan|sin|cos|tan|cot|sec|csc|ln|lg|log|exp)(?![a-zA-Z])"
    r"(\s*_\s*(?:\{[^{}]*\}|\w))?(\s*\^\s*(?:\{[^{}]*\}|\w))?\s*"
)
# an argument without brackets: 2x (sin 2x is sin(2x), as students write it), x_1, \alpha, 3
_TOKEN = re.compile(
    r"\d+(?:\s*(?:[A-Za-z](?![A-Za-z])|\\[A-Za-z]+))?|[A-Za-z](?:_(?:\{[^{}]*\}|\w))?|\\[A-Za-z]+"
)
_CLOSING = {"(": ")", "{": "}", "[": "]"}


def _group_end(text: str, start: int) -> int:
    """Index just past the bracket group opening at `start` (or the end of text if unbalanced)."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] in _CLOSING:
            depth += 1
        elif text[i] in _CLOSING.values():
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _group_functions(text: str) -> str:
    """`\\sin x + 1` → `{\\sin(x)} + 1`: the grammar reads an ungrouped function two ways."""
    out, i = [], 0
    while (match := _FUNCTION.search(text, i)) is not None:
        out.append(text[i : match.start()])
        name, base, power = match.group(1), match.group(2) or "", match.group(3) or ""
        j = match.end()
        if j < len(text) and text[j] in "({":
            end = _group_end(text, j)
            argument = text[j + 1 : end - 1]
        elif text.startswith(r"\frac", j):
            end = _group_end(text, _group_end(text, j + 5))
            argument = text[j:end]
        elif token := _TOKEN.match(text, j):
            end, argument = token.end(), token.group(0)
        else:
            end, argument = j, ""
        if name == "lg":
            name, base = "log", "_{10}"
        joined = "".join(out).rstrip()
        operator = re.search(r"\\(cdot|times|div|pm|mp)$", joined)
        product = (
            r"\cdot " if re.search(r"[\w})]$", joined) and not operator else ""
        )  # juxtaposition multiplies
        applied = f"\\{name}{base}({_group_functions(argument)})"
        # sin^2 x is (sin x)^2: the grammar cannot read a power between a function and its argument
        out.append(f"{product}({applied}){power}" if power else f"{product}{{{applied}}}")
        i = end
    out.append(text[i:])
    return "".join(out)


_CONNECTIVE_TEXT = re.compile(r"\\text\s*\{\s*([^{}]*?)\s*\}")
_CONCLUSION = re.compile(r"^\s*(所以|因此|故|即|∴|\\therefore|so|hence|thus)\s*[,:]?\s*", re.IGNORECASE)
_DECIMAL = re.compile(r"(?<![\d.])(\d+)\.(\d+)(?![\d.])")


def normalize(text: str) -> str:
    """One spelling for the same math: LaTeX commands, exact decimals, no conclusion words."""
    for symbol, latex in _UNICODE.items():
        text = text.replace(symbol, latex)
    for pattern, replacement in _COMMANDS:
        text = re.sub(pattern, replacement, text)
    text = _CONNECTIVE_TEXT.sub(lambda m: f" {m.group(1)} ", text)
    text = _DECIMAL.sub(lambda m: rf"\frac{{{m.group(1)}{m.group(2)}}}{{1{'0' * len(m.group(2))}}}", text)
    text = _group_functions(text)
    for pattern, replacement in _PRODUCTS:
        text = re.sub(pattern, replacement, text)
    previous = None
    while previous != text:
        previous, text = text, _CONCLUSION.sub("", text)
    return re.sub(r"\s+", " ", text).strip().rstrip("。.")


def _nesting_depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")}]":
            depth -= 1
    return deepest


def _check_size(text: str) -> None:
    if not text:
        raise MathParseError("empty formula: write an expression such as 2x + 1")
    if len(text) > MAX_LATEX_CHARS:
        raise MathParseError(f"formula is {len(text)} characters; the limit is {MAX_LATEX_CHARS}")
    if _nesting_depth(text) > MAX_NESTING:
        raise MathParseError(f"formula nests brackets deeper than {MAX_NESTING} levels")


def _named(expr: sympy.Basic) -> sympy.Basic:
    """Plain-string symbol names (the grammar uses lexer tokens), and π and e as constants."""
    return expr.xreplace(
        {
            s: CONSTANTS.get(str(s.name), sympy.Symbol(str(s.name)))
            for s in expr.free_symbols
            if isinstance(s, sympy.Symbol)
        }
    )


def parse_math(latex: str) -> sympy.Basic:
    """Parse one LaTeX expression or relation into sympy, within size and nesting limits."""
    text = latex.strip()
    _check_size(text)
    return _parse_normalized(normalize(text), latex)


@lru_cache(maxsize=4096)
def _parse_normalized(text: str, original: str) -> sympy.Basic:
    """The grammar is an Earley parser (tens of ms a formula): each formula is parsed once."""
    _check_size(text)
    try:
        parsed = parse_latex(text, backend="lark")
    except (LaTeXParsingError, ValueError, TypeError) as error:
        raise MathParseError(f"cannot read {original!r} as LaTeX math: {error}") from None
    except Exception as error:  # lark raises its own exception tree
        raise MathParseError(f"cannot read {original!r} as LaTeX math: {type(error).__name__}") from None
    if not isinstance(parsed, sympy.Basic):
        readings = {c for c in getattr(parsed, "children", []) if isinstance(c, sympy.Basic)}
        if len(readings) == 1:  # an ambiguity of grammar only: every reading is the same math
            return _named(readings.pop())
        raise MathParseError(f"{original!r} is ambiguous: add brackets or an explicit \\cdot")
    return _named(parsed)


def parse_equation(latex: str) -> sympy.Eq:
    """Parse `lhs = rhs`; anything else is an error naming what was found."""
    parsed = parse_math(latex)
    if (parsed is sympy.true or parsed is sympy.false) and latex.count("=") == 1:
        # sympy settles |x - 2| = -1 to False while building it: keep the equation, it has no solution
        left, right = latex.split("=")
        parsed = sympy.Eq(parse_expression(left), parse_expression(right), evaluate=False)
    if not isinstance(parsed, sympy.Eq):
        if parsed is sympy.true or parsed is sympy.false:
            raise MathParseError(f"{latex!r} has no unknowns left: it is always {parsed}")
        raise MathParseError(f"{latex!r} is not an equation of the form lhs = rhs")
    return parsed


def parse_expression(latex: str) -> sympy.Expr:
    """An expression; `y = ...`, `f(x) = ...` or a leading `=` keep only the right-hand side."""
    text = normalize(latex).lstrip("=").strip()
    head, sep, tail = text.partition("=")
    if sep and re.fullmatch(r"\s*([a-zA-Z](_\{?\w+\}?)?|[a-zA-Z]'*\s*(\([a-z]\))?|[a-zA-Z]')\s*", head):
        text = tail
    parsed = parse_math(text)
    if not isinstance(parsed, sympy.Expr):
        raise MathParseError(f"{latex!r} is not an expression")
    return parsed


_OR = re.compile(r"\s*(?:或者|或|\\lor|\\vee|\bor\b)\s*", re.IGNORECASE)
_AND = re.compile(r"\s*(?:并且|且|\\land|\\wedge|\band\b|;)\s*", re.IGNORECASE)


def split_alternatives(text: str) -> list[str]:
    """`x = 2 或 x = 3` → two alternatives (connectives inside \\text{} included)."""
    return [part for part in _OR.split(normalize(text)) if part.strip()]


def split_conditions(text: str) -> list[str]:
    """A system's rows: `\\begin{cases}`, `且`, `;`, or commas between relations."""
    text = normalize(text)
    cases = re.search(r"\\begin\{cases\}(.*)\\end\{cases\}", text, re.DOTALL)
    if cases:
        text = cases.group(1).replace("\\\\", ";").replace("&", " ")
    parts = [p for p in _AND.split(text) if p.strip()]
    rows: list[str] = []
    for part in parts:
        rows.extend(_split_top_level_commas(part) if _relation_count(part) > 1 else [part])
    return [r.strip() for r in rows if r.strip()]


_RELATION = re.compile(r"\\le |\\ge |\\ne |<|>|=")


def _relation_count(text: str) -> int:
    return len(_RELATION.findall(text + " "))


def _split_top_level_commas(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        depth += (char in "({[" and 1) or 0
        depth -= (char in ")}]" and 1) or 0
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def parse_condition(text: str) -> sympy.Basic:
    """A relation, or a chain such as `1 < x \\le 2` (an And of its links)."""
    text = normalize(text)
    pieces = re.split(r"(\\le |\\ge |\\ne |<|>|=)", text + " ")
    if len(pieces) <= 3:
        return parse_math(text)
    sides = [p.strip() for p in pieces[0::2]]
    operators = [p.strip() for p in pieces[1::2]]
    links = [parse_math(f"{a} {op} {b}") for a, op, b in zip(sides, operators, sides[1:], strict=False)]
    return sympy.And(*links)
