"""The analytic expression of a function from what its graph passes through; and the small
writing helpers every offline solver shares (facts read as numbers, LaTeX the verifier reads back,
numbered steps)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import sympy
from sympy.printing.latex import LatexPrinter

from mathcast.content.solvers.base import AUTHOR, UnsupportedProblemError, solves
from mathcast.lesson import Language, Problem, Solution, Step
from mathcast.verify.parse import MathParseError, parse_math

Written = tuple[list[str], str]  # one step: its equations and the explanation narrated over them


def worked(problem: Problem, steps: Sequence[Written], answer: str, summary: str) -> Solution:
    return Solution(
        problem_id=problem.id,
        author=AUTHOR,
        steps=[Step(index=i, equations=lines, explanation=said) for i, (lines, said) in enumerate(steps)],
        answer=answer,
        summary=summary,
    )


class _SchoolLatex(LatexPrinter):  # type: ignore[misc]  # sympy is untyped
    """A product of two or more brackets gets \\cdot between its factors (and nowhere else):
    mathcast.verify.parse reads 3 (x - 1)(x + 1) two ways."""

    def _with_symbol(self, symbol: str, print_node: Callable[[], str]) -> str:
        kept = self._settings["mul_symbol_latex"]
        self._settings["mul_symbol_latex"] = symbol
        try:
            return str(print_node())
        finally:
            self._settings["mul_symbol_latex"] = kept

    def _print_Mul(self, expr: sympy.Mul) -> str:
        bracketed = [f for f in expr.args if f.is_Add or (f.is_Pow and f.base.is_Add)]
        symbol = r" \cdot " if len(bracketed) > 1 else " "
        return self._with_symbol(symbol, lambda: super(_SchoolLatex, self)._print_Mul(expr))

    def _print_Pow(self, expr: sympy.Pow) -> str:
        """sin(x)^2 as \\sin{\\left(x \\right)}^{2}: the parser misreads \\sin^{2}{\\left(x \\right)}."""
        base, exponent = expr.args
        if isinstance(base, sympy.Function) and exponent.is_Integer and exponent > 1:
            return f"{self._print(base)}^{{{exponent}}}"
        return str(super()._print_Pow(expr))

    def _print_Add(self, expr: sympy.Add, order: str | None = None) -> str:
        return self._with_symbol(" ", lambda: super(_SchoolLatex, self)._print_Add(expr, order))


def tex(expr: sympy.Basic) -> str:
    """LaTeX as teachers write it (ln, not log) that mathcast.verify.parse reads back: it also needs
    a \\cdot between a closing bracket and e^."""
    text = str(_SchoolLatex({"ln_notation": True}).doprint(expr))
    return re.sub(r"\\right\)\s*(?=e(?![a-zA-Z]))", r"\\right) \\cdot ", text)


_SPOKEN = [
    (r"\bpi\b", "π"),
    (r"\bexp\((\w)\)", r"e^\1"),
    (r"sqrt\((\w+)\)", r"√\1"),
    (r"sqrt", "√"),
    (r"\*\*", "^"),
    (r"(?<=\d)\*(?=[a-zA-Z(√π])", ""),
    (r"\*", "·"),
    (r"\blog\(", "ln("),
    (r"\bexp\(", "e^("),
    (r"\boo\b", "∞"),
]


def plain(expr: sympy.Basic) -> str:
    """A value as a subtitle shows it and a voice reads it (1/2, √3, 3x^2 - 3): explanations are
    narrated, so they carry no LaTeX."""
    text = str(sympy.sstr(expr))
    for pattern, replacement in _SPOKEN:
        text = re.sub(pattern, replacement, text)
    return text


def known_number(problem: Problem, name: str) -> sympy.Expr:
    """The fact `name` as an exact real number, or UnsupportedProblemError saying what is wrong."""
    text = problem.facts.get(name)
    if text is None:
        raise UnsupportedProblemError(f"{problem.id}: the facts do not give {name} (facts: {problem.facts})")
    try:
        value = parse_math(text)
    except MathParseError as error:
        raise UnsupportedProblemError(f"{problem.id}: cannot read {name} = {text!r}: {error}") from None
    if not isinstance(value, sympy.Expr) or value.free_symbols or value.is_real is not True:
        raise UnsupportedProblemError(f"{problem.id}: {name} = {text!r} is not a real number")
    return value


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

    def rev(expr: sympy.Basic) -> str:
        return str(sympy.latex(expr, order="rev-lex"))  # k before b, as teachers write it

    steps: list[Written] = [
        ([rev(first), rev(second)], words["substitute"]),
        ([rev(sympy.Eq(k, k_value)), rev(first)], words["eliminate"].format(k=rev(k_value))),
        (
            [rev(sympy.Eq(k, k_value)), rev(sympy.Eq(b, b_value))],
            words["back"].format(k=rev(k_value), b=rev(b_value)),
        ),
    ]
    return worked(problem, steps, sympy.latex(answer), words["summary"].format(answer=sympy.latex(answer)))
