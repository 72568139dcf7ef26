from __future__ import annotations

from pathlib import Path

import pytest

from mathcast.lesson import Span
from mathcast.store import LocalArtifactStore, get_model, open_store, put_model, stage_key


def test_same_inputs_same_key_and_any_change_moves_it() -> None:
    key = stage_key("speak", "1", "你好", {"voice": "a"}, name="x.wav")
    assert key == stage_key("speak", "1", "你好", {"voice": "a"}, name="x.wav")
    assert key != stage_key("speak", "2", "你好", {"voice": "a"}, name="x.wav")
    assert key != stage_key("speak", "1", "你好", {"voice": "b"}, name="x.wav")
    assert key.startswith("speak/") and key.endswith("/x.wav")


def test_models_round_trip_with_their_digest(tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path)
    ref = put_model(store, "a/b/span.json", Span(id="s", start_ms=1, end_ms=2))
    assert ref.size == len(store.get_bytes(ref.key))
    assert get_model(store, ref.key, Span).end_ms == 2
    assert store.ref(ref.key) == ref


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path)

    def explode(_: Path) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        store._commit("stage/abc/out.bin", explode)
    assert not store.exists("stage/abc/out.bin")
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_keys_cannot_escape_the_root(tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path / "root")
    with pytest.raises(ValueError, match="escapes"):
        store.put_bytes("../outside.txt", b"x")


def test_missing_artifact_error_names_key_and_store(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nope/x\.json"):
        LocalArtifactStore(tmp_path).get_bytes("nope/x.json")


def test_open_store_by_path_or_file_url_and_rejects_unknown_schemes(tmp_path: Path) -> None:
    assert open_store(str(tmp_path)).url == tmp_path.resolve().as_uri()
    assert open_store(tmp_path.as_uri()).url == tmp_path.resolve().as_uri()
    with pytest.raises(ValueError, match="known schemes"):
        open_store("gopher://example/x")


def test_keys_lists_finished_artifacts_only(tmp_path: Path) -> None:
    store = LocalArtifactStore(tmp_path)
    for key in ("speak/1/b.wav", "render/1/a.mp4"):
        store.put_bytes(key, b"x")
    (tmp_path / "render" / "1" / ".tmp-half").write_bytes(b"half")  # a write still under way
    assert store.list_keys() == ["render/1/a.mp4", "speak/1/b.wav"]
    assert store.list_keys("speak/") == ["speak/1/b.wav"]
    assert LocalArtifactStore(tmp_path / "empty").list_keys() == []
