"""Benchmark: the verifier over the labelled claims corpus, per error category and overall.

    .venv/bin/python bench/verify.py [--corpus tests/data/claims_corpus.jsonl] [--json bench/verify.json]

For injected errors "caught %" is the share refuted (the verifier's recall on that kind of
mistake); for correct work "wrongly refuted %" is the false-alarm rate that would block a good
lesson. Claims per second and items per second are wall time over the whole run.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "claims_corpus.jsonl"


def _row(verdicts: Counter[str], injected: bool | None) -> dict[str, Any]:
    items = sum(verdicts.values())
    share = {v: 100 * verdicts[v] / items if items else 0.0 for v in ("refuted", "verified", "unverifiable")}
    row: dict[str, Any] = {"items": items, **{f"{v} %": pct for v, pct in share.items()}}
    if injected is True:
        row["caught %"] = share["refuted"]
    elif injected is False:
        row["wrongly refuted %"] = share["refuted"]
    return row


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    args = parser.parse_args()

    from mathcast.verify.check import verify_request
    from mathcast.verify.request import VerifyRequest

    items = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line]
    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    injected_of: dict[str, bool] = {}
    claims, misses = 0, []
    started = time.perf_counter()
    for item in items:
        outcome = verify_request(VerifyRequest.model_validate(item["request"]))
        claims += len(outcome.claims)
        by_category[item["category"]][outcome.verdict] += 1
        injected_of[item["category"]] = item["injected"]
        if outcome.verdict != ("refuted" if item["injected"] else "verified"):
            misses.append({"id": item["id"], "category": item["category"], "verdict": outcome.verdict})
    wall = time.perf_counter() - started

    rows = {name: _row(by_category[name], injected_of[name]) for name in sorted(by_category)}
    injected, correct = Counter[str](), Counter[str]()
    for name, verdicts in by_category.items():
        (injected if injected_of[name] else correct).update(verdicts)
    rows["all injected"] = _row(injected, True)
    rows["all correct"] = _row(correct, False)
    rows["overall"] = _row(injected + correct, None)

    columns = ["items", "refuted %", "verified %", "unverifiable %", "caught %", "wrongly refuted %"]
    table = Table(title=f"mathcast verify on {args.corpus.name}")
    table.add_column("category", no_wrap=True)
    for column in columns:
        table.add_column(column, justify="right")
    for name, row in rows.items():
        cells = [
            "" if column not in row else str(row[column]) if column == "items" else f"{row[column]:.1f}"
            for column in columns
        ]
        table.add_row(name, *cells, end_section=name == sorted(by_category)[-1])
    console = Console()
    console.print(table)
    speed = {"wall seconds": wall, "claims per second": claims / wall, "items per second": len(items) / wall}
    console.print(", ".join(f"{k}: {v:.2f}" for k, v in speed.items()))
    if args.json:
        args.json.write_text(json.dumps({"categories": rows, "speed": speed, "misses": misses}, indent=2))


if __name__ == "__main__":
    main()
