"""Forced alignment, ours beside aeneas-ng, in the same run on the same audio (issue 5, "Measure").

Accuracy: boundaries inside the pause between two lines (ffmpeg silencedetect -35 dB, 0.15 s),
else the distance to it, on sonnet001 (LibriVox) and on espeak narrations with known pauses.
Speed and peak memory: both aligners as command-line processes (wall time, the child's own VmHWM).

    .venv/bin/python bench/align.py [--aeneas-python /tmp/aeneas-venv/bin/python] [--json out.json]

aeneas-ng lives in its own venv (it needs festival-dev libestools-dev libespeak-ng-dev to build):
    python3 -m venv /tmp/aeneas-venv && /tmp/aeneas-venv/bin/pip install numpy aeneas-ng
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pydantic import BaseModel

from mathcast.align.evaluate import detect_pauses, score_boundaries, score_words
from mathcast.align.forced import align_file
from mathcast.align.synthetic import SENTENCES, SyntheticNarration, narrate
from mathcast.lesson import Language

ROOT = Path(__file__).resolve().parents[1]
SONNET = ROOT / "tests" / "data" / "sonnet001"
AENEAS_LANGUAGE: dict[Language, str] = {"zh-CN": "cmn", "en-US": "eng"}
CLI_LANGUAGE: dict[Language, str] = {"zh-CN": "zh", "en-US": "en"}
AENEAS_WORDS_TIMEOUT_S = 90


class Run(BaseModel):
    boundaries_ms: list[int]
    wall_s: float
    peak_mb: float


class Row(BaseModel):
    name: str
    ours: dict[str, float]
    aeneas: dict[str, float] | None
    note: str = ""


def _high_water_kb(pid: int) -> int | None:
    """The process's own peak resident set (VmHWM) so far, or None once its memory is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else None


def _measured(args: list[str], out: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one child process. The peak is its VmHWM, read every
    few ms until it exits: the rusage of a child (ru_maxrss) keeps the high-water mark of the
    forked parent across exec, so it would report this benchmark's own size for a small aligner.
    Its stderr goes to a file: a pipe nobody reads would block a chatty child once it fills."""
    log = out.with_suffix(".stderr")
    peak_kb = 0
    with out.open("wb") as sink, log.open("wb") as errors:
        start = time.perf_counter()
        child = subprocess.Popen(args, stdout=sink, stderr=errors, cwd=tempfile.gettempdir())
        while True:
            pid, status = os.waitpid(child.pid, os.WNOHANG)
            if pid:
                break
            peak_kb = max(peak_kb, _high_water_kb(child.pid) or 0)
            time.sleep(0.002)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    if child.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {log.read_text(errors='replace')[-600:]}")
    return wall, peak_kb / 1024


def run_ours(audio: Path, text: Path, language: Language, scratch: Path) -> Run:
    out = scratch / "ours.json"
    cli = [str(ROOT / ".venv" / "bin" / "mathcast"), "align", str(audio), str(text)]
    wall, peak = _measured([*cli, "--lang", CLI_LANGUAGE[language], "--json"], out)
    fragments = json.loads(out.read_text())["fragments"]
    return Run(boundaries_ms=[f["begin_ms"] for f in fragments[1:]], wall_s=wall, peak_mb=peak)


def run_aeneas(python: Path, audio: Path, text: Path, language: Language, scratch: Path) -> Run:
    out = scratch / "aeneas.json"
    config = f"task_language={AENEAS_LANGUAGE[language]}|is_text_type=plain|os_task_file_format=json"
    args = [str(python), "-m", "aeneas.tools.execute_task", str(audio), str(text), config, str(out)]
    wall, peak = _measured(args, scratch / "aeneas.log")
    fragments = json.loads(out.read_text())["fragments"]
    return Run(
        boundaries_ms=[round(float(f["begin"]) * 1000) for f in fragments[1:]], wall_s=wall, peak_mb=peak
    )


def words_ours(audio: Path, narration: SyntheticNarration, language: Language) -> list[list[int]]:
    """Word starts per sentence from our aligner (in process: the speed rows time the CLI)."""
    alignment = align_file(audio, narration.sentences, language)
    return [[w.begin_ms for w in f.words] for f in alignment.fragments]


def words_aeneas(
    python: Path, audio: Path, narration: SyntheticNarration, language: Language, scratch: Path
) -> list[list[int]] | str:
    """aeneas-ng's multilevel mode (mplain: a line per sentence, words split by spaces): the word
    level of its sync-map tree, per sentence; or why it gave none."""
    text, out = scratch / "words.txt", scratch / "aeneas-words.json"
    lines: list[list[str]] = [[] for _ in narration.sentences]
    for word in narration.words:
        lines[word.sentence].append(word.text(narration.sentences))
    text.write_text("\n".join(" ".join(line) for line in lines) + "\n", encoding="utf-8")
    config = f"task_language={AENEAS_LANGUAGE[language]}|is_text_type=mplain|os_task_file_format=json"
    args = [str(python), "-m", "aeneas.tools.execute_task", str(audio), str(text), config, str(out)]
    try:
        subprocess.run(
            args, capture_output=True, timeout=AENEAS_WORDS_TIMEOUT_S, check=True, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        return f"no result: hung for {AENEAS_WORDS_TIMEOUT_S} s (in its C espeak wrapper, aeneas.cew)"
    except subprocess.CalledProcessError as error:
        return f"failed: {error.stderr.decode(errors='replace').strip().splitlines()[-1][:120]}"
    (paragraph,) = json.loads(out.read_text())["fragments"]
    return [[round(float(w["begin"]) * 1000) for w in line["children"]] for line in paragraph["children"]]


def _word_accuracy(predicted: list[list[int]], narration: SyntheticNarration) -> dict[str, float]:
    truth: list[list[int]] = [[] for _ in narration.sentences]
    for word in narration.words:
        truth[word.sentence].append(word.begin_ms)
    score = score_words(predicted, truth)
    ordered = sorted(score.errors_ms)
    return {"scored": score.scored, "mean_ms": round(score.mean_ms, 1), "worst_ms": score.worst_ms,
            "p95_ms": ordered[int(len(ordered) * 0.95)] if ordered else 0}  # fmt: skip


def _accuracy(run: Run, anchors: list[int], pauses: list[tuple[int, int]]) -> dict[str, float]:
    score = score_boundaries(run.boundaries_ms, anchors, pauses)
    return {"scored": score.scored, "mean_ms": round(score.mean_ms, 1), "worst_ms": score.worst_ms,
            "wall_s": round(run.wall_s, 2), "peak_mb": round(run.peak_mb)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--aeneas-python", type=Path, default=Path("/tmp/aeneas-venv/bin/python"))
    parser.add_argument("--minutes", type=float, nargs="*", default=[1, 5, 11.4, 20])
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    parser.add_argument(
        "--speed-only", action="store_true", help="Only the speed rows (a quiet machine's job)."
    )
    options = parser.parse_args()
    aeneas = options.aeneas_python if options.aeneas_python.is_file() else None
    if aeneas is None:
        print(f"aeneas-ng not found at {options.aeneas_python}: its columns stay empty", file=sys.stderr)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        cases: list[tuple[str, Path, Path, Language, list[int]]] = []
        if SONNET.is_dir() and not options.speed_only:
            reference = json.loads((SONNET / "reference_syncmap.json").read_text())["fragments"]
            anchors = [round(float(f["end"]) * 1000) for f in reference[:-1]]
            cases.append(
                ("sonnet001 (LibriVox, en)", SONNET / "audio.mp3", SONNET / "plain.txt", "en-US", anchors)
            )
        for language in ("zh-CN", "en-US") if not options.speed_only else ():
            for seed in range(3):
                audio, text = scratch / f"{language}-{seed}.wav", scratch / f"{language}-{seed}.txt"
                narration = narrate(SENTENCES[language], language, audio, seed=seed)
                text.write_text("\n".join(narration.sentences) + "\n", encoding="utf-8")
                cases.append(
                    (f"synthetic {language} seed {seed}", audio, text, language, narration.anchors_ms)
                )
        aeneas_words_failed: str | None = None
        for language in ("zh-CN", "en-US") if not options.speed_only else ():
            for seed in range(3):
                audio = scratch / f"{language}-{seed}.wav"
                narration = narrate(SENTENCES[language], language, audio, seed=seed)
                if aeneas and not isinstance(aeneas_words_failed, str):
                    theirs = words_aeneas(aeneas, audio, narration, language, scratch)
                    aeneas_words_failed = theirs if isinstance(theirs, str) else None
                else:  # one hang is enough to know: the rest would only wait out the same timeout
                    theirs = f"skipped after: {aeneas_words_failed}" if aeneas else None
                ours = _word_accuracy(words_ours(audio, narration, language), narration)
                rows.append(
                    Row(
                        name=f"words {language} seed {seed}",
                        ours=ours,
                        aeneas=_word_accuracy(theirs, narration) if isinstance(theirs, list) else None,
                        note=theirs if isinstance(theirs, str) else "",
                    )
                )
                _print_row(rows[-1])
        for name, audio, text, language, anchors in cases:
            pauses = detect_pauses(audio)
            ours = _accuracy(run_ours(audio, text, language, scratch), anchors, pauses)
            theirs = (
                _accuracy(run_aeneas(aeneas, audio, text, language, scratch), anchors, pauses)
                if aeneas
                else None
            )
            rows.append(Row(name=name, ours=ours, aeneas=theirs))
            _print_row(rows[-1])
        for minutes in options.minutes:
            audio, text = _long_narration(minutes, scratch)
            ours = run_ours(audio, text, "zh-CN", scratch)
            theirs = run_aeneas(aeneas, audio, text, "zh-CN", scratch) if aeneas else None

            def speed(run: Run) -> dict[str, float]:
                return {"wall_s": round(run.wall_s, 2), "peak_mb": round(run.peak_mb)}

            rows.append(
                Row(
                    name=f"speed zh {minutes:g} min",
                    ours=speed(ours),
                    aeneas=speed(theirs) if theirs else None,
                )
            )
            _print_row(rows[-1])
    if options.json:
        options.json.write_text(json.dumps([r.model_dump() for r in rows], indent=2) + "\n")


def _print_row(row: Row) -> None:
    def cell(figures: dict[str, float] | None) -> str:
        if figures is None:
            return "-"
        accuracy = (
            f"mean {figures['mean_ms']:6.1f} worst {figures['worst_ms']:4.0f} ms n={figures['scored']:.0f} "
            if "mean_ms" in figures
            else ""
        )
        if "wall_s" not in figures:  # word level: accuracy only
            return f"{accuracy}p95 {figures['p95_ms']:4.0f} ms"
        return f"{accuracy}{figures['wall_s']:6.2f} s {figures['peak_mb']:5.0f} MB"

    theirs = cell(row.aeneas) if row.aeneas or not row.note else row.note
    print(f"{row.name:<28} | ours: {cell(row.ours):<52} | aeneas-ng: {theirs}", flush=True)


def _long_narration(minutes: float, scratch: Path) -> tuple[Path, Path]:
    """Chinese narration of about `minutes`, the sentences repeated with fresh rates, voices and pauses."""
    audio, text = scratch / f"long-{minutes:g}.wav", scratch / f"long-{minutes:g}.txt"
    sentences = SENTENCES["zh-CN"] * max(1, round(minutes * 60 / 40))  # 12 sentences last about 40 s
    narration = narrate(sentences, "zh-CN", audio, seed=int(minutes * 10))
    text.write_text("\n".join(narration.sentences) + "\n", encoding="utf-8")
    return audio, text


if __name__ == "__main__":
    main()
