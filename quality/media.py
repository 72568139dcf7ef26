"""The media gate: the produced file measured, then judged against the preset and the plan."""

from __future__ import annotations

import great_expectations as gx
import pandas as pd
from great_expectations.expectations import Expectation

from mathcast.lesson import VideoFormat
from mathcast.media.ffmpeg import MediaFacts
from quality.gate import GateResult, validate


def media_facts_table(facts: MediaFacts) -> pd.DataFrame:
    video, audio = facts.of("video"), facts.of("audio")
    video_ms = video[0].duration_ms if video else 0
    audio_ms = audio[0].duration_ms if audio else 0
    return pd.DataFrame(
        [
            {
                "video_streams": len(video),
                "audio_streams": len(audio),
                "subtitle_streams": len(facts.of("subtitle")),
                "width": video[0].width if video else None,
                "height": video[0].height if video else None,
                "fps": video[0].fps if video else None,
                "video_ms": video_ms,
                "audio_ms": audio_ms,
                "drift_ms": abs(video_ms - audio_ms),
                "audio_sample_rate": audio[0].sample_rate if audio else None,
                "chapters": len(facts.chapters),
            }
        ]
    )


def media_gate(facts: MediaFacts, video: VideoFormat, sections: int) -> GateResult:
    e = gx.expectations

    def exactly(column: str, value: float) -> Expectation:
        return e.ExpectColumnValuesToBeBetween(column=column, min_value=value, max_value=value)

    return validate(
        "media_gate",
        "facts",
        media_facts_table(facts),
        [
            exactly("video_streams", 1),
            exactly("audio_streams", 1),
            exactly("subtitle_streams", 1),
            exactly("width", video.width),
            exactly("height", video.height),
            exactly("fps", video.fps),
            e.ExpectColumnValuesToBeBetween(column="drift_ms", min_value=0, max_value=1000 / video.fps),
            e.ExpectColumnValuesToBeBetween(column="video_ms", min_value=1000),
            exactly("chapters", sections),
        ],
    )
