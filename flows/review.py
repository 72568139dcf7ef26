"""The content loop of a lesson run: reflect → verify → content gate → review, until approved.

A failed gate sends its findings back to reflect (`Settings.revise_rounds` times), then the lesson
goes to a person flagged: no policy approves it. A clean lesson is approved by the policy when
`auto_approve` is on; otherwise the run pauses with a form in the Prefect UI (the run's Resume
button). To answer from code, resume the paused run with a `ReviewInput`'s fields:

    from prefect.flow_runs import resume_flow_run

    resume_flow_run(flow_run_id, run_input={"decision": "approve", "reviewer": "li", "comment": ""})

`decision` is approve, reject or request_changes. Reject ends the run Failed with `ReviewRejected`
and the comment; request_changes sends the comment into a reflect round and the lesson comes back
for review; no answer within `review_timeout_s` ends the run Failed with `ReviewTimedOut`.
"""

from __future__ import annotations

from uuid import UUID

from prefect import get_client, get_run_logger
from prefect.exceptions import FlowPauseTimeout
from prefect.flow_runs import pause_flow_run
from prefect.input import RunInput
from prefect.runtime import flow_run
from prefect.states import Failed
from pydantic import Field

from flows.timing import StageClock
from mathcast.lesson import Model, VerificationReport
from mathcast.review import (
    ReviewDecision,
    ReviewPolicy,
    ReviewRejected,
    ReviewTimedOut,
    gate_feedback,
)
from mathcast.settings import Settings
from mathcast.stages import ReflectOutput, ReviewPacket
from mathcast.store import ArtifactRef, get_model, open_store
from quality.gate import GateResult, QualityGateError
from tasks.content_gate import content_gate
from tasks.reflect import reflect
from tasks.review import review, review_packet
from tasks.verify import verify


class ReviewInput(RunInput, ReviewDecision):
    """The pause form: approve, reject (say why) or request changes (say what)."""


class Reviewed(Model):
    """The approved content of a lesson and the record of who approved it."""

    reflected: ReflectOutput
    revisions: list[ArtifactRef] = Field(
        description="The lesson each reflect round wrote, the last approved."
    )
    verification: ArtifactRef
    gate: ArtifactRef
    packet: ArtifactRef
    review: ArtifactRef


def await_review(
    packet: ReviewPacket,
    gate: GateResult,
    policy: ReviewPolicy,
    settings: Settings,
    *,
    artifact_key: str,
    round_no: int,
) -> ReviewDecision:
    """The policy's approval of a clean lesson, else a person's answer from the paused run."""
    by_policy = policy.decide(gate)
    if by_policy is not None:
        return by_policy
    state = "**FLAGGED**: the content gate failed" if packet.flagged else "the content gate passed"
    form = ReviewInput.with_initial_data(
        description=(
            f"**{packet.title}**: {state}. Read the review packet (artifacts `{artifact_key}` and "
            f"`{artifact_key}-claims`), then approve, reject (say why) or request changes (say what)."
        )
    )
    try:
        answer = pause_flow_run(
            wait_for_input=form,
            timeout=settings.review_timeout_s,
            poll_interval=settings.review_poll_s,
            key=f"{artifact_key}-{round_no}",
        )
    except FlowPauseTimeout:
        error = ReviewTimedOut(artifact_key, settings.review_timeout_s)
        _fail_this_run(str(error))
        raise error from None
    return ReviewDecision.model_validate(answer.model_dump())


def _fail_this_run(reason: str) -> None:
    """The server fails an expired pause as 'never resumed'; fail it first, so the run says why."""
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(UUID(flow_run.id), Failed(message=reason), force=True)


def reviewed_content(
    clock: StageClock,
    store_url: str,
    plan: ArtifactRef,
    solutions: ArtifactRef,
    writer: str,
    settings: Settings,
    policy: ReviewPolicy,
    artifact_key: str,
) -> Reviewed:
    """Reflect, verify and gate until the lesson is approved; raises ReviewRejected or ReviewTimedOut."""
    store = open_store(store_url)
    logger = get_run_logger()
    feedback: list[str] = []
    gate_rounds = change_rounds = 0
    revisions: list[ArtifactRef] = []
    while True:
        with clock.stage("reflect"):
            reflected = reflect(store_url, plan, solutions, writer, settings.reflect_rounds, feedback)
        revisions.append(reflected.lesson)
        with clock.stage("verify"):
            verification = verify(store_url, reflected.lesson, reflected.reflections)
        with clock.stage("content_gate"):
            try:
                gate_ref = content_gate(store_url, reflected.lesson, verification)
            except QualityGateError as failure:  # the evidence goes back to reflect, then to a person
                assert failure.evidence is not None
                gate_ref = failure.evidence
        gate = get_model(store, gate_ref.key, GateResult)
        solutions = reflected.solutions
        if not gate.success and gate_rounds < settings.revise_rounds:
            gate_rounds += 1
            feedback = gate_feedback(gate, get_model(store, verification.key, VerificationReport))
            logger.warning("content gate failed: revise round %d of %d", gate_rounds, settings.revise_rounds)
            continue
        with clock.stage("review"):
            packet = review_packet(
                store_url, artifact_key, reflected.lesson, reflected.reflections, verification, gate_ref
            )
            decision = await_review(
                packet, gate, policy, settings, artifact_key=artifact_key, round_no=change_rounds
            )
            recorded = review(store_url, reflected.lesson, packet, decision)
        if decision.decision == "approve":
            return Reviewed(
                reflected=reflected,
                revisions=revisions,
                verification=verification,
                gate=gate_ref,
                packet=packet.ref,
                review=recorded,
            )
        if decision.decision == "reject":
            raise ReviewRejected(decision)
        if change_rounds == settings.revise_rounds:
            raise ReviewRejected(
                decision, f"changes requested after {change_rounds} revision rounds: none left"
            )
        change_rounds += 1
        gate_rounds = 0
        feedback = decision.feedback()
        logger.info("changes requested: revise round %d of %d", change_rounds, settings.revise_rounds)
