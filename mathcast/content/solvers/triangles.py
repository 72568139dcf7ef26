"""Solving a triangle from three facts.

`facts` holds three of the sides "a", "b", "c" and the angles "A", "B", "C" (degrees, angle A
opposite side a), at least one of them a side; `ask` is one of the six or "area". By the case:
- two angles and a side: the third angle from A + B + C = 180°, sides by the law of sines;
- two sides and the angle between them: the third side by the law of cosines;
- two sides and an angle opposite one of them: the law of sines gives 0, 1 or 2 triangles;
- three sides: angles by the law of cosines.
The area is ½ab sin C. No triangle is an answer (无解), not a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from mathcast.content.solvers.base import UnsupportedProblemError, solves
from mathcast.content.solvers.functions import Written, known_degrees, known_number, plain, tex, worked
from mathcast.lesson import Language, Problem, Solution

PHRASES: dict[Language, dict[str, str]] = {
    "zh-CN": {
        "AAS": "已知两角和一边：先由内角和求第三个角，再用正弦定理求边。",
        "SAS": "已知两边和它们的夹角：用余弦定理求第三边，面积用 S = ½ab sin C。",
        "SSA": "已知两边和其中一边的对角：先用正弦定理求另一边的对角，要注意可能有两解、一解或无解。",
        "SSS": "已知三边：用余弦定理的推论求角。",
        "third_angle": "由三角形内角和为 180°，得 {angle} = {value}°。",
        "sines_side": "由正弦定理 a/sin A = b/sin B = c/sin C，得 {values}。",
        "cosines_side": (
            "由余弦定理 {side}² = {first}² + {second}² − 2{first}{second}cos {angle}，"
            "开方取正值得 {side} = {value}。"
        ),
        "cosines_angle": (
            "由余弦定理的推论求出 cos {angle} = {cosine}，又 0° < {angle} < 180°，所以 {angle} = {value}。"
        ),
        "cosine_only": "由余弦定理的推论求出 cos {angle} = {cosine}。",
        "sines_angle": "由正弦定理得 sin {angle} = {value}。",
        "two_triangles": "{angle} 可以是锐角也可以是钝角，两种情况都满足内角和小于 180°，所以有两解。",
        "one_triangle": "钝角的情况和 {known} 相加不小于 180°，舍去，只有一解。",
        "right": "sin {angle} = 1，所以 {angle} = 90°，只有一解。",
        "sine_too_big": "sin {angle} = {value} > 1，不可能，所以这样的三角形不存在。",
        "angle_sum_none": "两个角的和已经不小于 180°，这样的三角形不存在。",
        "inequality_none": "较短两边之和不大于最长边，这三条线段构不成三角形。",
        "sine_of": "由 sin²{angle} + cos²{angle} = 1 且 sin {angle} > 0，得 sin {angle} = {value}。",
        "area": "由三角形面积公式 S = ½ab sin C，得 {values}。",
        "summary_sines": "用正弦定理（必要时先用内角和）：{answer}。",
        "summary_cosines": "用余弦定理：{answer}。",
        "summary_area": "先求出两边及其夹角，再用 S = ½ab sin C：{answer}。",
        "none_answer": "无解",
        "none_spoken": "这样的三角形不存在",
        "or": " 或 ",
        "spoken_or": " 或 ",
    },
    "en-US": {
        "AAS": "Two angles and a side: the angle sum gives the third angle, the law of sines the sides.",
        "SAS": "Two sides and the angle between them: the law of cosines gives the third side; the area is "
        "½ab sin C.",
        "SSA": (
            "Two sides and an angle opposite one of them: the law of sines gives the other opposite "
            "angle; there may be two, one or no triangles."
        ),
        "SSS": "Three sides: the law of cosines gives the angles.",
        "third_angle": "The angles of a triangle add up to 180°: {angle} = {value}°.",
        "sines_side": "The law of sines a/sin A = b/sin B = c/sin C gives {values}.",
        "cosines_side": (
            "The law of cosines {side}² = {first}² + {second}² − 2{first}{second}cos {angle}; "
            "the positive root is {side} = {value}."
        ),
        "cosines_angle": (
            "The law of cosines gives cos {angle} = {cosine}; with 0° < {angle} < 180°, {angle} = {value}."
        ),
        "cosine_only": "The law of cosines gives cos {angle} = {cosine}.",
        "sines_angle": "The law of sines gives sin {angle} = {value}.",
        "two_triangles": "{angle} may be acute or obtuse; both keep the angle sum under 180°: two triangles.",
        "one_triangle": "The obtuse choice plus {known} reaches 180°, so it is rejected: one triangle.",
        "right": "sin {angle} = 1, so {angle} = 90°: one triangle.",
        "sine_too_big": "sin {angle} = {value} > 1 is impossible: there is no such triangle.",
        "angle_sum_none": "Two of the angles already add up to 180° or more: there is no such triangle.",
        "inequality_none": "The two shorter sides do not add up to more than the longest: no triangle.",
        "sine_of": "From sin²{angle} + cos²{angle} = 1 with sin {angle} > 0: sin {angle} = {value}.",
        "area": "The area formula S = ½ab sin C gives {values}.",
        "summary_sines": "The law of sines (after the angle sum where needed): {answer}.",
        "summary_cosines": "The law of cosines: {answer}.",
        "summary_area": "Find two sides and the angle between them, then S = ½ab sin C: {answer}.",
        "none_answer": r"\text{no such triangle}",
        "none_spoken": "there is no such triangle",
        "or": r" \text{ or } ",
        "spoken_or": " or ",
    },
}
SIDES = ("a", "b", "c")
ANGLES = ("A", "B", "C")


class _NoTriangle(Exception):
    """The facts fit no triangle: the step that shows why."""

    def __init__(self, lines: list[str], said: str) -> None:
        super().__init__(said)
        self.step: Written = (lines, said)


@dataclass
class _Triangle:
    """What is known of one triangle: sides, angles in degrees, sines and cosines met on the way."""

    sides: dict[str, sympy.Expr]
    angles: dict[str, sympy.Expr]
    sines: dict[str, sympy.Expr] = field(default_factory=dict)


def _read(problem: Problem) -> _Triangle:
    unknown = set(problem.facts) - set(SIDES) - set(ANGLES)
    if unknown:
        raise UnsupportedProblemError(
            f"{problem.id}: facts {sorted(unknown)} are not sides a, b, c or angles A, B, C"
        )
    sides = {s: known_number(problem, s) for s in SIDES if s in problem.facts}
    angles = {n: known_degrees(problem, n) for n in ANGLES if n in problem.facts}
    if len(sides) + len(angles) != 3 or not sides:
        raise UnsupportedProblemError(
            f"{problem.id}: a triangle needs three facts, at least one a side; got {sorted(problem.facts)}"
        )
    if any(v <= 0 for v in sides.values()) or any(not 0 < v < 180 for v in angles.values()):
        raise UnsupportedProblemError(f"{problem.id}: sides must be positive and angles between 0° and 180°")
    return _Triangle(sides, angles)


def _opposite(name: str) -> str:
    return name.upper() if name in SIDES else name.lower()


def _others(name: str) -> tuple[str, str]:
    group = SIDES if name in SIDES else ANGLES
    first, second = (n for n in group if n != name)
    return first, second


def _sin(degrees: sympy.Expr) -> sympy.Expr:
    return sympy.sin(degrees * sympy.pi / 180)


def _cos(degrees: sympy.Expr) -> sympy.Expr:
    return sympy.cos(degrees * sympy.pi / 180)


def _exact(value: sympy.Expr) -> sympy.Expr:
    return sympy.radsimp(sympy.simplify(value))


def _degrees(value: sympy.Expr) -> str:
    if not value.is_Rational:
        raise UnsupportedProblemError(
            f"an angle of {sympy.N(value, 6)}° is not special: it needs a calculator"
        )
    return f"{tex(value)}^{{\\circ}}"  # braced: the parser's degree rule would eat a closing brace


def _factor(value: sympy.Expr) -> str:
    text = tex(value)
    return text if value.is_Integer or value.is_Symbol else f"\\left({text}\\right)"


class _Writer:
    """The steps of one triangle: each method appends its lines and explanation."""

    def __init__(self, language: Language) -> None:
        self.words = PHRASES[language]

    def third_angle(self, triangle: _Triangle) -> Written:
        missing = next(n for n in ANGLES if n not in triangle.angles)
        first, second = _others(missing)
        value = 180 - triangle.angles[first] - triangle.angles[second]
        if value <= 0:
            raise _NoTriangle([f"{first} + {second} \\ge 180^{{\\circ}}"], self.words["angle_sum_none"])
        numbers = f"180^{{\\circ}} - {_degrees(triangle.angles[first])} - {_degrees(triangle.angles[second])}"
        triangle.angles[missing] = value
        line = f"{missing} = 180^{{\\circ}} - {first} - {second} = {numbers} = {_degrees(value)}"
        return [line], self.words["third_angle"].format(angle=missing, value=plain(value))

    def side_by_sines(self, triangle: _Triangle, side: str) -> Written:
        known = next(s for s in SIDES if s in triangle.sides and _opposite(s) in triangle.angles)
        angle, known_angle = _opposite(side), _opposite(known)
        value = _exact(
            triangle.sides[known] * _sin(triangle.angles[angle]) / _sin(triangle.angles[known_angle])
        )
        numbers = (
            f"\\frac{{{_factor(triangle.sides[known])}\\sin {_degrees(triangle.angles[angle])}}}"
            f"{{\\sin {_degrees(triangle.angles[known_angle])}}}"
        )
        triangle.sides[side] = value
        line = f"{side} = \\frac{{{known}\\sin {angle}}}{{\\sin {known_angle}}} = {numbers} = {tex(value)}"
        return [line], self.words["sines_side"].format(values=f"{side} = {plain(value)}")

    def side_by_cosines(self, triangle: _Triangle, side: str) -> Written:
        first, second = _others(side)
        angle = _opposite(side)
        p, q, gamma = triangle.sides[first], triangle.sides[second], triangle.angles[angle]
        square = _exact(p**2 + q**2 - 2 * p * q * _cos(gamma))
        value = sympy.sqrt(square)
        triangle.sides[side] = value
        product = f"2 \\times {_factor(p)} \\times {_factor(q)}\\cos {_degrees(gamma)}"
        numbers = f"{_factor(p)}^{{2}} + {_factor(q)}^{{2}} - {product}"
        lines = [
            f"{side}^{{2}} = {first}^{{2}} + {second}^{{2}} - 2{first}{second}\\cos {angle} = {numbers}"
            f" = {tex(square)}",
            f"{side} = {tex(value)}",
        ]
        said = self.words["cosines_side"].format(
            side=side, first=first, second=second, angle=angle, value=plain(value)
        )
        return lines, said

    def angle_by_cosines(self, triangle: _Triangle, angle: str) -> Written:
        side = _opposite(angle)
        first, second = _others(side)
        p, q, x = triangle.sides[first], triangle.sides[second], triangle.sides[side]
        cosine = _exact((p**2 + q**2 - x**2) / (2 * p * q))
        value = sympy.nsimplify(sympy.acos(cosine) * 180 / sympy.pi)
        triangle.angles[angle] = value
        triangle.sines[angle] = sympy.sqrt(1 - cosine**2)
        top = f"{_factor(p)}^{{2}} + {_factor(q)}^{{2}} - {_factor(x)}^{{2}}"
        numbers = f"\\frac{{{top}}}{{2 \\times {_factor(p)} \\times {_factor(q)}}}"
        lines = [
            f"\\cos {angle} = \\frac{{{first}^{{2}} + {second}^{{2}} - {side}^{{2}}}}{{2{first}{second}}}"
            f" = {numbers}"
            f" = {tex(cosine)}"
        ]
        lines.append(f"{angle} = {_answer(angle, value)[0].split(' = ', 1)[1]}")
        if value.is_Rational:
            return lines, self.words["cosines_angle"].format(
                angle=angle, cosine=plain(cosine), value=f"{plain(value)}°"
            )
        return lines, self.words["cosine_only"].format(angle=angle, cosine=plain(cosine))

    def area(self, triangle: _Triangle) -> tuple[Written, sympy.Expr]:
        angle = next(
            n
            for n in ANGLES
            if n in triangle.angles and all(s in triangle.sides for s in _others(_opposite(n)))
        )
        first, second = _others(_opposite(angle))
        p, q = triangle.sides[first], triangle.sides[second]
        sine = triangle.sines.get(angle, _sin(triangle.angles[angle]))
        value = _exact(p * q * sine / 2)
        lines = []
        if triangle.angles[angle].is_Rational:
            sine_of = f"\\sin {_degrees(triangle.angles[angle])}"
            numbers = f"\\frac{{1}}{{2}} \\times {_factor(p)} \\times {_factor(q)}{sine_of}"
        else:
            lines.append(f"\\sin {angle} = {tex(sine)}")
            numbers = f"\\frac{{1}}{{2}} \\times {_factor(p)} \\times {_factor(q)} \\times {_factor(sine)}"
        lines.append(f"S = \\frac{{1}}{{2}}{first}{second}\\sin {angle} = {numbers} = {tex(value)}")
        return (lines, self.words["area"].format(values=f"S = {plain(value)}")), value


def _case(triangle: _Triangle) -> str:
    if len(triangle.angles) >= 2:
        return "AAS"
    if len(triangle.sides) == 3:
        return "SSS"
    (angle,) = triangle.angles
    return "SSA" if _opposite(angle) in triangle.sides else "SAS"


def _branches(writer: _Writer, triangle: _Triangle) -> tuple[list[Written], list[_Triangle]]:
    """SSA: the law of sines for the angle opposite the second known side; 0, 1 or 2 triangles."""
    words = writer.words
    (known_angle,) = triangle.angles
    known_side = _opposite(known_angle)
    other = next(s for s in triangle.sides if s != known_side)
    angle = _opposite(other)
    p, q, alpha = triangle.sides[known_side], triangle.sides[other], triangle.angles[known_angle]
    sine = _exact(q * _sin(alpha) / p)
    numbers = f"\\frac{{{_factor(q)}\\sin {_degrees(alpha)}}}{{{tex(p)}}}"
    law = [
        f"\\frac{{{known_side}}}{{\\sin {known_angle}}} = \\frac{{{other}}}{{\\sin {angle}}}",
        f"\\sin {angle} = \\frac{{{other}\\sin {known_angle}}}{{{known_side}}} = {numbers} = {tex(sine)}",
    ]
    if sine > 1:
        raise _NoTriangle(
            [*law, f"\\sin {angle} > 1"], words["sine_too_big"].format(angle=angle, value=plain(sine))
        )
    steps: list[Written] = [(law, words["sines_angle"].format(angle=angle, value=plain(sine)))]
    acute = sympy.nsimplify(sympy.asin(sine) * 180 / sympy.pi)
    candidates = [acute] if sine == 1 else [acute, 180 - acute]
    fitting = [c for c in candidates if c + alpha < 180]
    if not fitting:
        raise _NoTriangle(law, words["angle_sum_none"])
    choice = "right" if sine == 1 else "two_triangles" if len(fitting) == 2 else "one_triangle"
    said = words[choice].format(angle=angle, known=f"{known_angle} = {plain(alpha)}°")
    steps.append(([words["or"].join(f"{angle} = {_degrees(c)}" for c in fitting)], said))
    return steps, [
        _Triangle(dict(triangle.sides), {**triangle.angles, angle: c}, {angle: sine}) for c in fitting
    ]


def _framed(triangle: _Triangle) -> bool:
    """Some known angle lies between two known sides: the area formula applies."""
    return any(
        n in triangle.angles and all(s in triangle.sides for s in _others(_opposite(n))) for n in ANGLES
    )


def _finish(writer: _Writer, triangle: _Triangle, ask: str) -> tuple[list[Written], sympy.Expr]:
    """The steps from a triangle whose case is settled (SSA branched) to the asked value."""
    steps: list[Written] = []
    needs_third = (
        ask in SIDES or ask not in (*triangle.angles, "area") or (ask == "area" and not _framed(triangle))
    )
    if len(triangle.angles) == 2 and needs_third:
        steps.append(writer.third_angle(triangle))
    if ask == "area":
        if not _framed(triangle) and len(triangle.sides) == 3:
            steps.append(writer.angle_by_cosines(triangle, "C"))
        elif not _framed(triangle):
            steps.append(writer.side_by_sines(triangle, next(s for s in SIDES if s not in triangle.sides)))
        area, value = writer.area(triangle)
        return [*steps, area], value
    if ask in ANGLES:
        if ask not in triangle.angles:
            if len(triangle.sides) < 3:
                steps.append(
                    writer.side_by_cosines(triangle, next(s for s in SIDES if s not in triangle.sides))
                )
            steps.append(writer.angle_by_cosines(triangle, ask))
        return steps, triangle.angles[ask]
    all_angles = len(triangle.angles) == 3
    steps.append(writer.side_by_sines(triangle, ask) if all_angles else writer.side_by_cosines(triangle, ask))
    return steps, triangle.sides[ask]


def _merged(branches: list[list[Written]]) -> list[Written]:
    """The steps of one or two triangles side by side."""
    merged: list[Written] = []
    for parallel in zip(*branches, strict=True):
        lines = list(dict.fromkeys(line for written in parallel for line in written[0]))
        said = list(dict.fromkeys(written[1] for written in parallel))
        merged.append((lines[:4], " ".join(said)))
    return merged


def _answer(ask: str, value: sympy.Expr) -> tuple[str, str]:
    """The answer as LaTeX and as read aloud."""
    if ask == "area":
        return f"S = {tex(value)}", f"S = {plain(value)}"
    if ask in SIDES:
        return f"{ask} = {tex(value)}", f"{ask} = {plain(value)}"
    if value.is_Rational:
        return f"{ask} = {_degrees(value)}", f"{ask} = {plain(value)}°"
    radians = sympy.simplify(value * sympy.pi / 180)
    return f"{ask} = {tex(radians)}", f"{ask} = {plain(radians)}"


@solves("triangle")
def triangle(problem: Problem) -> Solution:
    writer = _Writer(problem.language)
    words = writer.words
    start = _read(problem)
    ask = "area" if problem.ask.strip() in ("area", "S") else problem.ask.strip()
    if ask not in (*SIDES, *ANGLES, "area"):
        raise UnsupportedProblemError(
            f"{problem.id}: ask one of a, b, c, A, B, C or area, not {problem.ask!r}"
        )
    if ask in start.sides or ask in start.angles:
        raise UnsupportedProblemError(f"{problem.id}: {ask} is one of the facts")
    case = _case(start)
    facts = [f"{s} = {tex(v)}" for s, v in start.sides.items()] + [
        f"{n} = {_degrees(v)}" for n, v in start.angles.items()
    ]
    steps: list[Written] = [(facts, words[case])]
    method = (
        "summary_area" if ask == "area" else "summary_sines" if case in ("AAS", "SSA") else "summary_cosines"
    )
    summary = words[method]
    try:
        if case == "SSS":
            short, middle, longest = sorted(start.sides.values())
            if short + middle <= longest:
                inequality = f"{tex(short)} + {tex(middle)} \\le {tex(longest)}"
                raise _NoTriangle([inequality], words["inequality_none"])
        triangles = [start]
        if case == "SSA":
            branching, triangles = _branches(writer, start)
            steps += branching
        finished = [_finish(writer, t, ask) for t in triangles]
    except _NoTriangle as nothing:
        steps.append(nothing.step)
        return worked(problem, steps, words["none_answer"], summary.format(answer=words["none_spoken"]))
    steps += _merged([f[0] for f in finished])
    answers = list(dict.fromkeys(_answer(ask, value) for _, value in finished))
    answer = words["or"].join(a for a, _ in answers)
    return worked(
        problem, steps, answer, summary.format(answer=words["spoken_or"].join(s for _, s in answers))
    )
