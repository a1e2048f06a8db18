"""Drawing a chart as inline SVG: scales, ticks, axes, marks and annotation labels, for a wide and a narrow layout.

Generated here, never taken from authors; every piece of text is escaped. Presentation attributes and classes,
no inline styles, so it works under a strict Content-Security-Policy and can be themed from the site's CSS.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from app.content.chart_spec import ChartSpec, Point, format_cell, format_number, same_x, x_domain

XScale = Callable[[float | str], float]
YScale = Callable[[float], float]

# SVG geometry in viewBox units; the figure scales to the width of its container.
WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 28, 56


def nice_ticks(low: float, high: float, target: int = 5) -> tuple[list[float], int]:
    """Round tick values covering [low, high] and the decimals they need.

    Steps are 1, 2 or 5 times a power of ten, chosen as d3's tickIncrement does, so about ``target`` ticks.
    """
    if high <= low:
        low, high = low - 1, high + 1
    raw = (high - low) / target
    power = math.floor(math.log10(raw))
    error = raw / 10**power
    factor = next((f for f, limit in ((10, 50), (5, 10), (2, 2)) if error >= math.sqrt(limit)), 1)
    step = factor * 10.0**power
    start = math.floor(low / step + 1e-9) * step
    count = math.ceil((high - start) / step - 1e-9)
    ticks = [round(start + i * step, 10) for i in range(count + 1)]
    return ticks, max(0, -math.floor(math.log10(step) + 1e-9))


def _y_domain(spec: ChartSpec, rows: list[Point], target: int = 5) -> tuple[float, float, list[float], int]:
    ys = [y for _, y in rows if y is not None]
    if spec.y_range is not None:
        low, high = spec.y_range
        ticks, decimals = nice_ticks(low, high, target)
        return low, high, [t for t in ticks if low - 1e-9 <= t <= high + 1e-9], decimals
    low, high = min(ys), max(ys)
    if spec.type == "bar":  # bars are read from zero
        low, high = min(low, 0.0), max(high, 0.0)
    ticks, decimals = nice_ticks(low, high, target)
    return ticks[0], ticks[-1], ticks, decimals


@dataclass(frozen=True)
class ChartLayout:
    """One drawing of a chart, in viewBox units. The wide drawing is for screens where the figure is at
    least ``WIDTH`` CSS px wide (text renders at ``font`` px or more); the narrow one, chosen by CSS when the
    figure is narrower, is ``NARROW_WIDTH`` units wide so its text renders at about ``font`` px on a phone."""

    name: str
    width: int
    font: int
    plot_height: int
    x_ticks: int  # about this many ticks
    y_ticks: int
    line_height: int


WIDE = ChartLayout("wide", WIDTH, 12, HEIGHT - TOP - BOTTOM, 5, 5, 15)
# A 360 px phone leaves about 305 CSS px for the figure, so a 300-unit drawing keeps 14-unit text at ≥ 14 px.
NARROW_WIDTH = 300
NARROW = ChartLayout("narrow", NARROW_WIDTH, 14, 190, 3, 4, 17)


def text_width(text: str, font: float) -> float:
    """A generous estimate of how wide ``text`` renders at ``font`` px: wide (Korean, CJK) characters count
    as a full em, others as 0.62 em, so labels laid out with it do not touch."""
    return sum(font * (1.0 if unicodedata.east_asian_width(c) in "WF" else 0.62) for c in text)


def wrap_text(text: str, width: float, font: float) -> list[str]:
    """Split ``text`` at spaces into lines no wider than ``width`` (a single long word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", font) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def shorten(text: str, width: float, font: float) -> str:
    """``text`` cut with an ellipsis so that it fits ``width``."""
    if text_width(text, font) <= width:
        return text
    while text and text_width(text + "…", font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def place_labels(spans: list[tuple[float, float]], gap: float = 6) -> list[int]:
    """A row for each horizontal span (left, right) so that no two spans in a row overlap: each goes in
    the first row where it fits. Annotation labels laid out this way never collide."""
    rows: list[list[tuple[float, float]]] = []
    placed = []
    for left, right in spans:
        for index, row in enumerate(rows):
            if all(right + gap <= other_left or left >= other_right + gap for other_left, other_right in row):
                row.append((left, right))
                placed.append(index)
                break
        else:
            rows.append([(left, right)])
            placed.append(len(rows) - 1)
    return placed


def _annotation_labels(
    spec: ChartSpec, px: XScale, layout: ChartLayout, left: float, right: float
) -> list[tuple[float, float, str, str, int, tuple[float, float]]]:
    """(line x, label x, anchor, text, row, span) per annotation. Wide: the label itself beside its line; narrow:
    its number (the labels are listed under the chart). Labels turn to the left of their line when they
    would run past the plot's right edge, and take the first free row."""
    placed = []
    for index, annotation in enumerate(spec.annotations):
        x = px(annotation.x)
        text = annotation.label if layout is WIDE else str(index + 1)
        width = text_width(text, layout.font)
        if layout is WIDE:
            anchor = "end" if x + 4 + width > right and x - 4 - width >= left else "start"
            label_x = x - 4 if anchor == "end" else x + 4
            span = (label_x - width, label_x) if anchor == "end" else (label_x, label_x + width)
        else:
            anchor, label_x, span = "middle", x, (x - width / 2 - 3, x + width / 2 + 3)
        placed.append((x, label_x, anchor, text, span))
    rows = place_labels([span for *_, span in placed])
    return [(x, label_x, anchor, text, row, span)
            for (x, label_x, anchor, text, span), row in zip(placed, rows, strict=True)]


def _line_reaches_label(x: float, row: int, labels: list[tuple]) -> bool:
    """An annotation's dashed line may run up to its own label unless a label in a row below it would cross it."""
    return not any(other_row > row and span[0] - 2 <= x <= span[1] + 2 for *_, other_row, span in labels)


@dataclass(frozen=True)
class _Frame:
    """Where one drawing puts things: the plot box, the scales and the text around it."""

    layout: ChartLayout
    left: float
    right: float
    top: float
    bottom: float
    height: float
    px: XScale
    py: YScale
    y_ticks: list[float]
    y_tick_labels: list[str]
    x_tick_marks: list[tuple[float, str]]
    y_title_lines: list[str]
    x_title_lines: list[str]
    title_band: float
    band: float  # bar charts: the width per category

    @property
    def wide(self) -> bool:
        return self.layout is WIDE

    @property
    def plot_w(self) -> float:
        return self.right - self.left


def _svg(
    spec: ChartSpec,
    rows: list[Point],
    *,
    chart_id: str,
    title: str,
    desc: str,
    x_label: str,
    y_axis_label: str,
    layout: ChartLayout = WIDE,
) -> str:
    """The chart drawn for ``layout``. The wide drawing keeps the axis title beside the y axis; the narrow
    one writes it above the plot and wraps it, puts numbers at the annotation lines and uses fewer ticks."""
    frame, labels, y_low, y_high = _frame(spec, rows, layout, x_label, y_axis_label)
    left, top, plot_h = frame.left, frame.top, layout.plot_height
    cid = escape(chart_id if frame.wide else f"{chart_id}-narrow")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-{layout.name}" '
        f'viewBox="0 0 {layout.width} {frame.height:g}" '
        f'width="100%" role="img" aria-labelledby="{cid}-title {cid}-desc" focusable="false">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
        f'<clipPath id="{cid}-plot">'
        f'<rect x="{left}" y="{top}" width="{frame.plot_w}" height="{plot_h}"/></clipPath>',
        *_y_axis(frame, y_axis_label),
    ]
    if spec.type == "line":
        out.extend(_line_marks(rows, frame.px, frame.py, cid))
    else:
        baseline = frame.py(min(max(0.0, y_low), y_high))
        out.extend(_bar_marks(rows, frame.band, frame.py, baseline, cid, left))
    out.extend(_x_axis(frame, x_label))
    out.extend(_annotation_marks(frame, labels))
    out.append("</svg>")
    return "\n".join(out)


def _frame(spec: ChartSpec, rows: list[Point], layout: ChartLayout, x_label: str,
           y_axis_label: str) -> tuple[_Frame, list[tuple], float, float]:
    """The geometry of one drawing, its annotation labels and the y domain."""
    wide = layout is WIDE
    font, line_height = layout.font, layout.line_height
    y_low, y_high, y_ticks, y_decimals = _y_domain(spec, rows, layout.y_ticks)
    y_tick_labels = [format_number(tick, y_decimals) for tick in y_ticks]
    if wide:
        left, right_margin = LEFT, RIGHT
        y_title_lines: list[str] = []
        x_title_lines = [x_label]
    else:
        left = math.ceil(max(text_width(label, font) for label in y_tick_labels)) + 10
        right_margin = 14
        y_title_lines = wrap_text(y_axis_label, layout.width - 8, font)
        x_title_lines = wrap_text(x_label, layout.width - 8, font)
    plot_w = layout.width - left - right_margin
    right = left + plot_w
    px, x_tick_marks, band = _x_scale(spec, rows, layout, left, plot_w)

    labels = _annotation_labels(spec, px, layout, left, right)
    label_rows = max((label[4] for label in labels), default=-1) + 1
    title_band = len(y_title_lines) * line_height + (6 if y_title_lines else 0)
    top = (TOP if not label_rows else 8 + label_rows * line_height + 6) if wide else (
        8 + title_band + label_rows * line_height + 4)
    plot_h = layout.plot_height
    bottom = top + plot_h
    height = bottom + (BOTTOM if wide else 10 + line_height * (1 + len(x_title_lines)))

    def py(value: float) -> float:
        return bottom - (value - y_low) / (y_high - y_low) * plot_h

    frame = _Frame(layout, left, right, top, bottom, height, px, py, y_ticks, y_tick_labels, x_tick_marks,
                   y_title_lines, x_title_lines, title_band, band)
    return frame, labels, y_low, y_high


def _x_scale(spec: ChartSpec, rows: list[Point], layout: ChartLayout, left: float,
             plot_w: float) -> tuple[XScale, list[tuple[float, str]], float]:
    """The x scale, the x tick marks (position, label) and, for bars, the band per category."""
    if spec.type == "line":
        x_low, x_high = x_domain(spec, rows)

        def px(value: float | str) -> float:
            return left + (float(value) - x_low) / (x_high - x_low) * plot_w

        x_ticks, x_decimals = nice_ticks(x_low, x_high, layout.x_ticks)
        marks = [(px(t), format_number(t, x_decimals)) for t in x_ticks if x_low - 1e-9 <= t <= x_high + 1e-9]
        return px, marks, 0.0
    band = plot_w / len(rows)

    def px_bar(value: float | str) -> float:
        index = next(i for i, (x, _) in enumerate(rows) if same_x(x, value))
        return left + (index + 0.5) * band

    wide = layout is WIDE
    bar_ticks = _bar_ticks(rows, target=8 if wide else 4)
    room = plot_w / max(len(bar_ticks), 1) - 6
    marks = [(px_bar(x), format_cell(x) if wide else shorten(format_cell(x), room, layout.font)) for x in bar_ticks]
    return px_bar, marks, band


def _y_axis(frame: _Frame, y_axis_label: str) -> list[str]:
    """Grid lines, tick labels and the y axis title (beside the axis, or above the plot when narrow)."""
    left, py, font = frame.left, frame.py, frame.layout.font
    out = ['<g class="chart-grid" stroke="currentColor" stroke-opacity="0.15">']
    for tick in frame.y_ticks:
        out.append(f'<line x1="{left}" x2="{frame.right}" y1="{py(tick):.1f}" y2="{py(tick):.1f}"/>')
    out.append("</g>")
    out.append(f'<g class="chart-axis chart-axis-y" fill="currentColor" font-size="{font}" text-anchor="end">')
    for tick, label in zip(frame.y_ticks, frame.y_tick_labels, strict=True):
        out.append(f'<text x="{left - 8}" y="{py(tick) + font / 3:.1f}">{escape(label)}</text>')
    if frame.wide:
        out.append(
            f'<text class="chart-axis-label" text-anchor="middle" '
            f'transform="translate(16 {frame.top + frame.layout.plot_height / 2:.1f}) rotate(-90)">'
            f"{escape(y_axis_label)}</text>"
        )
    else:
        for index, line in enumerate(frame.y_title_lines):
            out.append(f'<text class="chart-axis-label" text-anchor="start" x="2" '
                       f'y="{8 + font + index * frame.layout.line_height}">{escape(line)}</text>')
    out.append("</g>")
    return out


def _x_axis(frame: _Frame, x_label: str) -> list[str]:
    """The axis lines, x ticks with their labels and the x axis title."""
    left, right, top, bottom = frame.left, frame.right, frame.top, frame.bottom
    font, line_height = frame.layout.font, frame.layout.line_height
    out = [
        f'<g class="chart-axis chart-axis-x" stroke="currentColor">'
        f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"/>'
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}"/>'
    ]
    for x, _ in frame.x_tick_marks:
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 5}"/>')
    out.append("</g>")
    out.append(f'<g class="chart-axis chart-axis-x" fill="currentColor" font-size="{font}" text-anchor="middle">')
    for x, label in frame.x_tick_marks:
        out.append(f'<text x="{x:.1f}" y="{bottom + font + 6}">{escape(label)}</text>')
    if frame.wide:
        out.append(
            f'<text class="chart-axis-label" x="{left + frame.plot_w / 2:.1f}" y="{frame.height - 8}">'
            f"{escape(x_label)}</text>"
        )
    else:
        for index, line in enumerate(frame.x_title_lines):
            out.append(f'<text class="chart-axis-label" x="{frame.layout.width / 2:.1f}" '
                       f'y="{bottom + font + 6 + (index + 1) * line_height + 4}">{escape(line)}</text>')
    out.append("</g>")
    return out


def _annotation_marks(frame: _Frame, labels: list[tuple]) -> list[str]:
    """A dashed line per annotation, from its label (in the rows above the plot) down to the x axis."""
    font, line_height = frame.layout.font, frame.layout.line_height
    label_top = (8 if frame.wide else 8 + frame.title_band) + font
    out = []
    for x, label_x, anchor, text, row, _span in labels:
        line_top = label_top + row * line_height + 4 if _line_reaches_label(x, row, labels) else frame.top
        out.append(
            f'<g class="chart-annotation"><line x1="{x:.1f}" x2="{x:.1f}" y1="{line_top}" y2="{frame.bottom}" '
            f'stroke="currentColor" stroke-opacity="0.6" stroke-dasharray="4 3"/>'
            f'<text x="{label_x:.1f}" y="{label_top + row * line_height}" font-size="{font}" fill="currentColor" '
            f'text-anchor="{anchor}">{escape(text)}</text></g>'
        )
    return out


def _bar_ticks(rows: list[Point], target: int = 8) -> list[float | str]:
    """Label round numbers (1900, 1920, ...) when x is numeric, else every n-th category, about ``target``."""
    xs = [x for x, _ in rows]
    if all(isinstance(x, float) for x in xs):
        numbers = [float(x) for x in xs]
        ticks, _ = nice_ticks(min(numbers), max(numbers), target=target)
        present = [x for x in xs if any(math.isclose(float(x), t) for t in ticks)]
        if len(present) >= 2:
            return present
    every = max(1, math.ceil(len(xs) / target))
    return xs[::every]


def _line_marks(rows: list[Point], px: XScale, py: YScale, cid: str) -> list[str]:
    """One path, broken where a value is missing; a lone point between gaps gets a dot."""
    segments: list[list[tuple[float, float]]] = [[]]
    for x, y in rows:
        if y is None:
            if segments[-1]:
                segments.append([])
            continue
        segments[-1].append((px(x), py(y)))
    commands = []
    dots = []
    for segment in segments:
        if len(segment) == 1:
            dots.append(f'<circle cx="{segment[0][0]:.1f}" cy="{segment[0][1]:.1f}" r="2.5"/>')
        elif segment:
            commands.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in segment))
    return [
        f'<g class="chart-data-marks" clip-path="url(#{cid}-plot)" fill="#1b6ca8">',
        f'<path class="chart-line" d="{" ".join(commands)}" fill="none" stroke="#1b6ca8" stroke-width="2" '
        f'stroke-linejoin="round"/>'
        if commands
        else "",
        *dots,
        "</g>",
    ]


def _bar_marks(
    rows: list[Point], band: float, py: YScale, baseline: float, cid: str, left: float = LEFT
) -> list[str]:
    width = max(band * 0.8, 0.5)
    out = [f'<g class="chart-data-marks" clip-path="url(#{cid}-plot)">']
    for index, (_, y) in enumerate(rows):
        if y is None:
            continue
        top, height = min(py(y), baseline), abs(py(y) - baseline)
        negative = y < 0
        out.append(
            f'<rect class="chart-bar{" chart-bar-negative" if negative else ""}" '
            f'x="{left + index * band + (band - width) / 2:.2f}" y="{top:.1f}" width="{width:.2f}" '
            f'height="{height:.1f}" fill="{"#b03a2e" if negative else "#1b6ca8"}"/>'
        )
    out.append("</g>")
    return out
