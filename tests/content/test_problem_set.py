"""The benchmark's problem set (bench/data/problems.yaml): well formed, every class covered, every
hand-worked answer readable, the comparer able to tell a wrong answer; and, slow, the offline
expert solving the whole set with no wrong answer."""

from __future__ import annotations

import re
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any, get_args

import pytest

from bench.solve import UNSUPPORTED, Unreadable, load, read_expected, run_one, summarize
from mathcast.content.reader import read_problem
from mathcast.lesson import Problem, ProblemKind

ITEMS = load()
SUPPORTED = [item for item in ITEMS if item["kind"] != UNSUPPORTED]
KEYS_BY_KIND = {
    "roots": {"linear_equation", "quadratic_equation", "rational_equation", "absolute_value_equation",
              "exponential_equation", "logarithmic_equation"},
    "solution": {"linear_system"},
    "set": {"linear_inequality", "quadratic_inequality", "rational_inequality"},
    "expression": {"linear_function", "quadratic_function", "derivative", "trig_identity",
                   "arithmetic_sequence", "geometric_sequence"},
    "values": {"arithmetic_sequence", "geometric_sequence", "trig_value", "counting", "classical_probability",
               "triangle", "vector"},
    "monotonic": {"monotonic_intervals"},
    "extrema": {"extrema"},
    "refused": {UNSUPPORTED},
}  # fmt: skip


def test_at_least_150_problems_with_unique_ids() -> None:
    assert len(ITEMS) >= 150
    ids = [item["id"] for item in ITEMS]
    assert len(set(ids)) == len(ids)
    assert all(set(item) == {"id", "kind", "text", "expect"} for item in ITEMS)


def test_every_class_has_five_problems_and_some_must_be_refused() -> None:
    counts = Counter(item["kind"] for item in ITEMS)
    kinds = set(get_args(ProblemKind))
    assert set(counts) == kinds | {UNSUPPORTED}
    assert {kind: n for kind, n in counts.items() if n < 5} == {}
    assert counts[UNSUPPORTED] >= 10


def test_mostly_chinese_with_english_mixed_in() -> None:
    chinese = sum(bool(re.search(r"[\u4e00-\u9fff]", item["text"])) for item in ITEMS)
    assert chinese > len(ITEMS) / 2
    assert len(ITEMS) - chinese >= 20


@pytest.mark.parametrize("item", ITEMS, ids=[item["id"] for item in ITEMS])
def test_expected_answer_parses_and_fits_the_class(item: dict[str, Any]) -> None:
    key, expected = read_expected(item["expect"])
    assert item["kind"] in KEYS_BY_KIND[key]
    assert expected is not None or key == "solution"


@pytest.mark.parametrize("item", SUPPORTED, ids=[item["id"] for item in SUPPORTED])
def test_every_supported_problem_is_read_as_its_class(item: dict[str, Any]) -> None:
    assert read_problem(item["text"]).kind == item["kind"]


def _differs(expect: dict[str, Any], answer: str, kind: ProblemKind, **fields: Any) -> str | None:
    from bench.solve import EXPECTATIONS

    key, expected = read_expected(expect)
    problem = Problem(id="p", statement="p", language="zh-CN", kind=kind, **fields)
    return EXPECTATIONS[key].differs(expected, answer, problem)


@pytest.mark.parametrize(
    ("expect", "answer", "kind", "right"),
    [
        ({"roots": ["2", "3"]}, "x = 2 或 x = 3", "quadratic_equation", True),
        ({"roots": ["2", "3"]}, "x_1 = 3, x_2 = 2", "quadratic_equation", True),
        ({"roots": ["2", "3"]}, "x = 2", "quadratic_equation", False),
        ({"roots": []}, "无解", "quadratic_equation", True),
        ({"roots": ["2 - \\sqrt{3}", "2 + \\sqrt{3}"]}, "x = 2 \\pm \\sqrt{3}", "quadratic_equation", None),
        ({"set": "(1, 2)"}, "x \\in (1, 2)", "quadratic_inequality", True),
        ({"set": "(1, 2)"}, "1 < x < 2", "quadratic_inequality", True),
        ({"set": "(1, 2)"}, "[1, 2]", "quadratic_inequality", False),
        ({"set": "(-\\infty, +\\infty)"}, "x \\in \\mathbb{R}", "linear_inequality", True),
        ({"solution": {"x": "2", "y": "1"}}, "x = 2, y = 1", "linear_system", True),
        ({"solution": {"x": "2", "y": "1"}}, "x = 1, y = 2", "linear_system", False),
        ({"solution": "none"}, "无解", "linear_system", True),
        ({"expression": "y = 2x + 1"}, "y = 2 x + 1", "linear_function", True),
        ({"expression": "f'(x) = (x+1)e^x"}, "f'(x) = x e^{x} + e^{x}", "derivative", True),
        ({"expression": "f'(x) = (x+1)e^x"}, "f'(x) = x e^{x}", "derivative", False),
        ({"expression": "\\sin x"}, "\\sin x", "trig_identity", True),
        ({"expression": "\\sin x"}, "\\frac{\\sin 2x}{2\\cos x}", "trig_identity", False),  # not simplified
        ({"expression": "a_n = 2 \\cdot 3^{n-1}"}, "a_{n} = 6 \\cdot 3^{n-2}", "geometric_sequence", True),
        ({"values": ["60^\\circ", "120^\\circ"]}, "B = 60^\\circ 或 B = 120^\\circ", "triangle", True),
        ({"values": ["60^\\circ", "120^\\circ"]}, "B = 60^\\circ", "triangle", False),
        ({"values": ["45^\\circ"]}, "\\theta = \\frac{\\pi}{4}", "vector", True),
        ({"values": ["\\frac{1}{6}"]}, "P = \\frac{1}{6}", "classical_probability", True),
        ({"values": ["\\frac{1}{6}"]}, "P = \\frac{1}{3}", "classical_probability", False),
        ({"monotonic": {"increasing": ["(-\\infty, -1)", "(1, +\\infty)"], "decreasing": ["(-1, 1)"]}},
         "增区间 (-\\infty, -1), (1, +\\infty)；减区间 [-1, 1]", "monotonic_intervals", True),
        ({"monotonic": {"increasing": ["(-\\infty, -1)", "(1, +\\infty)"], "decreasing": ["(-1, 1)"]}},
         "increasing (1, +\\infty); decreasing (-1, 1)", "monotonic_intervals", False),
        ({"extrema": {"max": [["-1", "2"]], "min": [["1", "-2"]]}},
         "极大值 f(-1) = 2；极小值 f(1) = -2", "extrema", True),
        ({"extrema": {"max": [], "min": [["0", "1"]]}}, "min f(0) = 1; max none", "extrema", True),
        ({"extrema": {"max": [["-1", "2"]], "min": [["1", "-2"]]}}, "无极值", "extrema", False),
    ],
)  # fmt: skip
def test_the_comparer_tells_right_from_wrong(
    expect: dict[str, Any], answer: str, kind: ProblemKind, right: bool | None
) -> None:
    if right is None:  # an answer the comparer cannot read is unreadable, never right
        with pytest.raises(Unreadable):
            _differs(expect, answer, kind)
        return
    assert (_differs(expect, answer, kind) is None) is right


@pytest.mark.slow
def test_the_offline_expert_solves_the_set_with_no_wrong_answer() -> None:
    with ThreadPoolExecutor(2) as pool:  # two problems at a time, each with its own checking process
        results = list(pool.map(run_one, ITEMS))
    summary = summarize(results)
    failures = [(f["id"], f["outcome"], f["detail"]) for f in summary["failures"]]
    assert summary["overall"]["wrong"] == 0, failures
    assert summary["overall"]["solved %"] >= 95, failures
    assert all(r.outcome == "refused" for r in results if r.kind == UNSUPPORTED), failures
