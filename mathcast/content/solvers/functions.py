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
    text = str(_SchoolLatex({"ln_notation": True, "inv_trig_style": "full"}).doprint(expr))
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


def known_number(problem: Problem, name: str, text: str | None = None) -> sympy.Expr:
    """The fact `name` (or `text`, a part of it) as an exact real number, or
    UnsupportedProblemError saying what is wrong."""
    text = problem.facts.get(name) if text is None else text
    if text is None:
        raise UnsupportedProblemError(f"{problem.id}: the facts do not give {name} (facts: {problem.facts})")
    try:
        value = parse_math(text)
    except MathParseError as error:
        raise UnsupportedProblemError(f"{problem.id}: cannot read {name} = {text!r}: {error}") from None
    if not isinstance(value, sympy.Expr) or value.free_symbols or value.is_real is not True:
        raise UnsupportedProblemError(f"{problem.id}: {name} = {text!r} is not a real number")
    return value


_DEGREE_MARK = re.compile(r"\^\s*\{?\s*\\circ\s*\}?|°")


def known_degrees(problem: Problem, name: str) -> sympy.Expr:
    """An angle fact in degrees (`60`, `60^\\circ`, `60°`), as the number of degrees."""
    return known_number(problem, name, _DEGREE_MARK.sub("", problem.facts.get(name, "")) or None)


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


QUADRATIC_PHRASES: dict[Language, dict[str, str]] = {
    "zh-CN": {
        "substitute": "设解析式为 y = ax² + bx + c，把三个点的坐标分别代入，得到关于 a、b、c 的方程组。",
        "eliminate_c": "用第二个方程减去第一个、第三个方程减去第二个，消去 c，再把系数化简。",
        "eliminate_b": "两个新方程相减，消去 b，得到只含 a 的方程。",
        "back": "解得 a = {a}，依次代回求出 b = {b}，c = {c}。",
        "vertex_form": "已知顶点 ({h}, {k})，设顶点式 y = a(x − h)² + k，即 {form}。",
        "vertex_point": "把点 ({x}, {y}) 代入，得到关于 a 的方程，解得 a = {a}。",
        "expand": "把系数代回并展开，得到解析式 {answer}。",
        "summary": "用待定系数法：{method}，解方程（组）求出系数，所以解析式是 {answer}。",
        "general_method": "设一般式 y = ax² + bx + c，代入三个点",
        "vertex_method": "由顶点设顶点式 y = a(x − h)² + k，再代入一个点",
    },
    "en-US": {
        "substitute": "Write y = ax² + bx + c and substitute the three points: three equations in a, b, c.",
        "eliminate_c": "Subtract the first equation from the second, the second from the third; simplify.",
        "eliminate_b": "Subtract the two new equations to eliminate b: an equation in a alone.",
        "back": "So a = {a}; substituting back gives b = {b} and c = {c}.",
        "vertex_form": "The vertex is ({h}, {k}), so use the vertex form y = a(x − h)² + k: {form}.",
        "vertex_point": "Substitute the point ({x}, {y}): an equation in a, so a = {a}.",
        "expand": "Put the coefficients back and expand: {answer}.",
        "summary": "Undetermined coefficients: {method}, solve for the coefficients, so {answer}.",
        "general_method": "write y = ax² + bx + c and substitute the three points",
        "vertex_method": "write the vertex form y = a(x − h)² + k and substitute the point",
    },
}


def _vertex(problem: Problem) -> tuple[sympy.Expr, sympy.Expr]:
    text = problem.facts["vertex"]
    inside = re.fullmatch(r"\s*(?:\\left)?\(\s*([^,]+?)\s*,\s*([^,]+?)\s*(?:\\right)?\)\s*", text)
    if inside is None:
        raise UnsupportedProblemError(f"{problem.id}: the vertex {text!r} is not a point such as (1, -2)")
    return known_number(problem, "vertex", inside.group(1)), known_number(problem, "vertex", inside.group(2))


def _equation(left: sympy.Expr, right: sympy.Expr) -> str:
    return f"{sympy.latex(left)} = {sympy.latex(right)}"


@solves("quadratic_function")
def parabola(problem: Problem) -> Solution:
    """y = ax^2 + bx + c through three points, or y = a(x - h)^2 + k from the vertex and a point."""
    words = QUADRATIC_PHRASES[problem.language]
    a, b, c, x = sympy.symbols("a b c x")
    if "vertex" in problem.facts:
        if len(problem.points) != 1:
            raise UnsupportedProblemError(f"{problem.id}: the vertex form needs exactly one more point")
        h, k = _vertex(problem)
        ((px, py),) = problem.points
        if px == h:
            raise UnsupportedProblemError(
                f"{problem.id}: the point ({px}, {py}) is on the axis x = {h}: a is not fixed"
            )
        a_value = sympy.Rational(py - k, 1) / (px - h) ** 2
        if a_value == 0:
            raise UnsupportedProblemError(
                f"{problem.id}: the point has the vertex's height: a = 0, not a parabola"
            )
        form = a * (x - h) ** 2 + k
        curve = sympy.expand(form.subs(a, a_value))
        shifted = tex(sympy.UnevaluatedExpr(px - h)) if px - h >= 0 else f"\\left({tex(px - h)}\\right)"
        substituted = f"a \\cdot {shifted}^{{2}} {'+' if k >= 0 else '-'} {tex(abs(k))} = {py}"
        steps: list[Written] = [
            (
                [f"y = {tex(form)}"],
                words["vertex_form"].format(h=plain(h), k=plain(k), form=f"y = {plain(form)}"),
            ),
            (
                [substituted, f"a = {tex(a_value)}"],
                words["vertex_point"].format(x=px, y=py, a=plain(a_value)),
            ),
        ]
        method = words["vertex_method"]
        expanded = f"y = {tex(form.subs(a, a_value))} = {tex(curve)}"
    else:
        if len(problem.points) != 3 or len({px for px, _ in problem.points}) != 3:
            raise UnsupportedProblemError(
                f"{problem.id}: y = ax^2 + bx + c needs three points with different x, got {problem.points}"
            )
        (x1, y1), (x2, y2), (x3, y3) = problem.points
        rows = [sympy.Eq(a * px**2 + b * px + c, py) for px, py in problem.points]
        slope12 = sympy.Rational(y2 - y1, x2 - x1)
        slope23 = sympy.Rational(y3 - y2, x3 - x2)
        first = sympy.Eq((x1 + x2) * a + b, slope12)
        second = sympy.Eq((x2 + x3) * a + b, slope23)
        a_value = (slope23 - slope12) / (x3 - x1)
        if a_value == 0:
            raise UnsupportedProblemError(
                f"{problem.id}: the points {problem.points} lie on a line: not a parabola"
            )
        b_value = slope12 - (x1 + x2) * a_value
        c_value = y1 - a_value * x1**2 - b_value * x1
        curve = sympy.expand(a_value * x**2 + b_value * x + c_value)
        only_a = sympy.Eq((x3 - x1) * a, slope23 - slope12)
        steps = [
            ([sympy.latex(r) for r in rows], words["substitute"]),
            ([sympy.latex(first), sympy.latex(second), sympy.latex(rows[0])], words["eliminate_c"]),
            ([sympy.latex(only_a), sympy.latex(first), sympy.latex(rows[0])], words["eliminate_b"]),
            (
                [f"a = {tex(a_value)}", f"b = {tex(b_value)}", f"c = {tex(c_value)}"],
                words["back"].format(a=plain(a_value), b=plain(b_value), c=plain(c_value)),
            ),
        ]
        method = words["general_method"]
        expanded = f"y = {tex(curve)}"
    answer = f"y = {tex(curve)}"
    steps.append(([expanded], words["expand"].format(answer=f"y = {plain(curve)}")))
    return worked(
        problem, steps, answer, words["summary"].format(method=method, answer=f"y = {plain(curve)}")
    )
