"""The layout check on real mobjects: overlaps, off-frame elements and unreadable text are named."""

from __future__ import annotations

import pytest
from manim import DOWN, LEFT, RIGHT, UP, Square

from mathcast.scenes import theme
from mathcast.scenes.check import check_screen
from mathcast.scenes.cues import Element
from mathcast.scenes.layout import body_box, header, safe_frame, text

pytestmark = pytest.mark.usefixtures("manim_media")


def kinds(violations: list) -> list[tuple[str, list[str]]]:  # type: ignore[type-arg]
    return [(v.kind, v.elements) for v in violations]


def test_apart_elements_pass() -> None:
    a = text("斜率", theme.BODY_SIZE).shift(UP)
    b = text("截距", theme.BODY_SIZE).shift(DOWN)
    assert check_screen("c", [Element("a", a), Element("b", b)], header("展开")) == []


def test_overlapping_elements_are_named() -> None:
    a = text("一次函数", theme.BODY_SIZE)
    b = text("图像", theme.BODY_SIZE).shift(RIGHT * 0.3)
    (violation,) = check_screen("cue-1", [Element("a", a), Element("b", b)], None)
    assert (violation.cue_id, violation.kind, violation.elements) == ("cue-1", "overlap", ["a", "b"])


def test_touching_within_the_tolerance_is_not_an_overlap() -> None:
    a = Square(1.0).move_to(LEFT * 0.5)
    b = Square(1.0).move_to(RIGHT * (0.5 - theme.OVERLAP_TOLERANCE / 2))
    assert check_screen("c", [Element("a", a), Element("b", b)], None) == []


def test_content_over_the_header_is_an_overlap() -> None:
    top = header("展开")
    title = text("标题", theme.TITLE_SIZE).move_to(top)
    assert ("overlap", ["title", "header"]) in kinds(check_screen("c", [Element("title", title)], top))


def test_off_frame_element_is_caught() -> None:
    wide = text("很长的标题" * 8, theme.TITLE_SIZE)
    found = kinds(check_screen("c", [Element("title", wide)], None))
    assert found == [("off_frame", ["title"])]


def test_element_just_inside_the_safe_frame_passes() -> None:
    safe = safe_frame()
    box = Square(1.0).move_to([safe.right - 0.5, safe.bottom + 0.5, 0])
    assert check_screen("c", [Element("box", box)], None) == []


def test_child_must_stay_inside_its_container_and_off_its_siblings() -> None:
    axes = Square(3.0)
    inside = text("(0, 1)", 24).move_to(axes.get_center())
    sibling = text("(0, 1)", 24).move_to(axes.get_center() + RIGHT * 0.1)
    outside = text("(4, 9)", 24).next_to(axes, RIGHT, buff=-0.1)
    found = kinds(
        check_screen(
            "g",
            [
                Element("axes", axes),
                Element("point-1", inside, within="axes"),
                Element("point-2", sibling, within="axes"),
                Element("point-3", outside, within="axes"),
            ],
            None,
        )
    )
    assert ("outside_container", ["point-3", "axes"]) in found
    assert ("overlap", ["point-1", "point-2"]) in found
    assert not any(kind == "overlap" and "axes" in names for kind, names in found)


def test_text_scaled_below_the_readable_size_is_caught() -> None:
    tiny = text("斜率", theme.BODY_SIZE).scale(0.3).move_to(body_box().center)
    (violation,) = check_screen("c", [Element("label", tiny)], None)
    assert violation.kind == "small_font"
    assert "below the readable" in violation.detail


def test_hidden_elements_are_not_measured() -> None:
    hidden = text("隐藏", theme.TITLE_SIZE).move_to(RIGHT * 20).set_opacity(0)
    assert check_screen("c", [Element("hidden", hidden)], None) == []
