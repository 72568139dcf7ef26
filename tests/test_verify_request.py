"""The verifier's verdicts on gold cases: (request, expected overall verdict, a phrase of the reason)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mathcast.cli import app
from mathcast.verify.check import judged, verify_request
from mathcast.verify.parse import normalize, split_alternatives, split_conditions
from mathcast.verify.request import VerifyRequest

CASES = [
    # solve: equations, steps that keep, lose or add solutions
    ({"problem": "x^2 - 5x + 6 = 0", "task": "solve", "variable": "x",
      "steps": ["(x-2)(x-3) = 0", r"x - 2 = 0 \text{ 或 } x - 3 = 0"], "answer": r"x = 2 \text{ 或 } x = 3"},
     "verified", "same solution set"),
    ({"problem": "x^2 - 5x + 6 = 0", "task": "solve", "steps": ["(x-2)(x-4) = 0"], "answer": "x = 2 或 x = 4"},
     "refuted", "loses solutions"),
    ({"problem": "x^2 = 2x", "task": "solve", "steps": ["x = 2"], "answer": "x = 2"}, "refuted", "loses solutions"),
    ({"problem": r"\sqrt{x+1} = x - 1", "task": "solve", "steps": ["x + 1 = (x-1)^2", "x^2 - 3x = 0", "x = 0 或 x = 3"],
      "answer": "x = 3"}, "verified", "adds candidates x = 0"),
    ({"problem": r"\sqrt{x+1} = x - 1", "task": "solve", "answer": "x = 0 或 x = 3"}, "refuted", "x = 0, not a solution"),
    ({"problem": r"\log_2(x) + \log_2(x-2) = 3", "task": "solve", "answer": "x = 4 或 x = -2"},
     "refuted", "outside the domain"),
    ({"problem": r"\frac{x}{x-1} = \frac{1}{x-1}", "task": "solve", "answer": "x = 1"}, "refuted", "outside the domain"),
    ({"problem": "x^2 = 4", "task": "solve", "answer": "x = 2"}, "refuted", "misses solutions"),
    ({"problem": "x^2 = 4", "task": "solve", "answer": r"x_1 = 2, x_2 = -2"}, "verified", "exactly"),
    ({"problem": "x^2 + 1 = 0", "task": "solve", "answer": "无解"}, "verified", "exactly"),
    ({"problem": "x^2 + 1 = 0", "task": "solve", "answer": "x = 1"}, "refuted", "not a solution"),
    # inequalities: flips and exact interval ends
    ({"problem": "-2x > 4", "task": "solve", "steps": ["x > -2"], "answer": "x > -2"}, "refuted", "loses solutions"),
    ({"problem": "-2x > 4", "task": "solve", "steps": ["x < -2"], "answer": r"x \in (-\infty, -2)"}, "verified", "exactly"),
    ({"problem": "x^2 - 3x + 2 < 0", "task": "solve", "answer": r"x \in (1, 2)"}, "verified", "exactly"),
    ({"problem": "x^2 - 3x + 2 < 0", "task": "solve", "answer": r"x \in [1, 2]"}, "refuted", "x = 1"),
    ({"problem": r"x^2 - 3x + 2 \le 0", "task": "solve", "answer": r"x \in [1, 2)"}, "refuted", "misses"),
    ({"problem": r"x^2 - 3x + 2 \le 0", "task": "solve", "answer": r"1 \le x \le 2"}, "verified", "exactly"),
    ({"problem": "x^2 - 4x + 3 > 0", "task": "solve", "answer": r"x < 1 或 x > 3"}, "verified", "exactly"),
    ({"problem": "x^2 - 4x + 3 > 0", "task": "solve", "answer": r"(-\infty, 1) \cup (3, +\infty)"}, "verified", "exactly"),
    ({"problem": "x^2 - 4x + 3 > 0", "task": "solve", "answer": r"(-\infty, 1] \cup [3, +\infty)"}, "refuted", "not a solution"),
    ({"problem": "x^2 < 4", "task": "solve", "steps": ["x < 2"], "answer": "x < 2"}, "refuted", "widens"),
    # systems
    ({"problem": r"\begin{cases} x + y = 3 \\ x - y = 1 \end{cases}", "task": "solve", "variable": "x,y",
      "steps": ["2x = 4, x - y = 1"], "answer": "x = 2, y = 1"}, "verified", "exactly"),
    ({"problem": "x + y = 3, x - y = 1", "task": "solve", "variable": "x,y", "answer": "x = 1, y = 2"},
     "refuted", "not a solution"),
    # rewrites, values, derivatives
    ({"problem": "(x+1)^2 - (x-1)^2", "task": "simplify", "steps": ["x^2+2x+1-(x^2-2x+1)"], "answer": "4x"},
     "verified", "symbolic"),
    ({"problem": "(x+1)^2", "task": "simplify", "answer": "x^2 + 1"}, "refuted", "differ"),
    ({"problem": r"\sin\frac{\pi}{6} + 2^{3}", "task": "evaluate", "answer": r"\frac{17}{2}"}, "verified", "symbolic"),
    ({"problem": r"\cos 60^\circ", "task": "evaluate", "answer": r"\frac{\sqrt{3}}{2}"}, "refuted", "differ"),
    ({"problem": r"\tan\frac{\pi}{4} + \sin\frac{\pi}{2}", "task": "evaluate", "answer": "2"}, "verified", "symbolic"),
    ({"problem": "0.1 + 0.2", "task": "evaluate", "answer": "0.3"}, "verified", "symbolic"),
    ({"problem": "x^3 - 3x", "task": "differentiate", "answer": "3x^2 - 3"}, "verified", "symbolic"),
    ({"problem": "x^3 - 3x", "task": "differentiate", "answer": "f'(x) = 3x^2 - 3x"}, "refuted", "differ"),
    ({"problem": r"\ln x + x^2", "task": "differentiate", "answer": r"\frac{1}{x} + 2x"}, "verified", "symbolic"),
    # comparisons: the seed's 9.11 vs 9.8
    ({"problem": "9.11 与 9.8", "task": "compare", "answer": "9.11 < 9.8"}, "verified", "holds exactly"),
    ({"problem": "9.11 与 9.8", "task": "compare", "answer": "9.11 > 9.8"}, "refuted", "false"),
    ({"problem": r"\frac{1}{3}, 0.33", "task": "compare", "answer": r"\frac{1}{3} > 0.33"}, "verified", "holds"),
    # sequences
    ({"problem": "a_n = 2n - 1", "task": "sequence_sum", "n": 10, "answer": "S_{10} = 100"}, "verified", "symbolic"),
    ({"problem": "a_n = 2n - 1", "task": "sequence_term", "n": 5, "answer": "a_5 = 10"}, "refuted", "differ"),
    ({"problem": r"a_n = 3 \cdot 2^{n-1}", "task": "sequence_sum", "n": 5, "answer": "93"}, "verified", "symbolic"),
    # extrema and monotonic intervals
    ({"problem": "x^3 - 3x", "task": "extrema", "answer": "极大值 f(-1) = 2；极小值 f(1) = -2"}, "verified", "every"),
    ({"problem": "x^3 - 3x", "task": "extrema", "answer": "max f(-1) = 2"}, "refuted", "misses"),
    ({"problem": "x^3 - 3x", "task": "extrema", "answer": "极大值 f(1) = 2；极小值 f(-1) = -2"}, "refuted", "no local"),
    ({"problem": "x^3", "task": "extrema", "answer": "无极值"}, "verified", "every"),
    ({"problem": "x^3 - 3x", "task": "monotonic", "answer": r"增区间 (-\infty, -1), (1, +\infty)；减区间 (-1, 1)"},
     "verified", "right"),
    ({"problem": "x^3 - 3x", "task": "monotonic", "answer": r"increasing (-1, 1); decreasing (-\infty, -1), (1, +\infty)"},
     "refuted", "wrong increasing"),
    # bad input: unverifiable with a reason, never a crash or an execution
    ({"problem": "x^2 = 4", "task": "solve", "steps": [r"\input{/etc/passwd}"], "answer": "__import__('os').system('id')"},
     "unverifiable", "cannot read"),
    ({"problem": "x = 1", "task": "solve", "answer": "x = " + "1+" * 50_000 + "1"}, "unverifiable", "limit is 400"),
    ({"problem": "x = (((((((((((((((1)))))))))))))))", "task": "solve", "answer": "x = 1"}, "unverifiable", "nests"),
    ({"problem": "x^2 = 4", "task": "solve"}, "unverifiable", "neither steps nor an answer"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("request_", "verdict", "phrase"), CASES, ids=[f"{c[0]['task']}-{i}" for i, c in enumerate(CASES)]
)
def test_gold_cases(request_: dict[str, object], verdict: str, phrase: str) -> None:
    outcome = verify_request(VerifyRequest.model_validate(request_))
    assert outcome.verdict == verdict, [c.verdict for c in outcome.claims]
    reasons = " | ".join(f"{c.verdict.reason} {c.verdict.counterexample or ''}" for c in outcome.claims)
    assert phrase in reasons


def test_refuted_claims_carry_a_counterexample() -> None:
    outcome = verify_request(VerifyRequest(problem="x^2 = 2x", task="solve", steps=["x = 2"], answer="x = 2"))
    step = outcome.claims[0]
    assert step.verdict.verdict == "refuted" and step.verdict.counterexample == "x = 0"


@pytest.mark.parametrize(
    ("text", "normal"),
    [
        ("所以 x ≥ −1，", r"x \ge -1,"),
        (r"∴ x = 9.11", r"x = \frac{911}{100}"),
        (r"\dfrac{1}{2} \leqslant x", r"\frac{1}{2} \le x"),
        (r"\sin 30^\circ", r"{\sin(30 \cdot \frac{ P_{mathcastpi}}{180})}"),
    ],
)
def test_normalisation(text: str, normal: str) -> None:
    assert normalize(text) == normal


def test_chinese_connectives_split_alternatives_and_conditions() -> None:
    assert split_alternatives(r"x = 2 \text{ 或 } x = 3") == ["x = 2", "x = 3"]
    assert split_alternatives("x = 2 或者 x = -2") == ["x = 2", "x = -2"]
    assert split_conditions("x > 1 且 x < 3") == ["x > 1", "x < 3"]
    assert split_conditions(r"\begin{cases} x + y = 3 \\ x - y = 1 \end{cases}") == ["x + y = 3", "x - y = 1"]
    assert split_conditions(r"x \in (1, 2]") == [r"x \in (1, 2]"]


def test_a_slow_check_times_out_from_a_worker_thread() -> None:
    """The limit works off the main thread (Prefect's task threads), and the next check still runs."""
    verdicts = []
    thread = threading.Thread(
        target=lambda: verdicts.append(
            judged("check_same_value", "(x+y+1)^{60}", "(x+y)^{60} + 1", seconds=0.3)
        )
    )
    thread.start()
    thread.join(timeout=30)
    assert verdicts and verdicts[0].verdict == "unverifiable" and "took too long" in verdicts[0].reason
    assert judged("check_same_value", "2x + 2", "2(x+1)").verdict == "verified"


def test_cli_prints_json_verdicts(tmp_path: Path) -> None:
    file = tmp_path / "p.json"
    file.write_text(json.dumps(CASES[1][0]), encoding="utf-8")
    result = CliRunner().invoke(app, ["verify", str(file), "--json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["verdict"] == "refuted"
    assert {"index", "kind", "verdict", "reason"} <= set(body["claims"][0])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not a verify request"),
        ('{"problem": "x = 1", "task": "integrate"}', "task"),
        ('{"task": "solve"}', "problem"),
    ],
)
def test_cli_unreadable_input_exits_2(tmp_path: Path, content: str, message: str) -> None:
    file = tmp_path / "bad.json"
    file.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(app, ["verify", str(file)])
    assert result.exit_code == 2
    assert message in result.output
