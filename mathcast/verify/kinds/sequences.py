"""Arithmetic and geometric sequences: the true terms come from the definition itself.

The reading starts from unknown a_1 and d (or q) and builds each term by adding d (or
multiplying by q) again and again, and each sum by adding the terms up: no closed formula, so
a slip in the formulas a solution uses shows. The facts give the equations that fix a_1 and d;
the asked term, sum or general term is then compared with the answer, and every chain in the
steps is checked with these values in place of a_1, d, q, a_k, S_k, a_n and S_n.
"""

from __future__ import annotations

import re

import sympy

from mathcast.lesson import Claim, Problem, Solution
from mathcast.verify.kinds.base import reads
from mathcast.verify.kinds.values import (
    Names,
    answer_claims,
    chain_claims,
    fact_number,
    guarded,
    key,
    result_claim,
)
from mathcast.verify.sets import Unverifiable

MAX_INDEX = 500
_NAME = re.compile(r"^([aS])_(\d+|n)$")


class _Iterated:
    """Terms and partial sums of a sequence with symbolic a_1 and d (or q), built one by one."""

    def __init__(self, geometric: bool) -> None:
        self.geometric = geometric
        self.first, self.step = sympy.symbols("first step")
        self.terms = [self.first]
        self.sums = [self.first]

    def _reach(self, k: int) -> None:
        if not 1 <= k <= MAX_INDEX:
            raise Unverifiable(f"index {k} is outside 1..{MAX_INDEX}")
        while len(self.terms) < k:
            last = self.terms[-1]
            self.terms.append(sympy.expand(last * self.step if self.geometric else last + self.step))
            self.sums.append(sympy.expand(self.sums[-1] + self.terms[-1]))

    def term(self, k: int) -> sympy.Expr:
        self._reach(k)
        return self.terms[k - 1]

    def total(self, k: int) -> sympy.Expr:
        self._reach(k)
        return self.sums[k - 1]

    def general(self) -> sympy.Expr:
        """a_n: the n-th term after n - 1 additions of d (or multiplications by q)."""
        n = sympy.Symbol("n")
        return self.first * self.step ** (n - 1) if self.geometric else self.first + (n - 1) * self.step


def _value_of(iterated: _Iterated, name: str) -> sympy.Expr | None:
    """What a name stands for in terms of first and step: a_1, d, q, a_5, S_5, a_n, S_n."""
    if name in ("d", "q"):
        return iterated.step if (name == "q") == iterated.geometric else None
    match = _NAME.match(name)
    if match is None:
        return None
    letter, index = match.groups()
    if index != "n":
        return iterated.term(int(index)) if letter == "a" else iterated.total(int(index))
    if letter == "a":
        return iterated.general()
    n, i = sympy.symbols("n i", integer=True, positive=True)
    return sympy.summation(iterated.general().subs(sympy.Symbol("n"), i), (i, 1, n)).subs(
        n, sympy.Symbol("n")
    )


def _fitting(problem: Problem, iterated: _Iterated) -> list[dict[sympy.Symbol, sympy.Expr]]:
    """Every real (first, step) that makes the facts true."""
    equations = []
    for name, text in problem.facts.items():
        made = _value_of(iterated, key(name))
        if made is None or key(name) in ("a_n", "S_n"):
            raise Unverifiable(f"the fact {name!r} is not a_k, S_k, d or q")
        equations.append(sympy.Eq(made, fact_number(text)))
    unknowns = [iterated.first, iterated.step]
    found = [s for s in sympy.solve(equations, unknowns, dict=True) if set(s) == set(unknowns)]
    real = [s for s in found if all(v.is_real for v in s.values())]
    if iterated.geometric:
        real = [s for s in real if 0 not in s.values()]
    if not real:  # sympy also returns nothing when it cannot solve (a_1(1 + q + ... + q^39) = 5)
        raise Unverifiable(f"found no real sequence with {problem.facts}")
    return real


def _names(iterated: _Iterated, fitting: list[dict[sympy.Symbol, sympy.Expr]], problem: Problem) -> Names:
    """Every name read as its true value when the facts fix one sequence; else only the facts."""
    given = {key(name): text for name, text in problem.facts.items()}

    def value(token: str) -> str | None:
        name = key(token)
        if len(fitting) != 1:
            return given.get(name)
        made = _value_of(iterated, name)
        return None if made is None else sympy.latex(sympy.simplify(made.subs(fitting[0])))

    return Names(value=value, free=frozenset({"n"}))


@reads("arithmetic_sequence", "geometric_sequence")
@guarded
def sequence_claims(problem: Problem, solution: Solution) -> list[Claim]:
    iterated = _Iterated(geometric=problem.kind == "geometric_sequence")
    fitting = _fitting(problem, iterated)
    asked = _value_of(iterated, key(problem.ask))
    if asked is None or key(problem.ask) == "S_n":
        raise Unverifiable(f"ask {problem.ask!r} is not a_n, a_k or S_k")
    claims: list[Claim] = []
    chain_claims(problem, solution, _names(iterated, fitting, problem), claims)
    truth = list(dict.fromkeys(sympy.latex(sympy.simplify(asked.subs(s))) for s in fitting))
    answer_claims(problem, solution, truth, problem.ask, claims)
    if len(truth) == 1:
        result_claim(problem, solution, claims)
    return claims
