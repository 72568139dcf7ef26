"""`verify_request`: a problem, its steps and its answer become claims, each with a verdict.

Every check runs under a time limit in the checking process; whatever it cannot read or
decide is `unverifiable` with the reason, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mathcast.lesson import Claim, ClaimKind, Verdict, VerificationReport
from mathcast.verify.limits import CheckTimeout, run_limited, verdict_of
from mathcast.verify.parse import MathParseError
from mathcast.verify.request import VerifyOutcome, VerifyRequest
from mathcast.verify.sets import Unverifiable

CLAIM_SECONDS = 10.0


def judged(check: str, *args: Any, seconds: float = CLAIM_SECONDS) -> Verdict:
    """Run one check with a time limit; unreadable or undecidable input becomes `unverifiable`."""
    try:
        return verdict_of(run_limited(check, *args, seconds=seconds))
    except CheckTimeout as error:
        return Verdict(verdict="unverifiable", reason=f"the check took too long: {error}")
    except (MathParseError, Unverifiable) as error:
        return Verdict(verdict="unverifiable", reason=str(error))
    except Exception as error:  # sympy raises NotImplementedError, TypeError, RecursionError...
        return Verdict(
            verdict="unverifiable", reason=f"sympy could not decide: {type(error).__name__}: {error}"[:300]
        )


def computed(function: str, *args: Any) -> str | Verdict:
    """A value the claims compare against (f'(x), a_n), or the verdict saying why there is none."""
    try:
        return str(run_limited(function, *args, seconds=CLAIM_SECONDS))
    except CheckTimeout as error:
        return Verdict(verdict="unverifiable", reason=f"the check took too long: {error}")
    except Exception as error:
        return Verdict(verdict="unverifiable", reason=f"cannot compute the reference value: {error}"[:300])


class _Claims:
    def __init__(self) -> None:
        self.items: list[Claim] = []

    def add(self, kind: ClaimKind, statement: str, verdict: Verdict) -> None:
        self.items.append(Claim(index=len(self.items), kind=kind, statement=statement, verdict=verdict))


def _solve(req: VerifyRequest, claims: _Claims) -> None:
    before: str | None = None
    for step in req.steps:
        claims.add(
            "step_equivalence",
            f"{before or req.problem} ⇒ {step}",
            judged("check_step", req.problem, req.variable, before, step),
        )
        before = step
    if req.answer is None:
        return
    claims.add(
        "answer_complete",
        f"the solutions of {req.problem} are {req.answer}",
        judged("check_answer", req.problem, req.variable, req.answer),
    )
    substitution = judged("check_substitution", req.problem, req.variable, req.answer)
    if not substitution.reason.startswith("not a finite set"):
        claims.add("answer_satisfies", f"{req.answer} satisfies {req.problem}", substitution)
    if before is not None:
        claims.add(
            "answer_matches_steps",
            f"{req.answer} follows from {before}",
            judged("check_answer_follows", req.problem, req.variable, before, req.answer),
        )


def _chain(start: str, req: VerifyRequest, claims: _Claims) -> None:
    """start = step 1 = ... = answer: every link keeps the value, and the answer is the true one."""
    previous = start
    for step in req.steps:
        claims.add("step_rewrite", f"{previous} = {step}", judged("check_same_value", previous, step))
        previous = step
    if req.answer is None:
        return
    if req.steps:
        claims.add(
            "answer_matches_steps",
            f"{previous} = {req.answer}",
            judged("check_same_value", previous, req.answer),
        )
    claims.add("answer_value", f"{start} = {req.answer}", judged("check_same_value", start, req.answer))


def _rewrite(req: VerifyRequest, claims: _Claims) -> None:
    _chain(req.problem, req, claims)


def _differentiate(req: VerifyRequest, claims: _Claims) -> None:
    derivative = computed("derivative_of", req.problem, req.variable)
    if isinstance(derivative, Verdict):
        claims.add("answer_value", f"d/dx {req.problem} = {req.answer}", derivative)
        return
    _chain(derivative, req, claims)


def _sequence(total: bool) -> Callable[[VerifyRequest, _Claims], None]:
    def build(req: VerifyRequest, claims: _Claims) -> None:
        what = f"S_{req.n}" if total else f"a_{req.n}"
        if req.n is None:
            claims.add(
                "answer_value", what, Verdict(verdict="unverifiable", reason="give the index or count as n")
            )
            return
        value = computed("sequence_value", req.problem, req.n, total)
        if isinstance(value, Verdict):
            claims.add("answer_value", f"{what} of {req.problem}", value)
            return
        _chain(value, req, claims)

    return build


def _compare(req: VerifyRequest, claims: _Claims) -> None:
    claims.add("comparison", req.answer or "", judged("check_comparison", req.problem, req.answer or ""))


def _extrema(req: VerifyRequest, claims: _Claims) -> None:
    claims.add(
        "extrema",
        f"extrema of {req.problem}: {req.answer}",
        judged("check_extrema", req.problem, req.variable, req.answer or ""),
    )


def _monotonic(req: VerifyRequest, claims: _Claims) -> None:
    claims.add(
        "monotonic",
        f"monotonicity of {req.problem}: {req.answer}",
        judged("check_monotonic", req.problem, req.variable, req.answer or ""),
    )


BUILDERS: dict[str, Callable[[VerifyRequest, _Claims], None]] = {
    "solve": _solve,
    "simplify": _rewrite,
    "evaluate": _rewrite,
    "differentiate": _differentiate,
    "compare": _compare,
    "sequence_term": _sequence(total=False),
    "sequence_sum": _sequence(total=True),
    "extrema": _extrema,
    "monotonic": _monotonic,
}


def verify_request(req: VerifyRequest) -> VerifyOutcome:
    claims = _Claims()
    BUILDERS[req.task](req, claims)
    if req.answer is None and not req.steps:
        claims.add(
            "answer_value",
            "nothing to check",
            Verdict(verdict="unverifiable", reason="the request has neither steps nor an answer"),
        )
    report = VerificationReport(claims=claims.items)
    return VerifyOutcome(verdict=report.overall, claims=claims.items)
