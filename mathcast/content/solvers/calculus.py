"""Derivatives, monotonic intervals and extrema of f(x) = `given` (the right-hand side only; the
variable is `unknowns[0]`, x by default).

A derivative names its rule at every step (sum, product, quotient, chain, on top of the table of
basic derivatives). Monotonic intervals and extrema come from the zeros of f'(x) and its sign on
each interval between them, inside the domain of f.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

import sympy
from sympy.calculus.util import continuous_domain

from mathcast.content.solvers.base import UnsupportedProblemError, solves
from mathcast.content.solvers.functions import Written, plain, tex, worked
from mathcast.lesson import Language, Problem, Solution
from mathcast.verify.parse import MathParseError, parse_expression

PHRASES: dict[Language, dict[str, str]] = {
    "zh-CN": {
        "basic": "f(x) 是基本初等函数（或它的常数倍），直接用求导公式，常数因子保留。",
        "basic_result": "所以 f'(x) = {derivative}。",
        "sum": "f(x) 是几项的和，用和差的求导法则：和的导数等于各项导数的和，逐项求导。",
        "terms": "各项分别求导：{rules}。",
        "term_rule": "{term} 用{rule}",
        "basic_terms": "每一项都用基本初等函数的求导公式",
        "product": "f(x) 是两个函数的乘积，设 u = {u}，v = {v}，先分别求出 u' 和 v'。",
        "product_apply": "用乘积的求导法则：(uv)' = u'v + uv'，代入 u、v、u'、v'。",
        "quotient": "f(x) 是两个函数的商，设分子 u = {u}，分母 v = {v}，先分别求出 u' 和 v'。",
        "quotient_apply": "用商的求导法则：(u/v)' = (u'v − uv')/v²，代入 u、v、u'、v'。",
        "chain": "f(x) 是复合函数：设内层函数 u = {u}，外层函数 y = {outer}。",
        "chain_parts": "外层函数对 u 求导，内层函数对 x 求导；复合函数的求导法则说，两者相乘就是 f'(x)。",
        "chain_result": "把 u = {u} 代回，得到 f'(x)。",
        "simplify": "化简，得到 f'(x) = {derivative}。",
        "domain": "函数的定义域是 {domain}。用{rule}求导，得 f'(x) = {derivative}。",
        "zeros": "令 f'(x) = 0，解得 {roots}。这些点把定义域分成几个区间。",
        "no_zeros": "f'(x) = 0 在定义域内没有解，f'(x) 的符号保持不变。",
        "signs": (
            "在每个区间取一点代入 f'(x) 判断符号：f'(x) > 0 的区间上 f(x) 单调递增，"
            "f'(x) < 0 的区间上单调递减。"
        ),
        "no_turns": "f'(x) 在定义域内不变号，所以 f(x) 没有极值。",
        "turn": "在 x = {point} 处 f'(x) {change}，f({point}) = {value} 是{kind}",
        "turns": "{turns}。",
        "max_change": "左正右负",
        "min_change": "左负右正",
        "monotonic_summary": "求导，令 f'(x) = 0，再看 f'(x) 在各区间的符号：{answer}。",
        "extrema_summary": "求导，找出 f'(x) = 0 的点，看两侧 f'(x) 是否变号，再求函数值：{answer}。",
        "derivative_summary": "用{rules}求导：{answer}。",
        "and": "、",
        "or": " 或 ",
        "spoken_or": " 或 ",
        "turn_join": "；",
        "max": "极大值",
        "min": "极小值",
        "none": "无极值",
        "spoken_none": "没有极值",
        "increasing": "增区间",
        "decreasing": "减区间",
        "parts": "；",
        "space": "",
    },
    "en-US": {
        "basic": "f(x) is a basic function (times a constant): use its derivative formula.",
        "basic_result": "So f'(x) = {derivative}.",
        "sum": "f(x) is a sum, so the sum rule applies: differentiate term by term.",
        "terms": "Differentiate each term: {rules}.",
        "term_rule": "{term} by the {rule}",
        "basic_terms": "every term by the basic derivative formulas",
        "product": "f(x) is a product: let u = {u} and v = {v}, and find u' and v'.",
        "product_apply": "The product rule (uv)' = u'v + uv': substitute u, v, u' and v'.",
        "quotient": "f(x) is a quotient: numerator u = {u}, denominator v = {v}; find u' and v'.",
        "quotient_apply": "The quotient rule (u/v)' = (u'v − uv')/v²: substitute u, v, u' and v'.",
        "chain": "f(x) is a composite function: the inner function u = {u}, the outer y = {outer}.",
        "chain_parts": "Differentiate the outer part in u, the inner in x: the chain rule multiplies them.",
        "chain_result": "Put u = {u} back to get f'(x).",
        "simplify": "Simplify: f'(x) = {derivative}.",
        "domain": "The domain is {domain}. Differentiate by the {rule}: f'(x) = {derivative}.",
        "zeros": "Set f'(x) = 0: {roots}. These points cut the domain into intervals.",
        "no_zeros": "f'(x) = 0 has no solution in the domain, so f'(x) keeps one sign.",
        "signs": "Test a point of each interval: f increases where f'(x) > 0 and decreases where f'(x) < 0.",
        "no_turns": "f'(x) never changes sign in the domain, so f has no extremum.",
        "turn": "at x = {point} f'(x) {change}, so f({point}) = {value} is a {kind}",
        "turns": "{turns}.",
        "max_change": "changes from + to −",
        "min_change": "changes from − to +",
        "monotonic_summary": "Differentiate, solve f'(x) = 0 and read the sign of f'(x) between: {answer}.",
        "extrema_summary": "Differentiate, solve f'(x) = 0, check that f'(x) changes sign there: {answer}.",
        "derivative_summary": "Differentiate with the {rules}: {answer}.",
        "and": ", ",
        "or": r" \text{ or } ",
        "spoken_or": " or ",
        "turn_join": "; ",
        "max": "max",
        "min": "min",
        "none": "none",
        "spoken_none": "no extremum",
        "increasing": "increasing",
        "decreasing": "decreasing",
        "parts": "; ",
        "space": " ",
    },
}
KIND_NAMES: dict[Language, dict[str, str]] = {
    "zh-CN": {"max": "极大值", "min": "极小值"},
    "en-US": {"max": "local maximum", "min": "local minimum"},
}
RULE_NAMES: dict[Language, dict[str, str]] = {
    "zh-CN": {
        "basic": "基本初等函数的求导公式",
        "sum": "和差的求导法则",
        "product": "乘积的求导法则",
        "quotient": "商的求导法则",
        "chain": "复合函数的求导法则",
    },
    "en-US": {
        "basic": "basic derivative formulas",
        "sum": "sum rule",
        "product": "product rule",
        "quotient": "quotient rule",
        "chain": "chain rule",
    },
}
_FUNCTION_COMMAND = ("\\sin", "\\cos", "\\tan", "\\ln", "\\log", "\\arc", "\\exp")


def _function_of(problem: Problem) -> tuple[sympy.Expr, sympy.Symbol]:
    x = sympy.Symbol(problem.unknowns[0] if problem.unknowns else "x")
    try:
        f = parse_expression(problem.given)
    except MathParseError as error:
        raise UnsupportedProblemError(
            f"{problem.id}: cannot read f(x) = {problem.given!r}: {error}"
        ) from None
    if not f.has(x) or f.free_symbols - {x}:
        raise UnsupportedProblemError(
            f"{problem.id}: f must be a function of {x} alone, got {problem.given!r}"
        )
    return f, x


def _times(left: sympy.Expr, right: sympy.Expr) -> str:
    """A product as written: x \\sin x before a function name, 1 \\cdot e^{x} otherwise; a sum, a
    negative value or a product led by a number (2x, read ambiguously after \\cdot) in brackets."""
    first, second = _factor(left), _factor(right)
    if right.is_Mul and right.as_coeff_Mul()[0] != 1:
        second = f"\\left({tex(right)}\\right)"
    return f"{first} {second}" if second.startswith(_FUNCTION_COMMAND) else f"{first} \\cdot {second}"


def _factor(expr: sympy.Expr) -> str:
    text = tex(expr)
    return f"\\left({text}\\right)" if expr.is_Add or expr.could_extract_minus_sign() else text


def _signed_sum(terms: list[sympy.Expr], show: Callable[[sympy.Expr], str]) -> str:
    """Terms joined by their signs, each shown by `show` without its minus: a - (3x)', not a + -(3x)'."""
    text = ""
    for i, term in enumerate(terms):
        negative = term.could_extract_minus_sign()
        text += (" - " if negative else " + ") if i else ("-" if negative else "")
        text += show(-term if negative else term)
    return text


def tidy(expr: sympy.Expr, x: sympy.Symbol, expand: bool = True) -> sympy.Expr:
    """The form a teacher keeps: a polynomial expanded (unless `expand` is off: 6(2x + 1)^2 after the
    chain rule), anything else in its shortest equal form."""
    if expand and expr.is_polynomial(x):
        return sympy.expand(expr)
    forms = [sympy.factor(expr), sympy.simplify(expr), sympy.together(expr), sympy.expand(expr), expr]
    return min(forms, key=lambda e: (sympy.count_ops(e), len(tex(e))))


def _rule(f: sympy.Expr, x: sympy.Symbol) -> str:
    if f.is_Add:
        return "sum"
    _, rest = f.as_independent(x, as_Add=False)
    if rest.is_Mul:
        _, denominator = sympy.fraction(rest)
        return "quotient" if denominator.has(x) else "product"
    if _inner(rest, x) is not None:
        return "chain"
    return "basic"


def _inner(g: sympy.Expr, x: sympy.Symbol) -> sympy.Expr | None:
    """The inner function of a composite g (sin(2x+1) -> 2x+1), None when g is basic in x."""
    if isinstance(g, sympy.Pow):
        base, exponent = g.args
        if base.has(x) and not exponent.has(x):
            return None if base == x else base
        if exponent.has(x) and not base.has(x):
            return None if exponent == x else exponent
        return None
    if isinstance(g, sympy.Function) and len(g.args) == 1 and g.args[0] != x:
        return g.args[0]
    return None


def _prime(expr: sympy.Expr) -> str:
    return f"\\left({tex(expr)}\\right)'"


def _derivation(f: sympy.Expr, x: sympy.Symbol, language: Language) -> tuple[list[Written], sympy.Expr]:
    """The steps of f'(x), each naming its rule, and f'(x) in its final form."""
    words, rules = PHRASES[language], RULE_NAMES[language]
    head = f"f'({x}) = "
    rule = _rule(f, x)
    derivative = tidy(sympy.diff(f, x), x, expand=rule != "chain")
    steps: list[Written]
    if rule == "sum":
        terms = list(f.as_ordered_terms())
        named = [
            words["term_rule"].format(term=plain(t), rule=rules[_rule(t, x)])
            for t in terms
            if _rule(t, x) != "basic"
        ]
        shown = _signed_sum([d for d in (sympy.diff(t, x) for t in terms) if d != 0], tex)
        steps = [
            ([head + _signed_sum(terms, _prime)], words["sum"]),
            ([head + shown], words["terms"].format(rules=words["and"].join(named) or words["basic_terms"])),
        ]
    elif rule in ("product", "quotient"):
        coefficient, rest = f.as_independent(x, as_Add=False)
        if rule == "product":
            first, *others = sympy.Mul.make_args(rest)
            u, v = coefficient * first, sympy.Mul(*others)
        else:
            numerator, v = sympy.fraction(rest)
            u = coefficient * numerator
        du, dv = sympy.diff(u, x), sympy.diff(v, x)
        if rule == "product":
            formula = "(uv)' = u'v + uv'"
            shown = f"{_times(du, v)} + {_times(u, dv)}"
        else:
            formula = "\\left(\\frac{u}{v}\\right)' = \\frac{u'v - uv'}{v^{2}}"
            top = f"{_times(du, v)} - {_times(u, dv)}"
            shown = f"\\frac{{{top}}}{{{_factor(v)}^{{2}}}}"
        steps = [
            (
                [f"u = {tex(u)}", f"v = {tex(v)}", f"u' = {tex(du)}", f"v' = {tex(dv)}"],
                words[rule].format(u=plain(u), v=plain(v)),
            ),
            ([formula, head + shown], words[f"{rule}_apply"]),
        ]
    elif rule == "chain":
        coefficient, rest = f.as_independent(x, as_Add=False)
        inner = _inner(rest, x)
        assert inner is not None
        u = sympy.Symbol("u")
        outer = coefficient * rest.subs(inner, u)
        outer_derivative, inner_derivative = sympy.diff(outer, u), sympy.diff(inner, x)
        shown = _times(outer_derivative.subs(u, inner), inner_derivative)
        steps = [
            (
                [f"u = {tex(inner)}", f"y = {tex(outer)}"],
                words["chain"].format(u=plain(inner), outer=plain(outer)),
            ),
            (
                [
                    f"y'_{{u}} = {tex(outer_derivative)}",
                    f"u'_{{x}} = {tex(inner_derivative)}",
                    f"f'({x}) = y'_{{u}} \\cdot u'_{{x}}",
                ],
                words["chain_parts"],
            ),
            ([head + shown], words["chain_result"].format(u=plain(inner))),
        ]
    else:
        shown = tex(sympy.diff(f, x))
        steps = [
            ([f"{_prime(f)} = {shown}"], words["basic"]),
            ([head + shown], words["basic_result"].format(derivative=plain(sympy.diff(f, x)))),
        ]
    final = tex(derivative)
    if shown.replace(" ", "") != final.replace(" ", ""):
        steps.append(([f"{head}{shown} = {final}"], words["simplify"].format(derivative=plain(derivative))))
    return steps, derivative


@solves("derivative")
def derivative_of(problem: Problem) -> Solution:
    f, x = _function_of(problem)
    steps, derivative = _derivation(f, x, problem.language)
    rules, words = RULE_NAMES[problem.language], PHRASES[problem.language]
    used = [rules[r] for r in dict.fromkeys([_rule(f, x), *(_rule(t, x) for t in sympy.Add.make_args(f))])]
    summary = words["derivative_summary"].format(
        rules=words["and"].join(used), answer=f"f'({x}) = {plain(derivative)}"
    )
    return worked(problem, steps, f"f'({x}) = {tex(derivative)}", summary)


class _Analysis:
    """f'(x) over the domain: where it vanishes, its sign between, and where it changes sign."""

    def __init__(self, problem: Problem) -> None:
        f, x = _function_of(problem)
        self.f, self.x = f, x
        self.derivative = tidy(sympy.diff(f, x), x)
        domain = continuous_domain(f, x, sympy.S.Reals).interior
        pieces = domain.args if isinstance(domain, sympy.Union) else (domain,)
        if not all(isinstance(p, sympy.Interval) for p in pieces):
            raise UnsupportedProblemError(f"{problem.id}: the domain {domain} is not a union of intervals")
        if continuous_domain(self.derivative, x, domain) != domain:
            raise UnsupportedProblemError(
                f"{problem.id}: f'(x) is undefined at points inside the domain {domain}"
            )
        zeros = sympy.solveset(self.derivative, x, domain)
        listed = zeros is sympy.S.EmptySet or isinstance(zeros, sympy.FiniteSet)
        if not listed or not all(z.is_real for z in zeros):
            raise UnsupportedProblemError(f"{problem.id}: cannot list the zeros of f'(x) = {self.derivative}")
        self.domain, self.zeros = domain, sorted(zeros, key=float)
        self.pieces = [  # the domain cut at the zeros of f', each piece with the sign f' keeps there
            (sympy.Interval.open(low, high), self._sign(low, high))
            for piece in pieces
            for low, high in itertools.pairwise(
                [piece.start, *(z for z in self.zeros if piece.contains(z)), piece.end]
            )
        ]
        self.runs: list[tuple[sympy.Interval, int]] = []  # the pieces joined where f' keeps its sign
        for interval, sign in self.pieces:
            last = self.runs[-1] if self.runs else None
            if last is not None and last[1] == sign and interval.start in self.zeros:
                self.runs[-1] = (sympy.Interval.open(last[0].start, interval.end), sign)
            else:
                self.runs.append((interval, sign))

    def _sign(self, low: sympy.Expr, high: sympy.Expr) -> int:
        if low == -sympy.oo and high == sympy.oo:
            probe = sympy.Integer(0)
        elif low == -sympy.oo:
            probe = high - 1
        elif high == sympy.oo:
            probe = low + 1
        else:
            probe = (low + high) / 2
        value = self.derivative.subs(self.x, probe).evalf(30)
        if not value.is_real or value == 0:
            raise UnsupportedProblemError(f"cannot decide the sign of f'(x) at x = {probe}")
        return 1 if value > 0 else -1

    def turns(self) -> list[tuple[sympy.Expr, str]]:
        """Each zero of f' where the sign changes: (point, "max" or "min")."""
        found = []
        for (left, left_sign), (right, right_sign) in itertools.pairwise(self.runs):
            if left.end == right.start and left.end in self.zeros and left_sign != right_sign:
                found.append((left.end, "max" if left_sign > 0 else "min"))
        return found


def _interval(piece: sympy.Interval, show: Callable[[sympy.Expr], str]) -> str:
    infinity = (
        {-sympy.oo: "-\\infty", sympy.oo: "+\\infty"} if show is tex else {-sympy.oo: "-∞", sympy.oo: "+∞"}
    )
    low, high = (infinity.get(end) or show(end) for end in (piece.start, piece.end))
    return f"({low}, {high})"


def _intervals(
    runs: list[tuple[sympy.Interval, int]], sign: int, show: Callable[[sympy.Expr], str]
) -> list[str]:
    return [_interval(piece, show) for piece, s in runs if s == sign]


def _analysis_steps(problem: Problem, analysis: _Analysis) -> list[Written]:
    """Domain and f'(x), the zeros of f'(x), the sign of f'(x) on each interval."""
    words, x = PHRASES[problem.language], analysis.x
    f, derivative = analysis.f, analysis.derivative
    pieces = analysis.domain.args if isinstance(analysis.domain, sympy.Union) else (analysis.domain,)
    domain = "R" if analysis.domain == sympy.S.Reals else " ∪ ".join(_interval(p, plain) for p in pieces)
    forms = list(dict.fromkeys(tex(e) for e in (sympy.diff(f, x), derivative, sympy.factor(derivative))))
    first: Written = (
        [f"f'({x}) = " + " = ".join(forms)],
        words["domain"].format(
            domain=domain,
            rule=RULE_NAMES[problem.language][_rule(f, x)],
            derivative=plain(sympy.factor(derivative)),
        ),
    )
    if analysis.zeros:
        roots = words["or"].join(f"{x} = {tex(z)}" for z in analysis.zeros)
        spoken = words["spoken_or"].join(f"{x} = {plain(z)}" for z in analysis.zeros)
        second: Written = ([f"f'({x}) = 0", roots], words["zeros"].format(roots=spoken))
    else:
        second = ([f"f'({x}) = {forms[-1]}"], words["no_zeros"])
    signs = []
    for relation, sign in ((">", 1), ("<", -1)):
        union = " \\cup ".join(_intervals(analysis.pieces, sign, tex))
        if union:
            signs.append(f"f'({x}) {relation} 0:\\ {x} \\in {union}")
    return [first, second, (signs, words["signs"])]


def _monotonic_answer(words: dict[str, str], analysis: _Analysis, show: Callable[[sympy.Expr], str]) -> str:
    parts = []
    for label, sign in (("increasing", 1), ("decreasing", -1)):
        pieces = _intervals(analysis.runs, sign, show)
        if pieces:
            parts.append(f"{words[label]} {', '.join(pieces)}")
    return words["parts"].join(parts)


@solves("monotonic_intervals")
def monotonic_intervals(problem: Problem) -> Solution:
    analysis = _Analysis(problem)
    words = PHRASES[problem.language]
    summary = words["monotonic_summary"].format(answer=_monotonic_answer(words, analysis, plain))
    return worked(
        problem, _analysis_steps(problem, analysis), _monotonic_answer(words, analysis, tex), summary
    )


def _value_at(f: sympy.Expr, x: sympy.Symbol, point: sympy.Expr) -> str:
    """f(p) written out with p in place of x, then its value: f(-1) = (-1)^{3} - 3(-1) = 2."""
    bare = point.is_Integer and point >= 0
    shown = tex(f.subs(x, sympy.Symbol(tex(point) if bare else f"\\left({tex(point)}\\right)")))
    shown = re.sub(r"\\left\(\\left\((.*?)\\right\) \\right\)", r"\\left(\1\\right)", shown)
    return f"f({tex(point)}) = {shown} = {tex(sympy.simplify(f.subs(x, point)))}"


@solves("extrema")
def extrema(problem: Problem) -> Solution:
    analysis = _Analysis(problem)
    words, kinds = PHRASES[problem.language], KIND_NAMES[problem.language]
    f, x = analysis.f, analysis.x
    steps = _analysis_steps(problem, analysis)
    turns = [(p, kind, sympy.simplify(f.subs(x, p))) for p, kind in analysis.turns()]
    if len(turns) > 4:
        raise UnsupportedProblemError(f"{problem.id}: {len(turns)} extrema do not fit one step")
    if not turns:
        lines, said = steps[-1]
        steps[-1] = (lines, said + words["space"] + words["no_turns"])
        return worked(
            problem, steps, words["none"], words["extrema_summary"].format(answer=words["spoken_none"])
        )
    said = words["turn_join"].join(
        words["turn"].format(point=plain(p), change=words[f"{kind}_change"], value=plain(v), kind=kinds[kind])
        for p, kind, v in turns
    )
    said = said[:1].upper() + said[1:]
    steps.append(([_value_at(f, x, p) for p, _, _ in turns], words["turns"].format(turns=said)))
    answer = words["parts"].join(f"{words[kind]} f({tex(p)}) = {tex(v)}" for p, kind, v in turns)
    spoken = words["parts"].join(f"{words[kind]} f({plain(p)}) = {plain(v)}" for p, kind, v in turns)
    return worked(problem, steps, answer, words["extrema_summary"].format(answer=spoken))
