"""What `mathcast verify` reads: a problem, its task, optional steps and the answer to check.

Formats (LaTeX or plain text; Chinese connectives 或 / 且 / 所以 / ∴ are understood):

- solve: `problem` is an equation, inequality, or a system (equations separated by `,` `;`
  or in `\\begin{cases}`); steps are equations, inequalities, disjunctions (`x = 2 或 x = 3`)
  or systems; the answer is roots (`x = 2 或 x = 3`, `x_1 = 2, x_2 = 3`), a set
  (`\\{2, 3\\}`), intervals (`x \\in (1, 2]`, `1 < x \\le 2`, `(-\\infty, 1) \\cup (3, +\\infty)`),
  a system's solution (`x = 2, y = 1`) or `无解` / `no solution`.
- simplify: `problem` an expression; steps and answer expressions of the same value.
- evaluate: `problem` a constant expression (trig at special angles included); answer a number.
- differentiate: `problem` f(x); answer f'(x) (steps are rewrites of the derivative).
- compare: `problem` two numbers (`9.11 与 9.8`, `9.11, 9.8`); answer a relation (`9.11 < 9.8`).
- sequence_term / sequence_sum: `problem` the general term (`a_n = 2n - 1`), `n` the index or
  count; answer the term a_n or the sum S_n.
- extrema: `problem` f(x); answer `极大值 f(-1) = 2；极小值 f(1) = -2` (or `max f(-1) = 2; min f(1) = -2`,
  `无极值` / `none`).
- monotonic: `problem` f(x); answer `增区间 (-\\infty, -1), (1, +\\infty)；减区间 (-1, 1)`
  (or `increasing ...; decreasing ...`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mathcast.lesson import Claim, Model, VerdictKind

Task = Literal[
    "solve", "simplify", "evaluate", "differentiate", "compare",
    "sequence_term", "sequence_sum", "extrema", "monotonic",
]  # fmt: skip
MAX_FIELD_CHARS = 200_000  # beyond this the file is unreadable; the parser's own limit is far lower


class VerifyRequest(Model):
    problem: str = Field(min_length=1, max_length=MAX_FIELD_CHARS)
    task: Task
    variable: str | None = Field(default=None, max_length=40, description="x, or x,y for a system.")
    steps: list[str] = Field(default_factory=list, max_length=50)
    answer: str | None = Field(default=None, max_length=MAX_FIELD_CHARS)
    n: int | None = Field(default=None, ge=1, le=10_000, description="Index or count for sequences.")


class VerifyOutcome(Model):
    """Every claim's verdict; the whole is refuted if any claim is, verified only if all are."""

    verdict: VerdictKind
    claims: list[Claim]
