"""```chart blocks: the keys an author writes, checked against the dataset, into a :class:`ChartSpec`.

Drawing is in app/content/chart_svg.py; the figure around the drawing (caption, data table, source) in
app/content/charts.py, which also re-exports these names.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from dataclasses import dataclass

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

    text_values = _text_values(fields, fence_line, error)
    chart_type = text_values.get("type")
    if chart_type is not None and chart_type not in CHART_TYPES:
        error(fields["type"].line, f"chart type '{chart_type}' is not one of: {', '.join(CHART_TYPES)}")
        chart_type = None
    dataset, dataset_problems = _chart_dataset(text_values.get("dataset"), fields, datasets, error)
    problems.extend(dataset_problems)
    x_column, y_column = text_values.get("x"), text_values.get("y")
    if dataset is not None:
        _check_columns(dataset, fields, chart_type, x_column, y_column, error)
    x_range = _range(fields.get("x_range"), "x_range", error)
    y_range = _range(fields.get("y_range"), "y_range", error)
    located_annotations = _annotations(fields.get("annotations"), error)
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
        annotations=tuple(annotation for annotation, _ in located_annotations),
        where=where,
    )
    if not _check_drawable(spec, dataset, fields, fence_line, located_annotations, error):
        return None, problems
    if any(p.is_error for p in problems):
        return None, problems
    return spec, problems


def _text_values(fields: dict[str, Located], fence_line: int, error: Report) -> dict[str, str]:
    """Known and required keys, and the text values (numbers allowed as column names)."""
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
    return text_values


def _check_columns(dataset: Dataset, fields: dict[str, Located], chart_type: str | None, x_column: str | None,
                   y_column: str | None, error: Report) -> None:
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


def _check_drawable(spec: ChartSpec, dataset: Dataset, fields: dict[str, Located], fence_line: int,
                    located_annotations: list[tuple[Annotation, int]], error: Report) -> bool:
    """Whether the chart has values to draw in its range, with every annotation among its x values."""
    if spec.x_range is not None and not dataset.is_numeric(spec.x):
        error(fields["x_range"].line, f"x_range needs a numeric x column; '{spec.x}' is text")
        return False
    rows = select_rows(spec, dataset)
    if not any(y is not None for _, y in rows):
        scope = " and ".join(part for part in ("x_range" if spec.x_range else "", "where" if spec.where else "")
                             if part)
        error(fence_line, "the chart has no values to draw" + (f" in {scope}" if scope else ""))
        return False
    for annotation, line in located_annotations:
        if not _annotation_fits(annotation, spec, rows):
            error(line, f"annotation at x = {format_cell(annotation.x)} is outside the chart's x values")
    return True


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
        return any(same_x(x, annotation.x) for x, _ in rows)
    if not isinstance(annotation.x, float):
        return False
    low, high = x_domain(spec, rows)
    return low <= annotation.x <= high


def same_x(value: float | str, wanted: float | str) -> bool:
    if isinstance(value, float) and isinstance(wanted, float):
        return math.isclose(value, wanted)
    return str(value) == str(wanted)


def format_number(value: float, decimals: int | None = None) -> str:
    """Numbers as people write them: 1960 not 1960.0, 316.91 not 316.910000."""
    if decimals is not None:
        text = f"{value:.{decimals}f}"
    elif value == int(value) and abs(value) < 1e15:
        text = str(int(value))
    else:
        text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def format_cell(value: Cell) -> str:
    if isinstance(value, float):
        return format_number(value)
    return "" if value is None else value


def x_domain(spec: ChartSpec, rows: list[Point]) -> tuple[float, float]:
    if spec.x_range is not None:
        return spec.x_range
    xs = [x for x, _ in rows if isinstance(x, float)]
    low, high = min(xs), max(xs)
    return (low - 1, high + 1) if low == high else (low, high)
