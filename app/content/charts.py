"""Charts from ```chart blocks: validated specs and accessible inline SVG with a data-table fallback.

The SVG is generated here, never taken from authors, and inserted after sanitising; every piece of text
in it is escaped. It uses presentation attributes and classes, no inline styles, so it works under a
strict Content-Security-Policy and can be themed from the site's CSS.

Three modules along the seams: app/content/chart_spec.py reads and checks the block, app/content/chart_svg.py
draws it, and this module puts the figure together (caption, both drawings, data table, source) and keeps the
names callers import from here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

from app.content.chart_spec import (  # noqa: F401 (the names callers import from app.content.charts)
    ANNOTATION_KEYS,
    CHART_KEYS,
    CHART_TYPES,
    OPTIONAL_KEYS,
    REQUIRED_KEYS,
    Annotation,
    ChartSpec,
    Point,
    _unknown_key_message,
    format_cell,
    format_number,
    parse_chart_spec,
    select_rows,
)
from app.content.chart_svg import (  # noqa: F401
    NARROW,
    WIDE,
    ChartLayout,
    _svg,
    nice_ticks,
    place_labels,
    shorten,
    text_width,
    wrap_text,
)
from app.content.datasets import Dataset

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


def chart_labels(lang: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """Labels for ``lang`` (English for unknown languages) with ``overrides`` applied."""
    labels = dict(DEFAULT_CHART_LABELS["en"])
    labels.update(DEFAULT_CHART_LABELS.get(lang, {}))
    labels.update(overrides or {})
    return labels



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
        x_first=format_cell(x_first),
        x_last=format_cell(x_last),
        y_first=_with_units(y_first, units),
        y_last=_with_units(y_last, units),
    )
    if spec.annotations:
        marks = "; ".join(f"{format_cell(a.x)} {a.label}" for a in spec.annotations)
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
        f'<tr><th scope="row">{escape(format_cell(x))}</th>'
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
