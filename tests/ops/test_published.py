"""The lesson manifest lists every stored object with the stage that made it; the catalog lists lessons."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from moto import settings as moto_settings
from typer.testing import CliRunner

from mathcast import stages
from mathcast.cli import app
from mathcast.lesson import LessonPlan
from mathcast.providers.tts.base import get_synthesizer
from mathcast.published import CATALOG_PREFIX, published_lessons
from mathcast.store import ArtifactRef, ArtifactStore, get_model, open_store

TOPIC = "一次函数的图像和性质"


def _made(store: ArtifactStore) -> dict[str, ArtifactRef]:
    """The content stages and the voice of one lesson, and a stand-in video stored by hand."""
    plan = stages.generate(store, TOPIC, "zh-CN", "offline")
    solutions = stages.solve(store, plan, "offline")
    reflected = stages.reflect(store, plan, solutions, "offline", rounds=2)
    verification = stages.verify(store, reflected.lesson, reflected.reflections)
    return {
        "plan.json": plan,
        "expert_solutions.json": solutions,
        "lesson.json": reflected.lesson,
        "reflections.json": reflected.reflections,
        "solutions.json": reflected.solutions,
        "exchange.json": reflected.exchange,
        "verification.json": verification,
        "content_gate.json": stages.content_gate(store, reflected.lesson, verification),
        "speech.json": stages.speak(store, reflected.lesson, "espeak"),
        "lesson.mp4": store.put_bytes("uploads/lesson.mp4", b"\0" * 2_500_000),
    }


def _check_manifest(store: ArtifactStore) -> stages.LessonManifest:
    artifacts = _made(store)
    ref = stages.publish(store, TOPIC, "zh-CN", "low", artifacts, writer="offline", tts="espeak")
    manifest = get_model(store, ref.key, stages.LessonManifest)

    listed = {a.key: a for a in manifest.artifacts.values()}
    made_by_stages = {k for k in store.list_keys() if not k.startswith((CATALOG_PREFIX, "publish/"))}
    assert set(listed) == made_by_stages  # every object the lesson is made of, nothing else
    for artifact in listed.values():
        data = store.get_bytes(artifact.key)
        assert (artifact.size, artifact.sha256) == (len(data), hashlib.sha256(data).hexdigest())
        if artifact.key.startswith("uploads/"):
            assert (artifact.stage, artifact.stage_version) == (None, None)
        else:
            assert artifact.stage == artifact.key.split("/")[0]
            assert artifact.stage_version == stages.STAGE_VERSIONS[artifact.stage]
    assert {name: a.key for name, a in manifest.artifacts.items() if name in artifacts} == {
        name: r.key for name, r in artifacts.items()
    }
    assert {"generate/usage.json", "generate/exchange.json", "content_gate/report-1.html"} <= set(
        manifest.artifacts
    )
    segments = get_model(store, artifacts["speech.json"].key, stages.Speech).items
    spoken = [n for n in manifest.artifacts if n.startswith("speak/") and n.endswith((".wav", ".json"))]
    assert len(spoken) == 2 * len(segments)
    providers = manifest.providers
    assert providers is not None
    # The offline writer's config id hashes the topic catalog, which may change while this runs.
    assert re.fullmatch(r"offline:[0-9a-f]{16}", providers.writer_config)
    assert providers.model_dump(exclude={"writer_config"}) == {
        "writer": "offline",
        "tts": "espeak",
        "tts_config": get_synthesizer("espeak").config_id,
        "voices": ["cmn-latn-pinyin"],
    }
    assert manifest.versions["publish"] == stages.STAGE_VERSIONS["publish"]
    assert len(manifest.versions["render.source"]) == 16
    return manifest


def _check_catalog(store: ArtifactStore) -> None:
    artifacts = {"lesson.mp4": store.put_bytes("uploads/short.mp4", b"\0" * 1000)}
    before = datetime.now(UTC)
    first = stages.publish(store, TOPIC, "zh-CN", "low", artifacts)
    stages.publish(store, "Linear functions", "en-US", "medium", artifacts)
    again = stages.publish(store, TOPIC, "zh-CN", "low", artifacts)  # moves the pointer, adds no entry
    entries = published_lessons(store).entries
    assert [(e.topic, e.language, e.quality) for e in entries] == [
        (TOPIC, "zh-CN", "low"),
        ("Linear functions", "en-US", "medium"),
    ]
    assert entries[0].manifest == again == first and entries[0].video == artifacts["lesson.mp4"]
    assert before <= entries[1].published_at <= entries[0].published_at <= datetime.now(UTC)


def _cli_lists(url: str) -> None:
    result = CliRunner().invoke(app, ["lessons", "--store", url, "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)["entries"]
    assert [(e["topic"], e["video"]["size"]) for e in listed] == [(TOPIC, 1000), ("Linear functions", 1000)]
    table = CliRunner().invoke(app, ["lessons", "--store", url])
    assert table.exit_code == 0, table.output
    assert TOPIC in table.output and "0.0 MB" in table.output and listed[0]["manifest"]["key"] in table.output


@pytest.mark.integration
def test_manifest_and_catalog_on_a_local_store(tmp_path: Path) -> None:
    store = open_store(str(tmp_path / "artifacts"))
    _check_manifest(store)
    catalog_store = open_store(str(tmp_path / "catalog-only"))
    _check_catalog(catalog_store)
    _cli_lists(str(tmp_path / "catalog-only"))


@pytest.mark.integration
def test_manifest_and_catalog_on_s3(bucket: str) -> None:
    _check_manifest(open_store(f"s3://{bucket}/lessons"))
    _check_catalog(open_store(f"s3://{bucket}/catalog-only"))
    _cli_lists(f"s3://{bucket}/catalog-only")


def test_an_entry_in_another_format_is_named_not_fatal(tmp_path: Path) -> None:
    store = open_store(str(tmp_path))
    store.put_bytes(f"{CATALOG_PREFIX}0123.json", b'{"key": "publish/x/manifest.json"}')
    assert published_lessons(store).unreadable == [f"{CATALOG_PREFIX}0123.json"]
    result = CliRunner().invoke(app, ["lessons", "--store", str(tmp_path)])
    assert result.exit_code == 0 and "no lessons published" in result.output
    assert "catalog/0123.json: an older catalog format; publish the lesson again" in result.output


def test_an_empty_store_says_so(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["lessons", "--store", str(tmp_path / "none")])
    assert result.exit_code == 0 and "no lessons published in" in result.output


def test_a_bucket_that_does_not_exist_names_the_fix(s3_env: str) -> None:
    result = CliRunner().invoke(app, ["lessons", "--store", "s3://no-such-bucket-xyz/p"])
    assert result.exit_code == 2
    assert "bucket 'no-such-bucket-xyz' does not exist" in result.output and "create it" in result.output


def test_wrong_s3_credentials_name_the_fix_and_hide_the_secret(
    bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(moto_settings, "INITIAL_NO_AUTH_ACTION_COUNT", 0)  # moto checks keys from now on
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret-value-123")
    result = CliRunner().invoke(app, ["lessons", "--store", f"s3://{bucket}/p"])
    assert "wrong-secret-value-123" not in result.output
    assert result.exit_code == 2, result.output
    assert "refused the credentials" in result.output and "AWS_ACCESS_KEY_ID" in result.output


@pytest.mark.slow
@pytest.mark.render
@pytest.mark.integration
def test_a_whole_lesson_run_publishes_every_object_it_stored(prefect_harness: None, tmp_path: Path) -> None:
    from flows.lesson import lesson

    result = lesson(quality="low", store=str(tmp_path / "artifacts"), writer="offline", tts="espeak")
    store = open_store(result.store_url)
    manifest = get_model(store, result.artifacts["manifest.json"].key, stages.LessonManifest)
    stored = {k for k in store.list_keys() if not k.startswith((CATALOG_PREFIX, "publish/"))}
    assert {a.key for a in manifest.artifacts.values()} == stored
    assert all(a.stage == a.key.split("/")[0] for a in manifest.artifacts.values())
    sections = get_model(store, result.artifacts["lesson.json"].key, LessonPlan).sections
    assert {f"render/{s.id}.mp4" for s in sections} <= manifest.artifacts.keys()
    assert {f"render/{s.id}.layout.json" for s in sections} <= manifest.artifacts.keys()
    layout = json.loads(store.get_bytes(manifest.artifacts["layout_report.json"].key))
    assert layout["violations"] == 0
    assert [r["section_id"] for r in layout["sections"]] == [s.id for s in sections]
    drawn = {c.id for s in sections for seg in s.segments for c in seg.cues}
    assert drawn == {cue for r in layout["sections"] for cue in r["checked"]}  # every picture was measured
    assert manifest.providers is not None and manifest.providers.voices == ["cmn-latn-pinyin"]
    [entry] = published_lessons(store).entries
    assert (entry.topic, entry.quality, entry.video) == (TOPIC, "low", result.artifacts["lesson.mp4"])
