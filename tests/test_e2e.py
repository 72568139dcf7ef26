"""The whole lesson flow at low quality under a Prefect test server, checked with ffprobe."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest

from mathcast.lesson import QUALITIES, LessonPlan, SyncMap, VerificationReport
from mathcast.media.ffmpeg import probe
from mathcast.store import get_model, open_store

pytestmark = [pytest.mark.slow, pytest.mark.integration, pytest.mark.render]
LOW = QUALITIES["low"]


def _frame(video: Path, at_ms: int) -> np.ndarray:
    raw = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-ss",
            f"{at_ms / 1000:.3f}",
            "-i",
            str(video),
            "-frames:v",
            "1",
            "-f",
            "rawvideo",
            "-pix_fmt",
            "gray",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.uint8).reshape(LOW.height, LOW.width)


def _srt_cues(text: str) -> list[tuple[int, int, str]]:
    def ms(clock: str) -> int:
        h, m, rest = clock.split(":")
        s, milli = rest.split(",")
        return ((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(milli)

    cues = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        start, end = re.fullmatch(r"(\S+) --> (\S+)", lines[1]).groups()  # type: ignore[union-attr]
        cues.append((ms(start), ms(end), "".join(lines[2:])))
    return cues


@pytest.fixture(scope="module")
def demo(prefect_harness: None, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from flows.lesson import lesson

    store = tmp_path_factory.mktemp("e2e") / "artifacts"
    first = lesson(quality="low", store=str(store))
    files_after_first = {p: p.stat().st_mtime_ns for p in store.rglob("*") if p.is_file()}
    second = lesson(quality="low", store=str(store))
    files_after_second = {p: p.stat().st_mtime_ns for p in store.rglob("*") if p.is_file()}
    return first, second, open_store(str(store)), files_after_first, files_after_second


def test_video_has_one_stream_each_and_no_drift(demo) -> None:  # type: ignore[no-untyped-def]
    result, _, store, _, _ = demo
    facts = probe(Path(store.location(result.artifacts["lesson.mp4"].key)), count_frames=True)
    (video,) = facts.of("video")
    (audio,) = facts.of("audio")
    assert (video.width, video.height, video.fps) == (854, 480, 15)
    assert abs(video.duration_ms - audio.duration_ms) <= 1000 / LOW.fps
    syncmap = get_model(store, result.artifacts["syncmap.json"].key, SyncMap)
    assert abs(video.frames - LOW.frame_at(syncmap.total_ms)) <= 1
    assert len(facts.chapters) == 5


def test_every_segment_has_a_subtitle_cue_in_order(demo) -> None:  # type: ignore[no-untyped-def]
    result, _, store, _, _ = demo
    plan = get_model(store, result.artifacts["lesson.json"].key, LessonPlan)
    syncmap = get_model(store, result.artifacts["syncmap.json"].key, SyncMap)
    cues = _srt_cues(store.get_bytes(result.artifacts["subtitles.srt"].key).decode())
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(cues))
    for _, segment in plan.segments():
        span = syncmap.segment(segment.id)
        inside = [c for c in cues if span.start_ms <= c[0] and c[1] <= span.end_ms]
        assert inside, f"no subtitle cue for segment {segment.id}"
        assert "".join(text for *_, text in inside).replace(" ", "") == segment.text.replace(" ", "")


def test_worked_example_has_no_refuted_claim(demo) -> None:  # type: ignore[no-untyped-def]
    result, _, store, _, _ = demo
    report = get_model(store, result.artifacts["verification.json"].key, VerificationReport)
    assert report.claims and report.overall == "verified"
    plan = get_model(store, result.artifacts["lesson.json"].key, LessonPlan)
    example = next(s for s in plan.sections if s.kind == "example")
    assert len(example.segments) >= 5  # the problem, three steps, the answer


def test_chinese_title_is_drawn(demo) -> None:  # type: ignore[no-untyped-def]
    result, _, store, _, _ = demo
    video = Path(store.location(result.artifacts["lesson.mp4"].key))
    syncmap = get_model(store, result.artifacts["syncmap.json"].key, SyncMap)
    title_frame = _frame(video, syncmap.sections[0].end_ms - 300)
    band = title_frame[LOW.height // 4 : 3 * LOW.height // 4, LOW.width // 8 : 7 * LOW.width // 8]
    background = int(np.median(title_frame[-20:, :]))
    ink = np.abs(band.astype(int) - background) > 60
    assert ink.mean() > 0.01, "the title region is blank"


def test_second_run_reuses_every_stage(demo) -> None:  # type: ignore[no-untyped-def]
    first, second, _, files_first, files_second = demo
    assert {k: v.key for k, v in first.artifacts.items()} == {k: v.key for k, v in second.artifacts.items()}
    rewritten = [p for p, mtime in files_second.items() if files_first.get(p) != mtime]
    assert [p.parent.name for p in rewritten] == ["catalog"]  # only the catalog pointer is written again
    assert sum(t.seconds for t in second.timings) < sum(t.seconds for t in first.timings) / 3
