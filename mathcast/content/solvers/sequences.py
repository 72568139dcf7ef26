"""Arithmetic and geometric sequences from two facts.

`facts` holds two known things among a_1, d (arithmetic) or q (geometric), a term a_k and a sum
S_k (keys `a_3` or `a_{3}`); `ask` is `a_n` (the general term), a term `a_10` or a sum `S_10`.
The solver finds a_1 and d or q (solving the system the facts give), then the general term or
what is asked. A geometric sequence may fit the facts with two ratios (q^2 = 9): both are
followed to the end, and the answer gives every value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy

from mathcast.content.solvers.base import UnsupportedProblemError, solves
from mathcast.content.solvers.functions import Written, known_number, plain, tex, worked
from mathcast.lesson import Language, Problem, ProblemKind, Solution

PHRASES: dict[Language, dict[str, str]] = {
    "zh-CN": {
        "known": "首项和{step_name}都已知，直接写出来。",
        "setup": (
            "设首项为 a₁，{step_name}为 {letter}。"
            "用通项公式{sum_formula}把已知条件写成关于 a₁ 和 {letter} 的方程。"
        ),
        "sum_formula": "和前 n 项和公式",
        "subtract": "两式相减消去 a₁，得公差 d = {step}；再代回第一个式子，得 a₁ = {first}。",
        "divide": "两式相除消去 a₁，得 {steps}；再代回求出 a₁。",
        "from_first": "a₁ 已知，代入后直接解出{step_name}：{steps}。",
        "from_step": "{step_name}已知，代入后直接解出 a₁ = {first}。",
        "system": "解这个方程组，得 {values}。",
        "pair": "a₁ = {first}，{letter} = {step}",
        "general": "把 a₁ 和 {letter} 代入通项公式，得 {values}。",
        "term": "把 n = {k} 代入通项公式，得 {values}。",
        "sum_arithmetic": "用等差数列的前 n 项和公式 Sₙ = na₁ + n(n − 1)d/2，得 {values}。",
        "sum_geometric": "q ≠ 1，用等比数列的前 n 项和公式 Sₙ = a₁(1 − qⁿ)/(1 − q)，得 {values}。",
        "sum_constant": "q = 1 时每一项都等于 a₁，所以 Sₙ = na₁，得 {values}。",
        "summary": "先由已知条件求出首项 a₁ 和{step_name} {letter}，再用通项公式{sum_formula}：{answer}。",
        "arithmetic": "公差",
        "geometric": "公比",
        "or": " 或 ",
        "spoken_or": " 或 ",
        "and": "；",
    },
    "en-US": {
        "known": "The first term and the {step_name} are both given.",
        "setup": (
            "Let the first term be a₁ and the {step_name} {letter}. Write each fact as an equation in a₁ "
            "and {letter} with the general term formula{sum_formula}."
        ),
        "sum_formula": " and the sum formula",
        "subtract": "Subtract the equations to eliminate a₁: d = {step}; substitute back: a₁ = {first}.",
        "divide": "Divide the equations to eliminate a₁: {steps}; substitute back to find a₁.",
        "from_first": "a₁ is known, so this equation gives the {step_name}: {steps}.",
        "from_step": "The {step_name} is known, so this equation gives a₁ = {first}.",
        "system": "Solve the system: {values}.",
        "pair": "a₁ = {first}, {letter} = {step}",
        "general": "Substitute a₁ and {letter} into the general term formula: {values}.",
        "term": "Put n = {k} into the general term formula: {values}.",
        "sum_arithmetic": "The arithmetic sum formula Sₙ = na₁ + n(n − 1)d/2 gives {values}.",
        "sum_geometric": "q ≠ 1, so the geometric sum formula Sₙ = a₁(1 − qⁿ)/(1 − q) gives {values}.",
        "sum_constant": "With q = 1 every term equals a₁, so Sₙ = na₁: {values}.",
        "summary": (
            "Find the first term a₁ and the {step_name} {letter} from the facts, then use the general "
            "term formula{sum_formula}: {answer}."
        ),
        "arithmetic": "common difference",
        "geometric": "common ratio",
        "or": r" \text{ or } ",
        "spoken_or": " or ",
        "and": "; ",
    },
}
_NAME = re.compile(r"^\s*([aS])_\{?\s*(\d+|n)\s*\}?\s*$")
_SUBSCRIPTS = str.maketrans("0123456789n", "₀₁₂₃₄₅₆₇₈₉ₙ")
TIMES = r" \times "
TIMES_DOT = r" \cdot "
MAX_INDEX = 200


@dataclass(frozen=True)
class _Sequence:
    """One sequence that fits the facts: its first term and its difference or ratio."""

    first: sympy.Expr
    step: sympy.Expr


def _bracketed(value: sympy.Expr) -> str:
    """A number as a factor or a base: negatives and fractions in brackets."""
    text = tex(value)
    return f"\\left({text}\\right)" if value.could_extract_minus_sign() or not value.is_Integer else text


def _power(base: str, exponent: int) -> str:
    return base if exponent == 1 else f"{base}^{{{exponent}}}"


def _frac(top: str | int, bottom: str | int) -> str:
    return f"\\frac{{{top}}}{{{bottom}}}"


def _name(letter: str, index: int | str) -> str:
    return f"{letter}_{{{index}}}"


def _spoken_name(letter: str, index: int | str) -> str:
    return f"{letter}{str(index).translate(_SUBSCRIPTS)}"


class _Family:
    """The formulas of arithmetic or geometric sequences: values, and the LaTeX a student writes."""

    def __init__(self, kind: ProblemKind) -> None:
        self.geometric = kind == "geometric_sequence"
        self.letter = "q" if self.geometric else "d"
        self.name = "geometric" if self.geometric else "arithmetic"

    def term(self, first: sympy.Expr, step: sympy.Expr, k: sympy.Expr) -> sympy.Expr:
        return first * step ** (k - 1) if self.geometric else first + (k - 1) * step

    def total(self, first: sympy.Expr, step: sympy.Expr, k: int) -> sympy.Expr:
        if self.geometric:
            return sympy.expand(first * sum(step**i for i in range(k)))
        return k * first + sympy.Rational(k * (k - 1), 2) * step

    def term_formula(self, k: int) -> str:
        """a_k in a_1 and d or q: a_{1} + 2d, a_{1}q^{2}."""
        if self.geometric:
            return f"a_{{1}}q^{{{k - 1}}}" if k > 2 else "a_{1}q"
        return f"a_{{1}} + {k - 1}d" if k > 2 else "a_{1} + d"

    def sum_formula(self, k: int) -> str:
        if self.geometric:
            return f"a_{{1}}\\left(1 + q{''.join(f' + q^{{{i}}}' for i in range(2, k))}\\right)"
        return f"{k}a_{{1}} + {sympy.Rational(k * (k - 1), 2)}d"

    def general(self, sequence: _Sequence, spoken: bool = False) -> str:
        """a_n as teachers write it: 2 n + 1, 2 \\cdot 3^{n - 1}, \\left(\\frac{1}{2}\\right)^{n - 1};
        `spoken`: as it is read aloud, 2·3^(n - 1)."""
        show = plain if spoken else tex
        if not self.geometric:
            return show(sympy.expand(self.term(sequence.first, sequence.step, sympy.Symbol("n"))))
        simple = sequence.step.is_Integer and sequence.step > 0
        exponent = "n" if sequence.first == sequence.step else "n - 1"
        if spoken:
            base = plain(sequence.step) if simple else f"({plain(sequence.step)})"
            power, times = (f"{base}^n" if exponent == "n" else f"{base}^(n - 1)"), "·"
        else:
            power, times = f"{_bracketed(sequence.step)}^{{{exponent}}}", TIMES_DOT
        if exponent == "n" or sequence.first == 1:
            return power
        return f"-{power}" if sequence.first == -1 else f"{show(sequence.first)}{times}{power}"

    def general_numbers(self, sequence: _Sequence) -> str:
        """The general term formula with a_1 and d or q in: 2 + (n - 1) \\times 3, 2 \\times 3^{n - 1}."""
        if self.geometric:
            return f"{tex(sequence.first)}{TIMES}{_bracketed(sequence.step)}^{{n - 1}}"
        return f"{tex(sequence.first)} + (n - 1){TIMES}{_bracketed(sequence.step)}"

    def term_numbers(self, sequence: _Sequence, k: int) -> str:
        """a_k with the numbers in: 3 + 9 \\times 2, 2 \\times 3^{4}."""
        first, step = tex(sequence.first), _bracketed(sequence.step)
        if self.geometric:
            return f"{first}{TIMES}{_power(step, k - 1)}"
        return f"{first} + {k - 1}{TIMES}{step}"

    def sum_numbers(self, sequence: _Sequence, k: int) -> str:
        first, step = _bracketed(sequence.first), _bracketed(sequence.step)
        if not self.geometric:
            return f"{k}{TIMES}{first} + \\frac{{{k}{TIMES}{k - 1}}}{{2}}{TIMES}{step}"
        if sequence.step == 1:
            return f"{k}{TIMES}{first}"
        return f"\\frac{{{first}{TIMES}\\left(1 - {step}^{{{k}}}\\right)}}{{1 - {step}}}"


def _facts(problem: Problem, letter: str) -> dict[str, sympy.Expr]:
    """The facts as {"a_3": 7, "S_5": 40, "d": 2}."""
    known = {}
    for name in problem.facts:
        match = _NAME.match(name)
        if match and match.group(2) != "n" and 1 <= int(match.group(2)) <= MAX_INDEX:
            known[f"{match.group(1)}_{int(match.group(2))}"] = known_number(problem, name)
        elif name.strip() == letter:
            known[letter] = known_number(problem, name)
        else:
            raise UnsupportedProblemError(f"{problem.id}: the fact {name!r} is not a_k, S_k or {letter}")
    if len(known) != 2:
        raise UnsupportedProblemError(
            f"{problem.id}: two facts among a_1, {letter}, a_k, S_k fix a sequence; got {sorted(known)}"
        )
    return known


def _ask(problem: Problem) -> tuple[str, int | None]:
    match = _NAME.match(problem.ask)
    if match is None or match.groups() == ("S", "n") or match.group(2) not in ("n", *map(str, range(1, 201))):
        raise UnsupportedProblemError(f"{problem.id}: ask {problem.ask!r} is not a_n, a_k or S_k")
    letter, index = match.groups()
    return letter, None if index == "n" else int(index)


def _solve(problem: Problem, family: _Family, known: dict[str, sympy.Expr]) -> list[_Sequence]:
    first, step = sympy.symbols("a_1 s")
    equations = []
    for name, value in known.items():
        if name == family.letter:
            equations.append(sympy.Eq(step, value))
            continue
        letter, k = name.split("_")
        made = family.term(first, step, int(k)) if letter == "a" else family.total(first, step, int(k))
        equations.append(sympy.Eq(made, value))
    found = []
    for solution in sympy.solve(equations, [first, step], dict=True):
        if set(solution) != {first, step}:
            raise UnsupportedProblemError(f"{problem.id}: infinitely many sequences have {problem.facts}")
        candidate = _Sequence(solution[first], solution[step])
        real = candidate.first.is_real and candidate.step.is_real
        if real and not (family.geometric and 0 in (candidate.first, candidate.step)):
            found.append(candidate)
    if not found:
        raise UnsupportedProblemError(
            f"{problem.id}: found no real {family.name} sequence with {problem.facts}"
        )
    if len(found) > 2:
        raise UnsupportedProblemError(f"{problem.id}: {len(found)} sequences have {problem.facts}: too many")
    return sorted(found, key=lambda s: (-s.step, s.first))


def _either(words: dict[str, str], items: list[str], spoken: bool = False) -> str:
    return words["spoken_or" if spoken else "or"].join(dict.fromkeys(items))


def _setup(problem: Problem, family: _Family, known: dict[str, sympy.Expr]) -> Written:
    """Each fact as an equation in a_1 and d or q: a_{3} = a_{1} + 2d = 7."""
    words = PHRASES[problem.language]
    lines = []
    for name, value in known.items():
        letter, _, k = name.partition("_")
        if name in ("a_1", family.letter):
            lines.append(f"{_name(letter, k) if k else letter} = {tex(value)}")
        else:
            made = family.term_formula(int(k)) if letter == "a" else family.sum_formula(int(k))
            lines.append(f"{_name(letter, k)} = {made} = {tex(value)}")
    sums = words["sum_formula"] if any(n.startswith("S_") for n in known) else ""
    said = words["setup"].format(step_name=words[family.name], letter=family.letter, sum_formula=sums)
    return lines, said


def _solving(
    problem: Problem, family: _Family, known: dict[str, sympy.Expr], found: list[_Sequence]
) -> Written:
    """From the equations of the facts to a_1 and d or q."""
    words, letter = PHRASES[problem.language], family.letter
    step_name = words[family.name]
    firsts = _either(words, [f"a_{{1}} = {tex(s.first)}" for s in found])
    steps = _either(words, [f"{letter} = {tex(s.step)}" for s in found])
    spoken_steps = _either(words, [f"{letter} = {plain(s.step)}" for s in found], spoken=True)
    terms = sorted(int(n[2:]) for n in known if n.startswith("a_") and n != "a_1")
    only = found[0]
    if "a_1" in known and len(terms) == 1:
        k = terms[0]
        a_k, a_1 = tex(known[f"a_{k}"]), _bracketed(known["a_1"])
        if family.geometric:
            ratio = known[f"a_{k}"] / known["a_1"]
            named = _frac(_name("a", k), "a_{1}")
            line = f"q^{{{k - 1}}} = {named} = {_frac(a_k, tex(known['a_1']))} = {tex(ratio)}"
        else:
            named = _frac(f"{_name('a', k)} - a_{{1}}", k - 1)
            line = f"d = {named} = {_frac(f'{a_k} - {a_1}', k - 1)} = {tex(only.step)}"
        lines = [line, steps] if family.geometric else [line]
        return lines, words["from_first"].format(step_name=step_name, steps=spoken_steps)
    if letter in known and len(terms) == 1:
        k = terms[0]
        if family.geometric:
            power = _power(_bracketed(only.step), k - 1)
            made = f"{_frac(_name('a', k), _power('q', k - 1))} = {_frac(tex(known[f'a_{k}']), power)}"
        else:
            made = f"a_{{{k}}} - {k - 1}d = {tex(known[f'a_{k}'])} - {k - 1}{TIMES}{_bracketed(only.step)}"
        line = f"a_{{1}} = {made} = {tex(only.first)}"
        return [line], words["from_step"].format(step_name=step_name, first=plain(only.first))
    if len(terms) == 2 and not family.geometric:
        j, k = terms
        a_j, a_k = known[f"a_{j}"], known[f"a_{k}"]
        named = _frac(f"{_name('a', k)} - {_name('a', j)}", k - j)
        d_line = f"d = {named} = {_frac(f'{tex(a_k)} - {_bracketed(a_j)}', k - j)} = {tex(only.step)}"
        numbers = f"{tex(a_j)} - {j - 1}{TIMES}{_bracketed(only.step)}"
        back = f"a_{{1}} = {_name('a', j)} - {j - 1}d = {numbers} = {tex(only.first)}"
        said = words["subtract"].format(step=plain(only.step), first=plain(only.first))
        return [d_line, back], said
    if len(terms) == 2:
        j, k = terms
        a_j = known[f"a_{j}"]
        ratio = f"q^{{{k - j}}} = {_frac(_name('a', k), _name('a', j))} = {tex(known[f'a_{k}'] / a_j)}"
        backs = [
            f"a_{{1}} = {_frac(tex(a_j), _power(_bracketed(s.step), j - 1))} = {tex(s.first)}"
            for s in found
            if j > 1
        ]
        return [ratio, steps, *backs], words["divide"].format(steps=spoken_steps)
    values = words["and"].join(
        words["pair"].format(first=plain(s.first), letter=letter, step=plain(s.step)) for s in found
    )
    return [*_substituted(family, known), firsts, steps][-4:], words["system"].format(values=values)


def _substituted(family: _Family, known: dict[str, sympy.Expr]) -> list[str]:
    """The facts' equations with the known one of a_1, d or q put in: 2q^{2} + 2q + 2 = 14."""
    first, step = sympy.Symbol("a_{1}"), sympy.Symbol(family.letter)
    given = (
        {first: known["a_1"]}
        if "a_1" in known
        else {step: known[family.letter]}
        if family.letter in known
        else {}
    )
    lines = []
    for name, value in known.items():
        letter, _, k = name.partition("_")
        if given and letter in "aS" and k and name != "a_1":
            made = family.term(first, step, int(k)) if letter == "a" else family.total(first, step, int(k))
            lines.append(f"{tex(sympy.expand(made.subs(given)))} = {tex(value)}")
    return lines


@solves("arithmetic_sequence", "geometric_sequence")
def sequence(problem: Problem) -> Solution:
    family = _Family(problem.kind)
    words = PHRASES[problem.language]
    letter, index = _ask(problem)
    known = _facts(problem, family.letter)
    found = _solve(problem, family, known)
    steps: list[Written]
    if set(known) == {"a_1", family.letter}:
        steps = [(_setup(problem, family, known)[0], words["known"].format(step_name=words[family.name]))]
    else:
        steps = [_setup(problem, family, known), _solving(problem, family, known, found)]
    if index is None:
        answers = [f"a_{{n}} = {family.general(s)}" for s in found]
        answer = "a_{n} = a_{1}q^{n - 1}" if family.geometric else "a_{n} = a_{1} + (n - 1)d"
        spoken = [f"aₙ = {family.general(s, spoken=True)}" for s in found]
        lines, said = (
            [f"{answer} = {family.general_numbers(s)} = {family.general(s)}" for s in found],
            "general",
        )
    else:
        value_of, numbers = (
            (family.term, family.term_numbers) if letter == "a" else (family.total, family.sum_numbers)
        )
        values = [value_of(s.first, s.step, index) for s in found]
        answers = [f"{_name(letter, index)} = {tex(v)}" for v in values]
        spoken = [f"{_spoken_name(letter, index)} = {plain(v)}" for v in values]
        lines = [
            f"{_name(letter, index)} = {numbers(s, index)} = {tex(v)}"
            for s, v in zip(found, values, strict=True)
        ]
        said = (
            "term"
            if letter == "a"
            else "sum_arithmetic"
            if not family.geometric
            else "sum_geometric"
            if found[0].step != 1
            else "sum_constant"
        )
        if letter == "S" and family.geometric and len({s.step == 1 for s in found}) > 1:
            raise UnsupportedProblemError(f"{problem.id}: one fitting sequence has q = 1 and one does not")
    steps.append(
        (
            list(dict.fromkeys(lines)),
            words[said].format(letter=family.letter, k=index, values=_either(words, spoken, True)),
        )
    )
    summary = words["summary"].format(
        step_name=words[family.name],
        letter=family.letter,
        sum_formula=words["sum_formula"] if letter == "S" else "",
        answer=_either(words, spoken, spoken=True),
    )
    return worked(problem, steps, _either(words, answers), summary)
