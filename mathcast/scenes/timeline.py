"""Turns a section and the sync map into a frame-exact render job (audio-driven timing).

Cue times are mapped onto the lesson's frame grid with one rounding rule
(`VideoFormat.frame_at`), so section clips tile the narration with no accumulating drift.
"""

from __future__ import annotations

from pydantic import Field

from mathcast.lesson import Cue, Model, Section, SyncMap, VideoFormat


class CueSlot(Model):
    """A cue on screen from `start_frame` until `end_frame` (exclusive), frames relative to the clip."""

    cue: Cue
    segment_id: str
    start_frame: int = Field(ge=0)
    end_frame: int = Field(ge=0)
    speech_end_frame: int = Field(ge=0, description="When the narration of its segment ends.")


class SceneJob(Model):
    lesson_title: str
    section: Section
    format: VideoFormat
    frames: int = Field(gt=0)
    slots: list[CueSlot]


def scene_job(lesson_title: str, section: Section, syncmap: SyncMap, video: VideoFormat) -> SceneJob:
    """Place each cue at its segment's start; a cue stays until the next cue or the section end.

    Several cues on one segment share its time equally, in order.
    """
    span = next(s for s in syncmap.sections if s.id == section.id)
    origin = video.frame_at(span.start_ms)
    frames = video.frame_at(span.end_ms) - origin
    starts: list[tuple[Cue, str, int, int]] = []
    for segment in section.segments:
        seg = syncmap.segment(segment.id)
        count = len(segment.cues)
        for i, cue in enumerate(segment.cues):
            at_ms = seg.start_ms + (seg.end_ms - seg.start_ms) * i // max(count, 1)
            starts.append(
                (cue, segment.id, video.frame_at(at_ms) - origin, video.frame_at(seg.end_ms) - origin)
            )
    slots = []
    for i, (cue, segment_id, start, speech_end) in enumerate(starts):
        end = starts[i + 1][2] if i + 1 < len(starts) else frames
        slots.append(
            CueSlot(
                cue=cue,
                segment_id=segment_id,
                start_frame=max(0, min(start, frames)),
                end_frame=max(0, min(end, frames)),
                speech_end_frame=max(0, min(speech_end, frames)),
            )
        )
    return SceneJob(lesson_title=lesson_title, section=section, format=video, frames=frames, slots=slots)
