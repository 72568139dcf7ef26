"""Equations solved the way a teacher writes them on the board, in the problem's language.

Every step is a statement in the unknowns with the same solutions as the problem (within its
domain), so the verifier can check it line by line; what is reasoning rather than math (why the
sign flips, which roots are extraneous) is said in the explanation, and Δ on a `\\Delta = ...`
line the verifier checks as arithmetic. The helpers here (the writer, terms, the linear and
quadratic pipelines, answers) serve the inequality solvers too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import reduce
from itertools import pairwise

import sympy

from mathcast.content.solvers.base import AUTHOR, UnsupportedProblemError, solves
from mathcast.lesson import Language, Problem, Solution, Step
from mathcast.verify.parse import (
    MathParseError,
    normalize,
    parse_condition,
    parse_equation,
    parse_math,
    split_conditions,
)

Phrases = Mapping[Language, Mapping[str, str]]

PHRASES: dict[Language, dict[str, str]] = {
    "zh-CN": {
        "or": r" \text{ 或 } ",
        "and": r" \text{ 且 } ",
        "or_line": r"\text{或 } ",
        "none": r"\text{无解}",
        "no_real": r"\text{无实数解}",
        "none_plain": "无解",
        "no_real_plain": "无实数解",
        "or_plain": " 或 ",
        "and_plain": " 且 ",
        "all_reals_plain": "全体实数",
        "sentence_gap": "",
        # linear: the five moves of 解一元一次方程
        "clear_denominators": "两边同乘各分母的最小公倍数 {lcm}，去分母。",
        "expand": "去括号，括号前是负号时，括号里的各项都要变号。",
        "move": "移项：含 {x} 的项移到左边，常数项移到右边，移项要变号。",
        "combine": "合并同类项。",
        "divide": "两边同除以 {a}，把 {x} 的系数化为 1。",
        "divide_flip": "两边同除以负数 {a}，不等号的方向要改变。",
        "solve_linear": "移项、合并同类项、系数化为 1，解这个一次方程。",
        "contradiction": "化简后得到 {statement}，不成立，所以无解。",
        "identity": "化简后得到 {statement}，恒成立，所以 {x} 取任意实数。",
        # quadratic
        "standard": "移项、整理，化成一般形式 ax² + bx + c = 0。",
        "factor_common": "左边提取公因式，分解因式。",
        "factor_square": "左边用完全平方公式分解因式。",
        "factor_cross": "左边用十字相乘法分解因式。",
        "zero_product": "两个因式的积为 0，至少有一个因式为 0。",
        "roots": "解这两个一次方程，得到方程的两个根。",
        "double_root": "方程有两个相等的实数根。",
        "isolate_square": "移项，两边同除以二次项系数，把 {square} 单独放在一边。",
        "square_root": "两边开平方（直接开平方法）。",
        "square_root_done": "两边开平方（直接开平方法），得到方程的两个根。",
        "negative_square": "任何实数的平方都不是负数，所以方程没有实数根。",
        "discriminant": "这里 a = {a}，b = {b}，c = {c}，判别式 Δ = b² - 4ac = {delta}，{meaning}。",
        "two_roots": "Δ > 0，方程有两个不相等的实数根",
        "one_root": "Δ = 0，方程有两个相等的实数根",
        "no_roots": "Δ < 0，方程没有实数根",
        "formula": "代入求根公式 x = (-b ± √Δ) / (2a)，并化简。",
        "discriminant_formula": (
            "a = {a}，b = {b}，c = {c}，Δ = b² - 4ac = {delta} > 0，代入求根公式 x = (-b ± √Δ) / (2a)。"
        ),
        "isolate_complete": "配方法：把常数项移到右边，二次项系数化为 1。",
        "add_square": "两边都加上一次项系数一半的平方 {square}。",
        "square_form": "左边写成完全平方的形式。",
        "sqrt_both": "两边开平方。",
        "zero_square": "平方等于 0，括号里的式子等于 0。",
        # rational
        "clear_fraction": "分母不能为 0，所以 {excluded}。两边同乘最简公分母 {lcd}，去分母，化为整式方程。",
        "lcd_kept": "检验：{roots} 时最简公分母不为 0，是原方程的解。",
        "lcd_rejected": "检验：{roots} 时最简公分母 {lcd} = 0，是增根，舍去，所以原方程无解。",
        "lcd_mixed": "检验：{rejected} 时最简公分母 {lcd} = 0，是增根，舍去；{kept} 是原方程的解。",
        # absolute value
        "isolate_abs": "把绝对值单独放在等号一边。",
        "abs_negative": "绝对值是非负数，不可能等于 {c}，所以方程无解。",
        "abs_zero": "绝对值等于 0，只能是绝对值里面的式子等于 0。",
        "abs_split": "绝对值等于 {c}，那么里面的式子等于 {c} 或 -{c}。",
        "abs_roots": "分别解出 {x}。",
        "zero_points": (
            "令绝对值里的式子等于 0，得零点 {points}，它们把数轴分成 {n} 段，在每段上去掉绝对值符号。"
        ),
        "solve_pieces": "在每一段上解方程，只保留落在这一段里的解。{notes}",
        "piece_rejected": "{x} = {root} 不在 {piece} 内，舍去。",
        "piece_false": "{piece} 时方程化为 {statement}，不成立。",
        "piece_all": "{piece} 时方程恒成立。",
        "union": "把各段的解合在一起。",
        # exponential
        "divide_coefficient": "两边同除以 {c}。",
        "same_base": "把两边化成同底数 {base} 的幂。",
        "equal_exponents": "指数函数 y = {base}^x 是单调函数，底数相同，指数相等。",
        "log_definition": "由对数的定义，把指数式化为对数式。",
        "power_positive": "指数函数的值总是正数，不可能等于 {c}，所以方程无解。",
        "substitute": "设 t = {power}（t > 0），原方程化为关于 t 的方程 {tpoly} = 0。",
        "t_factor": "把 t = {power} 代回，分解因式。",
        "t_values": "所以 {power} 的值是 {values}。{notes}",
        "t_rejected": "因为 {power} > 0，{power} = {value} 舍去。",
        "t_divide": "两边同除以 {c}，求出 {power}。",
        "powers_to_x": "求出 {x}。",
        # logarithmic
        "log_domain": "先求定义域：真数必须大于 0，即 {conditions}，所以 {domain}。",
        "log_domain_same": "先求定义域：真数必须大于 0，即 {domain}。",
        "log_combine": "{domain}用对数的运算法则，把同底的对数合并。",
        "log_to_power": "{domain}由对数的定义，把对数式化为指数式。",
        "log_equal_args": "{domain}底数相同的对数相等，真数也相等。",
        "log_substitute": "{domain}设 t = {log}，原方程化为 {tpoly} = 0，分解因式。",
        "log_values": "所以 {cases}，由对数的定义求出 {x}。",
        "log_empty": "真数必须大于 0，即 {conditions}，这样的 {x} 不存在，所以方程无解。",
        "domain_kept": "检验：{roots} 满足定义域 {domain}。",
        "domain_rejected": "检验：{roots} 不满足定义域 {domain}，舍去，所以方程无解。",
        "domain_mixed": "检验：{rejected} 不满足定义域 {domain}，舍去；{kept} 满足。",
        # systems
        "arrange": "移项，把每个方程整理成未知数在左、常数在右的形式。",
        "eliminate": "{how}，消去 {v}。",
        "substitute_row": "把 {row} 代入 {other}，消去 {v}。",
        "solve_one": "解这个一元一次方程，得 {value}。",
        "back_substitute": "把 {known} 代入 {row}，解得 {value}。",
        "labels": "①②③④⑤⑥",
        "list_separator": "，",
        # summaries
        "summary_linear": "去分母、去括号、移项、合并同类项、系数化为 1，解得 {answer}。",
        "summary_factoring": "先化成一般形式，再因式分解，用“积为 0”求根：{answer}。",
        "summary_square_root": "用直接开平方法：{answer}。",
        "summary_formula": "先算判别式 Δ，再用求根公式：{answer}。",
        "summary_complete_square": "用配方法：配成完全平方后开平方：{answer}。",
        "summary_rational": "先确定分母不为 0，再去分母化成整式方程，解出后检验是否为增根：{answer}。",
        "summary_abs": "去掉绝对值符号，分情况解方程，再合并：{answer}。",
        "summary_exponential": "化成同底数的幂或取对数，转化为代数方程：{answer}。",
        "summary_exponential_substitution": "换元 t = a^x（t > 0），解关于 t 的方程，再求 x：{answer}。",
        "summary_logarithmic": "先求定义域，再化成同底对数或指数式，解出后检验定义域：{answer}。",
        "summary_system": "用消元法把方程组化成一元一次方程，求出一个未知数再回代：{answer}。",
    },
    "en-US": {
        "or": r" \text{ or } ",
        "and": r" \text{ and } ",
        "or_line": r"\text{or } ",
        "none": r"\text{no solution}",
        "no_real": r"\text{no real solution}",
        "none_plain": "no solution",
        "no_real_plain": "no real solution",
        "or_plain": " or ",
        "and_plain": " and ",
        "all_reals_plain": "all real numbers",
        "sentence_gap": " ",
        "clear_denominators": "Multiply both sides by {lcm}, the least common multiple of the denominators.",
        "expand": "Remove the brackets; a minus sign in front of a bracket changes every sign inside.",
        "move": "Move the {x} terms to the left and the numbers to the right, changing their signs.",
        "combine": "Combine like terms.",
        "divide": "Divide both sides by {a} so the coefficient of {x} is 1.",
        "divide_flip": "Divide both sides by {a}; it is negative, so the inequality sign flips.",
        "solve_linear": "Move the terms, combine them and divide by the coefficient.",
        "contradiction": "This simplifies to {statement}, which is false, so there is no solution.",
        "identity": "This simplifies to {statement}, which always holds, so every real {x} works.",
        "standard": "Bring every term to one side: the general form ax² + bx + c = 0.",
        "factor_common": "Factor out the common factor.",
        "factor_square": "The left side is a perfect square.",
        "factor_cross": "Factor the left side.",
        "zero_product": "A product is 0 only when one of its factors is 0.",
        "roots": "Solve each linear equation: these are the two roots.",
        "double_root": "The equation has a double root.",
        "isolate_square": "Move the constant and divide by the leading coefficient, leaving {square} alone.",
        "square_root": "Take the square root of both sides.",
        "square_root_done": "Take the square root of both sides: these are the two roots.",
        "negative_square": "No real number squared is negative, so there is no real solution.",
        "discriminant": "Here a = {a}, b = {b}, c = {c}; the discriminant Δ = b² - 4ac = {delta}: {meaning}.",
        "two_roots": "Δ > 0, so there are two different real roots",
        "one_root": "Δ = 0, so there is one double root",
        "no_roots": "Δ < 0, so there is no real root",
        "formula": "Substitute into the quadratic formula x = (-b ± √Δ) / (2a) and simplify.",
        "discriminant_formula": (
            "a = {a}, b = {b}, c = {c}, Δ = b² - 4ac = {delta} > 0; use the quadratic formula x = (-b ± √Δ) "
            "/ (2a)."
        ),
        "isolate_complete": (
            "Completing the square: move the constant to the right and make the x² coefficient 1."
        ),
        "add_square": "Add the square of half the x coefficient, {square}, to both sides.",
        "square_form": "Write the left side as a perfect square.",
        "sqrt_both": "Take the square root of both sides.",
        "zero_square": "A square is 0 only when the base is 0.",
        "clear_fraction": (
            "No denominator may be 0, so {excluded}. Multiply both sides by the lowest common denominator "
            "{lcd} to clear the fractions."
        ),
        "lcd_kept": "Check: at {roots} the common denominator is not 0, so it solves the original equation.",
        "lcd_rejected": (
            "Check: at {roots} the common denominator {lcd} is 0, so it is extraneous: there is no solution."
        ),
        "lcd_mixed": (
            "Check: at {rejected} the common denominator {lcd} is 0, so it is extraneous; {kept} is a "
            "solution."
        ),
        "isolate_abs": "Isolate the absolute value on one side.",
        "abs_negative": "An absolute value is never negative, so it cannot equal {c}: there is no solution.",
        "abs_zero": "An absolute value is 0 only when the expression inside is 0.",
        "abs_split": "The absolute value is {c}, so the expression inside is {c} or -{c}.",
        "abs_roots": "Solve for {x}.",
        "zero_points": (
            "The expressions inside are 0 at {points}; these split the number line into {n} parts. On each "
            "part, drop the absolute value signs."
        ),
        "solve_pieces": "Solve on each part and keep only solutions inside that part. {notes}",
        "piece_rejected": "{x} = {root} is not in {piece}: rejected.",
        "piece_false": "For {piece} the equation becomes {statement}, false.",
        "piece_all": "For {piece} the equation always holds.",
        "union": "Put the parts together.",
        "divide_coefficient": "Divide both sides by {c}.",
        "same_base": "Write both sides as powers of the same base {base}.",
        "equal_exponents": (
            "y = {base}^x is one-to-one, so equal powers of the same base have equal exponents."
        ),
        "log_definition": "By the definition of the logarithm, rewrite the power as a logarithm.",
        "power_positive": (
            "A power of a positive base is always positive, so it cannot equal {c}: there is no solution."
        ),
        "substitute": "Let t = {power} (t > 0); the equation becomes {tpoly} = 0 in t.",
        "t_factor": "Put t = {power} back and factor.",
        "t_values": "So {power} is {values}. {notes}",
        "t_rejected": "Since {power} > 0, {power} = {value} is rejected.",
        "t_divide": "Divide both sides by {c} to find {power}.",
        "powers_to_x": "Solve for {x}.",
        "log_domain": (
            "Domain first: every argument of a logarithm must be positive, {conditions}, so {domain}."
        ),
        "log_domain_same": "Domain first: every argument of a logarithm must be positive, {domain}.",
        "log_combine": "{domain}Combine the logarithms with the same base using the log laws.",
        "log_to_power": "{domain}By the definition of the logarithm, rewrite it as a power.",
        "log_equal_args": "{domain}Equal logarithms with the same base have equal arguments.",
        "log_substitute": "{domain}Let t = {log}; the equation becomes {tpoly} = 0. Factor it.",
        "log_values": "So {cases}; the definition of the logarithm gives {x}.",
        "log_empty": (
            "Every argument must be positive, {conditions}, and no {x} does that: there is no solution."
        ),
        "domain_kept": "Check: {roots} lies in the domain {domain}.",
        "domain_rejected": (
            "Check: {roots} is outside the domain {domain}: rejected, so there is no solution."
        ),
        "domain_mixed": "Check: {rejected} is outside the domain {domain}: rejected; {kept} is in it.",
        "arrange": (
            "Move the terms so each equation has the unknowns on the left and the number on the right."
        ),
        "eliminate": "{how} eliminates {v}.",
        "substitute_row": "Substitute {row} into {other} to eliminate {v}.",
        "solve_one": "Solve this linear equation: {value}.",
        "back_substitute": "Substitute {known} into {row}: {value}.",
        "labels": "(1) (2) (3) (4) (5) (6)",
        "list_separator": " and ",
        "summary_linear": "Clear fractions, remove brackets, move terms, combine and divide: {answer}.",
        "summary_factoring": "Write the general form, factor, and set each factor to 0: {answer}.",
        "summary_square_root": "Take square roots directly: {answer}.",
        "summary_formula": "Compute the discriminant, then use the quadratic formula: {answer}.",
        "summary_complete_square": "Complete the square, then take square roots: {answer}.",
        "summary_rational": (
            "Note the excluded values, clear the denominators, solve, and reject extraneous roots: {answer}."
        ),
        "summary_abs": "Remove the absolute value signs case by case, solve each case and combine: {answer}.",
        "summary_exponential": (
            "Make the bases equal or take logarithms to get an algebraic equation: {answer}."
        ),
        "summary_exponential_substitution": "Substitute t = a^x (t > 0), solve for t, then for x: {answer}.",
        "summary_logarithmic": (
            "Find the domain, combine the logarithms, solve, and check the domain: {answer}."
        ),
        "summary_system": (
            "Eliminate unknowns to get one linear equation, solve it and substitute back: {answer}."
        ),
    },
}


def unsupported(problem: Problem, why: str) -> UnsupportedProblemError:
    return UnsupportedProblemError(f"{problem.id} ({problem.kind}): {why}")


class Writer:
    """The steps of one solution, each explained in the problem's language."""

    def __init__(self, problem: Problem, extra: Phrases | None = None) -> None:
        self.problem = problem
        self.words = {**PHRASES[problem.language], **(extra or {}).get(problem.language, {})}
        self.steps: list[Step] = []

    def say(self, key: str, **values: object) -> str:
        return self.words[key].format(**values)

    def sentences(self, parts: Sequence[str]) -> str:
        return self.words["sentence_gap"].join(p for p in parts if p)

    def step(self, key: str, *equations: str, **values: object) -> None:
        explanation = self.say(key, **values).strip()
        self.steps.append(Step(index=len(self.steps), equations=list(equations), explanation=explanation))

    def note(self, key: str, **values: object) -> None:
        """Adds a sentence to the last step (a check, a rejected root) instead of a step of its own."""
        last = self.steps[-1]
        explanation = self.sentences([last.explanation, self.say(key, **values)])
        self.steps[-1] = last.model_copy(update={"explanation": explanation})

    def solution(self, answer: str, summary_key: str, plain_answer: str) -> Solution:
        if not self.steps:
            raise unsupported(self.problem, "nothing to solve: the problem already states its solution")
        return Solution(
            problem_id=self.problem.id,
            author=AUTHOR,
            steps=self.steps,
            answer=answer,
            summary=self.say(summary_key, answer=plain_answer),
        )


# --- text: LaTeX for the board, plain text for the narration ---

RELATIONS = {"=": "==", "<": "<", ">": ">", r"\le": "<=", r"\ge": ">="}
FLIPPED = {"=": "=", "<": ">", ">": "<", r"\le": r"\ge", r"\ge": r"\le"}
PLAIN_RELATIONS = {"=": "=", "<": "<", ">": ">", r"\le": "≤", r"\ge": "≥"}
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def tex(value: sympy.Basic) -> str:
    return str(sympy.latex(value))


def plain(value: sympy.Basic) -> str:
    """A number or polynomial as subtitles show it: x² - 3x + 2, 2√2, 1/2."""
    text = sympy.sstr(value)
    text = re.sub(r"sqrt\((\d+)\)", r"√\1", text).replace("sqrt(", "√(")
    text = re.sub(r"\*\*(\d+)", lambda m: m.group(1).translate(_SUPERSCRIPTS), text).replace("**", "^")
    text = re.sub(r"(?<=[A-Za-z0-9)])\*(?=[A-Za-z√(])", "", text)
    return text.replace("*", "·")


_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _grouped(text: str) -> str:
    return text if re.fullmatch(r"-?[\w.√]+", text) else f"({text})"


_PLAIN_COMMANDS = {
    "infty": "∞", "in": "∈", "cup": "∪", "le": "≤", "ge": "≥", "ne": "≠", "lg": "lg", "ln": "ln",
    "cdot": "·", "times": "×", "pm": "±",
}  # fmt: skip


def plain_latex(text: str) -> str:
    """What the board says, for subtitles: \\frac{-3 + \\sqrt{13}}{2} → (-3 + √13)/2, x \\le 2 → x ≤ 2."""
    text = re.sub(r"\\left|\\right", "", text).replace(r"\{", "\x01").replace(r"\}", "\x02")
    text = re.sub(r"\\text\{([^{}]*)\}", r" \1 ", text)
    text = re.sub(r"\\sqrt\{([^{}]*)\}", lambda m: "√" + _grouped(m.group(1)), text)
    text = re.sub(
        r"\\frac\{([^{}]*)\}\{([^{}]*)\}", lambda m: f"{_grouped(m.group(1))}/{_grouped(m.group(2))}", text
    )
    text = re.sub(r"\\log_\{(\d+)\}", lambda m: "log" + m.group(1).translate(_SUBSCRIPTS), text)
    text = re.sub(r"\^\{(\d+)\}", lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    text = re.sub(r"_\{(\d+)\}", lambda m: m.group(1).translate(_SUBSCRIPTS), text)
    text = re.sub(r"\\([a-zA-Z]+)", lambda m: _PLAIN_COMMANDS.get(m.group(1), m.group(1)), text)
    text = re.sub(r"[{}]", "", text).replace("\x01", "{").replace("\x02", "}")
    text = re.sub(r"(^|[(\[,=]\s*)- ", r"\1-", text)
    return re.sub(r"\s+", " ", text).strip()


def parenthesized(value: sympy.Basic) -> str:
    """A number as substituted into a formula: negatives and sums in brackets."""
    text = tex(value)
    return rf"\left({text}\right)" if value.is_Add or (value.is_number and value < 0) else text


def relation_tex(left: str, relation: str, right: str) -> str:
    return f"{left} {relation} {right}"


def holds(left: sympy.Expr, relation: str, right: sympy.Expr) -> sympy.Basic:
    return sympy.Rel(left, right, RELATIONS[relation])


@dataclass(frozen=True)
class Root:
    """A root as a number and as the teacher writes it (1 + √2, not sympy's √2 + 1)."""

    value: sympy.Expr
    latex: str

    @classmethod
    def of(cls, value: sympy.Expr) -> Root:
        return cls(value, tex(value))


def distinct_sorted(roots: Sequence[Root]) -> list[Root]:
    unique = {r.value: r for r in roots}
    return sorted(unique.values(), key=lambda r: float(r.value))


def roots_line(x: sympy.Symbol, roots: Sequence[Root]) -> str:
    """x_1 = 2, x_2 = 3 (or x_1 = x_2 = 1 for a double root; x = 2 for a single one)."""
    if len(roots) == 1:
        return f"{tex(x)} = {roots[0].latex}"
    if len(roots) == 2 and roots[0].value == roots[1].value:
        return f"{tex(x)}_{{1}} = {tex(x)}_{{2}} = {roots[0].latex}"
    return ", ".join(f"{tex(x)}_{{{i}}} = {r.latex}" for i, r in enumerate(roots, 1))


def roots_answer(x: sympy.Symbol, roots: Sequence[Root], words: Mapping[str, str], none: str = "none") -> str:
    """x = 2 或 x = 3 in increasing order, or the words for no solution."""
    ordered = distinct_sorted(roots)
    if not ordered:
        return words[none]
    return words["or"].join(f"{tex(x)} = {r.latex}" for r in ordered)


def roots_plain(x: sympy.Symbol, roots: Sequence[Root], words: Mapping[str, str], none: str = "none") -> str:
    ordered = distinct_sorted(roots)
    if not ordered:
        return words[f"{none}_plain"]
    return words["or_plain"].join(f"{x} = {plain_latex(r.latex)}" for r in ordered)


def listed(x: sympy.Symbol, roots: Sequence[Root]) -> str:
    return ", ".join(f"{x} = {plain(r.value)}" for r in roots)


Names = Mapping[sympy.Expr, str] | None


def _written(value: sympy.Expr, names: Names) -> str:
    """A number as LaTeX: the teacher's form of a root when given (names), else sympy's."""
    if value == sympy.oo:
        return r"+\infty"
    if value == -sympy.oo:
        return r"-\infty"
    return (names or {}).get(value) or tex(value)


def pieces_of(values: sympy.Set) -> list[sympy.Set]:
    return list(values.args) if isinstance(values, sympy.Union) else [values]


def interval_tex(piece: sympy.Set, names: Names = None) -> str:
    if isinstance(piece, sympy.FiniteSet):
        return r"\{" + ", ".join(_written(v, names) for v in sorted(piece, key=float)) + r"\}"
    left = "(" if piece.left_open else "["
    right = ")" if piece.right_open else "]"
    return f"{left}{_written(piece.start, names)}, {_written(piece.end, names)}{right}"


def set_answer(x: sympy.Symbol, values: sympy.Set, words: Mapping[str, str], names: Names = None) -> str:
    """The answer the verifier reads: roots, intervals (x ∈ (1, 2]), all reals, or 无解."""
    if values.is_empty:
        return words["none"]
    if isinstance(values, sympy.FiniteSet):
        return roots_answer(x, [Root(v, _written(v, names)) for v in values], words)
    if values == sympy.S.Reals:
        return rf"{tex(x)} \in (-\infty, +\infty)"
    return rf"{tex(x)} \in " + r" \cup ".join(interval_tex(p, names) for p in pieces_of(values))


def set_plain(x: sympy.Symbol, values: sympy.Set, words: Mapping[str, str], names: Names = None) -> str:
    if values == sympy.S.Reals:
        return words["all_reals_plain"]
    return plain_latex(set_answer(x, values, words, names))


def interval_statement(x: sympy.Symbol, piece: sympy.Interval, names: Names = None) -> str:
    """An interval as a condition on x: x < 1, -1 < x \\le 2, x \\ge 3."""
    name = tex(x)
    low = "<" if piece.left_open else r"\le"
    high = "<" if piece.right_open else r"\le"
    start, end = _written(piece.start, names), _written(piece.end, names)
    if piece.start == -sympy.oo and piece.end == sympy.oo:
        return rf"{name} \in (-\infty, +\infty)"
    if piece.start == -sympy.oo:
        return f"{name} {high} {end}"
    if piece.end == sympy.oo:
        return f"{name} {FLIPPED[low]} {start}"
    return f"{start} {low} {name} {high} {end}"


def set_statement(x: sympy.Symbol, values: sympy.Set, words: Mapping[str, str], names: Names = None) -> str:
    """A solution set as a step line: x < 1 或 x > 2, -1 < x \\le 2, x \\ne 1, x = 3."""
    if values.is_empty:
        return words["none"]
    pieces = pieces_of(values)
    if (
        len(pieces) == 2
        and all(isinstance(p, sympy.Interval) and p.left_open and p.right_open for p in pieces)
        and pieces[0].start == -sympy.oo
        and pieces[1].end == sympy.oo
        and pieces[0].end == pieces[1].start
    ):
        return rf"{tex(x)} \ne {_written(pieces[0].end, names)}"
    lines = []
    for piece in pieces:
        if isinstance(piece, sympy.FiniteSet):
            lines += [f"{tex(x)} = {_written(v, names)}" for v in sorted(piece, key=float)]
        else:
            lines.append(interval_statement(x, piece, names))
    return words["or"].join(lines)


def plain_statement(x: sympy.Symbol, values: sympy.Set, words: Mapping[str, str]) -> str:
    """`set_statement` for the narration: x ≤ 2, 1/2 < x."""
    return plain_latex(set_statement(x, values, words))


# --- reading the problem ---


def unknown(problem: Problem) -> sympy.Symbol:
    return sympy.Symbol(problem.unknowns[0] if problem.unknowns else "x")


def only_unknowns(problem: Problem, expr: sympy.Basic, allowed: Sequence[sympy.Symbol]) -> None:
    extra = expr.free_symbols - set(allowed)
    if extra:
        names = ", ".join(sorted(map(str, extra)))
        raise unsupported(
            problem, f"it has parameters ({names}); the offline expert solves numeric problems only"
        )
    if not expr.free_symbols:
        raise unsupported(problem, f"{problem.given!r} has no unknown to solve for")


def read(problem: Problem, reader: Callable[[str], sympy.Basic], text: str | None = None) -> sympy.Basic:
    text = problem.given if text is None else text
    if not text.strip():
        raise unsupported(problem, "`given` is empty: write the equation or inequality")
    try:
        return reader(text)
    except MathParseError as error:
        raise unsupported(problem, str(error)) from None


def read_equation(problem: Problem) -> tuple[sympy.Symbol, sympy.Eq]:
    x = unknown(problem)
    equation = read(problem, parse_equation)
    only_unknowns(problem, equation, [x])
    return x, equation


_RELATION_NAMES = {
    sympy.StrictLessThan: "<",
    sympy.StrictGreaterThan: ">",
    sympy.LessThan: r"\le",
    sympy.GreaterThan: r"\ge",
    sympy.Equality: "=",
}


def read_relation(problem: Problem) -> tuple[sympy.Symbol, sympy.Expr, str, sympy.Expr]:
    """An inequality (or equation) as left side, relation, right side."""
    x = unknown(problem)
    condition = read(problem, parse_condition)
    if condition in (sympy.true, sympy.false):
        raise unsupported(problem, f"{problem.given!r} is always {condition}: there is nothing to solve")
    relation = _RELATION_NAMES.get(type(condition))
    if relation is None:
        raise unsupported(problem, f"{problem.given!r} is not one relation such as 2x + 3 > 7")
    only_unknowns(problem, condition, [x])
    return x, condition.lhs, relation, condition.rhs


def polynomial(problem: Problem, expr: sympy.Expr, x: sympy.Symbol) -> sympy.Poly:
    expanded = sympy.expand(expr)
    if not expanded.is_polynomial(x):
        raise unsupported(problem, f"{tex(expr)} is not a polynomial in {x}")
    return sympy.Poly(expanded, x)


# --- terms: kept as written, so 3(x - 1) and (x - 1)/2 show as the student wrote them ---


@dataclass(frozen=True)
class Term:
    """A number times primitive factors: 3(x - 1) is Term(3, (x - 1,)), 5 is Term(5, ())."""

    coefficient: sympy.Expr
    factors: tuple[sympy.Expr, ...] = ()

    @classmethod
    def of(cls, expr: sympy.Expr, x: sympy.Symbol) -> Term:
        content, primitive = expr.as_content_primitive()
        sign, rest = primitive.as_coeff_Mul()
        coefficient = content * sign
        if not rest.has(x):
            return cls(coefficient * rest)
        factors = []
        for factor in sympy.Mul.make_args(rest):
            if factor.is_Add and all(c <= 0 for c in sympy.Poly(factor, x).coeffs()):
                coefficient, factor = -coefficient, -factor  # -x - 2 is -(x + 2); 1 - 2x stays
            factors.append(factor)
        return cls(coefficient, tuple(factors))

    @property
    def value(self) -> sympy.Expr:
        return self.coefficient * sympy.Mul(*self.factors)

    @property
    def has_unknown(self) -> bool:
        return bool(self.factors)

    @property
    def bracketed(self) -> bool:
        """Whether the board shows brackets that expanding removes: 3(x - 1), -(x + 2), x(x + 2), (x + 1)²."""
        sums = any(f.is_Add or (f.is_Pow and f.base.is_Add) for f in self.factors)
        return sums and (len(self.factors) > 1 or sympy.fraction(self.coefficient)[0] not in (1,))

    def magnitude_tex(self, negative: bool) -> str:
        """The term without its sign (`negative` when a minus stands before it)."""
        size = abs(self.coefficient)
        if not self.factors:
            return tex(size)
        numerator, denominator = sympy.fraction(size)
        body = product_tex(self.factors, bracket=numerator != 1 or (negative and denominator == 1))
        scaled = body if numerator == 1 else f"{tex(numerator)}{' ' if body[0].isalpha() else ''}{body}"
        return scaled if denominator == 1 else rf"\frac{{{scaled}}}{{{tex(denominator)}}}"


def side_tex(terms: Sequence[Term]) -> str:
    if not terms:
        return "0"
    parts = []
    for i, term in enumerate(terms):
        negative = bool(term.coefficient.is_negative)
        body = term.magnitude_tex(negative)
        parts.append(("-" if negative else "") + body if i == 0 else f"{'-' if negative else '+'} {body}")
    return " ".join(parts)


def terms_tex(left: Sequence[Term], relation: str, right: Sequence[Term]) -> str:
    return relation_tex(side_tex(left), relation, side_tex(right))


def terms_of(expr: sympy.Expr, x: sympy.Symbol) -> list[Term]:
    return [Term.of(t, x) for t in sympy.Add.make_args(expr) if t != 0]


def total(terms: Sequence[Term]) -> sympy.Expr:
    return sympy.Add(*(t.value for t in terms))


def expanded_terms(terms: Sequence[Term], x: sympy.Symbol) -> list[Term]:
    """Brackets removed term by term, highest power first: 5 - 2(x - 1) → 5 - 2x + 2."""
    monomials = [c * x**k for t in terms for (k,), c in sympy.Poly(t.value, x).terms()]
    return [Term.of(m, x) for m in monomials if m != 0]


_SIDE_RELATION = re.compile(r"\\le(?![a-zA-Z])|\\ge(?![a-zA-Z])|<|>|=")


def _split_terms(side: str) -> list[str]:
    """`\\frac{x-1}{2} - 3(x+2)` → ['\\frac{x-1}{2}', '- 3(x+2)']: + and - outside brackets."""
    terms, depth, start = [], 0, 0
    for i, char in enumerate(side):
        depth += 1 if char in "({[" else -1 if char in ")}]" else 0
        if char in "+-" and depth == 0:
            before = side[start:i].strip().lstrip("+-").strip()
            if before and not before.endswith(("^", "_", r"\cdot", r"\times")):
                terms.append(side[start:i])
                start = i
    terms.append(side[start:])
    return [t.strip() for t in terms if t.strip()]


def _term_value(text: str) -> sympy.Expr:
    sign = -1 if text.startswith("-") else 1
    value = parse_math(text.lstrip("+-").strip())
    if not isinstance(value, sympy.Expr):
        raise MathParseError(f"{text!r} is not a term")
    return sign * value


def written_sides(problem: Problem) -> tuple[sympy.Symbol, list[Term], str, list[Term]]:
    """The given relation in the terms it is written with, each side checked against the parse."""
    x, lhs, relation, rhs = read_relation(problem)
    text = normalize(problem.given)
    found = list(_SIDE_RELATION.finditer(text))
    written = (text[: found[0].start()], text[found[0].end() :]) if len(found) == 1 else ("", "")
    sides: list[list[Term]] = []
    for parsed, piece in zip((lhs, rhs), written, strict=True):
        try:
            terms = [Term.of(_term_value(t), x) for t in _split_terms(piece)]
            terms = [t for t in terms if t.coefficient != 0]
        except MathParseError:
            terms = []
        if sympy.simplify(total(terms) - parsed) != 0:
            terms = terms_of(parsed, x)  # a split the parser disagrees with: trust the parser
        sides.append(terms)
    return x, sides[0], relation, sides[1]


# --- the linear pipeline: 去分母、去括号、移项、合并同类项、系数化为 1 ---


def linear_steps(
    writer: Writer,
    left: Sequence[Term],
    relation: str,
    right: Sequence[Term],
    x: sympy.Symbol,
    *,
    compact: bool = False,
) -> sympy.Set:
    """Solves a relation whose sides expand to degree ≤ 1 in x, writing a step for each move made.

    `compact` (inside a longer solution) removes brackets and then writes the result only."""
    if not all(t.coefficient.is_Rational for t in (*left, *right)):
        raise unsupported(writer.problem, "only rational coefficients are solved step by step")
    if [t.value for t in left] == [x] and len(right) <= 1 and not any(t.has_unknown for t in right):
        return _solution_set(x, relation, total(right))  # the board already says x = b
    lcm = reduce(sympy.ilcm, (t.coefficient.q for t in (*left, *right)), 1)
    if lcm != 1:
        left, right = ([Term(t.coefficient * lcm, t.factors) for t in side] for side in (left, right))
        writer.step("clear_denominators", terms_tex(left, relation, right), lcm=lcm)
    bracketed = any(t.bracketed for t in (*left, *right))
    left, right = expanded_terms(left, x), expanded_terms(right, x)
    if bracketed:
        writer.step("expand", terms_tex(left, relation, right))
    difference = polynomial(writer.problem, total(left) - total(right), x)
    if difference.degree() > 1:
        raise unsupported(writer.problem, f"{tex(difference.as_expr())} = 0 is not linear")
    a, b = difference.coeff_monomial(x), -difference.coeff_monomial(1)
    if compact:
        return _linear_result(writer, a, relation, b, x, "solve_linear")
    if [t for t in left if not t.has_unknown] or [t for t in right if t.has_unknown]:
        moved = [Term(-t.coefficient, t.factors) for t in right if t.has_unknown]
        numbers = [Term(-t.coefficient) for t in left if not t.has_unknown]
        left = [t for t in left if t.has_unknown] + moved
        right = [t for t in right if not t.has_unknown] + numbers
        writer.step("move", terms_tex(left, relation, right), x=x)
    if len(left) > 1 or len(right) > 1 or a == 0:
        if a in (0, 1):
            return _linear_result(writer, a, relation, b, x, "combine")
        writer.step("combine", relation_tex(tex(a * x), relation, tex(b)))
    if a == 1:
        return _solution_set(x, relation, b)
    return _linear_result(writer, a, relation, b, x, "divide_flip" if a < 0 and relation != "=" else "divide")


def _linear_result(
    writer: Writer, a: sympy.Expr, relation: str, b: sympy.Expr, x: sympy.Symbol, key: str
) -> sympy.Set:
    """The last line x = b/a (x > b/a...), or the contradiction or identity left when a = 0."""
    if a == 0:
        true = holds(sympy.Integer(0), relation, b) is sympy.true
        shown = f"0 {PLAIN_RELATIONS[relation]} {plain(b)}"
        writer.step(
            "identity" if true else "contradiction", relation_tex("0", relation, tex(b)), statement=shown, x=x
        )
        return sympy.S.Reals if true else sympy.S.EmptySet
    final = FLIPPED[relation] if a < 0 else relation
    writer.step(key, relation_tex(tex(x), final, tex(b / a)), a=plain(a), x=x)
    return _solution_set(x, final, b / a)


def _solution_set(x: sympy.Symbol, relation: str, value: sympy.Expr) -> sympy.Set:
    return sympy.solveset(holds(x, relation, value), x, sympy.S.Reals)


# --- quadratics: factoring, square roots, the formula, completing the square ---

METHODS = ("factoring", "formula", "complete_square")


def standard_form(poly: sympy.Poly) -> tuple[sympy.Integer, sympy.Integer, sympy.Integer]:
    """Integer a, b, c without a common factor and a > 0: what the teacher writes after 整理."""
    coefficients = [sympy.Rational(c) for c in poly.all_coeffs()]
    lcm = reduce(sympy.ilcm, (c.q for c in coefficients), 1)
    integers = [c * lcm for c in coefficients]
    divisor = reduce(sympy.igcd, integers) * (1 if integers[0] > 0 else -1)
    a, b, c = (sympy.Integer(v / divisor) for v in integers)
    return a, b, c


def plus_minus(center: sympy.Expr, square: sympy.Expr) -> tuple[str, Root, Root]:
    """center ± √square as the teacher writes it, (p ± q√m)/d in lowest terms, with both roots."""
    radical = sympy.sqrt(square)
    if radical.is_Rational:
        head = rf"\pm {tex(radical)}" if center == 0 else rf"{tex(center)} \pm {tex(radical)}"
        return head, Root.of(center + radical), Root.of(center - radical)
    scale, surd = radical.as_coeff_Mul()
    denominator = sympy.ilcm(sympy.Rational(center).q, sympy.Rational(scale).q)
    p, q = sympy.Integer(center * denominator), sympy.Integer(scale * denominator)
    common = sympy.igcd(sympy.igcd(p, q), denominator)
    p, q, denominator = p // common, q // common, denominator // common
    root = tex(surd) if q == 1 else tex(q * surd)

    def written(sign: str) -> str:
        head = f"{tex(p)} {sign} {root}" if p != 0 else {"+": "", "-": "-"}.get(sign, sign + " ") + root
        return head if denominator == 1 else rf"\frac{{{head}}}{{{tex(denominator)}}}"

    return written(r"\pm"), Root(center + radical, written("+")), Root(center - radical, written("-"))


def discriminant_line(a: sympy.Integer, b: sympy.Integer, c: sympy.Integer) -> tuple[str, sympy.Integer]:
    """Δ = b^2 - 4ac = (arithmetic) = value, compared with 0: a line the verifier checks."""
    delta = b**2 - 4 * a * c
    arithmetic = rf"{parenthesized(b)}^{{2}} - 4 \times {parenthesized(a)} \times {parenthesized(c)}"
    sign = f" {'>' if delta > 0 else '<'} 0" if delta != 0 else ""
    return rf"\Delta = b^{{2}} - 4ac = {arithmetic} = {tex(delta)}{sign}", delta


def product_tex(factors: Sequence[sympy.Expr], bracket: bool = True) -> str:
    """(x - 1)(x + 2); three factors or a power after a bracket get a \\cdot, which the verifier's
    parser needs to read them as a product."""
    parts = [
        rf"\left({tex(f)}\right)" if f.is_Add and (bracket or len(factors) > 1) else tex(f) for f in factors
    ]
    juxtaposed = len(parts) < 3 and not (len(parts) == 2 and factors[1].is_Pow)
    return ("" if juxtaposed else r" \cdot ").join(parts)


def root_of(factor: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    return -factor.coeff(x, 0) / factor.coeff(x, 1)


class Quadratic:
    """One quadratic equation on the board, solved by the method a teacher would choose."""

    def __init__(self, writer: Writer, x: sympy.Symbol, compact: bool) -> None:
        self.writer, self.x, self.compact = writer, x, compact
        self.method = "factoring"

    def solve(self, left: Sequence[Term], right: Sequence[Term], method: str | None = None) -> list[Root]:
        x, lhs, rhs = self.x, total(left), total(right)
        a, b, c = standard_form(polynomial(self.writer.problem, lhs - rhs, x))
        shown_standard = len(right) == 0 and sympy.expand(lhs) == lhs and lhs == a * x**2 + b * x + c
        if method is None:
            square = _square_of_linear(left, right, x)
            if square is not None:
                return self._square_root(*square)
            if b == 0:
                value = sympy.Rational(-c, a)
                shown = len(left) == 1 and left[0].value == x**2 and total(right) == value
                if not shown:
                    self.writer.step("isolate_square", tex(sympy.Eq(x**2, value)), square=f"{x}²")
                return self._square_root(x, value)
        factored = _factored_zero(left, right, x) if method in (None, "factoring") else None
        if factored is None and not shown_standard:
            self.writer.step("standard", tex(sympy.Eq(a * x**2 + b * x + c, 0)))
        rational = bool(sympy.sqrt(b**2 - 4 * a * c).is_Rational)
        if method == "complete_square":
            return self._complete_square(a, b, c)
        if method == "formula" or not rational:
            if method == "factoring":
                raise unsupported(
                    self.writer.problem, "it does not factor over the rationals; use the formula"
                )
            return self._formula(a, b, c)
        return self._factoring(
            factored if factored is not None else a * x**2 + b * x + c, shown=factored is not None
        )

    def _roots(self, key: str, roots: Sequence[Root]) -> list[Root]:
        self.writer.step(key, roots_line(self.x, roots))
        return list(roots)

    def _square_root(self, inner: sympy.Expr, value: sympy.Expr) -> list[Root]:
        """inner² = value (on the board already), 直接开平方."""
        self.method = "square_root"
        x = self.x
        if value < 0:
            if self.writer.steps:
                self.writer.note("negative_square")
            else:
                self.writer.step("negative_square", tex(sympy.Eq(inner**2, value)))
            return []
        slope, shift = inner.coeff(x, 1), inner.coeff(x, 0)
        if value == 0:
            self.writer.step("zero_square", tex(sympy.Eq(inner, 0)))
            return self._roots("double_root", [Root.of(-shift / slope)] * 2)
        pm_text, plus, minus = plus_minus(sympy.Integer(0), value)
        if inner == x:
            self.writer.step("square_root_done", rf"{tex(x)} = {pm_text}")
            return [plus, minus]
        self.writer.step("square_root", rf"{tex(inner)} = {pm_text}")
        return self._roots("roots", [Root.of((r.value - shift) / slope) for r in (plus, minus)])

    def _factoring(self, expr: sympy.Expr, shown: bool) -> list[Root]:
        x = self.x
        linear = [f for f, times in sympy.factor_list(expr, x)[1] for _ in range(times) if f.has(x)]
        linear.sort(key=lambda f: float(root_of(f, x)))
        roots = [Root.of(root_of(f, x)) for f in linear]
        double = roots[0].value == roots[1].value
        if not shown:
            constant = sympy.Poly(expr, x).coeff_monomial(1)
            key = "factor_common" if constant == 0 else "factor_square" if double else "factor_cross"
            board = tex(sympy.Pow(linear[0], 2)) if double else product_tex(linear)
            self.writer.step(key, f"{board} = 0")
        if double:
            return self._roots("double_root", roots)
        if not self.compact:
            self.writer.step("zero_product", self.writer.words["or"].join(f"{tex(f)} = 0" for f in linear))
        return self._roots("roots", roots)

    def _formula(self, a: sympy.Integer, b: sympy.Integer, c: sympy.Integer) -> list[Root]:
        self.method = "formula"
        line, delta = discriminant_line(a, b, c)
        meaning = self.writer.words["two_roots" if delta > 0 else "one_root" if delta == 0 else "no_roots"]
        values = {"a": a, "b": b, "c": c, "delta": plain(delta)}
        center = sympy.Rational(-b, 2 * a)
        if delta <= 0:
            self.writer.step("discriminant", line, meaning=meaning, **values)
            return [] if delta < 0 else self._roots("double_root", [Root.of(center)] * 2)
        pm_text, plus, minus = plus_minus(center, sympy.Rational(delta, 4 * a**2))
        raw = rf"\frac{{{tex(-b)} \pm \sqrt{{{tex(delta)}}}}}{{{tex(2 * a)}}}"
        formula = rf"{tex(self.x)} = {raw}" + (f" = {pm_text}" if raw != pm_text else "")
        if self.compact:
            self.writer.step("discriminant_formula", line, formula, **values)
        else:
            self.writer.step("discriminant", line, meaning=meaning, **values)
            self.writer.step("formula", formula)
        return self._roots("roots", [plus, minus])

    def _complete_square(self, a: sympy.Integer, b: sympy.Integer, c: sympy.Integer) -> list[Root]:
        self.method = "complete_square"
        x = self.x
        p, q = sympy.Rational(b, a), sympy.Rational(-c, a)
        half = p / 2
        self.writer.step("isolate_complete", tex(sympy.Eq(x**2 + p * x, q)))
        added = f"{tex(x**2 + p * x)} + {tex(half**2)} = {tex(q)} + {tex(half**2)}"
        shown_half = plain(half) if half.is_Integer and half > 0 else f"({plain(half)})"
        self.writer.step("add_square", added, square=f"{shown_half}² = {plain(half**2)}")
        value = q + half**2
        self.writer.step("square_form", tex(sympy.Eq((x + half) ** 2, value)))
        if value < 0:
            self.writer.note("negative_square")
            return []
        if value == 0:
            self.writer.step("zero_square", tex(sympy.Eq(x + half, 0)))
            return self._roots("double_root", [Root.of(-half)] * 2)
        self.writer.step("sqrt_both", rf"{tex(x + half)} = {plus_minus(sympy.Integer(0), value)[0]}")
        _, plus, minus = plus_minus(-half, value)
        return self._roots("roots", [plus, minus])


def _square_of_linear(
    left: Sequence[Term], right: Sequence[Term], x: sympy.Symbol
) -> tuple[sympy.Expr, sympy.Expr] | None:
    """k(px + q)² = m as given: the inner expression and the value of its square."""
    if len(left) != 1 or any(t.has_unknown for t in right) or len(left[0].factors) != 1:
        return None
    (power,) = left[0].factors
    if power.is_Pow and power.exp == 2 and power.base.is_Add and sympy.Poly(power.base, x).degree() == 1:
        return power.base, total(right) / left[0].coefficient
    return None


def _factored_zero(left: Sequence[Term], right: Sequence[Term], x: sympy.Symbol) -> sympy.Expr | None:
    """The left side when the problem already is a product of linear factors = 0."""
    if right or len(left) != 1 or (len(left[0].factors) < 2 and not left[0].bracketed):
        return None
    bases = [f.base if f.is_Pow else f for f in left[0].factors]
    return left[0].value if all(sympy.Poly(f, x).degree() == 1 for f in bases) else None


def polynomial_steps(
    writer: Writer,
    left: Sequence[Term],
    right: Sequence[Term],
    x: sympy.Symbol,
    *,
    compact: bool,
    method: str | None = None,
) -> tuple[list[Root], str]:
    """Roots of a polynomial equation of degree 1 or 2 (the one on the board) and the method used."""
    degree = polynomial(writer.problem, total(left) - total(right), x).degree()
    if degree <= 1:
        values = linear_steps(writer, left, "=", right, x, compact=compact)
        if values == sympy.S.Reals:
            raise unsupported(writer.problem, "every number satisfies the equation it reduces to")
        return [Root.of(v) for v in values], "linear"
    if degree == 2:
        quadratic = Quadratic(writer, x, compact)
        return quadratic.solve(left, right, method), quadratic.method
    raise unsupported(
        writer.problem, f"it reduces to degree {degree}; the offline expert solves degree 1 and 2"
    )


@dataclass(frozen=True)
class Check:
    """How candidate roots are checked (denominators, a domain) and what is said about them."""

    passes: Callable[[sympy.Expr], bool]
    kept: str
    rejected: str
    mixed: str
    values: Mapping[str, object]


def checked_roots(writer: Writer, x: sympy.Symbol, roots: Sequence[Root], check: Check) -> list[Root]:
    """Keeps the roots that pass; the rejected ones are named (a step of their own when some remain)."""
    ordered = distinct_sorted(roots)
    kept = [r for r in ordered if check.passes(r.value)]
    rejected = [r for r in ordered if not check.passes(r.value)]
    if kept and rejected:
        line = roots_answer(x, kept, writer.words)
        writer.step(check.mixed, line, kept=listed(x, kept), rejected=listed(x, rejected), **check.values)
    elif rejected:
        writer.note(check.rejected, roots=listed(x, rejected), **check.values)
    elif kept:
        writer.note(check.kept, roots=listed(x, kept), **check.values)
    return kept


# --- the solvers ---


@solves("linear_equation")
def linear_equation(problem: Problem) -> Solution:
    x, left, relation, right = written_sides(problem)
    if relation != "=":
        raise unsupported(problem, "it is an inequality: use linear_inequality")
    if polynomial(problem, total(left) - total(right), x).degree() > 1:
        raise unsupported(problem, "it is not linear: use quadratic_equation")
    writer = Writer(problem)
    values = linear_steps(writer, left, "=", right, x)
    words = writer.words
    return writer.solution(set_answer(x, values, words), "summary_linear", set_plain(x, values, words))


@solves("quadratic_equation")
def quadratic_equation(problem: Problem) -> Solution:
    x, left, relation, right = written_sides(problem)
    method = problem.facts.get("method")
    if method is not None and method not in METHODS:
        raise unsupported(problem, f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if relation != "=" or polynomial(problem, total(left) - total(right), x).degree() != 2:
        raise unsupported(problem, "it is not a quadratic equation (a polynomial equation of degree 2)")
    writer = Writer(problem)
    roots, used = polynomial_steps(writer, left, right, x, compact=False, method=method)
    words = writer.words
    answer = roots_answer(x, roots, words, "no_real")
    return writer.solution(answer, f"summary_{used}", roots_plain(x, roots, words, "no_real"))


@solves("rational_equation")
def rational_equation(problem: Problem) -> Solution:
    x, left, relation, right = written_sides(problem)
    if relation != "=":
        raise unsupported(problem, "it is an inequality: use rational_inequality")
    sides = [[t.value for t in side] for side in (left, right)]
    denominators = [sympy.fraction(sympy.together(t))[1] for side in sides for t in side]
    lcd = sympy.factor(reduce(sympy.lcm, denominators, sympy.Integer(1)))
    if not lcd.has(x) or not all(d.is_polynomial(x) for d in denominators):
        raise unsupported(problem, "no denominator is a polynomial in the unknown: not a rational equation")
    excluded = sorted(sympy.solveset(lcd, x, sympy.S.Reals), key=float)
    if len(excluded) > 3:
        raise unsupported(problem, "more than three excluded values are not written out by hand")
    writer = Writer(problem)
    words = writer.words
    multiplied = [[_times_lcd(t, lcd, x) for t in side] for side in sides]
    writer.step(
        "clear_fraction",
        *(rf"{tex(x)} \ne {tex(v)}" for v in excluded),
        terms_tex(multiplied[0], "=", multiplied[1]),
        excluded=words["and_plain"].join(f"{x} ≠ {plain(v)}" for v in excluded),
        lcd=plain(lcd),
    )
    roots, _ = polynomial_steps(writer, multiplied[0], multiplied[1], x, compact=False)
    check = Check(lambda r: lcd.subs(x, r) != 0, "lcd_kept", "lcd_rejected", "lcd_mixed", {"lcd": plain(lcd)})
    kept = checked_roots(writer, x, roots, check)
    return writer.solution(roots_answer(x, kept, words), "summary_rational", roots_plain(x, kept, words))


def _times_lcd(term: sympy.Expr, lcd: sympy.Expr, x: sympy.Symbol) -> Term:
    """term × lcd with its denominator cancelled and the rest left unexpanded: 2(x - 1)."""
    numerator, denominator = sympy.fraction(sympy.together(term))
    return Term.of(sympy.Mul(numerator, sympy.factor(sympy.cancel(lcd / denominator))), x)


# --- absolute values ---


@solves("absolute_value_equation")
def absolute_value_equation(problem: Problem) -> Solution:
    x, equation = read_equation(problem)
    expr = equation.lhs - equation.rhs
    absolutes = sorted(expr.atoms(sympy.Abs), key=sympy.default_sort_key)
    if not absolutes:
        raise unsupported(problem, "there is no absolute value in it")
    for inner in (a.args[0] for a in absolutes):
        if not inner.is_polynomial(x) or sympy.Poly(inner, x).degree() != 1:
            raise unsupported(problem, f"|{tex(inner)}| is not the absolute value of a linear expression")
    writer = Writer(problem)
    lone = _isolated_absolute(expr, x)
    if lone is not None:
        values = _absolute_equals_number(writer, x, equation, *lone)
    else:
        values = _absolute_by_pieces(writer, x, equation, absolutes)
    words = writer.words
    return writer.solution(set_answer(x, values, words), "summary_abs", set_plain(x, values, words))


def _isolated_absolute(expr: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Abs, sympy.Expr] | None:
    """k|f| + m = 0 with one absolute value and numbers otherwise: |f| and the number it equals."""
    absolutes = expr.atoms(sympy.Abs)
    if len(absolutes) != 1:
        return None
    (absolute,) = absolutes
    k = sympy.expand(expr).coeff(absolute)
    rest = sympy.expand(expr - k * absolute)
    if rest.has(x) or k == 0 or k.has(x):
        return None
    return absolute, -rest / k


def _absolute_equals_number(
    writer: Writer, x: sympy.Symbol, equation: sympy.Eq, absolute: sympy.Abs, value: sympy.Expr
) -> sympy.Set:
    inner = absolute.args[0]
    isolated = rf"\left|{tex(inner)}\right| = {tex(value)}"
    if not (equation.lhs == absolute and equation.rhs == value):
        writer.step("isolate_abs", isolated)
    if value < 0:
        if writer.steps:
            writer.note("abs_negative", c=plain(value))
        else:
            writer.step("abs_negative", isolated, c=plain(value))
        return sympy.S.EmptySet
    if value == 0:
        writer.step("abs_zero", tex(sympy.Eq(inner, 0)))
        if inner == x:
            return sympy.FiniteSet(0)
    else:
        split = writer.words["or"].join(tex(sympy.Eq(inner, v)) for v in (value, -value))
        writer.step("abs_split", split, c=plain(value))
    roots = sympy.FiniteSet(*(sympy.solve(sympy.Eq(inner, v), x)[0] for v in {value, -value}))
    writer.step("abs_roots", set_statement(x, roots, writer.words), x=x)
    return roots


def _inside(piece: sympy.Interval) -> sympy.Expr:
    if piece.start == -sympy.oo:
        return piece.end - 1
    if piece.end == sympy.oo:
        return piece.start + 1
    return (piece.start + piece.end) / 2


def alternative_lines(lines: Sequence[str], words: Mapping[str, str]) -> list[str]:
    """One case a line; every line after the first opens with 或, which the verifier reads as a union."""
    return [line if i == 0 else words["or_line"] + line for i, line in enumerate(lines)]


def _absolute_by_pieces(
    writer: Writer, x: sympy.Symbol, equation: sympy.Eq, absolutes: Sequence[sympy.Abs]
) -> sympy.Set:
    """Zero points split the line; on each piece every absolute value opens with a known sign."""
    words = writer.words
    points = sorted({root_of(a.args[0], x) for a in absolutes}, key=float)
    if len(points) > 3:
        raise unsupported(writer.problem, "more than three zero points are not split by hand")
    ends = [-sympy.oo, *points, sympy.oo]
    pieces = [sympy.Interval(low, high, low == -sympy.oo, True) for low, high in pairwise(ends)]
    opened_lines, solved_lines, notes, solutions = [], [], [], []
    for piece in pieces:
        probe = _inside(piece)
        signs = {a: a.args[0] * sympy.sign(a.args[0].subs(x, probe)) for a in absolutes}
        left, right = (sympy.expand(side.subs(signs)) for side in (equation.lhs, equation.rhs))
        opened = polynomial(writer.problem, left - right, x)
        if opened.degree() > 1:
            raise unsupported(writer.problem, "on some piece the equation is not linear")
        condition = interval_statement(x, piece)
        a, b = opened.coeff_monomial(x), -opened.coeff_monomial(1)
        opened_lines.append(f"{condition}{words['and']}{tex(sympy.Eq(left, right, evaluate=False))}")
        piece_text = plain_statement(x, piece, words)
        if a == 0 and b == 0:
            solved_lines.append(condition)
            solutions.append(piece)
            notes.append(writer.say("piece_all", piece=piece_text))
        elif a == 0:
            notes.append(writer.say("piece_false", piece=piece_text, statement=f"0 = {plain(b)}"))
        else:
            solved_lines.append(f"{condition}{words['and']}{tex(x)} = {tex(b / a)}")
            if piece.contains(b / a) is sympy.true:
                solutions.append(sympy.FiniteSet(b / a))
            else:
                notes.append(writer.say("piece_rejected", x=x, root=plain(b / a), piece=piece_text))
    points_text = ", ".join(f"{x} = {plain(p)}" for p in points)
    writer.step("zero_points", *alternative_lines(opened_lines, words), points=points_text, n=len(pieces))
    values = sympy.Union(*solutions) if solutions else sympy.S.EmptySet
    if solved_lines:
        writer.step("solve_pieces", *alternative_lines(solved_lines, words), notes=writer.sentences(notes))
    else:
        writer.note("solve_pieces", notes=writer.sentences(notes))
    if len(solved_lines) > 1 or (notes and solved_lines):
        writer.step("union", set_statement(x, values, words))
    return values


# --- exponential equations ---


def perfect_root(q: sympy.Expr) -> tuple[sympy.Expr, sympy.Rational]:
    """q = r^k with r > 1 as small as possible: 8 = 2^3, 1/9 = 3^-2, e = e^1."""
    if q == sympy.E:
        return sympy.E, sympy.Integer(1)
    q = sympy.Rational(q)
    exponents = {p: e for p, e in sympy.factorint(q.p).items()}
    exponents |= {p: -e for p, e in sympy.factorint(q.q).items()}
    if not exponents:
        return sympy.Integer(1), sympy.Integer(0)
    k = reduce(sympy.igcd, (abs(e) for e in exponents.values()))
    r = sympy.Mul(*(sympy.Rational(p) ** (e // k) for p, e in exponents.items()))
    return (1 / r, -k) if r < 1 else (r, k)


def power_of(value: sympy.Expr, base: sympy.Expr) -> sympy.Rational | None:
    """n with base^n = value (rational n), or None."""
    if value == 1:
        return sympy.Integer(0)
    if not ((value.is_Rational and value > 0) or value == sympy.E):
        return None
    if not (base.is_Rational or base == sympy.E):
        return None
    (r1, k1), (r2, k2) = perfect_root(value), perfect_root(base)
    return sympy.Rational(k1, k2) if r1 == r2 else None


def power_tex(base: sympy.Expr, exponent: sympy.Expr) -> str:
    if base == sympy.E:
        return tex(sympy.exp(exponent, evaluate=False)) if exponent != 1 else "e"
    return tex(sympy.Pow(base, exponent, evaluate=False))


def log_tex(base: sympy.Expr, argument: str, simple: bool) -> str:
    name = r"\lg" if base == 10 else r"\ln" if base == sympy.E else rf"\log_{{{tex(base)}}}"
    return f"{name} {argument}" if simple else rf"{name}\left({argument}\right)"


def log_name(base: sympy.Expr) -> str:
    return "lg" if base == 10 else "ln" if base == sympy.E else f"log_{plain(base)}"


def _powers(expr: sympy.Expr, x: sympy.Symbol) -> list[tuple[sympy.Basic, sympy.Expr, sympy.Expr]]:
    """Every a^u with u depending on x: (the atom, a, u)."""
    found = []
    for atom in expr.atoms(sympy.Pow, sympy.exp):
        base, exponent = (sympy.E, atom.args[0]) if isinstance(atom, sympy.exp) else atom.as_base_exp()
        if exponent.has(x):
            if base.has(x) or not ((base.is_Rational and base > 0 and base != 1) or base == sympy.E):
                raise ValueError(f"{tex(atom)} is not a power of a positive number")
            found.append((atom, base, exponent))
    return found


def _one_power(side: sympy.Expr, x: sympy.Symbol) -> tuple[sympy.Expr, sympy.Expr, sympy.Expr] | None:
    """c·a^u as (c, a, u); a number as (c, 1, 0); None for anything else."""
    if not side.has(x):
        return side, sympy.Integer(1), sympy.Integer(0)
    coefficient, power = side.as_coeff_Mul()
    parts = _powers(power, x)
    if len(parts) != 1 or parts[0][0] != power:
        return None
    return coefficient, parts[0][1], parts[0][2]


@solves("exponential_equation")
def exponential_equation(problem: Problem) -> Solution:
    x, equation = read_equation(problem)
    writer = Writer(problem)
    try:
        powers = _powers(equation.lhs - equation.rhs, x)
    except ValueError as error:
        raise unsupported(problem, str(error)) from None
    if not powers:
        raise unsupported(problem, "the unknown is not in an exponent")
    left, right = (_one_power(side, x) for side in (equation.lhs, equation.rhs))
    if left is not None and right is not None:
        values = _power_equals_power(writer, x, *((left, right) if left[2].has(x) else (right, left)))
        summary = "summary_exponential"
    else:
        values = _power_substitution(writer, x, equation.lhs - equation.rhs, powers)
        summary = "summary_exponential_substitution"
    words = writer.words
    return writer.solution(roots_answer(x, values, words), summary, roots_plain(x, values, words))


def _common_base(bases: Sequence[sympy.Expr], numbers: Sequence[sympy.Expr]) -> sympy.Expr | None:
    """The base a teacher rewrites all in: a given base if all are its integer powers, else their root."""
    roots = {perfect_root(b)[0] for b in bases}
    if len(roots) != 1:
        return None
    for candidate in (*bases, *roots):
        powers = [power_of(v, candidate) for v in (*bases, *numbers)]
        if all(p is not None and p.is_Integer for p in powers):
            return candidate
    return roots.pop()


def _power_equals_power(
    writer: Writer,
    x: sympy.Symbol,
    left: tuple[sympy.Expr, sympy.Expr, sympy.Expr],
    right: tuple[sympy.Expr, sympy.Expr, sympy.Expr],
) -> list[Root]:
    """c·a^u = d·b^v: the same base and equal exponents, or a logarithm when the number is no power."""
    (c, a, u), (d, b, v) = left, right
    if c != 1:
        writer.step(
            "divide_coefficient", relation_tex(power_tex(a, u), "=", _power_side(d / c, b, v)), c=plain(c)
        )
    ratio = d / c
    if not v.has(x) and ratio <= 0:
        if writer.steps:
            writer.note("power_positive", c=plain(ratio))
        else:
            writer.step("power_positive", relation_tex(power_tex(a, u), "=", tex(ratio)), c=plain(ratio))
        return []
    bases = [a] if not v.has(x) else [a, b]
    base = _common_base(bases, [ratio])
    if base is None:
        raise unsupported(
            writer.problem, "the bases are not powers of one number (different bases are not solved offline)"
        )
    shift = power_of(ratio, base)
    if shift is None:
        if v.has(x):
            raise unsupported(writer.problem, "the number in front is not a power of the base")
        return _logarithm_of_number(writer, x, a, u, ratio)
    left_exponent = sympy.expand(u * power_of(a, base))
    right_exponent = sympy.expand((v * power_of(b, base) if v.has(x) else 0) + shift)
    if not (base == a == b and ratio == 1):  # a^u = a^v is on the board already
        board = relation_tex(power_tex(base, left_exponent), "=", power_tex(base, right_exponent))
        writer.step("same_base", board, base=plain(base))
    writer.step("equal_exponents", tex(sympy.Eq(left_exponent, right_exponent)), base=plain(base))
    roots, _ = polynomial_steps(
        writer, terms_of(left_exponent, x), terms_of(right_exponent, x), x, compact=True
    )
    return roots


def _power_side(coefficient: sympy.Expr, base: sympy.Expr, exponent: sympy.Expr) -> str:
    if exponent == 0:
        return tex(coefficient)
    power = power_tex(base, exponent)
    return power if coefficient == 1 else rf"{tex(coefficient)} \cdot {power}"


def _logarithm_of_number(
    writer: Writer, x: sympy.Symbol, a: sympy.Expr, u: sympy.Expr, value: sympy.Expr
) -> list[Root]:
    """a^u = value with value no power of a: u = log_a(value), then x."""
    if not u.is_polynomial(x) or sympy.Poly(u, x).degree() != 1:
        raise unsupported(writer.problem, "only a linear exponent is solved with a logarithm")
    logarithm = sympy.Symbol(log_tex(a, tex(value), simple=value.is_Integer))
    writer.step("log_definition", relation_tex(tex(u), "=", tex(logarithm)))
    slope, shift = u.coeff(x, 1), u.coeff(x, 0)
    solved = (logarithm - shift) / slope
    written = f"{tex(-shift)} + {tex(logarithm)}" if slope == 1 and shift < 0 else tex(solved)
    if u != x:
        writer.step("powers_to_x", relation_tex(tex(x), "=", written), x=x)
    return [Root(solved.subs(logarithm, sympy.log(value) / sympy.log(a)), written)]


def _power_substitution(
    writer: Writer,
    x: sympy.Symbol,
    expr: sympy.Expr,
    powers: Sequence[tuple[sympy.Basic, sympy.Expr, sympy.Expr]],
) -> list[Root]:
    """Several powers of one base: t = a^x turns the equation into a polynomial in t (t > 0)."""
    problem = writer.problem
    base = _common_base([b for _, b, _ in powers], [])
    if base is None:
        raise unsupported(problem, "the bases are not powers of one number")
    t = sympy.Dummy("t", positive=True)
    expanded = sympy.expand(
        sympy.powsimp(sympy.expand(expr, power_base=False), combine="exp"), power_base=False
    )
    replaced = expanded
    for atom, atom_base, exponent in _powers(expanded, x):
        degree = sympy.expand(exponent * power_of(atom_base, base) / x)
        if not degree.is_Integer or degree not in (1, 2):
            raise unsupported(problem, f"{tex(atom)} is not t or t² for t = {power_tex(base, x)}")
        replaced = replaced.subs(atom, t**degree)
    if replaced.has(x):
        raise unsupported(problem, "the unknown also appears outside the exponents")
    poly = sympy.Poly(replaced, t)
    power = power_tex(base, x)

    def shown(polynomial_in_t: sympy.Expr) -> str:
        return _in_power(polynomial_in_t, t, power)

    if poly.degree() == 1:
        slope, shift = poly.coeff_monomial(t), -poly.coeff_monomial(1)
        writer.step(
            "substitute",
            relation_tex(shown(slope * t), "=", tex(shift)),
            power=plain_power(base),
            tpoly=plain(poly.as_expr().subs(t, sympy.Symbol("t"))),
        )
        values = [shift / slope]
        writer.step(
            "t_divide", relation_tex(power, "=", tex(values[0])), c=plain(slope), power=plain_power(base)
        )
    elif poly.degree() == 2:
        writer.step(
            "substitute",
            f"{shown(poly.as_expr())} = 0",
            power=plain_power(base),
            tpoly=plain(poly.as_expr().subs(t, sympy.Symbol("t"))),
        )
        factors = [
            f for f, times in sympy.factor_list(poly.as_expr(), t)[1] for _ in range(times) if f.has(t)
        ]
        if any(sympy.Poly(f, t).degree() != 1 for f in factors):
            raise unsupported(problem, "the equation in t does not factor over the rationals")
        factors.sort(key=lambda f: float(root_of(f, t)))
        values = sorted({root_of(f, t) for f in factors}, key=float)
        double = len(factors) == 2 and factors[0] == factors[1]
        board = (
            rf"\left({shown(factors[0])}\right)^{{2}}"
            if double
            else "".join(rf"\left({shown(f)}\right)" for f in factors)
        )
        writer.step("t_factor", f"{board} = 0", power=plain_power(base))
        negative = [v for v in values if v <= 0]
        notes = [writer.say("t_rejected", power=plain_power(base), value=plain(v)) for v in negative]
        equations = writer.words["or"].join(relation_tex(power, "=", tex(v)) for v in values)
        writer.step(
            "t_values",
            equations,
            power=plain_power(base),
            values=", ".join(plain(v) for v in values),
            notes=writer.sentences(notes),
        )
    else:
        raise unsupported(problem, "the equation in t is not linear or quadratic")
    positive = [v for v in values if v > 0]
    if not positive:
        if poly.degree() == 1:
            writer.note("power_positive", c=plain(values[0]))
        return []
    roots = [_exponent_root(base, v) for v in positive]
    writer.step("powers_to_x", roots_answer(x, roots, writer.words), x=x)
    return roots


def plain_power(base: sympy.Expr) -> str:
    return f"{'e' if base == sympy.E else plain(base)}^x"


def _in_power(expr: sympy.Expr, t: sympy.Dummy, power: str) -> str:
    """A polynomial in t written with t = a^x: 2 (2^{x})^{2} - 5 \\cdot 2^{x} + 2."""
    poly = sympy.Poly(expr, t)
    parts = []
    for (degree,), coefficient in sorted(poly.terms(), reverse=True):
        body = {0: "", 1: power, 2: rf"\left({power}\right)^{{2}}"}[degree]
        size = abs(coefficient)
        magnitude = tex(size) if not body else body if size == 1 else rf"{tex(size)} \cdot {body}"
        sign = "-" if coefficient < 0 else "+"
        parts.append((sign, magnitude))
    head = ("-" if parts[0][0] == "-" else "") + parts[0][1]
    return " ".join([head, *(f"{s} {m}" for s, m in parts[1:])])


def _exponent_root(base: sympy.Expr, value: sympy.Expr) -> Root:
    exponent = power_of(value, base)
    if exponent is not None:
        return Root.of(exponent)
    return Root(sympy.log(value) / sympy.log(base), log_tex(base, tex(value), simple=value.is_Integer))


# --- logarithmic equations ---


@dataclass(frozen=True)
class Logarithms:
    """Σ k_i·log_a(f_i) + (rest) = 0 read off an equation: the base, each argument's k, the rest."""

    base: sympy.Expr
    weights: dict[sympy.Expr, sympy.Expr]
    rest: sympy.Expr
    square: sympy.Poly | None


def _logarithms(problem: Problem, expr: sympy.Expr, x: sympy.Symbol) -> Logarithms:
    atoms = sorted((a for a in expr.atoms(sympy.log) if a.has(x)), key=sympy.default_sort_key)
    if not atoms:
        raise unsupported(problem, "there is no logarithm of the unknown in it")
    names = [sympy.Dummy(f"L{i}") for i in range(len(atoms))]
    replaced = sympy.expand(expr.xreplace(dict(zip(atoms, names, strict=True))), log=False)
    if replaced.has(x):
        raise unsupported(problem, "the unknown also appears outside the logarithms")
    bases = set()
    for name in names:
        coefficient = replaced.coeff(name, 1)
        numeric = coefficient.atoms(sympy.log)
        bases.add(numeric.pop().args[0] if len(numeric) == 1 else sympy.E if not numeric else None)
    if len(bases) != 1 or None in bases:
        raise unsupported(
            problem, "the logarithms have different bases (change of base is not solved offline)"
        )
    (base,) = bases
    scale = sympy.log(base)
    in_base = sympy.expand(replaced.xreplace({n: n * scale for n in names}), log=False)
    poly = sympy.Poly(in_base, *names)
    if poly.total_degree() == 2 and len(names) == 1:
        return Logarithms(
            base, {atoms[0].args[0]: sympy.Integer(1)}, sympy.Integer(0), sympy.Poly(in_base, names[0])
        )
    if poly.total_degree() != 1:
        raise unsupported(problem, "it is not linear or quadratic in the logarithms")
    weights = {a.args[0]: sympy.nsimplify(in_base.coeff(n, 1)) for a, n in zip(atoms, names, strict=True)}
    if not all(w.is_Integer for w in weights.values()):
        raise unsupported(problem, "a logarithm has a non-integer coefficient (or different bases)")
    rest = in_base.xreplace(dict.fromkeys(names, sympy.Integer(0)))
    return Logarithms(base, weights, rest, None)


@solves("logarithmic_equation")
def logarithmic_equation(problem: Problem) -> Solution:
    x, equation = read_equation(problem)
    found = _logarithms(problem, equation.lhs - equation.rhs, x)
    writer = Writer(problem)
    words = writer.words
    arguments = list(found.weights)
    domain = sympy.Intersection(*(sympy.solveset(f > 0, x, sympy.S.Reals) for f in arguments))
    conditions = words["and_plain"].join(f"{plain(f)} > 0" for f in arguments)
    if domain.is_empty:
        writer.step("log_empty", words["none"], conditions=conditions, x=x)
        return writer.solution(words["none"], "summary_logarithmic", words["none_plain"])
    domain_line = set_statement(x, domain, words)
    shown_domain = plain_statement(x, domain, words)
    key = "log_domain_same" if conditions == shown_domain else "log_domain"
    domain_note = writer.say(key, conditions=conditions, domain=shown_domain)
    if found.square is not None:
        roots = _log_substitution(writer, x, found, arguments[0], domain_line, domain_note)
    else:
        roots = _log_combination(writer, x, equation, found, domain_line, domain_note)
    check = Check(
        lambda r: domain.contains(r) is sympy.true,
        "domain_kept",
        "domain_rejected",
        "domain_mixed",
        {"domain": plain_statement(x, domain, words)},
    )
    kept = checked_roots(writer, x, roots, check)
    return writer.solution(roots_answer(x, kept, words), "summary_logarithmic", roots_plain(x, kept, words))


def _written_simply(equation: sympy.Eq, found: Logarithms, x: sympy.Symbol) -> bool:
    """log_a(f) = c or log_a(f) = log_a(g) as given: nothing to combine."""
    sides = [side for side in (equation.lhs, equation.rhs) if side.has(x)]
    single = all(not side.is_Add for side in sides) and (len(sides) == 1 or found.rest == 0)
    return single and all(abs(k) == 1 for k in found.weights.values())


def _log_of(base: sympy.Expr, term: Term) -> str:
    simple = (
        term.coefficient == 1 and len(term.factors) == 1 and term.factors[0].is_Symbol
    ) or not term.factors
    return log_tex(base, term.magnitude_tex(negative=False), simple)


def _log_combination(
    writer: Writer, x: sympy.Symbol, equation: sympy.Eq, found: Logarithms, domain_line: str, domain_note: str
) -> list[Root]:
    """log_a(A) - log_a(B) = C, so A = a^C·B: the arguments multiplied by the log laws."""
    a, exponent = found.base, -found.rest
    power = sympy.simplify(a**exponent)
    if not power.is_Rational:
        raise unsupported(writer.problem, f"{tex(a)} to the power {tex(exponent)} is not a rational number")
    left = Term.of(sympy.Mul(*(f**k for f, k in found.weights.items() if k > 0)), x)
    shrunk = sympy.Mul(*(f ** (-k) for f, k in found.weights.items() if k < 0))
    right = Term.of(power * shrunk, x)
    left_tex = left.magnitude_tex(negative=False)
    if shrunk == 1 and exponent.is_Rational:
        combined = relation_tex(_log_of(a, left), "=", tex(exponent))
        key, board = (
            "log_to_power",
            relation_tex(left_tex, "=", tex(a) if exponent == 1 else power_tex(a, exponent)),
        )
    else:
        combined = relation_tex(_log_of(a, left), "=", _log_of(a, right))
        key, board = "log_equal_args", relation_tex(left_tex, "=", right.magnitude_tex(negative=False))
    note = domain_note + writer.words["sentence_gap"]
    if _written_simply(equation, found, x):
        writer.step(key, domain_line, board, domain=note)
    else:
        writer.step("log_combine", domain_line, combined, domain=note)
        writer.step(key, board, domain="")
    roots, _ = polynomial_steps(writer, [left], [right], x, compact=True)
    return roots


def _log_substitution(
    writer: Writer,
    x: sympy.Symbol,
    found: Logarithms,
    argument: sympy.Expr,
    domain_line: str,
    domain_note: str,
) -> list[Root]:
    """A quadratic in t = log_a(f): factor, then f = a^t for each root t."""
    assert found.square is not None
    a = found.base
    t = found.square.gens[0]
    if not argument.is_polynomial(x) or sympy.Poly(argument, x).degree() != 1:
        raise unsupported(writer.problem, "only the logarithm of a linear expression is substituted")
    factors = [
        f for f, times in sympy.factor_list(found.square.as_expr(), t)[1] for _ in range(times) if f.has(t)
    ]
    if any(sympy.Poly(f, t).degree() != 1 for f in factors):
        raise unsupported(writer.problem, "the equation in t does not factor over the rationals")
    factors.sort(key=lambda f: float(root_of(f, t)))
    logarithm = sympy.Symbol(log_tex(a, tex(argument), argument.is_Symbol))
    board = "".join(rf"\left({tex(f.subs(t, logarithm))}\right)" for f in factors)
    tpoly = plain(found.square.as_expr().subs(t, sympy.Symbol("t")))
    name = f"{log_name(a)} {plain(argument)}" if argument.is_Symbol else f"{log_name(a)}({plain(argument)})"
    note = domain_note + writer.words["sentence_gap"]
    writer.step("log_substitute", domain_line, f"{board} = 0", domain=note, log=name, tpoly=tpoly)
    values = sorted({root_of(f, t) for f in factors}, key=float)
    roots = [Root.of(sympy.solve(argument - a**v, x)[0]) for v in values]
    cases = writer.words["or_plain"].join(f"{name} = {plain(v)}" for v in values)
    writer.step("log_values", roots_answer(x, roots, writer.words), cases=cases, x=x)
    return roots


# --- systems of linear equations ---


@dataclass(frozen=True)
class Row:
    """a·x + b·y (+ c·z) = d, with the label the teacher gives it (①, ②, ...)."""

    coefficients: tuple[sympy.Rational, ...]
    constant: sympy.Rational
    label: str

    def tex(self, unknowns: Sequence[sympy.Symbol]) -> str:
        left = sympy.Add(*(c * u for c, u in zip(self.coefficients, unknowns, strict=True)))
        return relation_tex(tex(left), "=", tex(self.constant))

    def combined(self, factor: sympy.Rational, other: Row, other_factor: sympy.Rational, label: str) -> Row:
        coefficients = tuple(
            factor * a + other_factor * b for a, b in zip(self.coefficients, other.coefficients, strict=True)
        )
        return Row(coefficients, factor * self.constant + other_factor * other.constant, label)


@solves("linear_system")
def linear_system(problem: Problem) -> Solution:
    rows_text = split_conditions(problem.given) if problem.given.strip() else []
    equations = [read(problem, parse_equation, row) for row in rows_text]
    found = set().union(*(e.free_symbols for e in equations)) if equations else set()
    unknowns = [sympy.Symbol(u) for u in problem.unknowns] or sorted(found, key=str)
    if not 2 <= len(unknowns) <= 3 or len(equations) != len(unknowns):
        raise unsupported(problem, "the offline expert solves 2 equations in 2 unknowns or 3 in 3")
    for equation in equations:
        only_unknowns(problem, equation, unknowns)
    writer = Writer(problem)
    labels = writer.words["labels"].split() if " " in writer.words["labels"] else list(writer.words["labels"])
    rows = []
    for equation, label in zip(equations, labels, strict=False):
        poly = sympy.Poly(equation.lhs - equation.rhs, *unknowns)
        if poly.total_degree() > 1:
            raise unsupported(problem, f"{tex(equation)} is not linear")
        rows.append(Row(tuple(poly.coeff_monomial(u) for u in unknowns), -poly.coeff_monomial(1), label))
    matrix = sympy.Matrix([r.coefficients for r in rows])
    if matrix.det() == 0:
        raise unsupported(problem, "the system has no unique solution (infinitely many or none)")
    solution = dict(zip(unknowns, matrix.solve(sympy.Matrix([r.constant for r in rows])), strict=True))
    system = _System(writer, unknowns, solution, labels)
    lone = _solved_for(equations, unknowns)
    if lone is not None and len(unknowns) == 2:
        system.substitution(rows, *lone)
    else:
        if any(
            e.rhs.free_symbols or (e.lhs - e.rhs).as_independent(*unknowns)[0] != -e.rhs for e in equations
        ):
            writer.step("arrange", *(r.tex(unknowns) for r in rows))
        system.elimination(rows)
    answer = ", ".join(f"{tex(u)} = {tex(solution[u])}" for u in unknowns)
    plain_answer = ", ".join(f"{u} = {plain(solution[u])}" for u in unknowns)
    return writer.solution(answer, "summary_system", plain_answer)


def _solved_for(
    equations: Sequence[sympy.Eq], unknowns: Sequence[sympy.Symbol]
) -> tuple[int, sympy.Symbol] | None:
    """An equation written as y = (something without y): the teacher substitutes it."""
    for i, equation in enumerate(equations):
        for lone, other in ((equation.lhs, equation.rhs), (equation.rhs, equation.lhs)):
            if lone in unknowns and not other.has(lone) and other.free_symbols:
                return i, lone
    return None


class _System:
    """Elimination and back substitution on a 2×2 or 3×3 system, a step per move; new equations get
    the next labels (④, ⑤...)."""

    def __init__(
        self,
        writer: Writer,
        unknowns: Sequence[sympy.Symbol],
        solution: Mapping[sympy.Symbol, sympy.Expr],
        labels: Sequence[str],
    ) -> None:
        self.writer, self.unknowns, self.solution = writer, list(unknowns), solution
        self.fresh = iter(labels[len(unknowns) :])

    def _value(self, u: sympy.Symbol) -> str:
        return f"{tex(u)} = {tex(self.solution[u])}"

    def _plain_value(self, u: sympy.Symbol) -> str:
        return f"{u} = {plain(self.solution[u])}"

    def _board(self, rows: Sequence[Row], *known: sympy.Symbol) -> list[str]:
        return [r.tex(self.unknowns) for r in rows] + [self._value(u) for u in self.unknowns if u in known]

    def _eliminate(self, first: Row, second: Row) -> tuple[Row, int, str]:
        """The combination of two rows that cancels the unknown cheapest to cancel, and how it was made."""
        pairs = list(zip(first.coefficients, second.coefficients, strict=True))
        choices = [i for i, (a, b) in enumerate(pairs) if a != 0 and b != 0]
        if not choices:
            raise unsupported(self.writer.problem, "no unknown to eliminate between two equations")

        def multipliers(i: int) -> tuple[sympy.Integer, sympy.Integer]:
            """f, g > 0 with f·|a| = g·|b|, as small as possible."""
            ratio = abs(pairs[i][1] / pairs[i][0])
            return sympy.Integer(ratio.p), sympy.Integer(ratio.q)

        i = min(choices, key=lambda i: (sum(multipliers(i)), -i))
        factor, times = multipliers(i)
        other = -sympy.sign(pairs[i][0] * pairs[i][1]) * times
        row = first.combined(factor, second, other, next(self.fresh))
        if next(c for c in row.coefficients if c != 0) < 0:
            row = Row(tuple(-c for c in row.coefficients), -row.constant, row.label)
        scaled = [
            label if k == 1 else f"{label} × {k}"
            for label, k in ((first.label, factor), (second.label, abs(other)))
        ]
        return row, i, f"{scaled[0]} {'+' if other > 0 else '-'} {scaled[1]}"

    def elimination(self, rows: Sequence[Row]) -> None:
        unknowns, writer = self.unknowns, self.writer
        kept, pair = [], list(rows)
        if len(rows) == 3:
            pivot, index, others = self._pivot(rows)
            pair, hows = [], []
            for row in others:
                if row.coefficients[index] == 0:
                    pair.append(row)
                    continue
                new, _, how = self._eliminate(pivot, row)
                pair.append(new)
                hows.append(how)
            kept = [pivot]
            writer.step(
                "eliminate",
                *self._board([pivot, *pair]),
                how=writer.words["list_separator"].join(hows),
                v=unknowns[index],
            )
        single, gone, how = self._eliminate(pair[0], pair[1])
        u = unknowns[next(i for i, c in enumerate(single.coefficients) if c != 0)]
        writer.step("eliminate", *self._board([*kept, pair[0], single]), how=how, v=unknowns[gone])
        if single.coefficients[unknowns.index(u)] != 1:
            writer.step("solve_one", *self._board([*kept, pair[0]], u), value=self._plain_value(u))
        w = unknowns[next(i for i, c in enumerate(pair[0].coefficients) if c != 0 and unknowns[i] != u)]
        writer.step(
            "back_substitute",
            *self._board(kept, u, w),
            known=self._plain_value(u),
            row=pair[0].label,
            value=self._plain_value(w),
        )
        if kept:
            last = next(v for v in unknowns if v not in (u, w))
            knowns = ", ".join(self._plain_value(v) for v in (u, w))
            writer.step(
                "back_substitute",
                *self._board([], *unknowns),
                known=knowns,
                row=kept[0].label,
                value=self._plain_value(last),
            )

    @staticmethod
    def _pivot(rows: Sequence[Row]) -> tuple[Row, int, list[Row]]:
        """The row and unknown to eliminate first: the unknown most rows lack, then a coefficient ±1."""

        def score(choice: tuple[int, int]) -> tuple[int, int, int]:
            r, i = choice
            missing = sum(1 for row in rows if row.coefficients[i] == 0)
            return (-missing, 0 if abs(rows[r].coefficients[i]) == 1 else 1, -i)

        choices = [(r, i) for r, row in enumerate(rows) for i, c in enumerate(row.coefficients) if c != 0]
        r, i = min(choices, key=score)
        return rows[r], i, [row for k, row in enumerate(rows) if k != r]

    def substitution(self, rows: Sequence[Row], index: int, lone: sympy.Symbol) -> None:
        """y = (expression in x) substituted into the other equation (代入消元)."""
        unknowns = self.unknowns
        solved, other = rows[index], rows[1 - index]
        position = unknowns.index(lone)
        rest_of = [c * u for c, u in zip(solved.coefficients, unknowns, strict=True) if u != lone]
        expression = (solved.constant - sympy.Add(*rest_of)) / solved.coefficients[position]
        solved_tex = relation_tex(tex(lone), "=", tex(expression))
        coefficient = other.coefficients[position]
        rest = sympy.Add(*(c * u for c, u in zip(other.coefficients, unknowns, strict=True) if u != lone))
        scale = "" if abs(coefficient) == 1 else tex(abs(coefficient))
        sign = "-" if coefficient < 0 else "+"
        substituted = rf"{tex(rest)} {sign} {scale}\left({tex(expression)}\right) = {tex(other.constant)}"
        self.writer.step(
            "substitute_row", solved_tex, substituted, row=solved.label, other=other.label, v=lone
        )
        u = next(v for v in unknowns if v != lone)
        self.writer.step("solve_one", solved_tex, self._value(u), value=self._plain_value(u))
        self.writer.step(
            "back_substitute",
            *self._board([], *unknowns),
            known=self._plain_value(u),
            row=solved.label,
            value=self._plain_value(lone),
        )
