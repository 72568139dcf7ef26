from __future__ import annotations

from mathcast.align.subtitles import to_srt, to_vtt
from mathcast.media.subtitles import read_srt, repair

SRT = (
    "1\r\n00:00:01,000 --> 00:00:02,500\r\n一\r\n二\r\n三\r\n\r\n"
    "2\r\n00:00:00,000 --> 00:00:01,200\r\nfirst\r\n\r\n3\r\nbroken\r\n"
)


def test_read_srt_keeps_text_on_two_lines_and_skips_what_is_not_a_cue() -> None:
    cues = read_srt(SRT)
    assert [(c.start_ms, c.end_ms, c.lines) for c in cues] == [
        (1000, 2500, ["一", "二 三"]),
        (0, 1200, ["first"]),
    ]
    assert read_srt(to_vtt(cues)) == read_srt(to_srt(cues)) == cues


def test_repair_orders_and_separates_cues_inside_the_video() -> None:
    fixed = repair(read_srt(SRT), video_ms=2000)
    assert [(c.start_ms, c.end_ms) for c in fixed] == [(0, 1000), (1000, 2000)]
    assert repair(fixed, video_ms=2000) == fixed
