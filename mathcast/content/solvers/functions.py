"""The analytic expression of a function from what its graph passes through."""

from __future__ import annotations

import sympy

from mathcast.content.solvers.base import AUTHOR, UnsupportedProblemError, solves
from mathcast.lesson import Language, Problem, Solution, Step

PHRASES: dict[Language, dict[str, str]] = {
    "zh-CN": {
        "substitute": "设解析式为 y = kx + b，把两个点的坐标分别代入，得到关于 k 和 b 的方程组。",
        "eliminate": "用第二个方程减去第一个方程，消去 b，得到 k = {k}。",
        "back": "把 k = {k} 代入第一个方程，解得 b = {b}。",
        "summary": "用待定系数法：代入两个点得到方程组，消元求出 k 和 b，所以解析式是 {answer}。",
    },
    "en-US": {
        "substitute": "Write y = kx + b and substitute both points: two equations in k and b.",
        "eliminate": "Subtract the first equation from the second to eliminate b: k = {k}.",
        "back": "Substitute k = {k} into the first equation: b = {b}.",
        "summary": "Method of undetermined coefficients: substitute the points, eliminate, so {answer}.",
    },
}


@solves("linear_function")
def line_through_points(problem: Problem) -> Solution:
    """y = kx + b through two points, by substitution and elimination, every step as equations."""
    if len(problem.points) != 2:
        raise UnsupportedProblemError(f"{problem.id}: a line needs exactly two points, got {problem.points}")
    (x1, y1), (x2, y2) = problem.points
    if x1 == x2:
        raise UnsupportedProblemError(
            f"{problem.id}: points ({x1}, {y1}) and ({x2}, {y2}) share x: no y = kx + b passes both"
        )
    k, b, x, y = sympy.symbols("k b x y")
    first = sympy.Eq(k * x1 + b, y1)
    second = sympy.Eq(k * x2 + b, y2)
    difference = sympy.Eq(second.lhs - first.lhs, second.rhs - first.rhs)
    k_value = sympy.solve(difference, k)[0]
    b_value = sympy.solve(first.subs(k, k_value), b)[0]
    if k_value == 0:
        raise UnsupportedProblemError(f"{problem.id}: the points give k = 0, a constant, not 一次函数")
    answer = sympy.Eq(y, k_value * x + b_value)
    words = PHRASES[problem.language]

    def tex(expr: sympy.Basic) -> str:
        return str(sympy.latex(expr, order="rev-lex"))  # k before b, as teachers write it

    steps = [
        Step(index=0, equations=[tex(first), tex(second)], explanation=words["substitute"]),
        Step(
            index=1,
            equations=[tex(sympy.Eq(k, k_value)), tex(first)],
            explanation=words["eliminate"].format(k=tex(k_value)),
        ),
        Step(
            index=2,
            equations=[tex(sympy.Eq(k, k_value)), tex(sympy.Eq(b, b_value))],
            explanation=words["back"].format(k=tex(k_value), b=tex(b_value)),
        ),
    ]
    return Solution(
        problem_id=problem.id,
        author=AUTHOR,
        steps=steps,
        answer=sympy.latex(answer),
        summary=words["summary"].format(answer=sympy.latex(answer)),
    )
