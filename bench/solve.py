"""Benchmark: the offline expert on problems as users type them, from reading to a verified answer.

    .venv/bin/python bench/solve.py [--problems bench/data/problems.yaml] [--json bench/solve.json]
                                    [--only ID_OR_KIND ...]

Every problem goes read_problem → solve → verify, and its final answer is compared with the one
worked out by hand in the problem file, mathematically (sets, values, expressions; never strings).
Per class and overall:
  solved      a correct and complete final answer (goal: ≥ 95% of the supported problems)
  refused     refused as unsupported (right for the problems marked `unsupported`)
  wrong       an answer that is not the expected one, or an unsupported problem answered (goal: 0)
  unreadable  an answer this benchmark cannot read back
  reader      the reader failed: a supported problem refused, misread or read as another class
  crash       the solver or the verifier raised
  verified    the verifier verified every claim of the solution (the rest: unverifiable or refuted)
  refuted     the verifier refuted a claim of the solution
and the median and p95 seconds per problem (reading, solving and verifying).
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import sympy
import yaml
from rich.console import Console
from rich.table import Table

from mathcast.content.reader import NotSupportedOfflineError, ProblemTextError, read_problem, to_latex
from mathcast.content.solvers import UnsupportedProblemError, solve
from mathcast.lesson import Problem, VerificationReport
from mathcast.verify.claims import solution_claims
from mathcast.verify.parse import MathParseError, parse_math, split_alternatives
from mathcast.verify.sets import Unverifiable, is_empty, single_set, system_set

PROBLEMS = Path(__file__).resolve().parent / "data" / "problems.yaml"
OUTCOMES = ("solved", "refused", "wrong", "unreadable", "reader", "crash")
UNSUPPORTED = "unsupported"
x = sympy.Symbol("x")


class Unreadable(ValueError):
    """An answer (or an expected answer) that cannot be read back as math."""


# --- reading answers: the solver's LaTeX and the hand-written expectations alike, in the reader's
# spelling (\\cos 2x → \\cos(2x)) so the verifier's grammar reads them ---

_ALL_REALS = re.compile(r"\\mathbb\s*\{?R\}?|(?<![A-Za-z\\])R(?![A-Za-z])|全体实数|all real numbers")
_WORDS = re.compile(r"[\u4e00-\u9fff]+|\\text\s*\{[^{}]*\}")


def _math(latex: str) -> sympy.Expr:
    try:
        value = parse_math(to_latex(latex))
    except MathParseError as error:
        raise Unreadable(str(error)) from None
    if not isinstance(value, sympy.Expr):
        raise Unreadable(f"{latex!r} is not an expression")
    return value


def _constant(latex: str) -> sympy.Expr:
    value = _math(latex)
    if value.free_symbols:
        raise Unreadable(f"{latex!r} is not a number")
    return value


def _right_side(latex: str) -> str:
    """`a_{10} = 29` → `29`, `P = \\frac{1}{6}` → `\\frac{1}{6}`; words (种, \\text{...}) dropped."""
    return _WORDS.sub(" ", latex.rsplit("=", 1)[-1]).strip()


def _solution_set(latex: str, variable: sympy.Symbol) -> sympy.Set:
    try:
        return single_set(to_latex(_ALL_REALS.sub(r"(-\\infty, +\\infty)", latex)), variable, sympy.S.Reals)
    except (MathParseError, Unverifiable) as error:
        raise Unreadable(str(error)) from None


_INTERVAL = re.compile(r"[(\[][^,()\[\]]+,[^()\[\]]+[)\]]")


def _intervals(latex: str) -> list[tuple[sympy.Expr, sympy.Expr]]:
    """The ends of every interval written (brackets are a convention for monotonic intervals)."""
    ends = []
    for written in _INTERVAL.findall(latex):
        interval = _solution_set(f"x \\in {written}", x)
        if not isinstance(interval, sympy.Interval):
            raise Unreadable(f"{written!r} is not an interval")
        ends.append((interval.start, interval.end))
    return ends


def _labelled(latex: str, labels: dict[str, str]) -> dict[str, str]:
    """The text after each label up to the next one: 增区间 ...；减区间 ... → {increasing: ..., ...}."""
    pattern = "|".join(f"(?P<{name}>{words})" for name, words in labels.items())
    found = list(re.finditer(pattern, latex, re.IGNORECASE))
    parts: dict[str, str] = {name: "" for name in labels}
    for match, following in zip(found, [*found[1:], None], strict=False):
        end = following.start() if following else len(latex)
        parts[str(match.lastgroup)] += " " + latex[match.end() : end]
    return parts


_MONOTONIC = {"increasing": r"增|increas", "decreasing": r"减|decreas"}
_EXTREMA = {"max": r"极大|max", "min": r"极小|min"}
_POINT_VALUE = re.compile(r"f\s*\(\s*([^()]+?)\s*\)\s*=\s*([^,;，；]+)")


def _monotonic(latex: str) -> dict[str, list[tuple[sympy.Expr, sympy.Expr]]]:
    return {name: _intervals(part) for name, part in _labelled(latex, _MONOTONIC).items()}


def _extrema(latex: str) -> dict[str, list[tuple[sympy.Expr, sympy.Expr]]]:
    parts = _labelled(latex, _EXTREMA)
    return {
        name: [(_constant(at), _constant(_WORDS.sub(" ", value))) for at, value in _POINT_VALUE.findall(part)]
        for name, part in parts.items()
    }


def _system(latex: str, unknowns: Sequence[str]) -> list[tuple[sympy.Expr, ...]]:
    try:
        return sorted(
            system_set(to_latex(latex), [sympy.Symbol(u) for u in unknowns]), key=sympy.default_sort_key
        )
    except (MathParseError, Unverifiable) as error:
        raise Unreadable(str(error)) from None


# --- comparing ---


def _same(a: sympy.Expr, b: sympy.Expr) -> bool:
    """Equal as math: exactly when sympy can tell, else at sample points of every variable."""
    if a == b or sympy.simplify(a - b) == 0:
        return True
    symbols = sorted(a.free_symbols | b.free_symbols, key=str)
    if not symbols:
        return bool(abs(complex(sympy.N(a - b, 30))) < 1e-20)
    agreed = 0
    for sample in (0.3, 0.7, 1.3, 2.1, 2.9, 4.0):
        point = dict.fromkeys(symbols, sample)
        left, right = complex(sympy.N(a.subs(point))), complex(sympy.N(b.subs(point)))
        if any(v != v or abs(v) == float("inf") for v in (left, right)):  # NaN or a pole
            continue
        if abs(left - right) > 1e-9 * max(1.0, abs(left)):
            return False
        agreed += 1
    return agreed >= 3


def _same_lists(expected: Sequence[Any], got: Sequence[Any]) -> bool:
    """The same items in any order: numbers, or tuples of numbers."""
    if len(expected) != len(got):
        return False
    remaining = list(got)
    for item in expected:
        match = next((g for g in remaining if _same_items(item, g)), None)
        if match is None:
            return False
        remaining.remove(match)
    return True


def _same_items(a: Any, b: Any) -> bool:
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_same(p, q) for p, q in zip(a, b, strict=True))
    return _same(a, b)


def _variable(problem: Problem) -> sympy.Symbol:
    return sympy.Symbol(problem.unknowns[0]) if problem.unknowns and problem.kind != "linear_function" else x


@dataclass(frozen=True)
class Expected:
    """One hand-worked answer, read: `read` parses the expectation, `differs` compares an answer."""

    read: Callable[[Any], Any]
    differs: Callable[[Any, str, Problem], str | None]


def _roots_differ(roots: sympy.Set, answer: str, problem: Problem) -> str | None:
    got = _solution_set(answer, _variable(problem))
    return None if is_empty(sympy.SymmetricDifference(got, roots)) else f"roots {got}, expected {roots}"


def _set_differs(expected: sympy.Set, answer: str, problem: Problem) -> str | None:
    got = _solution_set(answer, _variable(problem))
    return None if is_empty(sympy.SymmetricDifference(got, expected)) else f"set {got}, expected {expected}"


def _read_solution(solution: dict[str, str] | str) -> dict[str, sympy.Expr] | None:
    if solution == "none":
        return None
    if not isinstance(solution, dict):
        raise Unreadable(f"a system's solution is a mapping or none, not {solution!r}")
    return {name: _constant(str(value)) for name, value in solution.items()}


def _solution_differs(expected: dict[str, sympy.Expr] | None, answer: str, problem: Problem) -> str | None:
    unknowns = list(expected) if expected else problem.unknowns
    got = _system(answer, unknowns)
    want = [tuple(expected.values())] if expected else []
    return None if _same_lists(want, got) else f"solutions {got}, expected {want}"


def _expression_differs(expected: sympy.Expr, answer: str, problem: Problem) -> str | None:
    got = _math(_right_side(answer))
    if not _same(expected, got):
        return f"{got}, expected {expected}"
    if problem.kind == "trig_identity" and sympy.count_ops(got) > sympy.count_ops(expected):
        return f"{got} is not simplified as far as {expected}"
    return None


def _values_differ(expected: list[sympy.Expr], answer: str, problem: Problem) -> str | None:
    got = [_constant(_right_side(part)) for part in split_alternatives(answer)]
    return None if _same_lists(expected, got) else f"values {got}, expected {expected}"


def _pairs_differ(
    reading: Callable[[str], dict[str, list[tuple[sympy.Expr, sympy.Expr]]]],
) -> Callable[[dict[str, list[tuple[sympy.Expr, sympy.Expr]]], str, Problem], str | None]:
    def differs(
        expected: dict[str, list[tuple[sympy.Expr, sympy.Expr]]], answer: str, _: Problem
    ) -> str | None:
        got = reading(answer)
        wrong = [name for name in expected if not _same_lists(expected[name], got[name])]
        return f"{', '.join(wrong)}: {got}, expected {expected}" if wrong else None

    return differs


def _pairs(values: dict[str, list[Sequence[str]]]) -> dict[str, list[tuple[sympy.Expr, sympy.Expr]]]:
    return {name: [(_constant(a), _constant(b)) for a, b in pairs] for name, pairs in values.items()}


EXPECTATIONS: dict[str, Expected] = {
    "roots": Expected(lambda roots: sympy.FiniteSet(*(_constant(r) for r in roots)), _roots_differ),
    "solution": Expected(_read_solution, _solution_differs),
    "set": Expected(lambda text: _solution_set(text, x), _set_differs),
    "expression": Expected(lambda text: _math(_right_side(text)), _expression_differs),
    "values": Expected(lambda values: [_constant(v) for v in values], _values_differ),
    "monotonic": Expected(
        lambda parts: {
            name: [i for text in texts for i in _intervals(text)] for name, texts in parts.items()
        },
        _pairs_differ(_monotonic),
    ),
    "extrema": Expected(_pairs, _pairs_differ(_extrema)),
    "refused": Expected(lambda flag: flag, lambda *_: "answered a problem that must be refused"),
}


def read_expected(expect: dict[str, Any]) -> tuple[str, Any]:
    """(key, the expectation read as math); Unreadable if it is not one known key or does not parse."""
    if len(expect) != 1 or next(iter(expect)) not in EXPECTATIONS:
        raise Unreadable(f"expect needs exactly one of {', '.join(EXPECTATIONS)}, not {sorted(expect)}")
    key, value = next(iter(expect.items()))
    return key, EXPECTATIONS[key].read(value)


# --- running ---


@dataclass
class Result:
    id: str
    kind: str
    outcome: str
    seconds: float
    read_as: str = ""
    answer: str = ""
    verdict: str = ""
    detail: str = ""


def load(path: Path = PROBLEMS) -> list[dict[str, Any]]:
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(items, list):
        raise ValueError(f"{path} is not a list of problems")
    return items


def run_one(item: dict[str, Any]) -> Result:
    started = time.perf_counter()
    result = Result(id=item["id"], kind=item["kind"], outcome="crash", seconds=0.0)
    try:
        _attempt(item, result)
    finally:
        result.seconds = time.perf_counter() - started
    return result


def _attempt(item: dict[str, Any], result: Result) -> None:
    supported = item["kind"] != UNSUPPORTED
    try:
        problem = read_problem(item["text"])
    except NotSupportedOfflineError as error:
        result.outcome, result.detail = ("reader" if supported else "refused"), str(error)[:300]
        return
    except ProblemTextError as error:
        result.outcome, result.detail = "reader", str(error)[:300]
        return
    result.read_as = problem.kind
    if supported and problem.kind != item["kind"]:
        result.outcome, result.detail = "reader", f"read as {problem.kind}"
        return
    try:
        solution = solve(problem)
    except UnsupportedProblemError as error:
        result.outcome, result.detail = "refused", str(error)[:300]
        return
    except Exception as error:  # a solver bug: reported, not fatal to the run
        result.detail = f"solver: {type(error).__name__}: {error}"[:300]
        return
    result.answer = solution.answer
    try:
        result.verdict = VerificationReport(claims=solution_claims(problem, solution)).overall
    except Exception as error:  # a verifier bug: reported, the answer is still compared
        result.verdict, result.detail = "crash", f"verifier: {type(error).__name__}: {error}"[:300]
    key, expected = read_expected(item["expect"])
    try:
        differs = EXPECTATIONS[key].differs(expected, solution.answer, problem)
    except (Unreadable, Unverifiable) as error:
        result.outcome, result.detail = "unreadable", str(error)[:300]
        return
    result.outcome = "wrong" if differs else "solved"
    result.detail = differs or result.detail


def run(items: Sequence[dict[str, Any]], progress: Callable[[Result], None] | None = None) -> list[Result]:
    results = []
    for item in items:
        results.append(run_one(item))
        if progress is not None:
            progress(results[-1])
    return results


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summarize(results: Sequence[Result]) -> dict[str, Any]:
    def row(group: Sequence[Result]) -> dict[str, Any]:
        seconds = [r.seconds for r in group]
        counts: dict[str, Any] = {o: sum(r.outcome == o for r in group) for o in OUTCOMES}
        supported = [r for r in group if r.kind != UNSUPPORTED]
        return {
            "items": len(group),
            **counts,
            "verified": sum(r.verdict == "verified" for r in group),
            "refuted": sum(r.verdict == "refuted" for r in group),
            "solved %": 100 * sum(r.outcome == "solved" for r in supported) / len(supported)
            if supported
            else None,
            "median s": statistics.median(seconds) if seconds else 0.0,
            "p95 s": _percentile(seconds, 0.95),
        }

    by_kind: dict[str, list[Result]] = defaultdict(list)
    for result in results:
        by_kind[result.kind].append(result)
    return {
        "classes": {kind: row(group) for kind, group in sorted(by_kind.items())},
        "overall": row(results),
        "failures": [
            asdict(r) for r in results if r.outcome != ("refused" if r.kind == UNSUPPORTED else "solved")
        ],
    }


def _print(summary: dict[str, Any], console: Console) -> None:
    columns = ["items", *OUTCOMES, "verified", "refuted", "solved %", "median s", "p95 s"]
    table = Table(title="mathcast solve: offline expert on the problem set")
    table.add_column("class", no_wrap=True)
    for column in columns:
        table.add_column(column, justify="right")
    rows = {**summary["classes"], "overall": summary["overall"]}
    for name, row in rows.items():
        cells = [
            "" if row[c] is None else f"{row[c]:.1f}" if isinstance(row[c], float) else str(row[c] or "")
            for c in columns
        ]
        table.add_row(name, *cells, end_section=name == list(summary["classes"])[-1])
    console.print(table)
    for failure in summary["failures"]:
        line = f"{failure['outcome']:<10} {failure['id']:<18} {failure['answer']!r} {failure['detail'][:160]}"
        console.print(line, soft_wrap=True, markup=False, highlight=False)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--problems", type=Path, default=PROBLEMS)
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    parser.add_argument("--only", nargs="*", default=[], help="Problem ids or classes to run.")
    args = parser.parse_args()

    items = [
        i for i in load(args.problems) if not args.only or i["id"] in args.only or i["kind"] in args.only
    ]
    console = Console(width=max(Console().width, 150))  # the table's twelve columns

    def progress(result: Result) -> None:
        console.print(
            f"{result.outcome:<10} {result.seconds:6.2f} s  {result.id}", markup=False, highlight=False
        )

    results = run(items, progress)
    summary = summarize(results)
    _print(summary, console)
    if args.json:
        body = {**summary, "results": [asdict(r) for r in results]}
        args.json.write_text(
            json.dumps(body, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
