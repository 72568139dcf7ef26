"""The review packet, the auto-approval policy, and the pause/resume review loop under a real Prefect server."""

from __future__ import annotations

import queue
import re
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from prefect import flow, get_client
from prefect.artifacts import Artifact
from prefect.client.schemas.objects import State
from prefect.flow_runs import resume_flow_run
from prefect.runtime import flow_run

from flows.review import Reviewed, reviewed_content
from flows.timing import StageClock
from mathcast import stages
from mathcast.content.catalog import lookup
from mathcast.content.solvers import solve
from mathcast.lesson import (
    Claim,
    ClaimKind,
    LessonPlan,
    Reflection,
    Verdict,
    VerdictKind,
    VerificationReport,
)
from mathcast.review import (
    POLICY_REVIEWER,
    Review,
    ReviewDecision,
    ReviewPolicy,
    ReviewRejected,
    ReviewTimedOut,
    claims_table,
    gate_feedback,
    packet_key,
    packet_markdown,
)
from mathcast.settings import Settings
from mathcast.stages import Reflections
from mathcast.store import ArtifactRef, get_model, open_store, put_model
from quality.gate import CheckResult, GateResult

PLAN = lookup("一次函数的图像和性质", "zh-CN")
SOLUTION = solve(PLAN.problems[0])
CHECKS = [CheckResult(expectation="expect_column_values_to_not_be_in_set", column="verdict", success=True)]


def _claim(index: int, kind: ClaimKind, verdict: VerdictKind, subject: str = SOLUTION.problem_id) -> Claim:
    return Claim(
        index=index,
        problem_id=subject,
        kind=kind,
        statement=f"claim {index}",
        verdict=Verdict(
            verdict=verdict,
            reason=f"reason {index}",
            counterexample="k = 0" if verdict == "refuted" else None,
        ),
    )


def _report(*verdicts: VerdictKind) -> VerificationReport:
    """One step claim per step with the given verdicts, then the answer's claims, then a narration claim."""
    steps = [_claim(i, "step_equivalence", v) for i, v in enumerate(verdicts)]
    n = len(steps)
    return VerificationReport(
        claims=[
            *steps,
            _claim(n, "answer_satisfies", "verified"),
            _claim(n + 1, "answer_matches_steps", "verified"),
            _claim(n + 2, "comparison", "verified", subject="explain-form"),
        ]
    )


def _gate(success: bool) -> GateResult:
    failed = CheckResult(
        expectation="expect_column_values_to_not_be_in_set",
        column="verdict",
        success=False,
        unexpected=["refuted"],
    )
    return GateResult(
        gate="content_gate", success=success, checks=[*CHECKS, *([] if success else [failed])], facts=[]
    )


def _markdown(report: VerificationReport, gate: GateResult) -> str:
    reflection = Reflection(rounds=1, solution=SOLUTION, notes=["round 1: solution kept"])
    return packet_markdown(PLAN, [reflection], report, gate)


def _step_lines(markdown: str) -> list[str]:
    return re.findall(r"^\d+\. .*\n   \*\*.*\*\*$", markdown, flags=re.MULTILINE)


def test_clean_packet_has_the_script_and_a_verdict_beside_every_step() -> None:
    markdown = _markdown(_report("verified", "verified", "unverifiable"), _gate(True))
    assert markdown.startswith(f"# Review: {PLAN.title}\n") and "FLAGGED" not in markdown
    assert "## Content gate: passed (1 checks)" in markdown
    assert all(f"{s.title} ({s.kind})" in markdown for s in PLAN.sections)
    assert all(seg.text in markdown for _, seg in PLAN.segments())
    steps = _step_lines(markdown)
    assert [line.split("**")[1].split(" (")[0] for line in steps] == [
        "✅ verified",
        "✅ verified",
        "❔ unverifiable",
    ]
    assert f"`{SOLUTION.steps[0].equations[0]}`" in steps[0] and "reason 2" in steps[2]
    assert f"**Answer** `{SOLUTION.answer}` — **✅ verified (answer_satisfies: reason 3)" in markdown
    assert (
        "## Other claims (narration, graphs)\n\n- claim 5 — **✅ verified (comparison: reason 5)**"
        in markdown
    )
    assert "- round 1: solution kept" in markdown


def test_flagged_packet_says_so_first_and_marks_the_refuted_step() -> None:
    markdown = _markdown(_report("verified", "refuted", "verified"), _gate(False))
    assert markdown.index("**FLAGGED**") < markdown.index("## Content gate: FAILED (1 of 2 checks)")
    assert markdown.index("## Content gate") < markdown.index("## Script")
    assert (
        "- ❌ expect_column_values_to_not_be_in_set(verdict) observed None, unexpected ['refuted']"
        in markdown
    )
    assert "❌ refuted (step_equivalence: reason 1)" in _step_lines(markdown)[1]


def test_a_step_without_a_claim_says_so() -> None:
    assert "no claim checked" in _step_lines(_markdown(_report("verified"), _gate(True)))[1]


def test_claims_table_has_one_row_per_claim() -> None:
    report = _report("verified", "refuted", "verified")
    rows = claims_table(report)
    assert len(rows) == len(report.claims)
    assert rows[1] == {
        "problem": SOLUTION.problem_id,
        "index": 1,
        "kind": "step_equivalence",
        "statement": "claim 1",
        "verdict": "refuted",
        "reason": "reason 1",
        "counterexample": "k = 0",
    }


def test_policy_approves_only_clean_lessons_and_only_when_on() -> None:
    approved = ReviewPolicy(auto_approve=True).decide(_gate(True))
    assert approved is not None and (approved.decision, approved.reviewer) == ("approve", POLICY_REVIEWER)
    assert ReviewPolicy(auto_approve=True).decide(_gate(False)) is None
    assert ReviewPolicy(auto_approve=False).decide(_gate(True)) is None


def test_gate_feedback_names_failed_checks_and_unverified_claims_with_reasons() -> None:
    feedback = gate_feedback(_gate(False), _report("verified", "refuted", "unverifiable"))
    assert feedback == [
        "content gate: expect_column_values_to_not_be_in_set(verdict) observed None, unexpected ['refuted']",
        f"{SOLUTION.problem_id} step_equivalence (claim 1) is refuted: reason 1 (counterexample: k = 0)",
        f"{SOLUTION.problem_id} step_equivalence (claim 2) is unverifiable: reason 2",
    ]


def test_packet_key_is_stable_and_a_valid_artifact_key() -> None:
    key = packet_key(PLAN.topic, "zh-CN", "low")
    assert key == packet_key(PLAN.topic, "zh-CN", "low") != packet_key(PLAN.topic, "zh-CN", "high")
    assert re.fullmatch(r"[a-z0-9-]+", key) and key.endswith("-zh-cn-low")


def test_rejection_without_a_comment_still_reads_clearly() -> None:
    assert (
        str(ReviewRejected(ReviewDecision(decision="reject")))
        == "lesson rejected by the reviewer: (no comment)"
    )
    assert ReviewDecision(decision="request_changes", reviewer="ana").feedback() == ["ana requested changes"]


# --- the review loop in a real flow run ---

RUN_IDS: queue.Queue[str] = queue.Queue()
ARTIFACT_KEY = "review-test-lesson"


@flow
def content_review(
    store_url: str,
    plan: ArtifactRef,
    solutions: ArtifactRef,
    auto_approve: bool,
    revise_rounds: int = 1,
    timeout_s: int = 60,
) -> Reviewed:
    RUN_IDS.put(flow_run.id)
    settings = Settings(revise_rounds=revise_rounds, review_timeout_s=timeout_s, review_poll_s=1)
    policy = ReviewPolicy(auto_approve=auto_approve)
    return reviewed_content(
        StageClock(), store_url, plan, solutions, "offline", settings, policy, ARTIFACT_KEY
    )


@pytest.fixture
def background() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool


def _inputs(store_dir: Path, plan: LessonPlan) -> tuple[str, ArtifactRef, ArtifactRef]:
    store = open_store(str(store_dir))
    plan_ref = put_model(store, "test/plan.json", plan)
    return store.url, plan_ref, stages.solve(store, plan_ref, "offline")


def _start(pool: ThreadPoolExecutor, **parameters: Any) -> tuple[Future[Reviewed], UUID]:
    while not RUN_IDS.empty():  # left by runs that never paused
        RUN_IDS.get()
    future = pool.submit(content_review, **parameters)
    return future, UUID(RUN_IDS.get(timeout=60))


def _state(run_id: UUID) -> State:
    with get_client(sync_client=True) as client:
        state = client.read_flow_run(run_id).state
    assert state is not None
    return state


def _resume_when_paused(run_id: UUID, **answer: str) -> None:
    deadline = time.monotonic() + 60
    while not _state(run_id).is_paused():
        assert time.monotonic() < deadline, f"run never paused: {_state(run_id)!r}"
        time.sleep(0.2)
    resume_flow_run(run_id, run_input=answer)


def _notes(store_url: str, reviewed: Reviewed) -> list[str]:
    reflections = get_model(open_store(store_url), reviewed.reflected.reflections.key, Reflections)
    return [note for r in reflections.items for note in r.notes]


@pytest.mark.integration
def test_clean_lesson_is_approved_by_policy_without_pausing(prefect_harness: None, store_dir: Path) -> None:
    store_url, plan, solutions = _inputs(store_dir, PLAN)
    reviewed = content_review(store_url, plan, solutions, auto_approve=True)
    review = get_model(open_store(store_url), reviewed.review.key, Review)
    assert (review.decision, review.reviewer, review.flagged) == ("approve", POLICY_REVIEWER, False)


@pytest.mark.integration
def test_failing_gate_goes_back_to_reflect_then_waits_flagged_for_a_person(
    prefect_harness: None, store_dir: Path, background: ThreadPoolExecutor
) -> None:
    no_summary = PLAN.model_copy(update={"sections": [s for s in PLAN.sections if s.kind != "summary"]})
    store_url, plan, solutions = _inputs(store_dir, no_summary)
    future, run_id = _start(
        background, store_url=store_url, plan=plan, solutions=solutions, auto_approve=True
    )
    _resume_when_paused(run_id, decision="approve", reviewer="ana", comment="summary comes in the next unit")
    reviewed = future.result(timeout=60)
    store = open_store(store_url)
    review = get_model(store, reviewed.review.key, Review)
    assert (review.decision, review.reviewer, review.flagged) == ("approve", "ana", True)
    assert any(
        n.startswith("reviewer: content gate: expect_column_distinct_values")
        for n in _notes(store_url, reviewed)
    )
    assert "**FLAGGED**" in store.get_bytes(reviewed.packet.key).decode()
    artifact = Artifact.get(ARTIFACT_KEY)
    assert artifact is not None and "**FLAGGED**" in str(artifact.data)
    assert Artifact.get(f"{ARTIFACT_KEY}-claims") is not None
    assert _state(run_id).is_completed()


@pytest.mark.integration
def test_reject_ends_the_run_failed_with_the_comment(
    prefect_harness: None, store_dir: Path, background: ThreadPoolExecutor
) -> None:
    store_url, plan, solutions = _inputs(store_dir, PLAN)
    future, run_id = _start(
        background, store_url=store_url, plan=plan, solutions=solutions, auto_approve=False
    )
    _resume_when_paused(run_id, decision="reject", reviewer="ana", comment="例题太简单")
    with pytest.raises(ReviewRejected, match="rejected by ana: 例题太简单"):
        future.result(timeout=60)
    state = _state(run_id)
    assert (
        state.is_failed()
        and "ReviewRejected" in (state.message or "")
        and "例题太简单" in (state.message or "")
    )


@pytest.mark.integration
def test_requested_changes_go_into_a_reflect_round_and_come_back_for_review(
    prefect_harness: None, store_dir: Path, background: ThreadPoolExecutor
) -> None:
    store_url, plan, solutions = _inputs(store_dir, PLAN)
    future, run_id = _start(
        background, store_url=store_url, plan=plan, solutions=solutions, auto_approve=False
    )
    _resume_when_paused(run_id, decision="request_changes", reviewer="ana", comment="每一步说明理由")
    _resume_when_paused(run_id, decision="approve", reviewer="ana", comment="")
    reviewed = future.result(timeout=60)
    assert "reviewer: 每一步说明理由" in _notes(store_url, reviewed)
    assert get_model(open_store(store_url), reviewed.review.key, Review).decision == "approve"


@pytest.mark.integration
def test_unanswered_review_times_out_as_a_failed_run(
    prefect_harness: None, store_dir: Path, background: ThreadPoolExecutor
) -> None:
    store_url, plan, solutions = _inputs(store_dir, PLAN)
    future, run_id = _start(
        background, store_url=store_url, plan=plan, solutions=solutions, auto_approve=False, timeout_s=2
    )
    with pytest.raises(ReviewTimedOut, match="within 2 s"):
        future.result(timeout=60)
    state = _state(run_id)
    assert state.is_failed() and "ReviewTimedOut" in (state.message or "")


@pytest.mark.integration
def test_changes_requested_with_no_round_left_end_the_run(
    prefect_harness: None, store_dir: Path, background: ThreadPoolExecutor
) -> None:
    store_url, plan, solutions = _inputs(store_dir, PLAN)
    future, run_id = _start(
        background, store_url=store_url, plan=plan, solutions=solutions, auto_approve=False, revise_rounds=0
    )
    _resume_when_paused(run_id, decision="request_changes", reviewer="ana", comment="换一道例题")
    with pytest.raises(
        ReviewRejected, match=r"换一道例题 \(changes requested after 0 revision rounds: none left\)"
    ):
        future.result(timeout=60)
    assert _state(run_id).is_failed()
