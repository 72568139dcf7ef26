"""Trigonometric values and identities.

trig_value, two forms:
- `given` is an expression of sin, cos and tan at special angles, in degrees (`\\sin 150^\\circ`)
  or radians (`\\tan\\frac{\\pi}{4}`), `ask` empty: each angle is brought to 0°..90° by the
  reduction formulas (negative angles, full turns, 180° - α, 180° + α, 360° - α), then the
  special values are put in.
- `facts` give one of "sin", "cos", "tan" and the "quadrant" (1-4) of the angle (α, or the
  name in `unknowns`, e.g. ["\\theta"]); `ask` is another of them: sin²α + cos²α = 1 (or
  1 + tan²α = 1/cos²α), the sign from the quadrant, tan = sin/cos.

trig_identity: `given` is an expression in one angle variable; it is simplified by named
identities: tan = sin/cos, the double angle formulas, expanding, sin²x + cos²x = 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import sympy
from sympy.functions.elementary.trigonometric import TrigonometricFunction

from mathcast.content.solvers.base import UnsupportedProblemError, solves
from mathcast.content.solvers.functions import Written, known_number, plain, tex, worked
from mathcast.lesson import Language, Problem, Solution
from mathcast.verify.parse import MathParseError, parse_expression, parse_math

PHRASES: dict[Language, dict[str, str]] = {
    "zh-CN": {
        "special": "先写出各个特殊角的三角函数值。",
        "reduce": (
            "用诱导公式把角化到 0° 到 90° 之间（负角用奇偶性，大于 360° 先减去整圈），"
            "再写出特殊角的三角函数值。"
        ),
        "substitute": "把这些值代入原式，计算得 {value}。",
        "read": "由特殊角的三角函数值，得 {value}。",
        "value_summary": "先用诱导公式化成锐角，再代入特殊角的三角函数值计算：结果是 {value}。",
        "special_summary": "代入特殊角的三角函数值计算：结果是 {value}。",
        "square": "由平方关系 sin²α + cos²α = 1，得 {square}。",
        "tan_square": "由 sin²α + cos²α = 1 两边同除以 cos²α，得 1 + tan²α = 1/cos²α，所以 {square}。",
        "sign": "α 是第{quadrant}象限角，{function} α {relation} 0，所以开方取{sign}号：{value}。",
        "quotient": "由商数关系 tan α = sin α / cos α，得 {value}。",
        "product": "由 tan α = sin α / cos α 得 sin α = tan α · cos α = {value}。",
        "quadrant_summary": "用同角三角函数的{relations}，并由第{quadrant}象限确定符号：{value}。",
        "relations": "平方关系",
        "tan_relations": "平方关系和商数关系",
        "positive": "正",
        "negative": "负",
        "plan": "观察原式的角和函数名，准备用{identities}化简。",
        "double_angle": "用二倍角公式把 2x 的三角函数化成 x 的三角函数。",
        "tangent": "用商数关系 tan x = sin x / cos x，把正切化成正弦和余弦。",
        "expand": "展开（完全平方公式、分配律）并合并同类项。",
        "pythagorean": "用平方关系 sin²x + cos²x = 1 化简、约分。",
        "double_angle_back": "反过来用二倍角公式，写成最简的形式。",
        "tangent_back": "用商数关系写成正切，得到最简的形式。",
        "identity_summary": "用{identities}化简，结果是 {value}。",
        "and": "、",
        "identity_names": "二倍角公式|商数关系|完全平方公式|平方关系",
    },
    "en-US": {
        "special": "Write down the value at each special angle.",
        "reduce": "Use the reduction formulas to bring each angle into 0° to 90° (odd and even functions for "
        "negative angles, drop full turns), then use the special values.",
        "substitute": "Substitute the values into the expression: {value}.",
        "read": "The value at this special angle: {value}.",
        "value_summary": "Reduce each angle to an acute angle, then use the special values: {value}.",
        "special_summary": "Put in the values at the special angles: {value}.",
        "square": "From sin²α + cos²α = 1: {square}.",
        "tan_square": "Dividing sin²α + cos²α = 1 by cos²α gives 1 + tan²α = 1/cos²α, so {square}.",
        "sign": "In quadrant {quadrant}, {function} α {relation} 0: take the {sign} root, {value}.",
        "quotient": "By tan α = sin α / cos α: {value}.",
        "product": "From tan α = sin α / cos α, sin α = tan α · cos α = {value}.",
        "quadrant_summary": ("Use {relations}, with the sign from quadrant {quadrant}: {value}."),
        "relations": "sin²α + cos²α = 1",
        "tan_relations": "sin²α + cos²α = 1 and tan α = sin α / cos α",
        "positive": "positive",
        "negative": "negative",
        "plan": "Look at the angles and the functions: the plan is to use the {identities}.",
        "double_angle": "The double angle formulas turn functions of 2x into functions of x.",
        "tangent": "Write the tangent as sin x / cos x.",
        "expand": "Expand (perfect square, distributive law) and collect like terms.",
        "pythagorean": "Use sin²x + cos²x = 1 and cancel.",
        "double_angle_back": "Use a double angle formula backwards for the simplest form.",
        "tangent_back": "Write sin x / cos x as tan x: the simplest form.",
        "identity_summary": "Simplify with the {identities}: {value}.",
        "and": ", ",
        "identity_names": (
            "double angle formulas|quotient identity|perfect square formula|Pythagorean identity"
        ),
    },
}
FUNCTIONS: dict[str, Callable[[sympy.Expr], sympy.Expr]] = {
    "sin": sympy.sin,
    "cos": sympy.cos,
    "tan": sympy.tan,
}
SPECIAL_DEGREES = (0, 30, 45, 60, 90)
# the sign of each function in quadrants 1..4
SIGNS = {"sin": (1, 1, -1, -1), "cos": (1, -1, -1, 1), "tan": (1, -1, 1, -1)}
# reduction formulas: f(180° - α), f(180° + α), f(360° - α) as a sign times the same f(α)
REDUCTION_SIGNS = {"sin": (1, -1, -1), "cos": (-1, -1, 1), "tan": (-1, 1, -1)}
_APPLICATION = re.compile(r"\\(sin|cos|tan)(?![A-Za-z])\s*(\^\s*(?:\{\s*\d\s*\}|\d))?\s*")


# --- values at special angles ---


class _Angle:
    """An angle in degrees, shown in the unit the problem uses."""

    def __init__(self, degrees: sympy.Expr, radians: bool) -> None:
        self.degrees, self.radians = degrees, radians

    def tex(self, degrees: sympy.Expr | int | None = None) -> str:
        value = self.degrees if degrees is None else degrees
        return (
            tex(value * sympy.pi / 180) if self.radians else f"{tex(value)}^{{\\circ}}"
        )  # braced: see triangles

    def applied(self, function: str, degrees: sympy.Expr | int | None = None) -> str:
        """\\sin 150^\\circ, \\sin\\frac{5 \\pi}{6}, \\sin(-30^\\circ)."""
        value = self.degrees if degrees is None else degrees
        shown = self.tex(value)
        simple = value >= 0 and (shown.startswith("\\frac") or (not self.radians and shown[0].isdigit()))
        return f"\\{function} {shown}" if simple else f"\\{function}\\left({shown}\\right)"

    def compound(self, function: str, turn: int, sign: str, acute: sympy.Expr) -> str:
        """\\sin(180^\\circ - 30^\\circ)."""
        return f"\\{function}\\left({self.tex(sympy.Integer(turn))} {sign} {self.tex(acute)}\\right)"


def _reduction(function: str, angle: _Angle) -> tuple[str, sympy.Expr]:
    """`\\sin 150^\\circ = \\sin(180^\\circ - 30^\\circ) = \\sin 30^\\circ = \\frac{1}{2}` and the value."""
    parts, sign, degrees = [angle.applied(function)], 1, angle.degrees

    def signed(text: str) -> str:
        return text if sign > 0 else f"-{text}"

    if degrees < 0:
        sign, degrees = (1 if function == "cos" else -1), -degrees
        parts.append(signed(angle.applied(function, degrees)))
    if degrees >= 360:
        turns = degrees // 360
        rest = degrees - 360 * turns
        parts.append(signed(f"\\{function}\\left({angle.tex(360 * turns)} + {angle.tex(rest)}\\right)"))
        degrees = rest
        parts.append(signed(angle.applied(function, degrees)))
    if degrees > 90:
        turn, direction, index = (
            (180, "-", 0) if degrees <= 180 else (180, "+", 1) if degrees < 270 else (360, "-", 2)
        )
        acute = turn - degrees if direction == "-" else degrees - turn
        parts.append(signed(angle.compound(function, turn, direction, acute)))
        sign *= REDUCTION_SIGNS[function][index]
        degrees = acute
        parts.append(
            signed(angle.applied(function, degrees) if degrees else f"\\{function} {angle.tex(degrees)}")
        )
    if degrees not in SPECIAL_DEGREES:
        raise UnsupportedProblemError(
            f"{angle.tex()} is not a special angle: its {function} needs a calculator"
        )
    if function == "tan" and degrees == 90:
        raise UnsupportedProblemError(f"tan {angle.tex()} is undefined")
    value = sign * FUNCTIONS[function](degrees * sympy.pi / 180)
    parts.append(tex(value))
    return " = ".join(dict.fromkeys(parts)), value


def _group(text: str, start: int) -> int:
    """The end of the bracket group that opens at `start`."""
    closing = {"(": ")", "{": "}"}[text[start]]
    depth = 0
    for i in range(start, len(text)):
        depth += text[i] == text[start]
        depth -= text[i] == closing
        if depth == 0:
            return i + 1
    raise UnsupportedProblemError(f"unbalanced brackets in {text!r}")


_DEGREES = re.compile(r"-?\s*\d+(?:\.\d+)?\s*\^\s*(?:\{\s*\\circ\s*\}|\\circ)")
_RADIANS = re.compile(r"-?\s*(?:\d+\s*)?\\pi")


def _applications(given: str) -> list[tuple[int, int, str, int, str]]:
    """(start, end, function, power, angle text) for each sin/cos/tan applied to an angle."""
    found = []
    for match in _APPLICATION.finditer(given):
        at = match.end()
        power = int(re.sub(r"\D", "", match.group(2) or "1"))
        if at < len(given) and given[at] in "({":
            end = _group(given, at)
            angle = given[at + 1 : end - 1]
        elif given.startswith("\\frac", at):
            end = _group(given, _group(given, at + 5))
            angle = given[at:end]
        elif literal := _DEGREES.match(given, at) or _RADIANS.match(given, at):
            end, angle = literal.end(), literal.group(0)
        else:
            raise UnsupportedProblemError(f"cannot read the angle after \\{match.group(1)} in {given!r}")
        found.append((match.start(), end, match.group(1), power, angle))
    return found


def _angle_of(text: str) -> _Angle:
    try:
        radians = parse_math(text)
    except MathParseError as error:
        raise UnsupportedProblemError(f"cannot read the angle {text!r}: {error}") from None
    if not isinstance(radians, sympy.Expr) or radians.free_symbols:
        raise UnsupportedProblemError(f"{text!r} is not an angle")
    degrees = sympy.nsimplify(radians * 180 / sympy.pi)
    if not degrees.is_Rational:
        raise UnsupportedProblemError(f"{text!r} is not a special angle")
    return _Angle(degrees, radians="\\circ" not in text and "°" not in text)


def _substituted(given: str, found: list[tuple[int, int, str, int, str]], values: list[sympy.Expr]) -> str:
    """The given with each application replaced by its value, bracketed where it multiplies or is
    raised to a power."""
    pieces: list[str] = []
    last = 0
    for (start, end, _, power, _), value in zip(found, values, strict=True):
        before, after = given[last:start], given[end:]
        touching = re.search(r"[\w)}]\s*$", "".join(pieces) + before) or re.match(r"\s*[\w(\\]", after)
        shown = tex(value)
        if power > 1 or touching or (value.could_extract_minus_sign() and before.strip()):
            shown = f"\\left({shown}\\right)"
        pieces += [before, f"{shown}^{{{power}}}" if power > 1 else shown]
        last = end
    return "".join([*pieces, given[last:]]).strip()


def _table(function: str, angle: _Angle) -> list[str]:
    """The special values of one function around the given angle, as a student recalls them."""
    special = [d for d in SPECIAL_DEGREES if not (function == "tan" and d == 90)]
    shown = special[:4] if angle.degrees in special[:4] else special[-4:]
    return [f"{angle.applied(function, d)} = {tex(FUNCTIONS[function](d * sympy.pi / 180))}" for d in shown]


def _special_values(problem: Problem) -> Solution:
    words = PHRASES[problem.language]
    given = problem.given.strip()
    found = _applications(given)
    if not found:
        raise UnsupportedProblemError(f"{problem.id}: no sin, cos or tan at an angle in {given!r}")
    lines: list[str] = []
    values = []
    for _, _, function, _, angle_text in found:
        line, value = _reduction(function, _angle_of(angle_text))
        lines.append(line)
        values.append(value)
    lines = list(dict.fromkeys(lines))
    reduced = any(line.count("=") > 1 for line in lines)
    numbers = _substituted(given, found, values)
    try:
        result = sympy.radsimp(sympy.simplify(parse_math(numbers)))
    except MathParseError as error:
        raise UnsupportedProblemError(f"{problem.id}: cannot compute {numbers!r}: {error}") from None
    if not isinstance(result, sympy.Expr) or result.free_symbols or result.has(sympy.zoo, sympy.nan):
        raise UnsupportedProblemError(f"{problem.id}: {given!r} is not a number")
    value = tex(result)
    said = words["reduce" if reduced else "special"]
    if len(found) == 1 and numbers == tex(values[0]):  # the given is one value: reduce it, then read it
        *reduction, last = lines[0].split(" = ")
        function, angle_text = found[0][2], found[0][4]
        first = [" = ".join(reduction)] if reduced else _table(function, _angle_of(angle_text))
        steps: list[Written] = [
            (first, said),
            ([f"{reduction[-1]} = {last}"], words["read"].format(value=plain(result))),
        ]
    else:
        steps = [(lines[i : i + 4], said) for i in range(0, len(lines), 4)]
        steps.append(
            (
                [" = ".join(dict.fromkeys([given, numbers, value]))],
                words["substitute"].format(value=plain(result)),
            )
        )
    if len(steps) > 6:
        raise UnsupportedProblemError(f"{problem.id}: too many angles for one worked example")
    summary = words["value_summary" if reduced else "special_summary"].format(value=plain(result))
    return worked(problem, steps, value, summary)


# --- one value known, the quadrant of α given ---


def _quadrant_values(problem: Problem) -> Solution:
    words = PHRASES[problem.language]
    known = [f for f in FUNCTIONS if f in problem.facts]
    quadrant_text = problem.facts.get("quadrant", "").strip()
    if len(known) != 1 or quadrant_text not in ("1", "2", "3", "4"):
        raise UnsupportedProblemError(
            f"{problem.id}: give one of sin, cos, tan and the quadrant 1-4 of α; got {problem.facts}"
        )
    (function,), quadrant = known, int(quadrant_text)
    asked = problem.ask.strip().removeprefix("\\")
    if asked not in FUNCTIONS or asked == function:
        raise UnsupportedProblemError(
            f"{problem.id}: ask one of sin, cos, tan other than {function}; got {problem.ask!r}"
        )
    value = known_number(problem, function)
    sign = SIGNS[function][quadrant - 1]
    if value == 0 or (value > 0) != (sign > 0) or (function != "tan" and abs(value) >= 1):
        raise UnsupportedProblemError(
            f"{problem.id}: {function} α = {value} cannot hold for α in quadrant {quadrant}"
        )
    values = {function: value}
    other = "cos" if function in ("sin", "tan") else "sin"  # the one found by the square relation
    if function == "tan":
        square = 1 / (1 + value**2)
        square_line = (
            f"{_squared('cos')} = \\frac{{1}}{{1 + {_squared('tan')}}} = "
            f"\\frac{{1}}{{1 + {_bracketed(value)}^{{2}}}} = {tex(square)}"
        )
        said = "tan_square"
    else:
        square = 1 - value**2
        relation = f"{_squared(other)} = 1 - {_squared(function)}"
        square_line = f"{relation} = 1 - {_bracketed(value)}^{{2}} = {tex(square)}"
        said = "square"
    other_sign = SIGNS[other][quadrant - 1]
    values[other] = other_sign * sympy.sqrt(square)
    root = f"{'-' if other_sign < 0 else ''}\\sqrt{{{tex(square)}}}"
    steps: list[Written] = [
        ([square_line], words[said].format(square=f"{other}²α = {plain(square)}")),
        (
            [f"\\{other}\\alpha = {root} = {tex(values[other])}"],
            words["sign"].format(
                quadrant=_quadrant_name(problem.language, quadrant),
                function=other,
                relation=">" if other_sign > 0 else "<",
                sign=words["positive" if other_sign > 0 else "negative"],
                value=f"{other} α = {plain(values[other])}",
            ),
        ),
    ]
    if asked not in values:
        if asked == "tan":
            values["tan"] = values["sin"] / values["cos"]
            line = (
                f"\\tan\\alpha = \\frac{{\\sin\\alpha}}{{\\cos\\alpha}} = "
                f"\\frac{{{tex(values['sin'])}}}{{{tex(values['cos'])}}} = {tex(values['tan'])}"
            )
            steps.append(([line], words["quotient"].format(value=f"tan α = {plain(values['tan'])}")))
        else:
            values["sin"] = values["tan"] * values["cos"]
            line = (
                f"\\sin\\alpha = \\tan\\alpha\\cos\\alpha = {tex(values['tan'])} \\times "
                f"{_bracketed(values['cos'])} = {tex(values['sin'])}"
            )
            steps.append(([line], words["product"].format(value=plain(values["sin"]))))
    answer = f"\\{asked}\\alpha = {tex(values[asked])}"
    summary = words["quadrant_summary"].format(
        relations=words["tan_relations" if "tan" in (asked, function) else "relations"],
        quadrant=_quadrant_name(problem.language, quadrant),
        value=f"{asked} α = {plain(values[asked])}",
    )
    return worked(problem, steps, answer, summary)


def _squared(function: str) -> str:
    """(\\cos\\alpha)^{2}: mathcast.verify.parse misreads \\cos^{2}\\alpha."""
    return f"\\left(\\{function}\\alpha\\right)^{{2}}"


def _bracketed(value: sympy.Expr) -> str:
    text = tex(value)
    return text if value.is_Integer and value >= 0 else f"\\left({text}\\right)"


def _quadrant_name(language: Language, quadrant: int) -> str:
    return "一二三四"[quadrant - 1] if language == "zh-CN" else str(quadrant)


GREEK = {"alpha": "α", "beta": "β", "gamma": "γ", "theta": "θ", "phi": "φ", "varphi": "φ"}


def _renamed(solution: Solution, name: str) -> Solution:
    """The solution written for the angle `name` (theta) instead of α."""
    if name == "alpha":
        return solution

    def latex(text: str) -> str:
        return re.sub(r"\\alpha(?![A-Za-z])", lambda _: f"\\{name}", text)

    def spoken(text: str) -> str:
        return text.replace("α", GREEK[name])

    steps = [
        s.model_copy(
            update={"equations": [latex(e) for e in s.equations], "explanation": spoken(s.explanation)}
        )
        for s in solution.steps
    ]
    return solution.model_copy(
        update={"steps": steps, "answer": latex(solution.answer), "summary": spoken(solution.summary)}
    )


@solves("trig_value")
def trig_value(problem: Problem) -> Solution:
    if not problem.facts:
        return _special_values(problem)
    name = (problem.unknowns or ["alpha"])[0].strip().lstrip("\\")
    if name not in GREEK:
        raise UnsupportedProblemError(f"{problem.id}: name the angle one of {', '.join(GREEK)}, not {name!r}")
    return _renamed(_quadrant_values(problem), name)


# --- identities ---


def _angle_variable(problem: Problem, expr: sympy.Expr) -> sympy.Symbol:
    symbols = expr.free_symbols
    if len(symbols) != 1:
        raise UnsupportedProblemError(
            f"{problem.id}: simplify an expression in one angle, got {problem.given!r}"
        )
    (symbol,) = symbols
    assert isinstance(symbol, sympy.Symbol)
    return symbol


_Rewrite = Callable[[sympy.Expr], sympy.Expr]


def _double_angles(x: sympy.Symbol, used: dict[str, None]) -> dict[type, _Rewrite]:
    """sin 2x -> 2 sin x cos x and cos 2x -> cos²x - sin²x, each use noted as a LaTeX identity."""

    def half(argument: sympy.Expr) -> bool:
        coefficient, rest = argument.as_coeff_Mul()
        return bool(coefficient == 2 and rest == x)

    def sine(argument: sympy.Expr) -> sympy.Expr:
        if not half(argument):
            return sympy.sin(argument)
        used[f"{tex(sympy.sin(2 * x))} = {tex(2 * sympy.sin(x) * sympy.cos(x))}"] = None
        return 2 * sympy.sin(x) * sympy.cos(x)

    def cosine(argument: sympy.Expr) -> sympy.Expr:
        if not half(argument):
            return sympy.cos(argument)
        used[f"{tex(sympy.cos(2 * x))} = {tex(sympy.cos(x) ** 2 - sympy.sin(x) ** 2)}"] = None
        return sympy.cos(x) ** 2 - sympy.sin(x) ** 2

    return {sympy.sin: sine, sympy.cos: cosine}


_QUOTIENTS: dict[type, _Rewrite] = {
    sympy.tan: lambda a: sympy.sin(a) / sympy.cos(a),
    sympy.cot: lambda a: sympy.cos(a) / sympy.sin(a),
}


def _rewritten(expr: sympy.Expr, rules: dict[type, _Rewrite]) -> tuple[sympy.Expr, sympy.Expr]:
    """The expression with every rule applied: as written before cancelling, and simplified."""
    with sympy.evaluate(False):
        shown = expr
        for kind, rule in rules.items():
            shown = shown.replace(kind, rule)
    done = expr
    for kind, rule in rules.items():
        done = done.replace(kind, rule)
    return shown, done


def _expanded(expr: sympy.Expr) -> sympy.Expr:
    numerator, denominator = sympy.fraction(sympy.together(expr))
    return sympy.expand(numerator) / sympy.expand(denominator)


def _pythagorean(expr: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    """Simplified modulo sin²x + cos²x = 1, then cancelled."""
    s, c = sympy.symbols("s c")
    in_sc = expr.subs({sympy.sin(x): s, sympy.cos(x): c})
    if in_sc.has(x):
        return expr
    reduced = sympy.ratsimpmodprime(sympy.together(in_sc), [s**2 + c**2 - 1], s, c)
    return sympy.factor(sympy.cancel(reduced)).subs({s: sympy.sin(x), c: sympy.cos(x)})


def _complexity(expr: sympy.Expr) -> tuple[int, int]:
    """Fewer trigonometric functions first, then fewer operations: sin 2x / 2 is simpler than sin x cos x."""
    functions = sum(isinstance(node, TrigonometricFunction) for node in sympy.preorder_traversal(expr))
    return functions, int(sympy.count_ops(expr))


@solves("trig_identity")
def trig_identity(problem: Problem) -> Solution:
    words = PHRASES[problem.language]
    names = dict(
        zip(("double", "tangent", "square", "pythagorean"), words["identity_names"].split("|"), strict=True)
    )
    try:
        expr = parse_expression(problem.given)
    except MathParseError as error:
        raise UnsupportedProblemError(f"{problem.id}: cannot read {problem.given!r}: {error}") from None
    x = _angle_variable(problem, expr)
    steps: list[Written] = []
    used: list[str] = []
    current = expr

    def advance(identities: list[str], shown: sympy.Expr, after: sympy.Expr, said: str, name: str) -> None:
        nonlocal current
        result = " = ".join(dict.fromkeys([tex(shown), tex(after)]))
        steps.append(([*identities[:3], result], words[said]))
        used.append(name)
        current = after

    if current.has(sympy.tan, sympy.cot):
        shown, after = _rewritten(current, _QUOTIENTS)
        quotient = f"{tex(sympy.tan(x))} = {tex(sympy.sin(x) / sympy.cos(x))}"
        advance([quotient], shown, after, "tangent", names["tangent"])
    doubled: dict[str, None] = {}
    shown, after = _rewritten(current, _double_angles(x, doubled))
    if doubled:
        advance(list(doubled), shown, after, "double_angle", names["double"])
    expanded = _expanded(current)
    if tex(expanded) != tex(current):
        advance([], expanded, expanded, "expand", names["square"])
    reduced = _pythagorean(current, x)
    if _complexity(reduced) < _complexity(current):
        square = f"{tex(sympy.sin(x) ** 2 + sympy.cos(x) ** 2)} = 1"
        advance([square], reduced, reduced, "pythagorean", names["pythagorean"])
    folded = sympy.trigsimp(current)
    angles = {f.args[0] for f in folded.atoms(TrigonometricFunction)}
    if _complexity(folded) < _complexity(current) and angles <= {x, 2 * x}:
        back = (
            ("double_angle_back", names["double"]) if 2 * x in angles else ("tangent_back", names["tangent"])
        )
        advance([f"{tex(folded)} = {tex(current)}"], folded, folded, *back)
    if not steps or len(steps) > 5 or sympy.simplify(current - expr) != 0:
        raise UnsupportedProblemError(
            f"{problem.id}: {problem.given!r} does not simplify by the school identities"
        )
    identities = words["and"].join(dict.fromkeys(used))
    steps.insert(0, ([tex(expr)], words["plan"].format(identities=identities)))
    summary = words["identity_summary"].format(identities=identities, value=plain(current))
    return worked(problem, steps, tex(current), summary)
