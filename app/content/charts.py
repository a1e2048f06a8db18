"""Charts from ```chart blocks: validated specs and accessible inline SVG with a data-table fallback.

The SVG is generated here, never taken from authors, and inserted after sanitising; every piece of text
in it is escaped. It uses presentation attributes and classes, no inline styles, so it works under a
strict Content-Security-Policy and can be themed from the site's CSS.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from html import escape

from app.content.datasets import Cell, Dataset, DatasetStore
from app.content.located_yaml import Located, load_mapping
from app.problems import Problem

CHART_TYPES = ("line", "bar")
REQUIRED_KEYS = ("dataset", "type", "x", "y", "title")
OPTIONAL_KEYS = ("x_label", "y_label", "units", "x_range", "y_range", "annotations", "where")
CHART_KEYS = REQUIRED_KEYS + OPTIONAL_KEYS
ANNOTATION_KEYS = ("x", "label")

Report = Callable[[int, str], None]
Point = tuple[float | str, float | None]  # (x, y): x is a number or a category; y is None where missing
XScale = Callable[[float | str], float]
YScale = Callable[[float], float]

# Text around a chart, per language; render_module picks the module's language.
DEFAULT_CHART_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "data_table": "Data table",
        "source": "Source",
        "line": "Line chart",
        "bar": "Bar chart",
        "desc": "{kind} of {y_label} by {x_label}, {x_first} to {x_last}, from “{dataset}”. "
        "First value {y_first} ({x_first}); last value {y_last} ({x_last}).",
        "marked": "Marked",
        "missing": "no value",
        "terms": "Terms",
        "notes": "Notes",
        "table_region": "Table (scrolls sideways)",
        "code_region": "Code (scrolls sideways)",
    },
    "ko": {
        "data_table": "데이터 표",
        "source": "출처",
        "line": "꺾은선 그래프",
        "bar": "막대 그래프",
        "desc": "“{dataset}” 자료의 {x_label}별 {y_label} {kind}, {x_first}–{x_last}. "
        "처음 값 {y_first}({x_first}), 마지막 값 {y_last}({x_last}).",
        "marked": "표시",
        "missing": "값 없음",
        "terms": "이용 조건",
        "notes": "참고",
        "table_region": "표 (옆으로 스크롤)",
        "code_region": "코드 (옆으로 스크롤)",
    },
}

# SVG geometry in viewBox units; the figure scales to the width of its container.
WIDTH, HEIGHT = 640, 360
LEFT, RIGHT, TOP, BOTTOM = 72, 24, 28, 56


@dataclass(frozen=True)
class Annotation:
    """A vertical marker at ``x`` with a short label."""

    x: float | str
    label: str


@dataclass(frozen=True)
class ChartSpec:
    """A validated ```chart block."""

    dataset: str
    type: str
    x: str
    y: str
    title: str
    x_label: str | None = None
    y_label: str | None = None
    units: str | None = None  # None: from the sidecar; "" : no units
    x_range: tuple[float, float] | None = None
    y_range: tuple[float, float] | None = None
    annotations: tuple[Annotation, ...] = ()
    # Only rows whose column equals the value, e.g. (("country", "South Korea"),) in a long-format table.
    where: tuple[tuple[str, float | str], ...] = ()


def chart_labels(lang: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Labels for ``lang`` (English for unknown languages) with ``overrides`` applied."""
    labels = dict(DEFAULT_CHART_LABELS["en"])
    labels.update(DEFAULT_CHART_LABELS.get(lang, {}))
    labels.update(overrides or {})
    return labels


def parse_chart_spec(
    text: str, *, path: str, first_line: int, datasets: DatasetStore
) -> tuple[ChartSpec | None, list[Problem]]:
    """Validate a chart block (``first_line`` is the file line after the opening fence)."""
    fence_line = first_line - 1
    fields, problems = load_mapping(text, path=path, first_line=first_line, what="a chart block")
    if fields is None:
        return None, problems

    def error(line: int, message: str) -> None:
        problems.append(Problem(path, line, message))

    for key, located in fields.items():
        if key not in CHART_KEYS:
            error(located.line, _unknown_key_message("chart key", key, CHART_KEYS))
    for key in REQUIRED_KEYS:
        if key not in fields:
            error(fence_line, f"chart block has no '{key}'")
    text_values: dict[str, str] = {}
    for key in ("dataset", "type", "x", "y", "title", "x_label", "y_label", "units"):
        located = fields.get(key)
        if located is None:
            continue
        if (
            isinstance(located.value, (int, float))
            and not isinstance(located.value, bool)
            and key in ("x", "y")
        ):
            located = Located(str(located.value), located.line, located.node, located.first_line)
        if not isinstance(located.value, str) or (not located.value.strip() and key != "units"):
            error(located.line, f"chart '{key}' must be text")
            continue
        text_values[key] = located.value.strip()
    chart_type = text_values.get("type")
    if chart_type is not None and chart_type not in CHART_TYPES:
        error(fields["type"].line, f"chart type '{chart_type}' is not one of: {', '.join(CHART_TYPES)}")
        chart_type = None

    dataset, dataset_problems = _chart_dataset(text_values.get("dataset"), fields, datasets, error)
    problems.extend(dataset_problems)
    x_column, y_column = text_values.get("x"), text_values.get("y")
    if dataset is not None:
        for key, column in (("x", x_column), ("y", y_column)):
            if column is not None and column not in dataset.columns:
                error(
                    fields[key].line,
                    f"dataset '{dataset.name}' has no column '{column}' "
                    f"(columns: {', '.join(dataset.columns)})",
                )
        if y_column in dataset.columns and not dataset.is_numeric(y_column):
            error(fields["y"].line, f"column '{y_column}' is not numeric, so it cannot be the y axis")
        if chart_type == "line" and x_column in dataset.columns and not dataset.is_numeric(x_column):
            error(
                fields["x"].line,
                f"a line chart needs a numeric x column; '{x_column}' is text (use type: bar)",
            )

    x_range = _range(fields.get("x_range"), "x_range", error)
    y_range = _range(fields.get("y_range"), "y_range", error)
    located_annotations = _annotations(fields.get("annotations"), error)
    annotations = tuple(annotation for annotation, _ in located_annotations)
    where = _where(fields.get("where"), dataset, error)
    if any(p.is_error for p in problems) or dataset is None or chart_type is None:
        return None, problems
    assert x_column is not None and y_column is not None  # required keys were checked above
    spec = ChartSpec(
        dataset=dataset.name,
        type=chart_type,
        x=x_column,
        y=y_column,
        title=text_values["title"],
        x_label=text_values.get("x_label"),
        y_label=text_values.get("y_label"),
        units=text_values.get("units"),
        x_range=x_range,
        y_range=y_range,
        annotations=annotations,
        where=where,
    )
    if x_range is not None and not dataset.is_numeric(x_column):
        error(fields["x_range"].line, f"x_range needs a numeric x column; '{x_column}' is text")
        return None, problems
    rows = select_rows(spec, dataset)
    if not any(y is not None for _, y in rows):
        scope = " and ".join(part for part in ("x_range" if x_range else "", "where" if where else "") if part)
        error(fence_line, "the chart has no values to draw" + (f" in {scope}" if scope else ""))
        return None, problems
    for annotation, line in located_annotations:
        if not _annotation_fits(annotation, spec, rows):
            error(line, f"annotation at x = {_format_cell(annotation.x)} is outside the chart's x values")
    if any(p.is_error for p in problems):
        return None, problems
    return spec, problems


def select_rows(spec: ChartSpec, dataset: Dataset) -> list[Point]:
    """The (x, y) pairs the chart draws: rows with an x value, inside ``x_range`` if given."""
    pairs: list[Point] = []
    filters = [(dataset.values(column), wanted) for column, wanted in spec.where]
    keep = [all(_same_cell(cells[i], wanted) for cells, wanted in filters) for i in range(len(dataset.rows))]
    for x, y, kept in zip(dataset.values(spec.x), dataset.values(spec.y), keep, strict=True):
        if x is None or not kept:
            continue
        if spec.x_range is not None and isinstance(x, float) and not spec.x_range[0] <= x <= spec.x_range[1]:
            continue
        pairs.append((x, y if isinstance(y, float) else None))
    return pairs


def render_chart(
    spec: ChartSpec, dataset: Dataset, *, chart_id: str, labels: Mapping[str, str] | None = None
) -> str:
    """A ``<figure>`` with the SVG chart, its data table in ``<details>`` and the source line."""
    text = chart_labels("en", labels)
    rows = select_rows(spec, dataset)
    units = spec.units if spec.units is not None else _short_units(dataset.units)
    x_label = spec.x_label or spec.x
    y_label = spec.y_label or spec.y
    y_axis_label = f"{y_label} ({units})" if units else y_label
    desc = _description(spec, dataset, rows, x_label, y_label, units, text)
    drawings = [
        _svg(spec, rows, chart_id=chart_id, title=spec.title, desc=desc, x_label=x_label,
             y_axis_label=y_axis_label, layout=layout)
        for layout in (WIDE, NARROW)
    ]
    key = ""
    if spec.annotations:  # the narrow drawing numbers its annotation lines; this list says what they mark
        key = '<ol class="chart-key">' + "".join(
            f"<li>{escape(a.label)}</li>" for a in spec.annotations) + "</ol>"
    parts = [
        f'<figure class="chart chart-{spec.type}" id="{escape(chart_id)}">',
        f"<figcaption>{escape(spec.title)}</figcaption>",
        *drawings,
        key,
        _data_table(rows, dataset, x_label, y_axis_label, text),
        _source_line(dataset, text),
        "</figure>",
    ]
    return "\n".join(parts)


# --- validation helpers -------------------------------------------------------------------------


def _unknown_key_message(what: str, key: str, allowed: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f" (allowed: {', '.join(allowed)})"
    return f"unknown {what} '{key}'{hint}"


def _chart_dataset(
    name: str | None, fields: dict[str, Located], datasets: DatasetStore, error: Report
) -> tuple[Dataset | None, list[Problem]]:
    """The dataset a chart names, and the problems in its files (reported with every chart using it)."""
    if name is None:
        return None, []
    if name not in datasets:
        known = ", ".join(datasets.names()) or "none"
        error(fields["dataset"].line, f"unknown dataset '{name}' (datasets in {datasets.root}: {known})")
        return None, []
    dataset, dataset_problems = datasets.load(name)
    if dataset is None or any(p.is_error for p in dataset_problems):
        error(
            fields["dataset"].line,
            f"dataset '{name}' cannot be used until the problems in its files are fixed",
        )
        return None, dataset_problems
    return dataset, dataset_problems


def _range(located: Located | None, key: str, error: Report) -> tuple[float, float] | None:
    if located is None:
        return None
    value = located.value
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
    ):
        error(located.line, f"'{key}' must be two numbers, like [1960, 2025]")
        return None
    low, high = float(value[0]), float(value[1])
    if not low < high:
        error(located.line, f"'{key}' must go from the smaller to the larger number")
        return None
    return low, high


def _where(
    located: Located | None, dataset: Dataset | None, error: Report
) -> tuple[tuple[str, float | str], ...]:
    """``where: {column: value, ...}``: keep only the rows that match every pair."""
    if located is None:
        return ()
    if not isinstance(located.value, dict) or not located.value:
        error(located.line, "'where' must be pairs of column and value, like {country: South Korea}")
        return ()
    pairs: list[tuple[str, float | str]] = []
    for column, value in located.value.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            error(located.line, f"'where' value for '{column}' must be one number or text")
            continue
        if dataset is not None and column not in dataset.columns:
            error(
                located.line,
                f"'where' names column '{column}', which dataset '{dataset.name}' does not have "
                f"(columns: {', '.join(dataset.columns)})",
            )
            continue
        pairs.append((str(column), float(value) if isinstance(value, (int, float)) else value))
    return tuple(pairs)


def _same_cell(cell: Cell, wanted: float | str) -> bool:
    if isinstance(cell, float) and isinstance(wanted, float):
        return math.isclose(cell, wanted)
    return cell is not None and str(cell) == str(wanted)


def _annotations(located: Located | None, error: Report) -> list[tuple[Annotation, int]]:
    """Valid annotations with their lines; the invalid ones are reported."""
    if located is None:
        return []
    if not isinstance(located.value, list):
        error(located.line, "'annotations' must be a list of {x: ..., label: ...}")
        return []
    annotations = []
    for item in located.items():
        fields = item.fields()
        if not isinstance(item.value, dict):
            error(item.line, 'an annotation must look like {x: 1988, label: "text"}')
            continue
        for key, field in fields.items():
            if key not in ANNOTATION_KEYS:
                error(field.line, _unknown_key_message("annotation key", key, ANNOTATION_KEYS))
        x, label = item.value.get("x"), item.value.get("label")
        if x is None or isinstance(x, bool) or not isinstance(x, (int, float, str)):
            error(item.line, "an annotation needs 'x' (a value on the x axis)")
            continue
        if not isinstance(label, str) or not label.strip():
            error(item.line, "an annotation needs a 'label' (text)")
            continue
        annotations.append(
            (Annotation(float(x) if isinstance(x, (int, float)) else x, label.strip()), item.line)
        )
    return annotations


def _annotation_fits(annotation: Annotation, spec: ChartSpec, rows: list[Point]) -> bool:
    if spec.type == "bar":
        return any(_same_x(x, annotation.x) for x, _ in rows)
    if not isinstance(annotation.x, float):
        return False
    low, high = _x_domain(spec, rows)
    return low <= annotation.x <= high


def _same_x(value: float | str, wanted: float | str) -> bool:
    if isinstance(value, float) and isinstance(wanted, float):
        return math.isclose(value, wanted)
    return str(value) == str(wanted)


# --- drawing ---------------------------------------------------------------------------------------


def format_number(value: float, decimals: int | None = None) -> str:
    """Numbers as people write them: 1960 not 1960.0, 316.91 not 316.910000."""
    if decimals is not None:
        text = f"{value:.{decimals}f}"
    elif value == int(value) and abs(value) < 1e15:
        text = str(int(value))
    else:
        text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def _format_cell(value: Cell) -> str:
    if isinstance(value, float):
        return format_number(value)
    return "" if value is None else value


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


def _x_domain(spec: ChartSpec, rows: list[Point]) -> tuple[float, float]:
    if spec.x_range is not None:
        return spec.x_range
    xs = [x for x, _ in rows if isinstance(x, float)]
    low, high = min(xs), max(xs)
    return (low - 1, high + 1) if low == high else (low, high)


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

    if spec.type == "line":
        x_low, x_high = _x_domain(spec, rows)

        def px(value: float | str) -> float:
            return left + (float(value) - x_low) / (x_high - x_low) * plot_w

        x_ticks, x_decimals = nice_ticks(x_low, x_high, layout.x_ticks)
        x_tick_marks = [
            (px(t), format_number(t, x_decimals)) for t in x_ticks if x_low - 1e-9 <= t <= x_high + 1e-9
        ]
    else:
        band = plot_w / len(rows)

        def px(value: float | str) -> float:
            index = next(i for i, (x, _) in enumerate(rows) if _same_x(x, value))
            return left + (index + 0.5) * band

        bar_ticks = _bar_ticks(rows, target=8 if wide else 4)
        room = plot_w / max(len(bar_ticks), 1) - 6
        x_tick_marks = [
            (px(x), _format_cell(x) if wide else shorten(_format_cell(x), room, font)) for x in bar_ticks
        ]

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

    cid = escape(chart_id if wide else f"{chart_id}-narrow")
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg chart-{layout.name}" '
        f'viewBox="0 0 {layout.width} {height:g}" '
        f'width="100%" role="img" aria-labelledby="{cid}-title {cid}-desc" focusable="false">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
        f'<clipPath id="{cid}-plot">'
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}"/></clipPath>',
        '<g class="chart-grid" stroke="currentColor" stroke-opacity="0.15">',
    ]
    for tick in y_ticks:
        out.append(f'<line x1="{left}" x2="{right}" y1="{py(tick):.1f}" y2="{py(tick):.1f}"/>')
    out.append("</g>")
    out.append(f'<g class="chart-axis chart-axis-y" fill="currentColor" font-size="{font}" text-anchor="end">')
    for tick, label in zip(y_ticks, y_tick_labels, strict=True):
        out.append(f'<text x="{left - 8}" y="{py(tick) + font / 3:.1f}">{escape(label)}</text>')
    if wide:
        out.append(
            f'<text class="chart-axis-label" text-anchor="middle" '
            f'transform="translate(16 {top + plot_h / 2:.1f}) rotate(-90)">{escape(y_axis_label)}</text>'
        )
    else:
        for index, line in enumerate(y_title_lines):
            out.append(f'<text class="chart-axis-label" text-anchor="start" x="2" '
                       f'y="{8 + font + index * line_height}">{escape(line)}</text>')
    out.append("</g>")

    if spec.type == "line":
        out.extend(_line_marks(rows, px, py, cid))
    else:
        baseline = py(min(max(0.0, y_low), y_high))
        out.extend(_bar_marks(rows, band, py, baseline, cid, left))

    out.append(
        f'<g class="chart-axis chart-axis-x" stroke="currentColor">'
        f'<line x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"/>'
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{bottom}"/>'
    )
    for x, _ in x_tick_marks:
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{bottom}" y2="{bottom + 5}"/>')
    out.append("</g>")
    out.append(f'<g class="chart-axis chart-axis-x" fill="currentColor" font-size="{font}" text-anchor="middle">')
    for x, label in x_tick_marks:
        out.append(f'<text x="{x:.1f}" y="{bottom + font + 6}">{escape(label)}</text>')
    if wide:
        out.append(
            f'<text class="chart-axis-label" x="{left + plot_w / 2:.1f}" y="{height - 8}">'
            f"{escape(x_label)}</text>"
        )
    else:
        for index, line in enumerate(x_title_lines):
            out.append(f'<text class="chart-axis-label" x="{layout.width / 2:.1f}" '
                       f'y="{bottom + font + 6 + (index + 1) * line_height + 4}">{escape(line)}</text>')
    out.append("</g>")

    label_top = (8 if wide else 8 + title_band) + font
    for x, label_x, anchor, text, row, _span in labels:
        line_top = label_top + row * line_height + 4 if _line_reaches_label(x, row, labels) else top
        out.append(
            f'<g class="chart-annotation"><line x1="{x:.1f}" x2="{x:.1f}" y1="{line_top}" y2="{bottom}" '
            f'stroke="currentColor" stroke-opacity="0.6" stroke-dasharray="4 3"/>'
            f'<text x="{label_x:.1f}" y="{label_top + row * line_height}" font-size="{font}" fill="currentColor" '
            f'text-anchor="{anchor}">{escape(text)}</text></g>'
        )
    out.append("</svg>")
    return "\n".join(out)


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


# --- text around the chart ------------------------------------------------------------------------


def _short_units(units: str) -> str:
    """'ppm (micromol/mol, mole fraction in dry air)' -> 'ppm': the sidecar explains, the axis names."""
    return re.sub(r"\s*\(.*\)\s*$", "", units).strip()


def _with_units(value: float, units: str) -> str:
    return f"{format_number(value)} {units}".strip()


def _description(
    spec: ChartSpec,
    dataset: Dataset,
    rows: list[Point],
    x_label: str,
    y_label: str,
    units: str,
    text: Mapping[str, str],
) -> str:
    present = [(x, y) for x, y in rows if y is not None]
    (x_first, y_first), (x_last, y_last) = present[0], present[-1]
    desc = text["desc"].format(
        kind=text[spec.type],
        y_label=y_label,
        x_label=x_label,
        dataset=dataset.title,
        x_first=_format_cell(x_first),
        x_last=_format_cell(x_last),
        y_first=_with_units(y_first, units),
        y_last=_with_units(y_last, units),
    )
    if spec.annotations:
        marks = "; ".join(f"{_format_cell(a.x)} {a.label}" for a in spec.annotations)
        desc += f" {text['marked']}: {marks}."
    return desc


def _data_table(
    rows: list[Point],
    dataset: Dataset,
    x_label: str,
    y_label: str,
    text: Mapping[str, str],
) -> str:
    body = "\n".join(
        f'<tr><th scope="row">{escape(_format_cell(x))}</th>'
        f"<td>{escape(format_number(y)) if y is not None else escape(text['missing'])}</td></tr>"
        for x, y in rows
    )
    notes = [
        str(dataset.meta[key]) for key in ("baseline", "caveats") if isinstance(dataset.meta.get(key), str)
    ]
    if dataset.terms:
        notes.append(f"{text['terms']}: {dataset.terms}")
    notes_html = "".join(f'\n<p class="chart-notes">{escape(note)}</p>' for note in notes)
    return (
        f'<details class="chart-data"><summary>{escape(text["data_table"])}</summary>\n'
        f'<table>\n<thead><tr><th scope="col">{escape(x_label)}</th>'
        f'<th scope="col">{escape(y_label)}</th></tr>'
        f"</thead>\n<tbody>\n{body}\n</tbody>\n</table>{notes_html}\n</details>"
    )


def _source_line(dataset: Dataset, text: Mapping[str, str]) -> str:
    source = escape(dataset.source or dataset.title)
    url = dataset.source_url
    if re.match(r"^https?://", url):  # the sidecar is checked too; never print another scheme as a link
        source = f'<a href="{escape(url)}" rel="noopener noreferrer">{source}</a>'
    first_sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z])", dataset.terms.strip(), maxsplit=1)[0]
    terms = f". {escape(first_sentence)}" if first_sentence else ""
    retrieved = dataset.meta.get("retrieved")
    retrieved_text = f" ({escape(str(retrieved))})" if retrieved else ""
    return f'<p class="chart-source">{escape(text["source"])}: {source}{retrieved_text}{terms}</p>'
