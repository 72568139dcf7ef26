"""End-to-end benchmark: lessons cold (empty store and caches) and warm, per quality, per stage.

    .venv/bin/python -m bench.e2e [--quality low medium] [--topic TOPIC ...] [--json out.json]
                                  [--compare before.json]

Per stage: wall time, CPU time (this process and its finished children, manim included), peak
memory of the process tree (sampled from /proc; Prefect's own API server left out), and the
stage's stored outputs of the lesson (from its manifest) read back from the store (cache hits)
and made by the run, counted as bench/bulk.py counts a resumed run's. Per run: render seconds per video
second and total seconds per minute of finished video. `--compare` prints an earlier result
file's numbers beside this run's, so two versions can be read side by side.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import cast

from rich.console import Console
from rich.table import Table

from bench.bulk import lesson_objects, reuse_by_stage, snapshot
from mathcast.lesson import Quality
from mathcast.progress import StageTiming, listening

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _tree_rss() -> int:
    """Resident bytes of this process and its descendants, the Prefect API server excepted."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, frontier = {os.getpid()}, [os.getpid()]
    while frontier:
        pid = frontier.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        tree.update(children)
        frontier.extend(children)
    total = 0
    for pid in tree:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"prefect" in command and b"server" in command:
                continue
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except OSError:
            continue
    return total


class PeakMemory(threading.Thread):
    """Samples the tree's memory every 100 ms; `take` returns the peak since the last take."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.lock = threading.Lock()
        self.peak = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.1):
            rss = _tree_rss()
            with self.lock:
                self.peak = max(self.peak, rss)

    def take(self) -> float:
        with self.lock:
            peak, self.peak = max(self.peak, _tree_rss()), 0
        return peak / 2**20


def _cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


class StageMeter:
    """A progress listener: each finished stage is charged what was spent since the previous one."""

    def __init__(self, memory: PeakMemory) -> None:
        self.memory = memory
        self.rows: dict[str, dict[str, float]] = {}
        self.cpu = _cpu_seconds()
        memory.take()

    def __call__(self, timing: StageTiming) -> None:
        cpu = _cpu_seconds()
        self.rows[timing.stage] = {
            "wall s": timing.seconds,
            "cpu s": cpu - self.cpu,
            "peak MB": self.memory.take(),
        }
        self.cpu = cpu


def count_reuse(
    stages: dict[str, dict[str, float]], reused: dict[str, int], made: dict[str, int]
) -> dict[str, dict[str, float]]:
    """Each stage's row with its outputs read back and made; a stage that stored without a timed
    step of its own (a hand-stored input) gets a row of its counts alone."""
    rows = {stage: dict(values) for stage, values in stages.items()}
    for stage in sorted(reused.keys() | made.keys()):
        rows.setdefault(stage, {}).update({"read back": reused.get(stage, 0), "made": made.get(stage, 0)})
    return rows


def run(
    qualities: list[Quality], topics: list[str], work: Path, labels: dict[str, str]
) -> dict[str, dict[str, dict[str, float]]]:
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.lesson import lesson
    from mathcast.lesson import SyncMap
    from mathcast.store import get_model, open_store

    memory = PeakMemory()
    memory.start()
    runs: dict[str, dict[str, dict[str, float]]] = {}
    for topic in topics:
        for quality in qualities:
            store = work / f"store-{len(runs)}"
            os.environ["MATHCAST_CACHE_DIR"] = str(
                work / f"cache-{len(runs)}"
            )  # cold: no TeX or render cache
            for temperature in ("cold", "warm"):
                meter = StageMeter(memory)
                stored_before = snapshot(store)
                started = time.perf_counter()
                with listening(meter):
                    result = lesson(topic=topic, quality=quality, store=str(store))
                wall = time.perf_counter() - started
                syncmap = get_model(open_store(str(store)), result.artifacts["syncmap.json"].key, SyncMap)
                video_s = syncmap.total_ms / 1000
                objects = lesson_objects(store, result.artifacts["manifest.json"].key)
                stages = count_reuse(meter.rows, *reuse_by_stage(objects, stored_before, snapshot(store)))
                timed = [s for s in stages.values() if "wall s" in s]
                total = sum(s["wall s"] for s in timed)
                stages["lesson"] = {
                    "wall s": wall,
                    "cpu s": sum(s["cpu s"] for s in timed),
                    "peak MB": max(s["peak MB"] for s in timed),
                    "read back": sum(s["read back"] for s in stages.values() if "read back" in s),
                    "made": sum(s["made"] for s in stages.values() if "made" in s),
                    "video s": video_s,
                    "render s / video s": stages["render"]["wall s"] / video_s,
                    "s / video minute": total / video_s * 60,
                }
                runs[f"{labels.get(topic, topic)} {quality} {temperature}"] = stages
    memory.stopped.set()
    return runs


def table(
    runs: dict[str, dict[str, dict[str, float]]], before: dict[str, dict[str, dict[str, float]]]
) -> Table:
    measures = ["wall s", "cpu s", "peak MB", "read back", "made", "render s / video s", "s / video minute"]
    out = Table(title="mathcast end to end" + (" (before → now)" if before else ""))
    out.add_column("run")
    out.add_column("stage")
    for measure in measures:
        out.add_column(measure, justify="right")
    for name, stages in runs.items():
        for stage, values in stages.items():
            old = before.get(name, {}).get(stage, {})

            def cell(measure: str, values: dict[str, float] = values, old: dict[str, float] = old) -> str:
                if measure not in values:
                    return ""
                digits = 0 if measure in ("read back", "made") else 2
                now = f"{values[measure]:.{digits}f}"
                return f"{old[measure]:.{digits}f} → {now}" if measure in old else now

            out.add_row(name, stage, *(cell(m) for m in measures), end_section=stage == "lesson")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quality", nargs="+", default=["low", "medium"], choices=["low", "medium", "high"])
    parser.add_argument("--topic", action="append", help="A catalog topic (default: the demo lesson).")
    parser.add_argument("--json", type=Path, help="Write the results here.")
    parser.add_argument("--compare", type=Path, help="An earlier --json result to print beside this one.")
    args = parser.parse_args()

    from flows.lesson import DEMO_TOPIC

    before = json.loads(args.compare.read_text()) if args.compare else {}
    runs = run(
        cast(list[Quality], args.quality),
        args.topic or [DEMO_TOPIC],
        Path(tempfile.mkdtemp(prefix="mathcast-e2e-")),
        labels={DEMO_TOPIC: "demo"},
    )
    Console(width=200).print(table(runs, before))
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
