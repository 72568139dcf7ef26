"""The benches' cache-hit count: a lesson's stored objects by stage, read back or made by a run."""

from __future__ import annotations

import os
from pathlib import Path

from bench.bulk import lesson_objects, reuse_by_stage, snapshot
from bench.e2e import count_reuse
from mathcast.stages import LessonManifest, ManifestArtifact
from mathcast.store import ArtifactRef, LocalArtifactStore, put_model


def _listed(ref: ArtifactRef, stage: str) -> ManifestArtifact:
    return ManifestArtifact(**ref.model_dump(), stage=stage, stage_version="1")


def test_objects_untouched_since_before_are_read_back_and_the_rest_made(tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path)
    kept = store.put_bytes("speak/a/s1.wav", b"clip")
    rewritten = store.put_bytes("render/b/intro.mp4", b"old")
    before = snapshot(tmp_path)
    os.utime(store.location(rewritten.key), ns=(0, 0))  # written again by the run
    made = store.put_bytes("mux/c/lesson.mp4", b"video")
    listed = {"s1.wav": _listed(kept, "speak"), "intro.mp4": _listed(rewritten, "render")}
    manifest = LessonManifest(
        topic="t", language="zh-CN", quality="low", artifacts={**listed, "lesson.mp4": _listed(made, "mux")}
    )
    manifest_ref = put_model(store, "publish/d/manifest.json", manifest)
    store.put_bytes("speak/e/unrelated.wav", b"another lesson's clip")

    reused, new = reuse_by_stage(lesson_objects(tmp_path, manifest_ref.key), before, snapshot(tmp_path))
    assert (reused, new) == ({"speak": 1}, {"mux": 1, "publish": 1, "render": 1})
    rows = count_reuse({"speak": {"wall s": 1.5}, "mux": {"wall s": 2.0}}, reused, new)
    assert rows["speak"] == {"wall s": 1.5, "read back": 1, "made": 0}
    assert rows["publish"] == {"read back": 0, "made": 1}  # stored without a timed step: counts alone
