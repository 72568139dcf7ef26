"""One drawing rule per cue kind: each turns a cue and its slot timing into timed beats.

A drawer only plans (mobjects and animations at frame offsets inside the slot, and the named
elements the layout check measures once they settle); the scene in `runner.py` plays the plan
frame-exactly. Keeping the two apart means the timing rules can be read here in frames.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import singledispatch

import numpy as np
import sympy
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    UR,
    Animation,
    Axes,
    Circle,
    Circumscribe,
    Create,
    DashedLine,
    DecimalNumber,
    Dot,
    FadeIn,
    FadeOut,
    FadeToColor,
    Indicate,
    Integer,
    Line,
    MathTex,
    Mobject,
    MobjectTable,
    NumberLine,
    Polygon,
    Rectangle,
    TransformMatchingShapes,
    UpdateFromAlphaFunc,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    always_redraw,
    linear,
    smooth,
)

from mathcast.lesson import (
    BulletsCue,
    Cue,
    Curve,
    DerivationCue,
    EmphasisCue,
    FormulaCue,
    FunctionGraphCue,
    Language,
    NumberLineCue,
    QuestionCue,
    SummaryCue,
    TableCue,
    TitleCue,
)
from mathcast.scenes import theme
from mathcast.scenes.latex import check_latex, safe_math_tex
from mathcast.scenes.layout import Box, body_box, fit, stack, text
from mathcast.verify.parse import MathParseError, parse_math

SAMPLES = 241  # points per curve: smooth at 1080p, cheap enough to redraw every frame
TABLE_ROW_GAP = 0.35  # space above and below a table cell's text


class CueDrawError(ValueError):
    """A cue that cannot be drawn as written (e.g. a curve using an undeclared symbol)."""


@dataclass(frozen=True)
class SlotTime:
    """A slot's length and the end of its narration, in frames relative to the slot start."""

    frames: int
    speech_end: int
    fps: int

    def seconds(self, seconds: float) -> int:
        return max(1, round(seconds * self.fps))

    @property
    def entry(self) -> int:
        """Entry animations take at most `ENTRY_SECONDS`, or the whole slot when it is shorter."""
        return min(self.seconds(theme.ENTRY_SECONDS), self.frames)


@dataclass(frozen=True)
class Beat:
    """Animations that start at frame `at` of the slot and run `frames` frames (or until the next beat)."""

    at: int
    frames: int
    animations: tuple[Animation, ...]


@dataclass(frozen=True)
class Element:
    """A named piece of the layout: elements never overlap, except a child over its container.

    A child (`within` names its container: a point on the axes) must stay inside the
    container's box and off its siblings instead.
    """

    name: str
    mobject: VMobject
    within: str | None = None


@dataclass(frozen=True)
class Screen:
    """A page of a cue split across screens, on screen until frame `until` of the slot."""

    until: int
    elements: tuple[Element, ...]


@dataclass(frozen=True)
class Drawing:
    """The beats of a cue and the elements it leaves on screen; `earlier` holds the pages before
    the last one, so the layout check measures every page, not only the one that stays."""

    beats: list[Beat]
    elements: tuple[Element, ...]
    earlier: tuple[Screen, ...] = ()


def spread(count: int, start: int, end: int) -> list[int]:
    """Frames at which `count` events start, equally spaced over [start, end)."""
    return [start + (end - start) * i // count for i in range(count)]


@singledispatch
def plan(cue: Cue, time: SlotTime, language: Language) -> Drawing:
    """The beats that draw `cue` inside its slot; registered per cue kind below."""
    raise CueDrawError(f"no drawing rule for cue kind {cue.kind!r}")


def _with_caption(
    main: Element, caption: str | None, size: int, gap: float, entry: Animation | None = None
) -> tuple[tuple[Element, ...], tuple[Animation, ...]]:
    """A main element (written in unless `entry` says otherwise) with a muted caption fading in
    beneath, fitted to the body: the elements and their entry animations."""
    box = body_box()
    elements = [main]
    animations = [entry or Write(main.mobject)]
    if caption:
        below = text(caption, size, theme.MUTED, max_width=box.width)
        elements.append(Element("caption", below))
        animations.append(FadeIn(below, shift=UP * 0.2))
    fit(VGroup(*(e.mobject for e in elements)).arrange(DOWN, buff=gap), box)
    return tuple(elements), tuple(animations)


def _captioned(
    main: Element, caption: str | None, size: int, gap: float, time: SlotTime, entry: Animation | None = None
) -> Drawing:
    """One screen of `_with_caption`, entering as the slot starts."""
    elements, animations = _with_caption(main, caption, size, gap, entry)
    return Drawing([Beat(0, time.entry, animations)], elements)


@plan.register
def _title(cue: TitleCue, time: SlotTime, language: Language) -> Drawing:
    title = text(cue.title, theme.TITLE_SIZE, theme.TEXT, max_width=body_box().width)
    return _captioned(Element("title", title), cue.subtitle, theme.SUBTITLE_SIZE, 0.45, time)


def _listing(heading: VMobject | None, items: Sequence[VMobject], time: SlotTime) -> Drawing:
    """A heading, then items one by one, spread over the narration (all at once if there is no time).

    Items that would only fit the body shrunk past `theme.MIN_CONTENT_SCALE` go on further screens:
    each screen repeats the heading and replaces the items of the one before.
    """
    box = body_box()
    gap = theme.LINE_GAP * 1.4
    pristine = heading.copy() if heading is not None else None  # later screens repeat it unscaled
    top = heading.height + gap if heading is not None else 0.0
    pages = _pages([item.height for item in items], _room(box) - top, gap)
    end = time.speech_end if time.speech_end - time.entry >= len(items) else time.frames
    starts = spread(len(pages), 0, end)
    beats: list[Beat] = []
    screens: list[Screen] = []
    elements: tuple[Element, ...] = ()
    for page_no, (start, page) in enumerate(zip(starts, pages, strict=True)):
        title = heading if page_no == 0 or pristine is None else pristine.copy()
        column = stack(*([title] if title is not None else []), *(items[i] for i in page), gap=gap)
        fit(VGroup(*column), box)
        first, rest = column[0], column[1:]
        opening: Animation = Write(first) if heading else FadeIn(first, shift=RIGHT * 0.2)
        entry = min(time.entry, max(1, end - start))
        beats.append(Beat(start, entry, (*_replacing(elements, start, screens), opening)))
        page_end = starts[page_no + 1] if page_no + 1 < len(pages) else end
        for at, item in zip(
            spread(len(rest), start + entry, max(page_end, start + entry + len(rest))), rest, strict=True
        ):
            beats.append(Beat(at, time.seconds(theme.ITEM_SECONDS), (FadeIn(item, shift=RIGHT * 0.2),)))
        names = [*(["heading"] if title is not None else []), *(f"item-{i + 1}" for i in page)]
        elements = tuple(Element(n, m) for n, m in zip(names, column, strict=True))
    return Drawing(beats, elements, tuple(screens))


def _replacing(shown: Sequence[Element], at: int, screens: list[Screen]) -> tuple[Animation, ...]:
    """A new page replaces the one on screen at frame `at`: that page is kept for the layout check
    and fades out as the new one enters."""
    if not shown:
        return ()
    screens.append(Screen(at, tuple(shown)))
    return (FadeOut(VGroup(*(e.mobject for e in shown))),)


def _room(box: Box) -> float:
    """The tallest content the body holds without shrinking it past `theme.MIN_CONTENT_SCALE`."""
    return box.height / theme.MIN_CONTENT_SCALE


def _pages(heights: Sequence[float], room: float, gap: float) -> list[list[int]]:
    """Indices per screen: as few screens as hold pieces of these heights (`gap` apart) within `room`,
    shared out evenly when they fit that way, so the last screen is not left with a lonely piece."""
    greedy: list[list[int]] = [[]]
    used = 0.0
    for index, height in enumerate(heights):
        if greedy[-1] and used + height > room:
            greedy.append([])
            used = 0.0
        greedy[-1].append(index)
        used += height + gap
    size, extra = divmod(len(heights), len(greedy))
    bounds = list(itertools.accumulate([0] + [size + (page < extra) for page in range(len(greedy))]))
    even = [list(range(a, b)) for a, b in itertools.pairwise(bounds)]
    fits = all(sum(heights[i] for i in page) + gap * (len(page) - 1) <= room for page in even)
    return even if fits else greedy


def _item(marker: VMobject, content: str, width: float) -> VGroup:
    """A marker centred on the first line of a wrapped item, so long items hang-indent."""
    body = text(content, theme.BODY_SIZE, theme.TEXT, max_width=width - marker.width - 0.3)
    first_line = text("中", theme.BODY_SIZE).height
    marker.move_to(body.get_corner(UL) + LEFT * (0.2 + marker.width / 2) + DOWN * first_line / 2)
    return VGroup(marker, body)


@plan.register
def _bullets(cue: BulletsCue, time: SlotTime, language: Language) -> Drawing:
    width = body_box().width
    heading = text(cue.heading, theme.HEADING_SIZE, theme.EMPHASIS, max_width=width) if cue.heading else None
    items = [_item(Dot(radius=0.07, color=theme.ACCENT), item, width) for item in cue.items]
    return _listing(heading, items, time)


@plan.register
def _summary(cue: SummaryCue, time: SlotTime, language: Language) -> Drawing:
    width = body_box().width
    heading = text(cue.heading, theme.HEADING_SIZE, theme.EMPHASIS, max_width=width)
    markers = [text(f"{i}.", theme.BODY_SIZE, theme.EMPHASIS) for i in range(1, len(cue.points) + 1)]
    items = [_item(marker, point, width) for marker, point in zip(markers, cue.points, strict=True)]
    return _listing(heading, items, time)


@plan.register
def _formula(cue: FormulaCue, time: SlotTime, language: Language) -> Drawing:
    formula = safe_math_tex(
        cue.latex, font_size=theme.MATH_SIZE, color=theme.TEXT, substrings_to_isolate=cue.parts
    )
    return _captioned(Element("formula", formula), cue.caption, theme.BODY_SIZE, 0.5, time)


@plan.register
def _derivation(cue: DerivationCue, time: SlotTime, language: Language) -> Drawing:
    """The first line written, then each next line grown from a copy of the one above.

    The glyphs two lines share move into place (TransformMatchingShapes matches drawn shapes,
    so any allowlisted LaTeX works without splitting it by hand). Lines spread over the narration.
    Lines that would only fit shrunk past `theme.MIN_CONTENT_SCALE` go on further screens: the first
    line of a screen grows out of the last line of the one before as that screen fades out.
    """
    lines = [
        safe_math_tex(
            line, font_size=theme.MATH_SIZE * 0.8, color=theme.TEXT, substrings_to_isolate=cue.parts
        )
        for line in cue.lines
    ]
    box, gap = body_box(), theme.LINE_GAP * 1.2
    pages = _pages([line.height for line in lines], _room(box), gap)
    for page in pages:
        fit(VGroup(*(lines[i] for i in page)).arrange(DOWN, buff=gap), box)
    named = [Element(f"line-{i}", m) for i, m in enumerate(lines, start=1)]
    page_of = {i: number for number, page in enumerate(pages) for i in page}
    beats = [Beat(0, time.entry, (Write(lines[0]),))]
    screens: list[Screen] = []
    rest = len(lines) - 1
    end = time.speech_end if time.speech_end - time.entry >= rest else time.frames
    for at, index in zip(spread(rest, time.entry, end), range(1, len(lines)), strict=True):
        above, line = lines[index - 1], lines[index]
        turned = [named[i] for i in pages[page_of[index - 1]]] if page_of[index] != page_of[index - 1] else []
        grow = TransformMatchingShapes(above.copy(), line)
        beats.append(Beat(at, time.entry, (*_replacing(turned, at, screens), grow)))
    return Drawing(beats, tuple(named[i] for i in pages[-1]), tuple(screens))


@plan.register
def _question(cue: QuestionCue, time: SlotTime, language: Language) -> Drawing:
    """Question on entry; a countdown through the silent think time; the answer in the last quarter.

    The countdown runs from the end of the narration to the reveal, so it always reaches zero
    exactly when the answer appears.
    """
    box = body_box()
    question = text(cue.question, theme.HEADING_SIZE, theme.TEXT, max_width=box.width)
    answer = text(
        theme.ANSWER_LABEL[language] + cue.answer, theme.HEADING_SIZE, theme.EMPHASIS, max_width=box.width
    )
    fit(VGroup(question, answer).arrange(DOWN, buff=0.8), box)
    beats = [Beat(0, time.entry, (FadeIn(question, shift=DOWN * 0.2),))]
    reveal = max(time.entry, time.frames - max(1, round(theme.ANSWER_SHARE * time.frames)))
    countdown_start = max(time.entry, time.speech_end)
    outgoing: tuple[Animation, ...] = ()
    elements = [Element("question", question), Element("answer", answer)]
    if countdown_start < reveal:
        seconds = (reveal - countdown_start) / time.fps
        countdown = _countdown(seconds, min(box.width * 0.6, 6.0))
        countdown.move_to(answer)
        number, track, fill = countdown
        full = fill.width

        def tick(_: Mobject, alpha: float) -> None:
            number.set_value(math.ceil(seconds * (1 - alpha) - 1e-9))
            fill.stretch_to_fit_width(max(full * (1 - alpha), 1e-3)).align_to(track, LEFT)

        tick_all = UpdateFromAlphaFunc(countdown, tick, rate_func=linear)
        beats.append(Beat(countdown_start, reveal - countdown_start, (tick_all,)))
        outgoing = (FadeOut(countdown),)
        elements.append(Element("countdown", countdown))
    if reveal < time.frames:
        beats.append(Beat(reveal, time.seconds(theme.ITEM_SECONDS), (*outgoing, FadeIn(answer, scale=0.9))))
    return Drawing(beats, tuple(elements))


def _countdown(seconds: float, width: float) -> VGroup:
    """Seconds left as a number beside a bar that empties: readable without any language."""
    number = Integer(math.ceil(seconds), font_size=theme.COUNTDOWN_SIZE, color=theme.EMPHASIS)
    track = Rectangle(width=width, height=0.18, stroke_color=theme.MUTED, stroke_width=2)
    fill = Rectangle(width=width, height=0.18, stroke_width=0, fill_color=theme.ACCENT, fill_opacity=1)
    fill.move_to(track)
    number.next_to(track, LEFT, buff=0.4)
    return VGroup(number, track, fill)


# --- function graphs ---

CurveFunction = Callable[..., object]


def compile_curve(curve: Curve, parameters: Sequence[str]) -> CurveFunction:
    """Parse a curve's LaTeX safely and lambdify the sympy tree as f(x, *parameters).

    Only x and the cue's declared parameters may appear, so a typo (`kx + c` with no c)
    fails here with a message instead of drawing nothing.
    """
    try:
        parsed = parse_math(curve.latex)
    except MathParseError as error:
        raise CueDrawError(f"curve {curve.latex!r}: {error}") from None
    if isinstance(parsed, sympy.Eq) and parsed.lhs == sympy.Symbol("y"):
        parsed = parsed.rhs
    if not isinstance(parsed, sympy.Expr):
        raise CueDrawError(f"curve {curve.latex!r} is not an expression in x")
    symbols = {s.name: s for s in parsed.free_symbols if isinstance(s, sympy.Symbol)}
    unknown = sorted(set(symbols) - {"x", *parameters})
    if unknown:
        allowed = ", ".join(["x", *parameters])
        raise CueDrawError(
            f"curve {curve.latex!r} uses {', '.join(unknown)}; only {allowed} may appear"
            " (declare a parameter with an initial value to use it)"
        )
    args = [symbols.get(name, sympy.Symbol(name)) for name in ("x", *parameters)]
    function: CurveFunction = sympy.lambdify(args, parsed, modules="numpy")
    return function


def sample(function: CurveFunction, xs: np.ndarray, values: Sequence[float]) -> np.ndarray:
    """y values on the grid; undefined or complex points become NaN (drawn as gaps)."""
    with np.errstate(all="ignore"):
        raw = np.asarray(function(xs, *values))
    ys = np.broadcast_to(raw, xs.shape)
    if np.iscomplexobj(ys):
        ys = np.where(np.abs(ys.imag) < 1e-9, ys.real, np.nan)
    return np.asarray(ys, dtype=float)


def visible_runs(xs: np.ndarray, ys: np.ndarray, low: float, high: float) -> list[np.ndarray]:
    """Split a sampled curve into pieces inside [low, high], cut exactly at the bounds.

    Gaps come from NaN, from leaving the y range, and from jumps larger than half the range
    (poles such as 1/x), so the plot never strokes an asymptote or leaves the axes.
    """
    runs: list[np.ndarray] = []
    current: list[tuple[float, float]] = []

    def crossing(i: int, j: int) -> tuple[float, float]:
        bound = high if max(ys[i], ys[j]) > high else low
        t = (bound - ys[i]) / (ys[j] - ys[i])
        return float(xs[i] + t * (xs[j] - xs[i])), bound

    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        inside = bool(np.isfinite(y)) and low <= y <= high
        if inside and current and abs(y - current[-1][1]) > (high - low) / 2:
            runs.append(np.array(current))
            current = []
        if inside:
            if not current and i > 0 and np.isfinite(ys[i - 1]):
                current.append(crossing(i - 1, i))
            current.append((float(x), float(y)))
        elif current:
            if np.isfinite(y):
                current.append(crossing(i - 1, i))
            runs.append(np.array(current))
            current = []
    if current:
        runs.append(np.array(current))
    return [run for run in runs if len(run) >= 2]


def _tick_step(low: float, high: float) -> float:
    """A 1-2-5 step giving at most about ten ticks."""
    raw = (high - low) / 10
    power = 10 ** math.floor(math.log10(raw))
    return float(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def _decimals(step: float) -> int:
    """Decimal places that show a tick step exactly: 1 -> 0, 0.5 -> 1, 0.02 -> 2."""
    return max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0


def _number(value: float) -> str:
    return f"{value:g}"


@plan.register
def _function_graph(cue: FunctionGraphCue, time: SlotTime, language: Language) -> Drawing:
    """Axes, curves redrawn from parameter trackers, a live parameter panel, marks and regions.

    The sweep runs after the entry, from the initial value through each keyframe, in equal
    parts of the narration (or of the slot when the narration leaves no time).
    """
    names = sorted(cue.parameters)
    functions = [compile_curve(curve, names) for curve in cue.curves]
    box = body_box()
    (x0, x1), (y0, y1) = cue.x_range, cue.y_range
    x_step, y_step = _tick_step(x0, x1), _tick_step(y0, y1)
    axes = Axes(
        x_range=[x0, x1, x_step],
        y_range=[y0, y1, y_step],
        x_length=box.width * 0.66,
        y_length=box.height * 0.9,
        tips=False,
        axis_config={"color": theme.AXES, "include_numbers": True, "font_size": theme.AXIS_NUMBER_SIZE},
        x_axis_config={"decimal_number_config": {"num_decimal_places": _decimals(x_step)}},
        y_axis_config={"decimal_number_config": {"num_decimal_places": _decimals(y_step)}},
    )
    axis_labels = axes.get_axis_labels(
        safe_math_tex("x", color=theme.AXES, font_size=theme.LABEL_SIZE),
        safe_math_tex("y", color=theme.AXES, font_size=theme.LABEL_SIZE),
    )
    frame = VGroup(axes, axis_labels)
    fit(frame, Box(box.left, box.left + box.width * 0.7, box.top, box.bottom))
    (left, bottom), (right, top) = axes.c2p(x0, y0)[:2], axes.c2p(x1, y1)[:2]
    inside = Box(float(left), float(right), float(top), float(bottom))

    trackers = {name: ValueTracker(cue.parameters[name]) for name in names}
    xs = np.linspace(x0, x1, SAMPLES)

    def values() -> list[float]:
        return [trackers[n].get_value() for n in names]

    def points(run: np.ndarray) -> np.ndarray:
        """Scene points of (x, y) samples through the axes' affine map, read afresh each frame
        (three c2p calls, not one per sample: the sweep redraws every curve on every frame)."""
        origin = axes.c2p(0, 0)
        along_x, along_y = axes.c2p(1, 0) - origin, axes.c2p(0, 1) - origin
        mapped: np.ndarray = origin + run[:, :1] * along_x + run[:, 1:2] * along_y
        return mapped

    def drawer(function: CurveFunction, color: str) -> Callable[[], VMobject]:
        def draw() -> VMobject:
            pieces = VGroup()
            for run in visible_runs(xs, sample(function, xs, values()), y0, y1):
                pieces.add(VMobject(stroke_color=color, stroke_width=4).set_points_as_corners(points(run)))
            return pieces

        return draw

    curves = [always_redraw(drawer(f, theme.CURVES[i])) for i, f in enumerate(functions)]
    labels: list[VMobject] = []
    for i, curve in enumerate(cue.curves):
        labels.append(_curve_label(curve, curves[i], axes, theme.CURVES[i], avoid=list(labels)))
    marks = [*cue.points, *(_intercepts(functions[0], x0, x1, values()) if cue.intercepts else [])]
    dots = [
        _mark(axes, px, py, inside) for px, py in dict.fromkeys(marks) if x0 <= px <= x1 and y0 <= py <= y1
    ]
    backdrop = VGroup(*(_asymptote(axes, a, y0, y1) for a in cue.asymptotes))
    if cue.shade is not None:
        shade, function = cue.shade, functions[cue.shade.curve]
        strip = np.linspace(shade.x_from, shade.x_to, SAMPLES)

        def region() -> VMobject:
            ys = np.clip(np.nan_to_num(sample(function, strip, values()), nan=0.0), y0, y1)
            base = min(max(0.0, y0), y1)
            outline = [*zip(strip, ys, strict=True), (shade.x_to, base), (shade.x_from, base)]
            return Polygon(
                *points(np.array(outline)), stroke_width=0, fill_color=theme.SHADE, fill_opacity=0.35
            )

        backdrop.add(always_redraw(region))
    panel = _parameter_panel(names, trackers).next_to(frame, RIGHT, buff=0.5, aligned_edge=UP)
    if panel.width and panel.get_right()[0] > box.right:
        panel.scale((box.right - panel.get_left()[0]) / panel.width, about_edge=UL)

    entry = (
        Create(frame),
        FadeIn(backdrop),
        *(Create(c) for c in curves),
        *(FadeIn(m) for m in (*labels, panel, *dots)),
    )
    beats = [Beat(0, time.entry, entry)]
    if cue.sweep is not None:
        tracker = trackers[cue.sweep.parameter]
        keys = list(cue.sweep.values)
        if math.isclose(keys[0], tracker.get_value()):
            keys = keys[1:]
        end = time.speech_end if time.speech_end - time.entry >= len(keys) else time.frames
        starts = [*spread(len(keys), time.entry, end), end]
        keyframes = [tracker.get_value(), *keys]
        for i in range(len(keys)):
            tween = _tween(tracker, keyframes[i], keyframes[i + 1])
            beats.append(Beat(starts[i], starts[i + 1] - starts[i], (tween,)))
    elements = [
        Element("axes", frame),
        *([Element("panel", panel)] if names else []),
        *(Element(f"label-{i}", m, within="axes") for i, m in enumerate(labels, start=1)),
        *(Element(f"point-{i}", m, within="axes") for i, m in enumerate(dots, start=1)),
    ]
    return Drawing(beats, tuple(elements))


def _intercepts(
    function: CurveFunction, x0: float, x1: float, values: Sequence[float]
) -> list[tuple[float, float]]:
    """Where a curve meets the axes: f(0), and each sign change of f refined by bisection.

    A sign change across a pole (1/x at 0) is not a root: the refined point must be near zero.
    """
    found: list[tuple[float, float]] = []
    if x0 <= 0 <= x1:
        y = float(sample(function, np.array([0.0]), values)[0])
        if np.isfinite(y):
            found.append((0.0, round(y, 6)))
    xs = np.linspace(x0, x1, SAMPLES * 4)
    ys = sample(function, xs, values)

    def at(x: float) -> float:
        return float(sample(function, np.array([x]), values)[0])

    for a, b, fa, fb in zip(xs, xs[1:], ys, ys[1:], strict=False):
        if not (np.isfinite(fa) and np.isfinite(fb)) or (fa != 0 and fa * fb > 0) or fb == 0:
            continue
        for _ in range(60):
            mid = (a + b) / 2
            a, fa, b = (mid, at(mid), b) if fa * at(mid) > 0 else (a, fa, mid)
        root = round((a + b) / 2, 6) + 0.0  # + 0.0 turns -0.0 into 0.0
        if abs(at(root)) < 1e-6 and (root, 0.0) not in found:
            found.append((root, 0.0))
    return found


def _mark(axes: Axes, x: float, y: float, inside: Box) -> VGroup:
    """A dot with its coordinates up and to the right, pulled back inside the axes near an edge."""
    dot = Dot(axes.c2p(x, y), color=theme.POINT, radius=0.07)
    label = safe_math_tex(
        f"({_number(x)}, {_number(y)})", color=theme.POINT, font_size=theme.AXIS_NUMBER_SIZE + 4
    ).next_to(dot, UR, buff=0.08)
    if label.get_right()[0] > inside.right:
        label.next_to(dot, UL, buff=0.08)
    if label.get_top()[1] > inside.top:
        label.next_to(dot, DOWN + (RIGHT if label.get_center()[0] > dot.get_center()[0] else LEFT), buff=0.08)
    return VGroup(dot, label)


def _asymptote(axes: Axes, x: float, y0: float, y1: float) -> VMobject:
    return DashedLine(axes.c2p(x, y0), axes.c2p(x, y1), color=theme.MUTED, stroke_width=3, dash_length=0.12)


def _tween(tracker: ValueTracker, start: float, end: float) -> Animation:
    """Move a tracker between two known values.

    Not `tracker.animate`: manim keeps one `.target` per mobject, so several planned
    `.animate` calls on one tracker would all run to the last value.
    """
    return UpdateFromAlphaFunc(tracker, lambda m, alpha: m.set_value(start + (end - start) * smooth(alpha)))


def _curve_label(curve: Curve, drawn: VMobject, axes: Axes, color: str, avoid: list[VMobject]) -> VMobject:
    """The curve's formula beside the right end of its rightmost visible piece.

    Kept inside the axes, and moved down past the labels of earlier curves it would cover.
    """
    label = safe_math_tex(
        curve.label or f"y = {check_latex(curve.latex)}", color=color, font_size=theme.LABEL_SIZE
    )
    x_axis, y_axis = axes.get_x_axis(), axes.get_y_axis()

    def place(moved: Mobject) -> None:
        pieces = [p for p in drawn.submobjects if p.has_points()]
        if not pieces:
            moved.set_opacity(0)
            return
        moved.set_opacity(1)
        rightmost = max(pieces, key=lambda p: p.get_end()[0])
        moved.next_to(rightmost.get_end(), UR, buff=0.1)
        for _ in range(len(avoid) + 1):
            _keep_inside(
                moved,
                x_axis.get_left()[0],
                x_axis.get_right()[0],
                y_axis.get_bottom()[1],
                y_axis.get_top()[1],
            )
            if not any(_overlap(moved, other) for other in avoid):
                break
            moved.shift(DOWN * (moved.height + 0.15))

    place(label)
    return label.add_updater(place)


def _keep_inside(mobject: Mobject, left: float, right: float, bottom: float, top: float) -> None:
    mobject.shift(RIGHT * (min(0.0, right - mobject.get_right()[0]) + max(0.0, left - mobject.get_left()[0])))
    mobject.shift(UP * (min(0.0, top - mobject.get_top()[1]) + max(0.0, bottom - mobject.get_bottom()[1])))


def _overlap(a: Mobject, b: Mobject) -> bool:
    return bool(
        a.get_left()[0] < b.get_right()[0]
        and b.get_left()[0] < a.get_right()[0]
        and a.get_bottom()[1] < b.get_top()[1]
        and b.get_bottom()[1] < a.get_top()[1]
    )


def _follow(tracker: ValueTracker) -> Callable[[Mobject], None]:
    """An updater showing the tracker's value; it re-typesets only when the value moved."""

    def update(number: Mobject) -> None:
        assert isinstance(number, DecimalNumber)
        if number.get_value() != tracker.get_value():
            number.set_value(tracker.get_value())

    return update


def _parameter_panel(names: Sequence[str], trackers: dict[str, ValueTracker]) -> VGroup:
    """`k = 1.50` for every parameter, live while a sweep moves it."""
    rows = VGroup()
    for name in names:
        tracker = trackers[name]
        equals = safe_math_tex(f"{name} =", color=theme.TEXT, font_size=theme.LABEL_SIZE + 6)
        value = DecimalNumber(
            tracker.get_value(), num_decimal_places=2, color=theme.EMPHASIS, font_size=theme.LABEL_SIZE + 6
        )
        value.next_to(equals, RIGHT, buff=0.2)
        value.add_updater(_follow(tracker))
        rows.add(VGroup(equals, value))
    return rows.arrange(DOWN, aligned_edge=LEFT, buff=0.3)


# --- number lines and tables ---


@plan.register
def _number_line(cue: NumberLineCue, time: SlotTime, language: Language) -> Drawing:
    """Intervals drawn above the line, each on its own level; ends closed (filled) or open (hollow).

    An infinite end runs to the line's end with an arrow tip. Levels keep touching intervals
    such as (-inf, 1) and [1, 3] apart, so an open and a closed end at one point stay readable.
    """
    box = body_box()
    (x0, x1), step = cue.x_range, _tick_step(*cue.x_range)
    line = NumberLine(
        x_range=[x0, x1, step],
        length=box.width * 0.85,
        color=theme.AXES,
        include_numbers=True,
        font_size=theme.LABEL_SIZE,
        decimal_number_config={"num_decimal_places": _decimals(step)},
    )
    drawn = VGroup(line)
    for level, interval in enumerate(cue.intervals, start=1):
        color = theme.CURVES[(level - 1) % len(theme.CURVES)]
        lift = UP * theme.INTERVAL_LEVEL * level
        low, high = interval.low, interval.high
        bar = Line(line.n2p(x0 if low is None else low) + lift, line.n2p(x1 if high is None else high) + lift)
        bar.set_stroke(color, width=6)
        if low is None:
            bar.add_tip(at_start=True, tip_length=0.2, tip_width=0.2)
        if high is None:
            bar.add_tip(tip_length=0.2, tip_width=0.2)
        ends = [
            _end(line.n2p(x) + lift, closed, color)
            for x, closed in ((low, interval.low_closed), (high, interval.high_closed))
            if x is not None
        ]
        drawn.add(VGroup(bar, *ends))
    drawing = _captioned(Element("number-line", drawn), None, 0, 0.0, time, entry=Create(drawn))
    if cue.caption is None:
        return drawing
    caption = safe_math_tex(cue.caption, font_size=theme.MATH_SIZE * 0.7, color=theme.TEXT)
    fit(VGroup(drawn, caption).arrange(DOWN, buff=0.8), box)
    beats = [*drawing.beats, Beat(time.entry, time.entry, (Write(caption),))]
    return Drawing(beats, (*drawing.elements, Element("caption", caption)))


def _end(at: np.ndarray, closed: bool, color: str) -> VMobject:
    """A filled dot for a closed end, a ring over the bar (background inside) for an open one."""
    if closed:
        return Dot(at, radius=theme.END_RADIUS, color=color)
    return (
        Circle(radius=theme.END_RADIUS, stroke_color=color, stroke_width=4)
        .set_fill(theme.BACKGROUND, opacity=1)
        .move_to(at)
    )


@plan.register
def _table(cue: TableCue, time: SlotTime, language: Language) -> Drawing:
    """A ruled table with an emphasised header row, scaled down to the body when wide.

    Rows that would only fit shrunk past `theme.MIN_CONTENT_SCALE` go on further screens, each
    under the header again, spread over the narration like the screens of a list.
    """

    def ruled(rows: Sequence[Sequence[str]]) -> MobjectTable:
        return MobjectTable(
            [[text(cell, theme.BODY_SIZE, theme.TEXT) for cell in row] for row in rows],
            col_labels=[text(cell, theme.BODY_SIZE, theme.EMPHASIS) for cell in cue.header],
            include_outer_lines=True,
            line_config={"stroke_color": theme.MUTED, "stroke_width": 2},
            v_buff=TABLE_ROW_GAP,
            h_buff=0.6,
        )

    box, caption_gap = body_box(), 0.5
    header, *rows = ruled(cue.rows).get_rows()
    above = header.height + TABLE_ROW_GAP
    if cue.caption:
        above += text(cue.caption, theme.BODY_SIZE, max_width=box.width).height + caption_gap
    pages = _pages([row.height for row in rows], _room(box) - above, TABLE_ROW_GAP)
    end = time.speech_end if time.speech_end - time.entry >= len(pages) else time.frames
    beats: list[Beat] = []
    screens: list[Screen] = []
    elements: tuple[Element, ...] = ()
    for start, page in zip(spread(len(pages), 0, end), pages, strict=True):
        table = ruled([cue.rows[i] for i in page])
        leaving = _replacing(elements, start, screens)
        elements, entry = _with_caption(
            Element("table", table), cue.caption, theme.BODY_SIZE, caption_gap, entry=Create(table)
        )
        beats.append(Beat(start, min(time.entry, max(1, end - start)), (*leaving, *entry)))
    return Drawing(beats, elements, tuple(screens))


# --- emphasis: acts on what is already on screen ---


def emphasize(cue: EmphasisCue, shown: Drawing, time: SlotTime) -> Drawing:
    """Indicate, circumscribe or colour an element (or a named formula part) of the cue on screen.

    Nothing moves for good, so the screen keeps the elements (and the layout) of `shown`.
    """
    chosen = [e.mobject for e in shown.elements if cue.element in (None, e.name)]
    if not chosen:
        known = ", ".join(e.name for e in shown.elements)
        raise CueDrawError(f"emphasis {cue.id}: {cue.target} has no element {cue.element!r} (it has {known})")
    subject = VGroup(*chosen)
    if cue.part is not None:
        subject = VGroup(
            *(
                m.id_to_vgroup_dict[key]
                for m in chosen
                if isinstance(m, MathTex)
                for tex, key in m.matched_strings_and_ids
                if tex == cue.part
            )
        )
        if not subject.family_members_with_points():
            raise CueDrawError(f"emphasis {cue.id}: no {cue.part!r} drawn in {cue.element or cue.target}")
    effects: dict[str, Callable[[], Animation]] = {
        "indicate": lambda: Indicate(subject, color=theme.EMPHASIS),
        "circumscribe": lambda: Circumscribe(subject, color=theme.EMPHASIS, buff=0.08),
        "color": lambda: FadeToColor(subject, theme.EMPHASIS),
    }
    run = min(time.seconds(theme.EMPHASIS_SECONDS), time.frames)
    return Drawing([Beat(0, run, (effects[cue.effect](),))], shown.elements)


from mathcast.scenes import geometry  # noqa: E402, F401  (registers the geometry drawing; it builds on this module)
