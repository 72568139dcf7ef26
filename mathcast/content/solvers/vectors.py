"""Vectors: the dot product, magnitude, angle and scalar projection.

`facts` gives either coordinates {"a": "(1, 2)", "b": "(3, -1)"} (2 or 3 components), or
magnitudes and the angle between {"|a|": "2", "|b|": "3", "theta": "60"} (degrees). `ask` is
"dot" (a · b), "magnitude" (|a|), "angle" (θ between a and b) or "projection" (the scalar
projection of a onto b, |a| cos θ = a · b / |b|).
"""

from __future__ import annotations

import re

import sympy

from mathcast.content.solvers.base import UnsupportedProblemError, solves
from mathcast.content.solvers.functions import Written, known_degrees, known_number, plain, tex, worked
from mathcast.lesson import Language, Problem, Solution

PHRASES: dict[Language, dict[str, str]] = {
    "zh-CN": {
        "coordinates": "已知两个向量的坐标，用坐标运算。",
        "lengths": "已知两个向量的模和夹角，用数量积的定义。",
        "dot": "数量积等于对应坐标乘积的和：a·b = {value}。",
        "dot_definition": "由数量积的定义 a·b = |a||b|cos θ，得 a·b = {value}。",
        "magnitude": "向量的模等于各坐标平方和的算术平方根：{values}。",
        "cosine": "由夹角公式 cos θ = a·b / (|a||b|)，得 cos θ = {value}。",
        "angle": "又 0° ≤ θ ≤ 180°，所以 θ = {value}。",
        "projection": "a 在 b 上的投影（数量）是 |a|cos θ = a·b / |b| = {value}。",
        "projection_definition": "a 在 b 上的投影（数量）是 |a|cos θ = {value}。",
        "summary": "{method}：{answer}。",
        "coordinate_method": "用向量的坐标运算",
        "definition_method": "用数量积的定义",
        "and": "，",
        "space": "",
    },
    "en-US": {
        "coordinates": "The coordinates are given, so compute with coordinates.",
        "lengths": "The magnitudes and the angle are given, so use the definition of the dot product.",
        "dot": "The dot product is the sum of the products of matching coordinates: a · b = {value}.",
        "dot_definition": "By definition a · b = |a||b|cos θ = {value}.",
        "magnitude": "A magnitude is the square root of the sum of the squared coordinates: {values}.",
        "cosine": "The angle formula cos θ = a · b / (|a||b|) gives cos θ = {value}.",
        "angle": "With 0° ≤ θ ≤ 180°, θ = {value}.",
        "projection": "The scalar projection of a onto b is |a|cos θ = a · b / |b| = {value}.",
        "projection_definition": "The scalar projection of a onto b is |a|cos θ = {value}.",
        "summary": "{method}: {answer}.",
        "coordinate_method": "Vector coordinates",
        "definition_method": "The definition of the dot product",
        "and": ", ",
        "space": " ",
    },
}
ASKS = ("dot", "magnitude", "angle", "projection")
_NAMES = ("x", "y", "z")
DOT = r"\vec{a} \cdot \vec{b}"
LENGTHS = r"|\vec{a}||\vec{b}|"
PROJECTION = r"|\vec{a}|\cos\theta"


def _coordinates(problem: Problem, name: str) -> list[sympy.Expr]:
    text = problem.facts[name]
    inside = re.fullmatch(r"\s*(?:\\left)?\(\s*(.*?)\s*(?:\\right)?\)\s*", text)
    if inside is None:
        raise UnsupportedProblemError(f"{problem.id}: {name} = {text!r} is not coordinates such as (1, 2)")
    values = [known_number(problem, name, part) for part in inside.group(1).split(",")]
    if len(values) not in (2, 3):
        raise UnsupportedProblemError(f"{problem.id}: {name} needs 2 or 3 coordinates, got {len(values)}")
    return values


def _factor(value: sympy.Expr) -> str:
    text = tex(value)
    return text if value.is_Integer and value >= 0 else f"\\left({text}\\right)"


def _angle(cosine: sympy.Expr) -> tuple[str, str]:
    """θ from cos θ, as LaTeX and read aloud: degrees for a special angle, else arccos."""
    degrees = sympy.nsimplify(sympy.acos(cosine) * 180 / sympy.pi)
    if degrees.is_Rational:
        return f"{tex(degrees)}^{{\\circ}}", f"{plain(degrees)}°"
    return tex(sympy.acos(cosine)), f"arccos({plain(cosine)})"


def _from_coordinates(problem: Problem, ask: str) -> tuple[list[Written], str, str]:
    words = PHRASES[problem.language]
    a, b = _coordinates(problem, "a"), _coordinates(problem, "b")
    if len(a) != len(b):
        raise UnsupportedProblemError(f"{problem.id}: a and b have different numbers of coordinates")
    names = _NAMES[: len(a)]
    steps: list[Written] = [
        (
            [f"\\vec{{a}} = ({', '.join(map(tex, a))})", f"\\vec{{b}} = ({', '.join(map(tex, b))})"],
            words["coordinates"],
        )
    ]
    lengths = {v: sympy.sqrt(sum(c**2 for c in coordinates)) for v, coordinates in (("a", a), ("b", b))}

    def magnitude(vector: str) -> str:
        coordinates = a if vector == "a" else b
        index = "1" if vector == "a" else "2"
        named = " + ".join(f"{n}_{{{index}}}^{{2}}" for n in names)
        numbers = " + ".join(f"{_factor(c)}^{{2}}" for c in coordinates)
        return f"|\\vec{{{vector}}}| = \\sqrt{{{named}}} = \\sqrt{{{numbers}}} = {tex(lengths[vector])}"

    if ask == "magnitude":
        steps.append(([magnitude("a")], words["magnitude"].format(values=f"|a| = {plain(lengths['a'])}")))
        return steps, f"|\\vec{{a}}| = {tex(lengths['a'])}", f"|a| = {plain(lengths['a'])}"
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    named = " + ".join(f"{n}_{{1}}{n}_{{2}}" for n in names)
    numbers = " + ".join(f"{_factor(x)} \\times {_factor(y)}" for x, y in zip(a, b, strict=True))
    steps.append(([f"{DOT} = {named} = {numbers} = {tex(dot)}"], words["dot"].format(value=plain(dot))))
    if ask == "dot":
        return steps, f"{DOT} = {tex(dot)}", f"a · b = {plain(dot)}"
    needed = ("a", "b") if ask == "angle" else ("b",)
    if any(lengths[v] == 0 for v in needed):
        raise UnsupportedProblemError(f"{problem.id}: a zero vector has no {ask}")
    said = words["magnitude"].format(values=words["and"].join(f"|{v}| = {plain(lengths[v])}" for v in needed))
    steps.append(([magnitude(v) for v in needed], said))
    if ask == "projection":
        value = sympy.radsimp(dot / lengths["b"])
        numbers = f"\\frac{{{tex(dot)}}}{{{tex(lengths['b'])}}}"
        line = f"{PROJECTION} = \\frac{{{DOT}}}{{|\\vec{{b}}|}} = {numbers} = {tex(value)}"
        steps.append(([line], words["projection"].format(value=plain(value))))
        return steps, f"{PROJECTION} = {tex(value)}", f"|a|cos θ = {plain(value)}"
    cosine = sympy.radsimp(dot / (lengths["a"] * lengths["b"]))
    product = f"{_factor(lengths['a'])} \\times {_factor(lengths['b'])}"
    line = f"\\cos\\theta = \\frac{{{DOT}}}{{{LENGTHS}}} = \\frac{{{tex(dot)}}}{{{product}}} = {tex(cosine)}"
    angle, spoken = _angle(cosine)
    said = words["cosine"].format(value=plain(cosine)) + words["space"] + words["angle"].format(value=spoken)
    steps.append(([line, f"\\theta = {angle}"], said))
    return steps, f"\\theta = {angle}", f"θ = {spoken}"


def _from_lengths(problem: Problem, ask: str) -> tuple[list[Written], str, str]:
    """|a|, |b| and θ given: only the dot product and the projection are left to find."""
    words = PHRASES[problem.language]
    if ask not in ("dot", "projection"):
        raise UnsupportedProblemError(f"{problem.id}: the {ask} is one of the facts")
    length_a, length_b = known_number(problem, "|a|"), known_number(problem, "|b|")
    theta = known_degrees(problem, "theta")
    if length_a < 0 or length_b < 0 or not 0 <= theta <= 180:
        raise UnsupportedProblemError(f"{problem.id}: magnitudes must be >= 0 and 0° <= θ <= 180°")
    cosine = sympy.cos(theta * sympy.pi / 180)
    shown = f"\\cos {tex(theta)}^{{\\circ}}"
    given = [
        f"|\\vec{{a}}| = {tex(length_a)}",
        f"|\\vec{{b}}| = {tex(length_b)}",
        f"\\theta = {tex(theta)}^{{\\circ}}",
    ]
    steps: list[Written] = [(given, words["lengths"])]
    if ask == "dot":
        value = sympy.radsimp(length_a * length_b * cosine)
        numbers = f"{_factor(length_a)} \\times {_factor(length_b)}{shown}"
        line = f"{DOT} = {LENGTHS}\\cos\\theta = {numbers} = {tex(value)}"
        steps.append(([line], words["dot_definition"].format(value=plain(value))))
        return steps, f"{DOT} = {tex(value)}", f"a · b = {plain(value)}"
    value = sympy.radsimp(length_a * cosine)
    line = f"|\\vec{{a}}|\\cos\\theta = {_factor(length_a)}{shown} = {tex(value)}"
    steps.append(([line], words["projection_definition"].format(value=plain(value))))
    return steps, f"{PROJECTION} = {tex(value)}", f"|a|cos θ = {plain(value)}"


@solves("vector")
def vector(problem: Problem) -> Solution:
    words = PHRASES[problem.language]
    ask = problem.ask.strip()
    if ask not in ASKS:
        raise UnsupportedProblemError(f"{problem.id}: ask one of {', '.join(ASKS)}, not {problem.ask!r}")
    if {"a", "b"} <= set(problem.facts):
        steps, answer, spoken = _from_coordinates(problem, ask)
        method = "coordinate_method"
    elif {"|a|", "|b|", "theta"} <= set(problem.facts):
        steps, answer, spoken = _from_lengths(problem, ask)
        method = "definition_method"
    else:
        raise UnsupportedProblemError(f"{problem.id}: give a and b as coordinates, or |a|, |b| and theta")
    return worked(problem, steps, answer, words["summary"].format(method=words[method], answer=spoken))
