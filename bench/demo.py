"""Benchmark: the demo lesson cold (empty store and caches) and warm, wall time per stage.

    .venv/bin/python bench/demo.py [--quality low medium] [--json bench/results.json]

Prints one table with a column per (quality, cold/warm) run, plus render seconds per second
of video and total seconds per minute of finished video, measured side by side in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quality", nargs="+", default=["low", "medium"], choices=["low", "medium", "high"])
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="mathcast-bench-"))
    os.environ["MATHCAST_CACHE_DIR"] = str(work / "cache")  # cold means no TeX or render cache either
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    from flows.lesson import lesson
    from mathcast.lesson import SyncMap
    from mathcast.store import get_model, open_store

    runs: dict[str, dict[str, float]] = {}
    for quality in args.quality:
        store = str(work / f"store-{quality}")
        for temperature in ("cold", "warm"):
            started = time.perf_counter()
            result = lesson(quality=quality, store=store)
            wall = time.perf_counter() - started
            syncmap = get_model(open_store(store), result.artifacts["syncmap.json"].key, SyncMap)
            stages = {t.stage: t.seconds for t in result.timings}
            video_s = syncmap.total_ms / 1000
            runs[f"{quality} {temperature}"] = {
                **stages,
                "flow wall (incl. Prefect)": wall,
                "video seconds": video_s,
                "render s / video s": stages["render"] / video_s,
                "total s / video minute": sum(stages.values()) / video_s * 60,
            }

    table = Table(title="mathcast demo lesson: seconds per stage")
    table.add_column("measure")
    for name in runs:
        table.add_column(name, justify="right")
    for measure in next(iter(runs.values())):
        table.add_row(measure, *(f"{run[measure]:.2f}" for run in runs.values()))
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2))


if __name__ == "__main__":
    main()
