"""The content stages (generate → solve → reflect → verify → content gate) on an S3 store, end to end."""

from __future__ import annotations

from pathlib import Path

from mathcast import stages
from mathcast.store import ArtifactStore, LocalArtifactStore, get_model, open_store
from quality.gate import GateResult


def _content(store: ArtifactStore) -> GateResult:
    plan = stages.generate(store, "一次函数", "zh-CN", "offline")
    solutions = stages.solve(store, plan, "offline")
    reflected = stages.reflect(store, plan, solutions, "offline", rounds=2)
    verification = stages.verify(store, reflected.lesson, reflected.reflections)
    return get_model(store, stages.content_gate(store, reflected.lesson, verification).key, GateResult)


def test_the_content_stages_run_on_s3_with_the_local_stores_keys(bucket: str, tmp_path: Path) -> None:
    s3 = open_store(f"s3://{bucket}/lessons")
    local = LocalArtifactStore(tmp_path)
    assert _content(s3).success and _content(local).success
    assert s3.list_keys() == local.list_keys()
    stable = [k for k in s3.list_keys() if k.endswith(".json")]  # GX's HTML reports carry their run's time
    assert [s3.ref(k) for k in stable] == [local.ref(k) for k in stable]

    before = s3.list_keys()
    assert _content(s3).success  # a re-run finds every stage finished and writes nothing
    assert s3.list_keys() == before
