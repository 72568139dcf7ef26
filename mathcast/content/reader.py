"""Reading a problem as a student or teacher types it into the `Problem` the offline expert solves.

Keywords (zh and en) pick the class, regular expressions pick the givens, and every formula is
read by mathcast.verify.parse (a grammar: nothing typed is ever evaluated or executed). Typed
symbols (，：（）² × ÷ ≥ ≤ √ ° π ·, sin x, a/b) become the LaTeX that parser reads. A problem
outside the offline classes, or a case their conventions do not carry (a triangle asked for
cos C, a bag with black balls), is refused with a message naming what is supported: nothing is
guessed. A problem asking two things (求 a_{10} 和 S_{10}) is read for the first one asked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

import sympy

from mathcast.lesson import Language, Problem, ProblemKind
from mathcast.verify.parse import MathParseError, parse_condition, parse_expression, parse_math

MAX_TEXT_CHARS = 2000
PROBLEM_ID = "problem"
STATEMENT_CHARS = 400  # Problem.statement's limit: what a worked example shows on screen
SUPPORTED = (
    "equations (linear, quadratic, rational, absolute value, exponential, logarithmic), "
    "systems of linear equations, inequalities (linear, quadratic, rational), "
    "a linear or quadratic function through given points, derivatives, monotonic intervals, "
    "extrema, arithmetic and geometric sequences, trigonometric values and simplification, "
    "permutations and combinations, classical probability (dice, coins, red and white balls), "
    "solving triangles, and vectors (dot product, angle, projection, magnitude)"
)


class ProblemTextError(ValueError):
    """Text that cannot become a Problem; the message says what to write instead."""


class NoMathError(ProblemTextError):
    """No formula or number in the text (instructions and chat are not problems)."""


class NotSupportedOfflineError(ProblemTextError):
    """Math the offline expert does not solve; an LLM writer may."""


def _unsupported(what: str) -> NotSupportedOfflineError:
    return NotSupportedOfflineError(
        f"not supported offline: {what}. The offline expert solves {SUPPORTED}. For other problems "
        "switch on an LLM writer with --writer NAME (or MATHCAST_WRITER=NAME)."
    )


# --- typed text → LaTeX ---

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SYMBOLS = {
    "、": ",", "。": ";", "≥": r"\ge ", "⩾": r"\ge ", "≤": r"\le ", "⩽": r"\le ", "≠": r"\ne ",
    "×": r"\times ", "÷": r"\div ", "·": r"\cdot ", "⋅": r"\cdot ", "•": r"\cdot ", "∙": r"\cdot ",
    "−": "-", "–": "-", "π": r"\pi ", "α": r"\alpha ", "β": r"\beta ", "θ": r"\theta ",
    "°": r"^{\circ}", "∞": r"\infty ", "∈": r"\in ", "∪": r"\cup ", "∠": r"\angle ",
    "△": r"\triangle ", "∫": r"\int ", "【": "[", "】": "]",
}  # fmt: skip
_ASCII = [
    (r"Δ(?=\s*[A-Z]{3})", r"\\triangle "),
    (r">=", r"\\ge "),
    (r"<=", r"\\le "),
    (r"!=", r"\\ne "),
    (r"\*\*", "^"),
    (r"\*", r"\\cdot "),
    (r"(\d)\s*度", r"\1^{\\circ}"),
    (r"\^\s*\\circ(?![a-zA-Z])", r"^{\\circ}"),
    (r"\\[dt]frac", r"\\frac"),
    (r"(?<![A-Za-z\\])([aS])(\d+)(?![\d.])", r"\1_{\2}"),  # a1=2, S4 → a_{1}=2, S_{4}
    (r"\\left|\\right", ""),
    (r"\\geq?(?![a-zA-Z])|\\geqslant", r"\\ge "),
    (r"\\leq?(?![a-zA-Z])|\\leqslant", r"\\le "),
    # vectors are named by their letter: \vec{a}, \overrightarrow{a}, \mathbf a → a
    (r"\\(?:vec|overrightarrow|boldsymbol|mathbf|bm)\s*(?:\{\s*([A-Za-z]{1,2})\s*\}|([a-z]))", r"\1\2"),
]
_CASES = re.compile(r"\\begin\{cases\}(.*?)\\end\{cases\}", re.DOTALL)  # a system's rows → commas
_FUNCTIONS = ("arcsin", "arccos", "arctan", "sin", "cos", "tan", "cot", "ln", "lg", "log", "exp", "sqrt")
_GREEK = ("alpha", "beta", "theta", "pi")
_BARE_WORD = re.compile(r"(?<![\\A-Za-z])([A-Za-z]+)")
_CALL = re.compile(r"\\(arcsin|arccos|arctan|sin|cos|tan|cot|ln|lg|log)(?![a-zA-Z])")
_ARGUMENT = re.compile(
    r"\s*(-?\d+(?:\.\d+)?)?\s*((?:\\(?:alpha|beta|theta|pi)(?![a-zA-Z])|[A-Za-z])?)"
    r"(\^\{\\circ\}|\^\{[^{}]*\}|\^\w)?"
)
_SCRIPT = re.compile(r"\s*([_^])\s*(\{[^{}]*\}|\w)")
_OPERAND = (
    r"(\\(?:sin|cos|tan|ln|lg|log)(?:_\{[^{}]*\})?\((?:[^()]|\([^()]*\))*\)(?:\^\{[^{}]*\})?"  # \ln(x)
    r"|\\(?:pi|alpha|theta)(?![a-zA-Z])|\d+(?:\.\d+)?|[A-Za-z](?:\^\{[^{}]*\}|\^\d)?|\((?:[^()]|\([^()]*\))*\))"
)
_DIVISION = re.compile(r"(?<![\\A-Za-z])" + _OPERAND + r"\s*/\s*" + _OPERAND)


def _close(text: str, start: int) -> int:
    """Index of the bracket closing the one at `start` (len(text) if it never closes)."""
    pairs = {"(": ")", "{": "}", "[": "]"}
    opening, closing, depth = text[start], pairs[text[start]], 0
    for i in range(start, len(text)):
        depth += (text[i] == opening) - (text[i] == closing)
        if depth == 0:
            return i
    return len(text)


def _braced_after(text: str, marker: str) -> str:
    """`√(x+1)` → `\\sqrt{x+1}`, `2^(x+1)` → `2^{x+1}`: a bracketed argument typed with ( )."""
    out, i = [], 0
    while (j := text.find(marker, i)) >= 0:
        k = j + len(marker)
        while k < len(text) and text[k] == " ":
            k += 1
        if k < len(text) and text[k] == "(":
            end = _close(text, k)
            out.append(text[i:j] + marker + "{" + _braced_after(text[k + 1 : end], marker) + "}")
            i = end + 1
        else:
            out.append(text[i:k])
            i = k
    return "".join(out) + text[i:]


def _word(match: re.Match[str]) -> str:
    """Bare function names typed without a backslash: sin x, sinx, ln(x), log2(x), pi."""
    word = match.group(1)
    lower = word.lower()
    if lower in _FUNCTIONS or lower in _GREEK:
        return f"\\{lower} "
    glued = re.fullmatch(r"(sin|cos|tan|ln|lg|log)([xtA-C])", word)
    if glued:
        return f"\\{glued.group(1)} {glued.group(2)}"
    return word


def _calls(text: str) -> str:
    """Function arguments in brackets, `\\sin 2x` → `\\sin(2x)`, `\\sin^2 x` → `\\sin(x)^{2}`:
    the one spelling the verifier's grammar reads, with juxtaposition for products."""
    out, i = [], 0
    while (match := _CALL.search(text, i)) is not None:
        before = re.sub(r"\\(?:cdot|times)\s*$", "", text[i : match.start()])
        name, j, base, power = match.group(1), match.end(), "", ""
        while (script := _SCRIPT.match(text, j)) is not None:
            value = script.group(2).strip("{}")
            if script.group(1) == "_":
                base = f"_{{{value}}}"
            else:
                power = f"^{{{value}}}"
            j = script.end()
        while j < len(text) and text[j] == " ":
            j += 1
        if j < len(text) and text[j] in "({":
            end = _close(text, j)
            argument, j = text[j + 1 : end], end + 1
        elif text.startswith(r"\frac", j):
            end = _close(text, _close(text, j + 5) + 1)
            argument, j = text[j : end + 1], end + 1
        else:
            token = _ARGUMENT.match(text, j)
            argument = token.group(0).strip() if token else ""
            j = token.end() if token else j
        out.append(f"{before}\\{name}{base}({_calls(argument)}){power}")
        i = j
    return "".join(out) + text[i:]


def _fractions(text: str) -> str:
    """`1/(x-1)` → `\\frac{1}{x-1}`, as a teacher writes it."""
    previous = None
    while previous != text:
        previous = text
        text = _DIVISION.sub(lambda m: rf"\frac{{{_unwrap(m.group(1))}}}{{{_unwrap(m.group(2))}}}", text)
    return text


def _unwrap(operand: str) -> str:
    return operand[1:-1] if operand.startswith("(") and _close(operand, 0) == len(operand) - 1 else operand


def to_latex(text: str) -> str:
    """What a user types → LaTeX the verifier's parser reads (Chinese words left in place)."""
    text = text.replace("²", "^{2}").replace("³", "^{3}")  # before NFKC, which makes them digits
    text = unicodedata.normalize("NFKC", text)
    for symbol, latex in _SYMBOLS.items():
        text = text.replace(symbol, latex)
    text = _CASES.sub(lambda m: m.group(1).replace("\\\\", ",").replace("&", ""), text)
    for pattern, replacement in _ASCII:
        text = re.sub(pattern, replacement, text)
    text = _BARE_WORD.sub(_word, text)
    text = re.sub(r"\\log\s*(\d+)(?=\s*\()", r"\\log_{\1}", text)
    text = re.sub(r"√\s*(\d+(?:\.\d+)?|[A-Za-z])", r"\\sqrt{\1}", text).replace("√", r"\sqrt")
    text = _braced_after(_braced_after(text, r"\sqrt"), "^")
    text = _products(_fractions(_calls(text)))
    return re.sub(r"\s+", " ", text).strip()


def _products(text: str) -> str:
    """Products the grammar does not read side by side get a \\cdot: three bracketed factors
    `(x-1)(x-2)(x-3)`, and a bracket before a letter `(x+1)e^{x}` (before a function it adds one)."""
    text = re.sub(r"\)\s*(?=[a-z](?![a-zA-Z])|\\(?:sqrt|frac)(?![a-zA-Z]))", r") \\cdot ", text)
    if len(re.findall(r"(?:\)|(?<![\\A-Za-z])[a-z])\s*\(", text)) < 2:
        return text
    return re.sub(r"\)\s*\(", r") \\cdot (", text)


# --- the text cut into math and words ---

_STOPWORDS = frozenset({
    "of", "if", "is", "in", "at", "to", "be", "an", "on", "by",
    "or", "as", "it", "we", "so", "no", "do", "up",
})  # fmt: skip
_ENGLISH_WORD = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}(?![A-Za-z])")
_RELATION = re.compile(r"\\le |\\ge |\\ne |<|>|=")
_ASK_MARKER = re.compile(
    r"求|计算|算出|则|问|\b(?:find|compute|calculate|determine|evaluate|what is|what's|work out|simplify)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Text:
    """One problem's text two ways: LaTeX with its words, and the runs of math between the words."""

    latex: str
    runs: tuple[str, ...]

    @property
    def lower(self) -> str:
        return self.latex.lower()

    def has(self, *words: str) -> bool:
        return any(w.lower() in self.lower for w in words)

    def statements(self) -> list[str]:
        """Every comma- or semicolon-separated piece of math, `a=3 b=4` split too."""
        found = [
            p.strip()
            for run in self.runs
            for piece in _top_level_split(run)
            for p in _assignments_apart(piece)
        ]
        return [s for s in found if s]

    def assignments(self) -> list[tuple[str, str]]:
        """`name = value` statements, the name as written (a_{10}, |a|, \\sin(\\alpha), C)."""
        pairs = []
        for statement in self.statements():
            name, sep, value = statement.partition("=")
            if sep and name.strip() and value.strip() and "=" not in value:
                pairs.append((name.strip(), value.strip()))
        return pairs


def _top_level_split(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        depth += (char in "({[") - (char in ")}]")
        if char in ",;" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


_NEXT_ASSIGNMENT = re.compile(r"(?<=[\d}])\s+(?=[A-Za-z](?:_\{?\w+\}?)?\s*=)")


def _assignments_apart(piece: str) -> list[str]:
    """`a=3 b=4 C=60` typed without commas → three statements (`2x + y = 5` stays one)."""
    parts: list[str] = []
    for part in _NEXT_ASSIGNMENT.split(piece):
        if parts and "=" in parts[-1] and "=" in part:
            parts.append(part)
        elif parts:
            parts[-1] += " " + part
        else:
            parts.append(part)
    return parts


def _is_separator_word(word: str) -> bool:
    return word.lower() in _STOPWORDS or (len(word) >= 3 and not word.isupper())


def _runs(latex: str) -> tuple[str, ...]:
    """The stretches of math between Chinese characters and English words."""
    cut = _CJK.sub("\n", latex)
    cut = _ENGLISH_WORD.sub(lambda m: "\n" if _is_separator_word(m.group(0)) else m.group(0), cut)
    cut = re.sub(r"[?\"“”‘’《》「」]|:(?=\s)", "\n", cut)
    runs = (run.strip().strip(",;:.").strip() for run in cut.split("\n"))
    return tuple(run for run in runs if re.search(r"[\dA-Za-z\\]", run))


_COUNTED = re.compile(
    r"[一二两三四五六七八九十]+\s*(?:枚|颗|名|位|人|次|个(?:红|白)?球)"
    r"|\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten)\s+(?:fair\s+)?(?:coins?|dice|die|red|white|balls?)\b",
    re.IGNORECASE,
)


def _has_math(text: Text) -> bool:
    """A formula, a number, or things counted in words (三枚硬币)."""
    return any(re.search(r"\d|[=<>^|]|\\[a-zA-Z]", run) for run in text.runs) or bool(
        _COUNTED.search(text.latex)
    )


def _ask_part(latex: str) -> str:
    """What follows the last 求 / find: where the question is asked."""
    markers = list(_ASK_MARKER.finditer(latex))
    return latex[markers[-1].end() :] if markers else ""


# --- numbers ---

_CN_DIGITS = {
    "零": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_EN_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "single": 1, "once": 1, "two": 2, "twice": 2, "pair": 2, "three": 3,
    "thrice": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12,
}  # fmt: skip
COUNT = r"(\d+|[零一二两三四五六七八九十]{1,3}|" + "|".join(sorted(_EN_NUMBERS, key=len, reverse=True)) + ")"


def _count(word: str) -> int:
    """2, 两, 十二, two → the whole number."""
    if word.isdigit():
        return int(word)
    if word.lower() in _EN_NUMBERS:
        return _EN_NUMBERS[word.lower()]
    if "十" in word:
        tens, _, ones = word.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    if len(word) != 1 or word not in _CN_DIGITS:
        raise ProblemTextError(f"cannot read {word!r} as a whole number")
    return _CN_DIGITS[word]


def _value(latex: str) -> sympy.Expr:
    """A constant typed as LaTeX (`-\\frac{1}{2}`, `\\sqrt{3}`, `0.5`), read by the grammar."""
    try:
        value = parse_math(latex)
    except MathParseError as error:
        raise ProblemTextError(f"cannot read {latex!r} as a number: {error}") from None
    if not isinstance(value, sympy.Expr) or value.free_symbols or value.has(sympy.zoo, sympy.nan):
        raise ProblemTextError(f"{latex!r} is not a number")
    return value


def _number(latex: str) -> str:
    """The canonical LaTeX of a typed constant, as `facts` carry numbers."""
    return str(sympy.latex(_value(latex)))


def _degrees(latex: str) -> str:
    """An angle in degrees as a plain number: `60^{\\circ}` and `\\frac{\\pi}{3}` → `60`; a bare
    number is already degrees (C=60)."""
    value = _value(latex)
    if "\\circ" in latex or "\\pi" in latex:
        value = sympy.nsimplify(value * 180 / sympy.pi)
    if not (value.is_positive and value < 180):
        raise ProblemTextError(f"the angle {latex!r} is not between 0° and 180°")
    return str(sympy.latex(value))


_POINT = re.compile(r"\(\s*([^(),]+?)\s*,\s*([^(),]+?)\s*\)")


def _integer_points(latex: str) -> list[tuple[int, int]]:
    points = []
    for match in _POINT.finditer(latex):
        x, y = (_value(c) for c in match.groups())
        if not (x.is_integer and y.is_integer):
            raise _unsupported(f"the point ({match.group(1)}, {match.group(2)}): only integer points")
        points.append((int(x), int(y)))
    return points


@dataclass
class Reading:
    """What a recogniser read: the Problem's math fields."""

    kind: ProblemKind
    given: str = ""
    unknowns: list[str] = field(default_factory=list)
    points: list[tuple[int, int]] = field(default_factory=list)
    facts: dict[str, str] = field(default_factory=dict)
    ask: str = ""


Recogniser = Callable[[Text], Reading | None]


# --- vectors ---


_COORDINATES = re.compile(r"\(([^(),]+,[^(),]+(?:,[^(),]+)?)\)")  # 2 or 3 components


def _vector(text: Text) -> Reading | None:
    if not text.has("向量", "vector"):
        return None
    facts: dict[str, str] = {}
    for name, value in text.assignments():
        coordinates = _COORDINATES.fullmatch(value)
        bare = name.replace(" ", "")
        if coordinates and bare in ("a", "b"):
            facts[bare] = "(" + ", ".join(_number(c) for c in coordinates.group(1).split(",")) + ")"
        elif re.fullmatch(r"\|[ab]\|", bare):
            facts[bare] = _number(value)
        elif coordinates:
            raise _unsupported(f"the vector {name} = {value}: name the two vectors a and b")
        elif re.fullmatch(r"\\theta|\\langle[ab],[ab]\\rangle", bare):
            facts["theta"] = _degrees(value)
    angle = re.search(
        r"夹角\s*(?:为|是|=)?\s*(-?[\d.]+\^\{\\circ\}|\\frac\{[^{}]*\}\{[^{}]*\}|\\pi|[\d.]+)", text.latex
    )
    angle = angle or re.search(
        r"angle\s+(?:between [ab] and [ab]\s+)?(?:is|of)\s+(\S+\^\{\\circ\})", text.latex
    )
    if angle and "theta" not in facts:
        facts["theta"] = _degrees(angle.group(1))
    if not ({"a", "b"} <= set(facts) or {"|a|", "|b|", "theta"} <= set(facts)):
        raise _unsupported(
            "this vector problem: give a = (x, y) and b = (x, y), or |a|, |b| and the angle between them"
        )
    ask = _vector_ask(_ask_part(text.latex))
    return Reading(kind="vector", facts=facts, ask=ask)


def _vector_ask(ask: str) -> str:
    compact = ask.replace(" ", "").lower()
    if re.search(r"b在a|ofbonto|ofbon", compact) or re.search(r"\|b\||\|[ab][+-]|\|\d", compact):
        raise _unsupported(
            f"asking for {ask.strip()!r}: the offline expert finds a·b, the angle, "
            "the projection of a onto b, or |a|"
        )
    for words, what in (
        (("投影", "projection"), "projection"),
        (("夹角", "angle"), "angle"),
        (("数量积", "内积", "点积", "dot", r"a\cdotb"), "dot"),
        (("|a|", "模", "magnitude", "length"), "magnitude"),
    ):
        if any(w in compact for w in words):
            return what
    raise _unsupported("a vector question without a·b, the angle, the projection or |a| asked")


# --- triangles ---

_SIDE_NAMES = {"AB": "c", "BA": "c", "BC": "a", "CB": "a", "AC": "b", "CA": "b"}


def _triangle(text: Text) -> Reading | None:
    if not text.has(r"\triangle", "三角形", "triangle"):
        return None
    facts: dict[str, str] = {}
    for name, value in text.assignments():
        bare = re.sub(r"\\angle|角|\s", "", name)
        bare = _SIDE_NAMES.get(bare, bare)
        if bare in ("a", "b", "c"):
            facts[bare] = _number(value)
        elif bare in ("A", "B", "C"):
            facts[bare] = _degrees(value)
    ask = _ask_part(text.latex)
    if re.search(r"\\(?:sin|cos|tan)", ask):
        raise _unsupported(f"asking for {ask.strip()!r} in a triangle: ask for a side, an angle or the area")
    if re.search(r"面积|area", ask, re.IGNORECASE):
        asked = "area"
    else:
        letter = re.search(r"(?<![A-Za-z\\])(AB|BA|BC|CB|AC|CA|[abcABC])(?![A-Za-z])", ask)
        if letter is None:
            raise _unsupported("a triangle question that asks for no side, angle or area")
        asked = _SIDE_NAMES.get(letter.group(1), letter.group(1))
    if len(facts) < 3:
        raise _unsupported(f"a triangle with {len(facts)} known sides and angles: give three")
    return Reading(kind="triangle", facts=facts, ask=asked)


# --- probability ---

_REPLACED = re.compile(r"(?<!不)放回|(?<!without )replacement", re.IGNORECASE)


def _probability(text: Text) -> Reading | None:
    if not text.has("概率", "probability", "chance"):
        return None
    templates = [
        reader
        for words, reader in (
            (("骰子", "dice", " die"), _dice),
            (("硬币", "coin"), _coins),
            (("球", "ball"), _urn),
        )
        if text.has(*words)
    ]
    if len(templates) != 1:
        raise _unsupported(
            "this probability question: the offline templates are dice, coins, or red and white balls"
        )
    return Reading(kind="classical_probability", facts=templates[0](text.latex))


def _first_count(patterns: list[str], latex: str) -> int | None:
    for pattern in patterns:
        match = re.search(pattern.replace("COUNT", COUNT), latex, re.IGNORECASE)
        if match:
            return _count(next(g for g in match.groups() if g))
    return None


def _thrown(latex: str, chinese: str, one: str, many: str) -> int | None:
    """How many dice or coins: 两枚骰子, 一枚硬币抛三次, two dice, a coin tossed 3 times, a die."""
    fair = r"(?:fair\s+)?(?:six-sided\s+)?"
    times = r"(?:(twice|thrice|once)|COUNT\s+times)"
    thrown = r"(?:rolled|thrown|tossed|flipped)"
    return _first_count(
        [
            rf"{chinese}[^,;]*?(?:掷|抛|投)[^,;]*?COUNT\s*次",
            rf"COUNT\s*(?:枚|颗|个|只)\s*(?:质地)?(?:均匀的)?\s*(?:正方体)?{chinese}",
            rf"COUNT\s+{fair}{many}",
            rf"{one}\s+(?:is\s+)?{thrown}\s+{times}",
            rf"(?:roll|throw|toss|flip)\s+(?:a|one)\s+{fair}{one}\s+{times}",
            rf"(?:roll|throw|toss|flip)\s+COUNT\s+{fair}(?:{one}|{many})",
            rf"\b(a)\s+{fair}{one}\b",
        ],
        latex,
    )


def _dice(latex: str) -> dict[str, str]:
    dice = _thrown(latex, "骰子", "die", "dice")
    if dice is None:
        raise _unsupported("a dice question without the number of dice")
    event = _dice_event(latex, dice)
    return {"dice": str(dice), "event": event}


_SUM = r"(?:点数之和|点数的和|点数和|之和|和|点数|sum(?:\s+of\s+(?:the\s+)?\w+)?|total|number)"
_DICE_EVENTS = [
    (
        r"(?:不小于|大于或等于|大于等于|至少为?|\\ge|is at least|is no less than|is not less than)\s*(\d+)",
        ">=",
        0,
    ),
    (
        r"(?:不大于|小于或等于|小于等于|至多为?|\\le|is at most|is no more than|is not more than)\s*(\d+)",
        "<=",
        0,
    ),
    (r"(?:大于|>|is greater than|is more than|exceeds)\s*(\d+)", ">=", 1),
    (r"(?:小于|<|is less than|is smaller than)\s*(\d+)", "<=", -1),
    (r"(?:为|是|等于|=|is|equals|of)\s*(\d+)", "=", 0),
]


def _dice_event(latex: str, dice: int) -> str:
    if re.search(r"点数相同|点数相等|点数一样|同点|doubles|same number", latex, re.IGNORECASE):
        return "doubles"
    if re.search(
        r"(?:都|均|全)(?:是|为)偶数|both even|both show even|even numbers on both", latex, re.IGNORECASE
    ):
        return "both_even"
    for pattern, relation, shift in _DICE_EVENTS:
        match = re.search(_SUM + r"\s*" + pattern, latex, re.IGNORECASE)
        if match:
            return f"sum{relation}{int(match.group(1)) + shift}"
    raise _unsupported(
        f"this event with {dice} dice: the offline templates are a sum (=, ≥, ≤ a number), doubles, both even"
    )


def _urn(latex: str) -> dict[str, str]:
    if re.search(r"[黑黄蓝绿紫]球|black|blue|green|yellow", latex, re.IGNORECASE):
        raise _unsupported("balls of colours other than red and white")
    if _REPLACED.search(latex):
        raise _unsupported("drawing with replacement: the template draws the balls at once")
    red = _first_count([r"COUNT\s*(?:个|只|颗)?\s*红球", r"COUNT\s+red\b"], latex)
    white = _first_count([r"COUNT\s*(?:个|只|颗)?\s*白球", r"COUNT\s+white\b"], latex)
    draw = _first_count(
        [
            r"(?:(?:任意|随机|同时|一次)?(?:取出|摸出|抽出|抽取)|任取|任摸|摸|取)\s*COUNT\s*(?:个|只|颗)",
            r"(?:draws?|drawn|picks?|picked|takes?|taken|choose|chosen|selects?|selected)\s+(?:out\s+)?COUNT\s+"
            r"(?:balls?|at random)",
            r"COUNT\s+balls?\s+(?:are|is)\s+(?:drawn|picked|taken|chosen|selected)",
        ],
        latex,
    )
    if red is None or white is None or draw is None:
        raise _unsupported("a bag of balls without the number of red balls, white balls, and balls drawn")
    return {"red": str(red), "white": str(white), "draw": str(draw), "event": _urn_event(latex, draw)}


def _urn_event(latex: str, draw: int) -> str:
    checks: list[tuple[str, Callable[[int], str | None]]] = [
        (
            r"(?:都|全|均)(?:是|为)\s*红|both (?:are )?red|all (?:are )?red|both balls are red|all red",
            lambda _: f"red={draw}",
        ),
        (
            r"(?:都|全|均)(?:是|为)\s*白|both (?:are )?white|all (?:are )?white|both balls are white",
            lambda _: f"white={draw}",
        ),
        (r"一红一白|一个红球(?:和|与|,)?\s*一个白球|one red and one white", lambda _: "red=1"),
        (r"至少(?:有|摸到|取到)?\s*COUNT\s*(?:个|只)?\s*(?:是)?红|at least COUNT red", lambda k: f"red>={k}"),
        (
            r"恰(?:好|有)?\s*(?:有|摸到|取到)?\s*COUNT\s*(?:个|只)?\s*(?:是)?红|exactly COUNT red",
            lambda k: f"red={k}",
        ),
        (
            r"恰(?:好|有)?\s*(?:有|摸到|取到)?\s*COUNT\s*(?:个|只)?\s*(?:是)?白|exactly COUNT white",
            lambda k: f"white={k}",
        ),
    ]
    if draw == 1 and re.search(
        r"(?:摸到|取到|取出|摸出|是)红球|(?:is|draw(?:ing)?) (?:a )?red", latex, re.IGNORECASE
    ):
        return "red=1"
    event = _first_event(checks, latex, draw)
    if event is None:
        raise _unsupported(
            "this event: the bag template asks for exactly K red, exactly K white, or at least K red"
        )
    return event


def _coins(latex: str) -> dict[str, str]:
    coins = _thrown(latex, "硬币", "coin", "coins")
    if coins is None:
        raise _unsupported("a coin question without the number of coins or tosses")
    face = r"\s*(?:枚|个|次)\s*(?:是|为)?"
    checks: list[tuple[str, Callable[[int], str | None]]] = [
        (r"至少(?:有)?\s*COUNT" + face + r"反面|at least COUNT tails?", lambda _: None),
        (r"至少(?:有)?\s*COUNT" + face + r"正面|at least COUNT heads?", lambda k: f"heads>={k}"),
        (r"恰(?:好|有)?\s*(?:有)?\s*COUNT" + face + r"正面|exactly COUNT heads?", lambda k: f"heads={k}"),
        (
            r"恰(?:好|有)?\s*(?:有)?\s*COUNT" + face + r"反面|exactly COUNT tails?",
            lambda k: f"heads={coins - k}",
        ),
        (
            r"(?:都|全|均|全部)(?:是|为)?\s*正面|all (?:are )?heads|both (?:are )?heads",
            lambda _: f"heads={coins}",
        ),
        (
            r"(?:都|全|均|全部)(?:是|为)?\s*反面|all (?:are )?tails|both (?:are )?tails|no heads",
            lambda _: "heads=0",
        ),
    ]
    event = _first_event(checks, latex, coins)
    if event is None:
        raise _unsupported("this coin event: the template asks for exactly K heads or at least K heads")
    return {"coins": str(coins), "event": event}


def _first_event(checks: list[tuple[str, Callable[[int], str | None]]], latex: str, whole: int) -> str | None:
    """The event of the first pattern that matches; a pattern without a count means all `whole`."""
    for pattern, event in checks:
        match = re.search(pattern.replace("COUNT", COUNT), latex, re.IGNORECASE)
        if match:
            counted = [g for g in match.groups() if g]
            return event(_count(counted[0]) if counted else whole)
    return None


# --- counting ---

_NOTATION = [
    re.compile(r"(?<![A-Za-z\\])(?P<symbol>[ACP])_\{?(?P<n>\d+)\}?\^\{?(?P<k>\d+)\}?"),
    re.compile(r"(?<![A-Za-z\\])(?P<symbol>[ACP])\s*\(\s*(?P<n>\d+)\s*,\s*(?P<k>\d+)\s*\)"),
    re.compile(r"\\binom\{(?P<n>\d+)\}\{(?P<k>\d+)\}"),
    re.compile(r"(?P<n>\d+)\s*!"),
]
_CONDITIONS = re.compile(
    r"相邻|必须|不能|不在|不站|不排|甲|乙|丙|至少|至多|两端|首位|末位|中间|除了|包含|数字|位数"
    r"|男[^,;]*女|女[^,;]*男|adjacent|must|cannot|can't|not |at least|at most|next to|together|includ|exclud"
    r"|boys? and girls?|digit",
    re.IGNORECASE,
)
_ORDERED = re.compile(
    r"排成|站成|排列|排法|排队|顺序|担任|分别|不同的职务|arrange|order|\brow\b|\bline\b|queue|president|stand|sit|seat",
    re.IGNORECASE,
)


_COUNTING_WORDS = (
    "多少种",
    "几种",
    "排法",
    "选法",
    "种方法",
    "种不同",
    "排列数",
    "组合数",
    "how many ways",
    "in how many",
    "number of ways",
    "permutation",
    "combination",
)


def _counting(text: Text) -> Reading | None:
    notation = [m for run in text.runs for pattern in _NOTATION for m in pattern.finditer(run)]
    if text.has("点", "point"):  # A(1, 2) names a point, not a count
        notation = [m for m in notation if "(" not in m.group(0)]
    if text.has(*_COUNTING_WORDS) and not notation:
        return _counting_words(text)
    if not notation:
        return None
    expression = " ".join(text.runs).strip()
    if len(notation) > 1 or not re.fullmatch(
        r"\s*" + re.escape(notation[0].group(0)) + r"\s*=?\s*", expression
    ):
        raise _unsupported(
            "an expression of several permutations or combinations: give one A_n^k, C_n^k or n!"
        )
    found = notation[0].groupdict()
    n = int(found["n"])
    if "k" not in found:
        return Reading(kind="counting", given=f"{n}!", facts={"n": str(n), "k": str(n), "ordered": "yes"})
    return _choose(n, int(found["k"]), ordered=found.get("symbol", "C") in ("A", "P"))


def _choose(n: int, k: int, *, ordered: bool) -> Reading:
    if not 0 < k <= n <= 20:
        raise _unsupported(f"choosing {k} of {n}: the offline expert counts 1 ≤ k ≤ n ≤ 20")
    symbol = "A" if ordered else "C"
    return Reading(
        kind="counting",
        given=f"{symbol}_{_script(n)}^{_script(k)}",
        facts={"n": str(n), "k": str(k), "ordered": "yes" if ordered else "no"},
    )


def _script(number: int) -> str:
    """A sub- or superscript as written: A_5^3, A_{10}^{3}."""
    return str(number) if number < 10 else f"{{{number}}}"


def _counting_words(text: Text) -> Reading:
    latex = text.latex
    if _CONDITIONS.search(latex):
        raise _unsupported("counting with conditions (adjacent, must, not, at least...)")
    for pattern, n_first in (
        (r"从\s*COUNT\s*[^,;中]{0,10}中\s*(?:任意|随机)?\s*(?:选|挑|取|抽|派)\w?\s*(?:出)?\s*COUNT", True),
        (
            r"(?:choose|select|pick|arrange|seat|elect)\s+COUNT\s+(?:[a-z]+\s+)?(?:from|of|out of|among)\s+"
            r"(?:the\s+)?COUNT",
            False,
        ),
        (r"COUNT\s+(?:of|out of|from)\s+(?:the\s+)?COUNT", False),
        (r"COUNT\s+(?:[a-z]+\s+)?(?:from|among)\s+(?:a\s+group\s+of\s+)?COUNT", False),
    ):
        match = re.search(pattern.replace("COUNT", COUNT), latex, re.IGNORECASE)
        if match:
            first, second = _count(match.group(1)), _count(match.group(2))
            n, k = (first, second) if n_first else (second, first)
            return _choose(n, k, ordered=bool(_ORDERED.search(latex)))
    whole = re.search(
        (
            r"COUNT\s*(?:个|名|位|本|件|盆|张)?[^,;从]{0,8}?(?:站成|排成|排)\s*一\s*(?:排|列|行)"
            r"|COUNT\s+(?:[a-z]+\s+){0,2}(?:stand|sit|line up|be arranged|be seated|arrange)"
        ).replace("COUNT", COUNT),
        latex,
        re.IGNORECASE,
    )
    if whole:
        n = _count(whole.group(1) or whole.group(2))
        return _choose(n, n, ordered=True)
    raise _unsupported(
        "this counting question: write it as 从 n 个中选 k 个 (排成一排 or not), or A_n^k, C_n^k"
    )


# --- sequences ---

_SEQUENCE_WORDS = {
    r"首项|first term": "a_1",
    r"公差|common difference": "d",
    r"公比|common ratio": "q",
}
_TOKEN_VALUE = r"(-?\s*(?:\\frac\{[^{}]*\}\{[^{}]*\}|\\sqrt\{[^{}]*\}|\d+(?:\.\d+)?))"


def _sequence(text: Text) -> Reading | None:
    if text.has("等差", "arithmetic"):
        kind: ProblemKind = "arithmetic_sequence"
    elif text.has("等比", "geometric"):
        kind = "geometric_sequence"
    else:
        return None
    latex = text.latex
    facts: dict[str, str] = {}
    for name, value in text.assignments():
        key = re.sub(r"[{}\s]", "", name)
        if re.fullmatch(r"a_1|d|q|[aS]_\d+", key):
            facts[key] = _number(value)
    for words, key in _SEQUENCE_WORDS.items():
        match = re.search(rf"(?:{words})\s*(?:为|是|等于|=|is|of)?\s*{_TOKEN_VALUE}", latex, re.IGNORECASE)
        if match:
            facts[key] = _number(match.group(1))
    for match in re.finditer(rf"第\s*{COUNT}\s*项\s*(?:为|是|等于|=)\s*{_TOKEN_VALUE}", latex):
        facts[f"a_{_count(match.group(1))}"] = _number(match.group(2))
    for match in re.finditer(
        rf"前\s*{COUNT}\s*项(?:的)?和\s*(?:S_\{{?\w+\}}?)?\s*(?:为|是|等于|=)\s*{_TOKEN_VALUE}", latex
    ):
        facts[f"S_{_count(match.group(1))}"] = _number(match.group(2))
    misplaced = "d" if kind == "geometric_sequence" else "q"
    if misplaced in facts:
        raise _unsupported(f"{misplaced} given for {kind.split('_')[0]} sequence")
    if len(facts) < 2:
        raise _unsupported("a sequence with fewer than two known quantities (a_1, d or q, a_k, S_k)")
    return Reading(kind=kind, facts=facts, ask=_sequence_ask(_ask_part(latex)))


def _sequence_ask(ask: str) -> str:
    candidates: list[tuple[int, str]] = []
    asks: tuple[tuple[str, Callable[[re.Match[str]], str]], ...] = (
        (r"a_\{?n\}?(?![\w])|通项|general term|nth term|n-th term|formula", lambda m: "a_n"),
        (r"a_\{?(\d+)\}?", lambda m: f"a_{m.group(1)}"),
        (r"S_\{?(\d+)\}?", lambda m: f"S_{m.group(1)}"),
        (
            rf"第\s*{COUNT}\s*项|(\d+)(?:st|nd|rd|th)\s+term",
            lambda m: f"a_{_count(m.group(1) or m.group(2))}",
        ),
        (
            rf"前\s*{COUNT}\s*项(?:的)?和|sum of the first {COUNT} terms",
            lambda m: f"S_{_count(m.group(1) or m.group(2))}",
        ),
        (r"S_\{?n\}?(?![\w])|前\s*n\s*项(?:的)?和|sum of the first n terms", lambda m: "S_n"),
    )
    for pattern, what in asks:
        for match in re.finditer(pattern, ask, re.IGNORECASE):
            candidates.append((match.start(), what(match)))
    if not candidates:
        raise _unsupported("a sequence question that asks for none of a_n, a_k or S_k")
    asked = min(candidates)[1]
    if asked == "S_n":
        raise _unsupported(
            "the sum S_n as a formula in n: ask for a_n, a term a_k or a sum S_k with a number k"
        )
    return asked


# --- a function's expression from its graph ---


def _function_from_points(text: Text) -> Reading | None:
    linear = text.has("一次函数", "直线", "linear function", "straight line", "kx+b", "kx + b")
    quadratic = text.has("二次函数", "抛物线", "quadratic function", "parabola", "ax^{2}+bx+c", "ax^2+bx+c")
    asked = text.has(
        "解析式", "表达式", "函数式", "方程", "equation", "expression", "formula", "find the function"
    )
    if (
        not (linear or quadratic)
        or not asked
        or text.has("单调", "极值", "导数", "monoton", "extrem", "derivative")
    ):
        return None
    vertex = re.search(
        r"(?:顶点(?:坐标)?|vertex(?:\s+of\s+(?:the|a|this|its)\s+\w+)?)\s*(?:为|是|=|is|at)?\s*(?:at\s*)?(\([^()]*\))",
        text.latex,
        re.IGNORECASE,
    )
    facts: dict[str, str] = {}
    latex = text.latex
    if vertex:
        coordinates = _POINT.fullmatch(vertex.group(1))
        if coordinates is None:
            raise ProblemTextError(f"cannot read the vertex {vertex.group(1)!r}: write it as (h, k)")
        facts["vertex"] = f"({_number(coordinates.group(1))}, {_number(coordinates.group(2))})"
        latex = latex[: vertex.start()] + latex[vertex.end() :]
    points = _integer_points(latex)
    if quadratic and not linear:
        if (vertex and len(points) == 1) or (not vertex and len(points) == 3):
            return Reading(kind="quadratic_function", points=points, facts=facts)
        raise _unsupported("a quadratic function needs three points, or its vertex and one more point")
    if linear and len(points) == 2 and not vertex:
        return Reading(kind="linear_function", unknowns=["k", "b"], points=points)
    raise _unsupported("a linear function needs exactly two points it passes through")


# --- calculus ---

_CALCULUS_ASKS: list[tuple[ProblemKind, str]] = [
    ("monotonic_intervals", r"单调|增区间|减区间|递增|递减|monoton|increasing|decreasing"),
    ("extrema", r"极值|极大值|极小值|extreme value|extrema|local max|local min|relative max|relative min"),
]
_DERIVATIVE = re.compile(r"导数|求导|导函数|derivative|differentiate|f'\s*\(\s*[a-z]\s*\)|y'", re.IGNORECASE)
_FUNCTION_HEAD = re.compile(r"^\s*(?:[fgh]\s*\(\s*([a-z])\s*\)|y)\s*=\s*(.+)$")


def _calculus(text: Text) -> Reading | None:
    asks = [
        (m.start(), kind) for kind, pattern in _CALCULUS_ASKS for m in re.finditer(pattern, text.latex, re.I)
    ]
    if asks:
        kind: ProblemKind = min(asks)[1]
    elif _DERIVATIVE.search(text.latex):
        kind = "derivative"
    else:
        return None
    if re.search(r"f'\s*\(\s*-?\d|f''|切线|tangent", text.latex):
        raise _unsupported("a derivative at a point, a second derivative or a tangent line: ask for f'(x)")
    if re.search(
        r"区间\s*[\[(]|\\in\s*[\[(]|on the interval|(?<!local )(?<!relative )(?:maximum|minimum) value",
        text.latex,
        re.IGNORECASE,
    ):
        raise _unsupported("a function on a given interval, or its greatest and least values")
    variable, given = _function_body(text)
    expression = _read(given, "the function")
    extra = sorted(str(s) for s in expression.free_symbols if str(s) != variable)
    if extra:
        raise _unsupported(f"a function with the parameters {', '.join(extra)}")
    if variable not in {str(s) for s in expression.free_symbols}:
        raise ProblemTextError(f"{given!r} has no {variable} in it: write f(x) = ... with x in it")
    return Reading(kind=kind, given=given, unknowns=_unless_x([variable]))


def _function_body(text: Text) -> tuple[str, str]:
    """(variable, right-hand side) of `f(x) = ...` or `y = ...`, or the one expression given."""
    for statement in text.statements():
        head = _FUNCTION_HEAD.match(statement)
        if head:
            return head.group(1) or "x", head.group(2).strip()
    expressions = [s for s in text.statements() if not _RELATION.search(s) and re.search(r"[a-z]", s)]
    if len(expressions) == 1:
        variables = {str(s) for s in _read(expressions[0], "the function").free_symbols}
        return (variables.pop() if len(variables) == 1 else "x"), expressions[0]
    raise ProblemTextError("cannot find the function: write it as f(x) = x^3 - 3x")


def _read(latex: str, what: str) -> sympy.Expr:
    try:
        return parse_expression(latex)
    except MathParseError as error:
        raise ProblemTextError(f"cannot read {what} {latex!r}: {error}") from None


# --- trigonometry ---

_TRIG = re.compile(r"\\(?:sin|cos|tan|cot)\b")
_QUADRANT_WORDS = {
    "一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4,
    "i": 1, "ii": 2, "iii": 3, "iv": 4, "first": 1, "second": 2, "third": 3, "fourth": 4,
}  # fmt: skip
_QUADRANT = re.compile(
    r"第\s*([一二三四1-4])\s*象限|quadrant\s+(iv|iii|ii|i|[1-4])\b|(first|second|third|fourth)\s+quadrant",
    re.IGNORECASE,
)
_KNOWN_RATIO = re.compile(r"^\\(sin|cos|tan)\((\\alpha|\\theta|\\beta|x|A)\)$")


def _trig(text: Text) -> Reading | None:
    if not _TRIG.search(text.latex):
        return None
    known = [
        (m.group(1), m.group(2), value)
        for name, value in text.assignments()
        if (m := _KNOWN_RATIO.match(name.replace(" ", "")))
    ]
    if known:
        return _trig_from_ratio(text, *known[0])
    if text.has("化简", "simplify"):
        return Reading(kind="trig_identity", given=_trig_expression(text))
    given = _trig_expression(text)
    constant = not _read(given, "the expression").free_symbols
    return Reading(kind="trig_value" if constant else "trig_identity", given=given)


def _trig_expression(text: Text) -> str:
    candidates = [re.sub(r"=\s*\??\s*$", "", s).strip() for s in text.statements() if _TRIG.search(s)]
    candidates = [c for c in candidates if c and not _RELATION.search(c)]
    if len(candidates) != 1:
        raise _unsupported("a trigonometric question that is not one expression to evaluate or simplify")
    _read(candidates[0], "the expression")
    return candidates[0]


def _trig_from_ratio(text: Text, ratio: str, angle: str, value: str) -> Reading:
    asked = [
        m.group(1) for m in re.finditer(r"\\(sin|cos|tan)", _ask_part(text.latex)) if m.group(1) != ratio
    ]
    if not asked:
        raise _unsupported(
            "a trigonometric question that asks for no other ratio (sin, cos or tan) of the angle"
        )
    return Reading(
        kind="trig_value",
        facts={ratio: _number(value), "quadrant": str(_quadrant(text, angle))},
        ask=asked[0],
    )


def _quadrant(text: Text, angle: str) -> int:
    words = _QUADRANT.search(text.latex)
    if words:
        return _QUADRANT_WORDS[next(g for g in words.groups() if g).lower()]
    if text.has("锐角", "acute"):
        return 1
    if text.has("钝角", "obtuse"):
        return 2
    for statement in text.statements():
        interval = re.fullmatch(rf"\s*{re.escape(angle)}\s*\\in\s*[(\[](.+),(.+)[)\]]\s*", statement)
        if interval:
            statement = f"{interval.group(1)} < {angle} < {interval.group(2)}"
        if angle in statement and statement.count("<") + statement.count(r"\le") == 2:
            low, high = (_value(side) for side in re.split(r"<|\\le", statement) if angle not in side)
            for quadrant in range(1, 5):  # degrees were read as radians
                if bool(low >= (quadrant - 1) * sympy.pi / 2) and bool(high <= quadrant * sympy.pi / 2):
                    return quadrant
    raise _unsupported(
        "a trigonometric ratio without the quadrant of the angle: say 第二象限角 or π/2 < α < π"
    )


# --- equations, inequalities and systems ---

_INEQUALITY = re.compile(r"\\le |\\ge |<|>")
_SET_BUILDER = re.compile(
    r"^(?:[A-Z]\s*=\s*)?\\?\{\s*[a-z]\s*(?:\||:|\\mid)\s*(.+?)\s*\\?\}$"
)  # A = {x | x > 1}


def _equation(text: Text) -> Reading | None:
    statements = [_SET_BUILDER.sub(r"\1", s) for s in text.statements()]
    relations = [s for s in statements if _RELATION.search(s + " ") and not re.match(r"[fgh]\s*\(", s)]
    if not relations:
        if text.has("方程", "不等式", "solve", "equation", "inequality"):
            raise ProblemTextError("no equation or inequality found: write it with =, <, >, ≤ or ≥")
        return None
    equations = [r for r in relations if not _INEQUALITY.search(r + " ")]
    if len(relations) == 1:
        return _single_relation(relations[0], is_equation=bool(equations))
    if len(equations) == len(relations):
        return _system(equations)
    raise _unsupported("a system of inequalities, or equations mixed with inequalities")


def _condition(latex: str) -> sympy.Basic:
    try:
        return parse_condition(latex)
    except MathParseError as error:
        raise ProblemTextError(f"cannot read {latex!r}: {error}") from None


def _single_relation(latex: str, *, is_equation: bool) -> Reading:
    sides = _RELATION.split(latex + " ")
    if len(sides) > 2:
        raise _unsupported("a chain of inequalities: solve each inequality on its own")
    # each side on its own: |x - 2| = -1 is still an equation to solve (sympy would call it False)
    left, right = _read(sides[0], "the left side"), _read(sides[1], "the right side")
    expression = left - right
    symbols = sorted(str(s) for s in left.free_symbols | right.free_symbols)
    if len(symbols) != 1:
        raise _unsupported(
            f"one equation in {', '.join(symbols) or 'no unknown'}: give one unknown, or a system"
        )
    variable = sympy.Symbol(symbols[0])
    kind = _equation_kind(expression, variable) if is_equation else _inequality_kind(expression, variable)
    return Reading(kind=kind, given=latex, unknowns=_unless_x(symbols))


def _shape(expression: sympy.Expr, variable: sympy.Symbol) -> tuple[bool, int | None]:
    """(a variable in a denominator, the degree of the numerator or None if not a polynomial)."""
    numerator, denominator = sympy.fraction(sympy.together(expression))
    polynomial = sympy.expand(numerator)
    degree = sympy.degree(polynomial, variable) if polynomial.is_polynomial(variable) else None
    return variable in denominator.free_symbols, None if degree is None else int(degree)


def _transcendental(expression: sympy.Expr, variable: sympy.Symbol) -> set[str]:
    found = set()
    if expression.has(sympy.Abs):
        found.add("absolute")
    if expression.has(sympy.log):
        found.add("log")
    if expression.has(sympy.exp) or any(variable in p.exp.free_symbols for p in expression.atoms(sympy.Pow)):
        found.add("exponential")
    if expression.has(sympy.sin, sympy.cos, sympy.tan, sympy.cot):
        found.add("trigonometric")
    if any(
        p.exp.is_Rational and not p.exp.is_Integer and variable in p.base.free_symbols
        for p in expression.atoms(sympy.Pow)
    ):
        found.add("root")
    return found


def _equation_kind(expression: sympy.Expr, variable: sympy.Symbol) -> ProblemKind:
    special = _transcendental(expression, variable)
    if special & {"trigonometric", "root"} or len(special) > 1:
        raise _unsupported(f"an equation with {' and '.join(sorted(special))} terms")
    named: dict[str, ProblemKind] = {
        "absolute": "absolute_value_equation",
        "log": "logarithmic_equation",
        "exponential": "exponential_equation",
    }
    if special:
        return named[special.pop()]
    return _by_shape(expression, variable, "equation")


def _inequality_kind(expression: sympy.Expr, variable: sympy.Symbol) -> ProblemKind:
    special = _transcendental(expression, variable)
    if special:
        raise _unsupported(f"an inequality with {' and '.join(sorted(special))} terms")
    return _by_shape(expression, variable, "inequality")


_SHAPED: dict[str, tuple[ProblemKind, ProblemKind, ProblemKind]] = {
    "equation": ("rational_equation", "linear_equation", "quadratic_equation"),
    "inequality": ("rational_inequality", "linear_inequality", "quadratic_inequality"),
}


def _by_shape(expression: sympy.Expr, variable: sympy.Symbol, what: str) -> ProblemKind:
    """Rational when the unknown is in a denominator, else linear or quadratic by the degree."""
    rational_kind, linear_kind, quadratic_kind = _SHAPED[what]
    rational, degree = _shape(expression, variable)
    if rational:
        return rational_kind
    if degree is None or degree > 2:
        raise _unsupported(
            f"a polynomial {what} of degree {degree}: the offline expert solves degree 1 and 2"
        )
    return quadratic_kind if degree == 2 else linear_kind


def _system(equations: list[str]) -> Reading:
    parsed = [_condition(e) for e in equations]
    symbols = sorted({s for p in parsed for s in p.free_symbols}, key=lambda s: (str(s) not in "xyz", str(s)))
    if len(symbols) != len(equations) or len(equations) > 3:
        raise _unsupported(
            f"{len(equations)} equations in {len(symbols)} unknowns: "
            "a system needs as many equations as unknowns (2 or 3)"
        )
    for equation in parsed:
        if not isinstance(equation, sympy.Eq):
            raise ProblemTextError(f"{equation} is not an equation")
        polynomial = sympy.expand(equation.lhs - equation.rhs)
        if not polynomial.is_polynomial(*symbols) or sympy.Poly(polynomial, *symbols).total_degree() > 1:
            raise _unsupported("a system that is not linear")
    return Reading(kind="linear_system", given=", ".join(equations), unknowns=[str(s) for s in symbols])


def _unless_x(variables: list[str]) -> list[str]:
    """x is every kind's default unknown: named only when it is another letter, as the catalog does."""
    return [] if variables == ["x"] else variables


# --- the reader ---

_ELSEWHERE = [
    (r"积分|\\int|∫|integral|antiderivative|原函数", "integrals"),
    (r"极限|\\lim|limit", "limits"),
    (r"证明|求证|prove|show that", "proofs"),
    (r"复数|complex number", "complex numbers"),
    (r"矩阵|行列式|matri|determinant", "matrices"),
    (
        r"方差|平均数|中位数|众数|标准差|期望|分布列|variance|\bmean\b|median|standard deviation"
        r"|expected value|distribution",
        "statistics",
    ),
    (
        r"棱柱|棱锥|正方体|长方体|四面体|三棱|四棱|球的体积|球的表面积|球的半径|球体|球面|圆锥|圆柱|空间几何|空间直角|空间中|二面角|异面|体积|表面积"
        r"|cube|sphere|cone|cylinder|prism|pyramid|tetrahedron|volume|surface area",
        "solid geometry",
    ),
    (r"椭圆|双曲线|焦点|准线|离心率|ellipse|hyperbola|focus|foci|directrix|eccentricity", "conic sections"),
    (r"\\cap|∩|交集|并集|补集|intersection of|union of", "operations on sets"),
    (r"圆的方程|圆心|半径|circle|radius", "circles"),
    (r"最大值|最小值|最值|greatest value|least value", "greatest and least values (最值)"),
]
RECOGNISERS: tuple[Recogniser, ...] = (
    _vector,
    _triangle,
    _probability,
    _counting,
    _sequence,
    _function_from_points,
    _calculus,
    _trig,
    _equation,
)


def read_problem(text: str, language: Language | None = None) -> Problem:
    """The Problem a typed text states; ProblemTextError (a ValueError) saying what to write if none."""
    if not text or not text.strip():
        raise ProblemTextError("the problem is empty: type one, e.g. 解方程 x^2-5x+6=0")
    if len(text) > MAX_TEXT_CHARS:
        raise ProblemTextError(
            f"the problem is {len(text)} characters, over the limit of {MAX_TEXT_CHARS}: type one problem"
        )
    statement = re.sub(r"\s+", " ", text).strip()
    if len(statement) > STATEMENT_CHARS:
        raise ProblemTextError(
            f"the problem is {len(statement)} characters; a worked example holds {STATEMENT_CHARS}: shorten"
        )
    latex = to_latex(statement)
    reading_text = Text(latex=latex, runs=_runs(latex))
    if not _has_math(reading_text):
        raise NoMathError(
            "no math found in the text: type a problem with its formula or numbers, "
            "e.g. 解方程 x^2-5x+6=0, 求 f(x)=x^3-3x 的极值, or Solve 2x+3>7"
        )
    for pattern, topic in _ELSEWHERE:
        if re.search(pattern, latex, re.IGNORECASE):
            raise _unsupported(topic)
    for recognise in RECOGNISERS:
        reading = recognise(reading_text)
        if reading is not None:
            return Problem(
                id=PROBLEM_ID,
                statement=statement,
                language=language or detect_language(statement),
                kind=reading.kind,
                given=reading.given,
                unknowns=reading.unknowns,
                points=reading.points,
                facts=reading.facts,
                ask=reading.ask,
            )
    raise _unsupported(f"no problem class recognised in {statement[:80]!r}")


def detect_language(text: str) -> Language:
    """Any Chinese character makes it a Chinese problem."""
    return "zh-CN" if _CJK.search(text) else "en-US"
