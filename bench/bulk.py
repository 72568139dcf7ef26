"""Bulk runs on this machine: a curriculum of lessons at low quality, made by `mathcast bulk`.

    nice .venv/bin/python bench/bulk.py [--lessons 10] [--concurrency 1 2] [--json out.json]

Side by side for each concurrency: total wall time and lessons per hour (cold: empty store and
caches, one Prefect server for the whole bench), and store bytes per lesson by stage. Then
resume: the same curriculum is killed (SIGKILL to its whole process group) while scenes render,
and run again; the re-run's wall time, which stored objects it kept untouched (same size and
mtime), which it added, and how many speech clips it spoke (clips stored by the speak stage).

The pieces (a local Prefect server, the clip count, a CLI run killed on a condition, store
snapshots compared) also serve tests/ops_bulk/test_resume_after_kill.py.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MATHCAST = [str(Path(sys.executable).parent / "mathcast")]
RENDER_RUNNER = b"mathcast.scenes.runner"
STAGE_LINE = re.compile(r"✓ (\w+)\s+([\d.]+) s")


# --- a Prefect server of our own ---


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def prefect_server(home: Path, startup_s: float = 180) -> Iterator[str]:
    """`prefect server start` on loopback with its own PREFECT_HOME; yields the API URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_API_URL": url,  # where the UI in a browser finds the API
    }
    env.pop("PREFECT_API_URL", None)
    log = (home / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + startup_s
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"prefect server did not start; see {home / 'server.log'}")
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:
            return bool(answer.status == 200)
    except OSError:
        return False


# --- counting syntheses ---


def spoken_clips(before: Snapshot, after: Snapshot | None = None) -> int:
    """Speech clips stored (the voice speaks in-process through libespeak-ng and stores each clip
    it speaks): all of them in `before`, or those `after` added or rewrote."""
    clips = {
        k: v
        for k, v in (after if after is not None else before).items()
        if k.startswith("speak/") and k.endswith(".wav")
    }
    if after is None:
        return len(clips)
    return sum(1 for k, v in clips.items() if before.get(k) != v)


# --- a CLI run, killed on a condition ---


@dataclass
class CliRun:
    wall_s: float
    returncode: int
    killed: bool
    output: str

    def stage_seconds(self) -> dict[str, float]:
        """`mathcast run`'s per-stage lines; the last one wins where a stage ran twice."""
        return {m.group(1): float(m.group(2)) for m in STAGE_LINE.finditer(self.output)}


def rendering(session: int) -> bool:
    """Whether a scene render (a manim runner process) is alive in the process group `session`."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == session and RENDER_RUNNER in (stat.parent / "cmdline").read_bytes():
                return True
        except (OSError, IndexError, ValueError):
            continue
    return False


def run_cli(
    args: list[str],
    env: dict[str, str],
    kill_when: Callable[[int, float], bool] | None = None,
    timeout_s: float = 3600,
) -> CliRun:
    """`mathcast ARGS` in its own process group; SIGKILL to the whole group once `kill_when(pgid,
    elapsed)` holds, as a crash or an OOM kill would end it, with no chance to clean up."""
    started = time.monotonic()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(
            [*MATHCAST, *args],
            env=env,
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        killed = False
        while child.poll() is None:
            elapsed = time.monotonic() - started
            if elapsed > timeout_s or (kill_when is not None and kill_when(child.pid, elapsed)):
                os.killpg(child.pid, signal.SIGKILL)
                killed = True
                child.wait()
                break
            time.sleep(0.2)
        _reap(child.pid)
        out.seek(0)
        output = out.read().decode("utf-8", errors="replace")
    return CliRun(round(time.monotonic() - started, 1), child.returncode, killed, output)


def _reap(session: int) -> None:
    """Nothing of a killed run may live on (a render runner that outlived its parent)."""
    with suppress(ProcessLookupError):
        os.killpg(session, signal.SIGKILL)


# --- what a re-run kept ---

Snapshot = dict[str, tuple[int, int]]


def snapshot(root: Path) -> Snapshot:
    """Every stored object of a local store: key → (size, mtime in ns)."""
    if not root.exists():
        return {}
    files = (p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".tmp-"))
    return {p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns) for p in files}


def _stage(key: str) -> str:
    return key.split("/", 1)[0]


@dataclass
class Reuse:
    """Objects by stage: kept untouched, rewritten (same key, written again), added."""

    kept: dict[str, int] = field(default_factory=dict)
    rewritten: dict[str, int] = field(default_factory=dict)
    added: dict[str, int] = field(default_factory=dict)


def compare(before: Snapshot, after: Snapshot) -> Reuse:
    kept = Counter(_stage(k) for k, v in before.items() if after.get(k) == v)
    rewritten = Counter(_stage(k) for k, v in before.items() if k in after and after[k] != v)
    added = Counter(_stage(k) for k in after.keys() - before.keys())
    return Reuse(dict(sorted(kept.items())), dict(sorted(rewritten.items())), dict(sorted(added.items())))


def bytes_by_stage(shot: Snapshot) -> dict[str, int]:
    sizes: Counter[str] = Counter()
    for key, (size, _) in shot.items():
        sizes[_stage(key)] += size
    return dict(sorted(sizes.items()))


# --- the bench ---


def clean_topics(count: int, work: Path) -> list[tuple[str, str]]:
    """(topic, language) of catalog lessons whose content stages pass the gate offline today, up to
    `count`: a flagged lesson would wait for a reviewer, and the bench measures unattended runs."""
    from mathcast import stages
    from mathcast.content import catalog
    from mathcast.store import LocalArtifactStore, get_model
    from quality.gate import GateResult

    store = LocalArtifactStore(work / "content-check")
    found: list[tuple[str, str]] = []
    for plan, _ in catalog.catalog():
        try:
            planned = stages.generate(store, plan.topic, plan.language, "offline")
            solutions = stages.solve(store, planned, "offline")
            reflected = stages.reflect(store, planned, solutions, "offline", rounds=2)
            verification = stages.verify(store, reflected.lesson, reflected.reflections)
            gate = stages.content_gate(store, reflected.lesson, verification)
        except Exception:  # a topic whose solver is not written yet is left out
            continue
        if get_model(store, gate.key, GateResult).success:
            found.append((plan.topic, plan.language))
    return found[:count]


def write_manifest(path: Path, topics: list[tuple[str, str]]) -> Path:
    lines = ["name: bench bulk", "defaults: {quality: low, grade: 高一}", "lessons:"]
    lines += [f"  - {{topic: {json.dumps(t, ensure_ascii=False)}, language: {lang}}}" for t, lang in topics]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class ColdRun:
    concurrency: int
    wall_s: float
    exit: int
    lessons_completed: int
    lessons_per_hour: float
    store_bytes_per_lesson: int
    bytes_per_lesson_by_stage: dict[str, int]


@dataclass
class LessonReuse:
    """One published lesson after the re-run: its stored objects that the killed run had made
    (read back, untouched) and those the re-run made, by stage."""

    topic: str
    reused: dict[str, int]
    made: dict[str, int]


@dataclass
class ResumeRun:
    killed_at_s: float
    killed: bool
    rerun_wall_s: float
    rerun_exit: int
    syntheses_before_kill: int
    syntheses_in_rerun: int
    reuse: Reuse
    lessons: list[LessonReuse]


def lesson_objects(store: Path, manifest_key: str) -> set[str]:
    """Every stored object of one published lesson: its manifest and what the manifest lists."""
    from mathcast.stages import LessonManifest
    from mathcast.store import LocalArtifactStore, get_model

    manifest = get_model(LocalArtifactStore(store), manifest_key, LessonManifest)
    return {manifest_key, *(ref.key for ref in manifest.artifacts.values())}


def reuse_by_stage(
    keys: set[str], before: Snapshot, after: Snapshot
) -> tuple[dict[str, int], dict[str, int]]:
    """`keys` by stage: read back (stored before the run and untouched by it), and made by the run."""
    untouched = {k for k in keys if k in before and before[k] == after.get(k)}
    reused = Counter(_stage(k) for k in untouched)
    made = Counter(_stage(k) for k in keys - untouched)
    return dict(sorted(reused.items())), dict(sorted(made.items()))


def lesson_reuse(store: Path, before: Snapshot) -> list[LessonReuse]:
    """Per published lesson, its objects split by whether the killed run had stored them."""
    from mathcast.published import published_lessons
    from mathcast.store import LocalArtifactStore

    after = snapshot(store)
    found = []
    for entry in published_lessons(LocalArtifactStore(store)).entries:
        reused, made = reuse_by_stage(lesson_objects(store, entry.manifest.key), before, after)
        found.append(LessonReuse(entry.topic, reused, made))
    return sorted(found, key=lambda lesson: -sum(lesson.reused.values()))


@dataclass
class BulkBench:
    topics: list[str]
    cores: int
    load_before: float
    cold: list[ColdRun]
    resume: ResumeRun


def _completed(run: CliRun) -> int:
    """Lessons made: the CLI ends with one `line N: …/lesson.mp4` per manifest line it made."""
    return len(re.findall(r"^line \d+: \S*lesson\.mp4$", run.output, flags=re.MULTILINE))


def bench(lessons: int, concurrencies: list[int], work: Path, kill_after_s: float | None) -> BulkBench:
    topics = clean_topics(lessons, work)
    manifest = write_manifest(work / "bench.yaml", topics)
    load_before = os.getloadavg()[0]
    with prefect_server(_fresh(work / "prefect")) as api:
        base = {**os.environ, "PREFECT_API_URL": api, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
        cold = [_cold(manifest, len(topics), concurrency, base, work) for concurrency in concurrencies]
        after_s = kill_after_s if kill_after_s is not None else 0.5 * min(c.wall_s for c in cold)
        resume = _resume(manifest, base, work, after_s)
    return BulkBench([f"{t} ({lang})" for t, lang in topics], os.cpu_count() or 0, load_before, cold, resume)


def _cold(manifest: Path, lessons: int, concurrency: int, base: dict[str, str], work: Path) -> ColdRun:
    """The curriculum from an empty store and empty TeX and render caches; store bytes are per lesson
    run (a lesson the media gate refuses has stored all but its manifest)."""
    store = _fresh(work / f"store-c{concurrency}")
    env = {**base, "MATHCAST_CACHE_DIR": str(_fresh(work / f"cache-c{concurrency}"))}
    run = run_cli(
        ["bulk", str(manifest), "-c", str(concurrency), "--store", str(store), "--auto-approve"], env
    )
    made, by_stage = _completed(run), bytes_by_stage(snapshot(store))
    result = ColdRun(
        concurrency=concurrency,
        wall_s=run.wall_s,
        exit=run.returncode,
        lessons_completed=made,
        lessons_per_hour=round(3600 * made / run.wall_s, 1),
        store_bytes_per_lesson=sum(by_stage.values()) // lessons,
        bytes_per_lesson_by_stage={stage: size // lessons for stage, size in by_stage.items()},
    )
    print(result, flush=True)
    return result


def _resume(manifest: Path, base: dict[str, str], work: Path, after_s: float) -> ResumeRun:
    """Kill a concurrency-2 bulk run mid-render (past `after_s`), run it again, see what it reused."""
    store = _fresh(work / "store-resume")
    env = {**base, "MATHCAST_CACHE_DIR": str(_fresh(work / "cache-resume"))}
    args = ["bulk", str(manifest), "-c", "2", "--store", str(store), "--auto-approve"]
    first = run_cli(args, env, kill_when=lambda group, elapsed: elapsed >= after_s and rendering(group))
    before = snapshot(store)
    again = run_cli(args, env)
    after = snapshot(store)
    result = ResumeRun(
        killed_at_s=first.wall_s,
        killed=first.killed,
        rerun_wall_s=again.wall_s,
        rerun_exit=again.returncode,
        syntheses_before_kill=spoken_clips(before),
        syntheses_in_rerun=spoken_clips(before, after),
        reuse=compare(before, after),
        lessons=lesson_reuse(store, before),
    )
    print(result, flush=True)
    return result


def _fresh(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=False)
    return path


def _print(results: BulkBench) -> None:
    from rich.console import Console
    from rich.table import Table

    lessons, load = len(results.topics), results.load_before
    table = Table(
        title=f"bulk: {lessons} lessons at low quality, {results.cores} cores (load {load:.1f} before)"
    )
    table.add_column("measure")
    for run in results.cold:
        table.add_column(f"concurrency {run.concurrency}", justify="right")
    for measure in ("wall_s", "lessons_completed", "lessons_per_hour", "store_bytes_per_lesson"):
        table.add_row(measure, *(str(getattr(run, measure)) for run in results.cold))
    console = Console()
    console.print(table)
    resume = results.resume
    console.print(
        f"resume: killed at {resume.killed_at_s} s during render; the re-run took {resume.rerun_wall_s} s "
        f"(exit {resume.rerun_exit}) and made {resume.syntheses_in_rerun} syntheses "
        f"({resume.syntheses_before_kill} before the kill)"
    )
    console.print(f"kept untouched: {resume.reuse.kept}")
    console.print(f"rewritten: {resume.reuse.rewritten}")
    console.print(f"added: {resume.reuse.added}")
    for lesson in resume.lessons:
        console.print(f"{lesson.topic}: read back {lesson.reused}; made in the re-run {lesson.made}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--lessons", type=int, default=10)
    parser.add_argument("--concurrency", type=int, nargs="*", default=[1, 2], help="none: resume only")
    parser.add_argument(
        "--kill-after", type=float, help="seconds into the resumed run (default: half the fastest cold run)"
    )
    parser.add_argument("--json", type=Path)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mathcast-bench-bulk-") as tmp:
        if not options.concurrency and options.kill_after is None:
            parser.error("with no cold runs, say when to kill: --kill-after SECONDS")
        results = bench(options.lessons, options.concurrency, Path(tmp), options.kill_after)
    _print(results)
    if options.json:
        options.json.write_text(
            json.dumps(asdict(results), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()
