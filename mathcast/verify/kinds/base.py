"""How the verifier reads a worked solution of each problem kind: which claims, checked how.

Independent of the offline expert: these read only the problem as given and the solution as
written, so a model's solution and the expert's are judged alike.
"""

from __future__ import annotations

from collections.abc import Callable

from mathcast.lesson import Claim, ClaimKind, Problem, ProblemKind, Solution, Verdict
from mathcast.registry import registrar
from mathcast.verify.check import verify_request
from mathcast.verify.request import Task, VerifyRequest

ClaimsOf = Callable[[Problem, Solution], list[Claim]]
CLAIMS_BY_KIND: dict[ProblemKind, ClaimsOf] = {}


reads = registrar(CLAIMS_BY_KIND, "verifier readings")


def add_claim(claims: list[Claim], subject: str, kind: ClaimKind, statement: str, verdict: Verdict) -> None:
    claims.append(
        Claim(index=len(claims), problem_id=subject, kind=kind, statement=statement, verdict=verdict)
    )


def step_text(equations: list[str]) -> str:
    """A step's equations as the verifier reads one statement: a system joined by `;`."""
    return "; ".join(equations)


def requested(
    problem: Problem,
    solution: Solution,
    task: Task,
    given: str,
    *,
    variable: str | None = None,
    n: int | None = None,
    steps: list[str] | None = None,
) -> list[Claim]:
    """The claims `mathcast verify` makes for this task, labelled with the problem's id. `steps`
    defaults to every step's equations; pass a subset when some steps state the method, not math."""
    request = VerifyRequest(
        problem=given,
        task=task,
        variable=variable,
        steps=[step_text(s.equations) for s in solution.steps] if steps is None else steps,
        answer=solution.answer,
        n=n,
    )
    return [c.model_copy(update={"problem_id": problem.id}) for c in verify_request(request).claims]
