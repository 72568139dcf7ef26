"""Counting (permutations, combinations, factorials) and classical probability.

counting: `given` is `A_5^3`, `C_5^2` (also `A_{5}^{3}`, `\\mathrm{C}_5^2`, `\\binom{5}{2}`) or `5!`;
or `facts` {"n": "5", "k": "3", "ordered": "yes"} (A_n^k) / "no" (C_n^k). The answer is a number.

classical_probability: `facts` in one of three templates, every outcome equally likely:
- dice {"dice": "2", "event": "sum=7"}: events sum=N, sum>=N, sum<=N, doubles, both_even;
- urn {"red": "3", "white": "2", "draw": "2", "event": "red=2"}: balls drawn at once, events
  red=K, white=K, red>=K, white>=K;
- coins {"coins": "3", "event": "heads=2"}: events heads=K, heads>=K.
The sample space and the event are counted with combinations (or listed for dice); P = m/n.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import sympy

from mathcast.content.solvers.base import UnsupportedProblemError, solves
from mathcast.content.solvers.functions import Written, tex, worked
from mathcast.lesson import Language, Problem, Solution

PHRASES: dict[Language, dict[str, str]] = {
    "zh-CN": {
        "arrangement": "从 {n} 个不同元素中取出 {k} 个，按顺序排成一列，是排列问题，用排列数公式。",
        "selection": "从 {n} 个不同元素中取出 {k} 个，不计顺序，是组合问题，用组合数公式。",
        "factorial": "{n} 个不同元素的全排列数是 {n}!，即从 {n} 开始依次乘到 1。",
        "symmetric": "k 大于 n 的一半时，先用组合数的性质 C(n, k) = C(n, n − k) 简化。",
        "compute": "代入计算，结果是 {value}。",
        "counting_summary": "用{formula}计算：{value}。",
        "permutation_formula": "排列数公式",
        "combination_formula": "组合数公式",
        "factorial_formula": "阶乘",
        "dice_space": "每颗骰子有 6 种等可能的结果，{dice} 颗骰子共有 6^{dice} = {n} 种基本事件。",
        "urn_space": "从 {total} 个球中一次取 {draw} 个，不计顺序，共 C({total}, {draw}) = {n} 种取法。",
        "coin_space": "每枚硬币有正、反两种结果，{coins} 枚硬币共有 2^{coins} = {n} 种基本事件。",
        "dice_event": "列举事件包含的基本事件，共 {m} 个。",
        "dice_count": "事件包含的基本事件共 {m} 个。",
        "urn_event": "按每种颜色取几个分类，用组合数相乘、各类相加，事件包含 {m} 种取法。",
        "coin_event": "在 {coins} 枚硬币中选出正面朝上的那几枚，用组合数计数，事件包含 {m} 个基本事件。",
        "probability": "由古典概型的概率公式 P(A) = m/n，得 P(A) = {p}。",
        "probability_summary": "古典概型：数出基本事件总数 n = {n} 和事件包含的个数 m = {m}，P = m/n = {p}。",
    },
    "en-US": {
        "arrangement": "Choose {k} of {n} different items and arrange them in order: a permutation.",
        "selection": "Choose {k} of {n} different items, order not counted: a combination.",
        "factorial": "{n} different items can be arranged in {n}! ways: multiply from {n} down to 1.",
        "symmetric": "k is more than half of n, so first use C(n, k) = C(n, n − k).",
        "compute": "Compute: {value}.",
        "counting_summary": "Use the {formula}: {value}.",
        "permutation_formula": "permutation formula",
        "combination_formula": "combination formula",
        "factorial_formula": "factorial",
        "dice_space": "Each die shows 6 equally likely faces, so {dice} dice give 6^{dice} = {n} outcomes.",
        "urn_space": "Draw {draw} of {total} balls at once, order not counted: C({total}, {draw}) = {n}.",
        "coin_space": "Each coin lands heads or tails, so {coins} coins give 2^{coins} = {n} outcomes.",
        "dice_event": "List the outcomes in the event: there are {m}.",
        "dice_count": "The event contains {m} outcomes.",
        "urn_event": "Split by how many of each colour are drawn; multiply combinations and add: {m} draws.",
        "coin_event": "Choose which of the {coins} coins show heads: {m} outcomes.",
        "probability": "Classical probability P(A) = m/n: P(A) = {p}.",
        "probability_summary": "Count all outcomes, n = {n}, and those in the event, m = {m}: P = m/n = {p}.",
    },
}
MAX_ITEMS = 100
TIMES = r" \times "
_ARRANGEMENT = re.compile(
    r"^\s*(?:\\mathrm\{([AC])\}|([AC]))\s*_\s*\{?\s*(\d+)\s*\}?\s*\^\s*\{?\s*(\d+)\s*\}?\s*$"
)
_BINOMIAL = re.compile(r"^\s*\\binom\s*\{\s*(\d+)\s*\}\s*\{\s*(\d+)\s*\}\s*$")
_FACTORIAL = re.compile(r"^\s*(\d+)\s*!\s*$")


def _product(top: int, count: int) -> str:
    """top × (top - 1) × ... with `count` factors; long ones shortened with \\cdots."""
    factors = [str(top - i) for i in range(count)]
    if len(factors) > 6:
        factors = [*factors[:3], "\\cdots", factors[-1]]
    return TIMES.join(factors)


def _read_counting(problem: Problem) -> tuple[str, int, int]:
    """("A", n, k), ("C", n, k) or ("!", n, n), from `given` or else from the facts."""
    given = problem.given
    if match := _ARRANGEMENT.match(given):
        letter, n, k = match.group(1) or match.group(2), int(match.group(3)), int(match.group(4))
    elif match := _BINOMIAL.match(given):
        letter, n, k = "C", int(match.group(1)), int(match.group(2))
    elif match := _FACTORIAL.match(given):
        letter, n, k = "!", int(match.group(1)), int(match.group(1))
    elif given.strip():
        raise UnsupportedProblemError(f"{problem.id}: {given!r} is not A_n^k, C_n^k or n!")
    else:
        facts = problem.facts
        ordered = facts.get("ordered", "").strip().lower()
        if not (facts.get("n", "").strip().isdigit() and facts.get("k", "").strip().isdigit()):
            raise UnsupportedProblemError(f"{problem.id}: counting needs whole numbers n and k, got {facts}")
        if ordered not in ("yes", "no"):
            raise UnsupportedProblemError(f"{problem.id}: say whether order counts (ordered: yes or no)")
        letter, n, k = "A" if ordered == "yes" else "C", int(facts["n"]), int(facts["k"])
    if not 0 <= k <= n <= MAX_ITEMS:
        raise UnsupportedProblemError(f"{problem.id}: need 0 <= k <= n <= {MAX_ITEMS}, got n = {n}, k = {k}")
    return letter, n, k


def counting_lines(letter: str, n: int, k: int) -> tuple[list[str], int]:
    """The worked lines of A_n^k, C_n^k or n!, and the value."""
    if letter == "!":
        value = math.factorial(n)
        return [f"{n}! = {_product(n, n) if n else '1'} = {value}"], value
    if letter == "A":
        value = math.perm(n, k)
        shown = _product(n, k) if k else "1"
        return [f"A_{{{n}}}^{{{k}}} = \\frac{{{n}!}}{{{n - k}!}} = {shown} = {value}"], value
    value = math.comb(n, k)
    lines = []
    if 2 * k > n:
        lines.append(f"C_{{{n}}}^{{{k}}} = C_{{{n}}}^{{{n - k}}}")
        k = n - k
    shown = f"\\frac{{{_product(n, k)}}}{{{_product(k, k)}}}" if k else "1"
    lines.append(f"C_{{{n}}}^{{{k}}} = \\frac{{A_{{{n}}}^{{{k}}}}}{{{k}!}} = {shown} = {value}")
    return lines, value


FORMULAS = {
    "A": r"A_{n}^{k} = n(n - 1)\cdots(n - k + 1) = \frac{n!}{(n - k)!}",
    "C": r"C_{n}^{k} = \frac{A_{n}^{k}}{k!} = \frac{n!}{k!(n - k)!}",
    "!": r"n! = n \times (n - 1) \times \cdots \times 2 \times 1",
}


@solves("counting")
def counting(problem: Problem) -> Solution:
    words = PHRASES[problem.language]
    letter, n, k = _read_counting(problem)
    lines, value = counting_lines(letter, n, k)
    said = {"A": "arrangement", "C": "selection", "!": "factorial"}[letter]
    formula = {"A": "permutation_formula", "C": "combination_formula", "!": "factorial_formula"}[letter]
    steps: list[Written] = [([FORMULAS[letter]], words[said].format(n=n, k=k))]
    if len(lines) > 1:
        steps.append((lines[:1], words["symmetric"]))
    steps.append((lines[-1:], words["compute"].format(value=value)))
    summary = words["counting_summary"].format(formula=words[formula], value=value)
    return worked(problem, steps, str(value), summary)


# --- classical probability ---

_EVENT = re.compile(r"^\s*(sum|red|white|heads)\s*(=|>=|<=|≥|≤)\s*(\d+)\s*$")


@dataclass(frozen=True)
class _Event:
    subject: str  # sum, red, white, heads, doubles, both_even
    relation: str = "="
    number: int = 0

    def holds(self, count: int) -> bool:
        return {"=": count == self.number, ">=": count >= self.number, "<=": count <= self.number}[
            self.relation
        ]


def _event(problem: Problem) -> _Event:
    text = problem.facts.get("event", "").strip().lower()
    if text in ("doubles", "both_even"):
        return _Event(text)
    match = _EVENT.match(text)
    if match is None:
        raise UnsupportedProblemError(f"{problem.id}: the event {text!r} is not one this solver counts")
    relation = {"≥": ">=", "≤": "<="}.get(match.group(2), match.group(2))
    return _Event(match.group(1), relation, int(match.group(3)))


def _whole(problem: Problem, name: str, low: int, high: int) -> int:
    text = problem.facts.get(name, "").strip()
    if not text.isdigit() or not low <= int(text) <= high:
        raise UnsupportedProblemError(
            f"{problem.id}: {name} must be a whole number from {low} to {high}, got {text!r}"
        )
    return int(text)


def _dice(problem: Problem, event: _Event, words: dict[str, str]) -> tuple[list[Written], int, int]:
    dice = _whole(problem, "dice", 1, 3)
    if event.subject not in ("sum", "doubles", "both_even") or (event.subject == "doubles" and dice < 2):
        raise UnsupportedProblemError(f"{problem.id}: event {event.subject} does not apply to {dice} dice")
    checks: dict[str, Callable[[tuple[int, ...]], bool]] = {
        "sum": lambda faces: event.holds(sum(faces)),
        "doubles": lambda faces: len(set(faces)) == 1,
        "both_even": lambda faces: all(f % 2 == 0 for f in faces),
    }
    favourable = [
        faces for faces in itertools.product(range(1, 7), repeat=dice) if checks[event.subject](faces)
    ]
    n, m = 6**dice, len(favourable)
    space: Written = (
        [f"n = 6^{{{dice}}} = {n}" if dice > 1 else "n = 6"],
        words["dice_space"].format(dice=dice, n=n),
    )
    if 0 < m <= 12:
        listed = [
            ", ".join(f"({', '.join(map(str, f))})" for f in favourable[i : i + 6]) for i in range(0, m, 6)
        ]
        counted: Written = ([*listed, f"m = {m}"], words["dice_event"].format(m=m))
    else:
        counted = ([f"m = {m}"], words["dice_count"].format(m=m))
    return [space, counted], n, m


def _urn(problem: Problem, event: _Event, words: dict[str, str]) -> tuple[list[Written], int, int]:
    red, white = _whole(problem, "red", 0, 20), _whole(problem, "white", 0, 20)
    draw = _whole(problem, "draw", 1, red + white)
    if event.subject not in ("red", "white"):
        raise UnsupportedProblemError(f"{problem.id}: event {event.subject} does not apply to an urn")
    chosen, other = (red, white) if event.subject == "red" else (white, red)
    ways = [(j, draw - j) for j in range(draw + 1) if event.holds(j) and j <= chosen and draw - j <= other]
    n = math.comb(red + white, draw)
    m = sum(math.comb(chosen, j) * math.comb(other, rest) for j, rest in ways)
    terms = [f"C_{{{chosen}}}^{{{j}}} \\cdot C_{{{other}}}^{{{rest}}}" for j, rest in ways]
    values = [str(math.comb(chosen, j) * math.comb(other, rest)) for j, rest in ways]
    count = f"m = {' + '.join(terms)}" + (f" = {' + '.join(values)}" if len(ways) > 1 else "") + f" = {m}"
    space: Written = (
        [f"n = C_{{{red + white}}}^{{{draw}}} = {n}"],
        words["urn_space"].format(total=red + white, draw=draw, n=n),
    )
    return [space, ([count if ways else "m = 0"], words["urn_event"].format(m=m))], n, m


def _coins(problem: Problem, event: _Event, words: dict[str, str]) -> tuple[list[Written], int, int]:
    coins = _whole(problem, "coins", 1, 10)
    if event.subject != "heads":
        raise UnsupportedProblemError(f"{problem.id}: event {event.subject} does not apply to coins")
    heads = [j for j in range(coins + 1) if event.holds(j)]
    n, m = 2**coins, sum(math.comb(coins, j) for j in heads)
    terms = " + ".join(f"C_{{{coins}}}^{{{j}}}" for j in heads)
    values = " + ".join(str(math.comb(coins, j)) for j in heads)
    count = f"m = {terms}{f' = {values}' if len(heads) > 1 else ''} = {m}" if heads else "m = 0"
    space: Written = ([f"n = 2^{{{coins}}} = {n}"], words["coin_space"].format(coins=coins, n=n))
    return [space, ([count], words["coin_event"].format(coins=coins, m=m))], n, m


TEMPLATES = {"dice": _dice, "red": _urn, "coins": _coins}


@solves("classical_probability")
def classical_probability(problem: Problem) -> Solution:
    words = PHRASES[problem.language]
    template = next((name for name in TEMPLATES if name in problem.facts), None)
    if template is None:
        raise UnsupportedProblemError(f"{problem.id}: facts {problem.facts} are not dice, an urn or coins")
    steps, n, m = TEMPLATES[template](problem, _event(problem), words)
    p = sympy.Rational(m, n)
    shown = f"\\frac{{{m}}}{{{n}}}"
    line = (
        f"P(A) = \\frac{{m}}{{n}} = {shown} = {tex(p)}" if p.q != n else f"P(A) = \\frac{{m}}{{n}} = {shown}"
    )
    steps.append(([line], words["probability"].format(p=f"{m}/{n} = {p}" if p.q != n else p)))
    summary = words["probability_summary"].format(n=n, m=m, p=p)
    return worked(problem, steps, f"P = {tex(p)}", summary)
