"""Inequalities solved the way a teacher writes them: the linear moves (flipping the sign when
dividing by a negative, and saying so), quadratics read off the parabola, and rational
inequalities by a sign chart in which the zeros of the denominator are always open.

Every step states the solution set again (an inequality, a product, a chain such as -1 < x \\le 2),
so the verifier checks it; the answer is intervals (`x \\in (1, 2]`), all reals as
`x \\in (-\\infty, +\\infty)`, or 无解.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise

import sympy

from mathcast.content.solvers.base import solves
from mathcast.content.solvers.equations import (
    FLIPPED,
    PLAIN_RELATIONS,
    Root,
    Writer,
    discriminant_line,
    holds,
    linear_steps,
    listed,
    parenthesized,
    plain,
    plain_latex,
    plus_minus,
    polynomial,
    product_tex,
    read_relation,
    relation_tex,
    root_of,
    set_answer,
    set_plain,
    set_statement,
    standard_form,
    tex,
    total,
    unsupported,
    written_sides,
)
from mathcast.lesson import Language, Problem, Solution

PHRASES: dict[Language, dict[str, str]] = {
    "zh-CN": {
        "standard_inequality": "移项、整理，化成 ax² + bx + c {relation} 0（a > 0）的形式。",
        "standard_flip": "移项、整理，两边同乘负数使二次项系数为正，不等号的方向要改变。",
        "factor_roots": "方程 {poly} = 0 的两根是 {roots}，左边因式分解。",
        "discriminant_roots": "Δ > 0，方程 {poly} = 0 有两个不相等的实数根 {roots}。",
        "between": (
            "二次函数 y = {poly} 的图像开口向上，与 x 轴交于 {roots}，y {relation} 0 的部分在两根之间{ends}。"
        ),
        "outside": (
            "二次函数 y = {poly} 的图像开口向上，与 x 轴交于 {roots}，y {relation} 0 "
            "的部分在两根的两侧{ends}。"
        ),
        "ends_in": "（包括两根）",
        "ends_out": "（不包括两根）",
        "perfect_square": "Δ = 0，左边是完全平方式。",
        "square_positive": "完全平方 {square} 除了 x = {root} 时等于 0，其余都大于 0。",
        "square_always": "完全平方 {square} 总是大于或等于 0，不等式恒成立。",
        "square_never": "完全平方 {square} 不可能小于 0，不等式无解。",
        "square_zero": "完全平方 {square} 只有在 x = {root} 时等于 0。",
        "discriminant_none": (
            "Δ < 0，抛物线 y = {poly} 开口向上且与 x 轴没有交点，{poly} 恒大于 0，所以{conclusion}。"
        ),
        "always": "不等式对一切实数都成立",
        "never": "不等式无解",
        "move_zero": "移项，使右边为 0。",
        "common_denominator": "通分，化成 f(x)/g(x) {relation} 0 的形式。",
        "common_denominator_flip": "通分，并把分子、分母的最高次项系数化为正数，不等号的方向随之改变。",
        "to_product": "分式与分子分母的乘积同号，且分母不能为 0，所以转化为整式不等式。",
        "sign_chart": (
            "临界点 {points} 把数轴分成 {n} 段，从左到右各段的符号依次为 {signs}，取符合 {relation} 0 "
            "的部分。{holes}"
        ),
        "holes": "分母的零点 {points} 取不到（空心点）。",
        "summary_linear_inequality": (
            "去分母、去括号、移项、合并同类项、系数化为 1（除以负数时不等号变向）：{answer}。"
        ),
        "summary_quadratic_inequality": (
            "化成 ax² + bx + c 与 0 比较（a > 0），求出对应方程的根，结合抛物线开口写出解集：{answer}。"
        ),
        "summary_rational_inequality": (
            "移项通分化成 f(x)/g(x) 与 0 比较，找出临界点，用数轴标根法，分母的零点取不到：{answer}。"
        ),
    },
    "en-US": {
        "standard_inequality": "Bring every term to one side: ax² + bx + c {relation} 0 with a > 0.",
        "standard_flip": (
            "Bring every term to one side and multiply by a negative number so the x² coefficient is "
            "positive; the inequality sign flips."
        ),
        "factor_roots": "The roots of {poly} = 0 are {roots}; factor the left side.",
        "discriminant_roots": "Δ > 0, so {poly} = 0 has two different real roots {roots}.",
        "between": (
            "The parabola y = {poly} opens upward and crosses the x-axis at {roots}; y {relation} 0 between "
            "the roots{ends}."
        ),
        "outside": (
            "The parabola y = {poly} opens upward and crosses the x-axis at {roots}; y {relation} 0 outside "
            "the roots{ends}."
        ),
        "ends_in": " (roots included)",
        "ends_out": " (roots excluded)",
        "perfect_square": "Δ = 0: the left side is a perfect square.",
        "square_positive": "The square {square} is 0 only at x = {root} and positive everywhere else.",
        "square_always": "A square {square} is never negative, so the inequality always holds.",
        "square_never": "A square {square} is never negative, so there is no solution.",
        "square_zero": "The square {square} is 0 only at x = {root}.",
        "discriminant_none": (
            "Δ < 0: the parabola y = {poly} opens upward and never meets the x-axis, so {poly} is always "
            "positive: {conclusion}."
        ),
        "always": "the inequality holds for every real number",
        "never": "there is no solution",
        "move_zero": "Move everything to the left so the right side is 0.",
        "common_denominator": "Combine into one fraction f(x)/g(x) {relation} 0.",
        "common_denominator_flip": (
            "Combine into one fraction and make the leading coefficients positive; the inequality sign flips."
        ),
        "to_product": (
            "A quotient has the same sign as the product of its numerator and denominator, and the "
            "denominator cannot be 0."
        ),
        "sign_chart": (
            "The critical points {points} split the line into {n} intervals; from left to right their signs "
            "are {signs}. Keep the parts where it is {relation} 0. {holes}"
        ),
        "holes": "The zero of the denominator, {points}, is never included (open circle).",
        "summary_linear_inequality": (
            "Clear fractions, remove brackets, move, combine and divide, flipping the sign when dividing by "
            "a negative: {answer}."
        ),
        "summary_quadratic_inequality": (
            "Compare ax² + bx + c with 0 (a > 0), find the roots, and read the answer off the upward "
            "parabola: {answer}."
        ),
        "summary_rational_inequality": (
            "Compare one fraction f(x)/g(x) with 0, mark the critical points, use a sign chart, and leave "
            "the denominator's zeros open: {answer}."
        ),
    },
}


def _inequality(problem: Problem) -> Writer:
    return Writer(problem, PHRASES)


def _finish(
    writer: Writer,
    x: sympy.Symbol,
    values: sympy.Set,
    summary: str,
    names: Mapping[sympy.Expr, str] | None = None,
) -> Solution:
    words = writer.words
    return writer.solution(set_answer(x, values, words, names), summary, set_plain(x, values, words, names))


@solves("linear_inequality")
def linear_inequality(problem: Problem) -> Solution:
    x, left, relation, right = written_sides(problem)
    if relation == "=":
        raise unsupported(problem, "it is an equation: use linear_equation")
    if polynomial(problem, total(left) - total(right), x).degree() > 1:
        raise unsupported(problem, "it is not linear: use quadratic_inequality")
    writer = _inequality(problem)
    values = linear_steps(writer, left, relation, right, x)
    return _finish(writer, x, values, "summary_linear_inequality")


@solves("quadratic_inequality")
def quadratic_inequality(problem: Problem) -> Solution:
    x, left, relation, right = written_sides(problem)
    if relation == "=":
        raise unsupported(problem, "it is an equation: use quadratic_equation")
    poly = polynomial(problem, total(left) - total(right), x)
    if poly.degree() != 2:
        raise unsupported(problem, "it is not a quadratic inequality (degree 2)")
    writer = _inequality(problem)
    a, b, c = standard_form(poly)
    expr = a * x**2 + b * x + c
    if poly.LC() < 0:
        relation = FLIPPED[relation]
        writer.step("standard_flip", relation_tex(tex(expr), relation, "0"))
    elif right or total(left) != expr:
        writer.step(
            "standard_inequality", relation_tex(tex(expr), relation, "0"), relation=PLAIN_RELATIONS[relation]
        )
    values = sympy.solveset(holds(expr, relation, sympy.Integer(0)), x, sympy.S.Reals)
    delta = b**2 - 4 * a * c
    if delta < 0:
        words = writer.words
        conclusion = words["always" if relation in (">", r"\ge") else "never"]
        writer.step(
            "discriminant_none", discriminant_line(a, b, c)[0], poly=plain(expr), conclusion=conclusion
        )
        return _finish(writer, x, values, "summary_quadratic_inequality")
    if delta == 0:
        return _perfect_square(writer, x, expr, relation, values)
    return _two_roots(writer, x, a, b, c, relation, values)


def _two_roots(
    writer: Writer,
    x: sympy.Symbol,
    a: sympy.Integer,
    b: sympy.Integer,
    c: sympy.Integer,
    relation: str,
    values: sympy.Set,
) -> Solution:
    expr = a * x**2 + b * x + c
    delta = b**2 - 4 * a * c
    _, plus, minus = plus_minus(sympy.Rational(-b, 2 * a), sympy.Rational(delta, 4 * a**2))
    roots = [minus, plus]
    shown = " " + writer.words["and_plain"].strip() + " " if writer.problem.language == "en-US" else "、"
    roots_text = shown.join(plain_latex(r.latex) for r in roots)
    if sympy.sqrt(delta).is_Rational:
        factors = sorted((f for f, _ in sympy.factor_list(expr, x)[1]), key=lambda f: float(root_of(f, x)))
        writer.step(
            "factor_roots",
            relation_tex(product_tex(factors), relation, "0"),
            poly=plain(expr),
            roots=roots_text,
        )
    else:
        writer.step("discriminant_roots", discriminant_line(a, b, c)[0], poly=plain(expr), roots=roots_text)
    names = {r.value: r.latex for r in roots}
    inside = relation in ("<", r"\le")
    ends = writer.words["ends_in" if relation in (r"\le", r"\ge") else "ends_out"]
    writer.step(
        "between" if inside else "outside",
        set_statement(x, values, writer.words, names),
        poly=plain(expr),
        roots=roots_text,
        relation=PLAIN_RELATIONS[relation],
        ends=ends,
    )
    return _finish(writer, x, values, "summary_quadratic_inequality", names)


def _perfect_square(
    writer: Writer, x: sympy.Symbol, expr: sympy.Expr, relation: str, values: sympy.Set
) -> Solution:
    """(px + q)² compared with 0: true except at the root, always, never, or only at the root."""
    ((base, _),) = sympy.factor_list(expr, x)[1]
    square = sympy.Pow(base, 2)
    if square != expr:
        writer.step("perfect_square", relation_tex(tex(square), relation, "0"))
    root = sympy.solve(base, x)[0]
    key = {">": "square_positive", r"\ge": "square_always", "<": "square_never", r"\le": "square_zero"}[
        relation
    ]
    writer.step(key, set_statement(x, values, writer.words), square=plain(square), root=plain(root))
    return _finish(writer, x, values, "summary_quadratic_inequality")


def _linear_factors(
    problem: Problem, expr: sympy.Expr, x: sympy.Symbol
) -> tuple[sympy.Expr, list[sympy.Expr]]:
    """The content and the linear factors (repeated by multiplicity) of a polynomial over Q."""
    content, found = sympy.factor_list(expr, x)
    factors = [f for f, times in found for _ in range(times)]
    if any(sympy.Poly(f, x).degree() != 1 for f in factors):
        raise unsupported(problem, f"{tex(expr)} does not split into linear factors over the rationals")
    signs = [sympy.sign(sympy.Poly(f, x).LC()) for f in factors]
    return content * sympy.Mul(*signs), [f * s for f, s in zip(factors, signs, strict=True)]


def _grouped(factors: Sequence[sympy.Expr], x: sympy.Symbol, bracket: bool = True) -> str:
    """Linear factors by increasing root, repeated ones as powers: x(x - 1)^2."""
    distinct = sorted(set(factors), key=lambda f: float(root_of(f, x)))
    return product_tex([sympy.Pow(f, factors.count(f)) for f in distinct], bracket)


@solves("rational_inequality")
def rational_inequality(problem: Problem) -> Solution:
    x, lhs, relation, rhs = read_relation(problem)
    if relation == "=":
        raise unsupported(problem, "it is an equation: use rational_equation")
    numerator, denominator = sympy.fraction(sympy.together(lhs - rhs))
    numerator, denominator = sympy.expand(numerator), sympy.expand(denominator)
    if not denominator.has(x) or not (numerator.is_polynomial(x) and denominator.is_polynomial(x)):
        raise unsupported(
            problem, "there is no unknown in a denominator: use linear_ or quadratic_inequality"
        )
    if sympy.gcd(numerator, denominator).has(x):
        raise unsupported(problem, "the numerator and denominator share a factor")
    top_content, top = _linear_factors(problem, numerator, x)
    bottom_content, bottom = _linear_factors(problem, denominator, x)
    writer = _inequality(problem)
    if rhs != 0:
        if rhs.is_number:
            moved = f"{tex(lhs)} {'-' if rhs > 0 else '+'} {tex(abs(rhs))}"
        else:
            moved = f"{tex(lhs)} - {parenthesized(rhs)}"
        writer.step("move_zero", relation_tex(moved, relation, "0"))
    flipped = top_content * bottom_content < 0
    final = FLIPPED[relation] if flipped else relation
    fraction = rf"\frac{{{_grouped(top, x, bracket=False) or '1'}}}{{{_grouped(bottom, x, bracket=False)}}}"
    if flipped or rhs != 0 or sympy.simplify(lhs - sympy.Mul(*top) / sympy.Mul(*bottom)) != 0:
        key = "common_denominator_flip" if flipped else "common_denominator"
        writer.step(key, relation_tex(fraction, final, "0"), relation=PLAIN_RELATIONS[final])
    product = relation_tex(_grouped([*top, *bottom], x), final, "0")
    nonzero = [] if final in ("<", ">") else [rf"{_grouped(bottom, x, bracket=False)} \ne 0"]
    writer.step("to_product", product, *nonzero)
    quotient = sympy.Mul(*top) / sympy.Mul(*bottom)
    values = sympy.solveset(holds(quotient, final, sympy.Integer(0)), x, sympy.S.Reals)
    _sign_chart(writer, x, quotient, top, bottom, final, values)
    return _finish(writer, x, values, "summary_rational_inequality")


def _sign_chart(
    writer: Writer,
    x: sympy.Symbol,
    quotient: sympy.Expr,
    top: Sequence[sympy.Expr],
    bottom: Sequence[sympy.Expr],
    relation: str,
    values: sympy.Set,
) -> None:
    points = sorted({root_of(f, x) for f in (*top, *bottom)}, key=float)
    holes = sorted({root_of(f, x) for f in bottom}, key=float)
    ends = [points[0] - 1, *(low + (high - low) / 2 for low, high in pairwise(points)), points[-1] + 1]
    signs = ["+" if quotient.subs(x, probe) > 0 else "-" for probe in ends]
    holes_text = writer.say("holes", points=listed(x, [Root.of(h) for h in holes]))
    writer.step(
        "sign_chart",
        set_statement(x, values, writer.words),
        points=", ".join(plain(p) for p in points),
        n=len(points) + 1,
        signs=", ".join(signs),
        relation=PLAIN_RELATIONS[relation],
        holes=holes_text,
    )
