"""What the explorer shows for one stored result: the summary numbers and a three-panel SVG. Pure Python.

The SVG follows the chart conventions of app/content/charts.py (generated here, every text escaped, no inline
styles). Its viewBox is narrow (300 units) so that 14-unit text stays at least 12 CSS px on a 360 px phone, where the
figure is about 260 px wide; the stylesheet caps its width on large screens.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

from app.content.charts import format_number, nice_ticks

WIDTH = 300
PANEL_HEIGHT = 170
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 30, 26
FONT = 14
FIRST_YEAR, LAST_YEAR = 1850, 2100
# GISTEMP is relative to 1951–1980. AR6 gives 0.85 °C of warming from 1850–1900 to 1995–2014 (WGI SPM, note to
# Table SPM.1), so the observed curve is shifted to make its 1995–2014 mean 0.85 °C.
AR6_1850_1900_TO_1995_2014 = 0.85


@dataclass(frozen=True)
class Summary:
    warming_2100: float
    warming_2100_low: float
    warming_2100_high: float
    peak: float
    peak_year: int
    peak_low: float
    peak_high: float
    late_century: float  # 2081–2100 mean, the period of AR6 Table SPM.1
    net_zero_year: int | None


def series(data: Mapping[str, object], name: str) -> list[float]:
    return [float(v) for v in data[name]]  # type: ignore[union-attr]


def summarise(data: Mapping[str, object]) -> Summary:
    """2100 and peak warming with their range across the three parameter sets, and the year of net zero."""
    first = int(data["first_year"])  # type: ignore[call-overload]
    warming, low, high = series(data, "warming"), series(data, "warming_low"), series(data, "warming_high")
    future = [i for i in range(len(warming)) if first + i >= 2000]
    peak_index = max(future, key=lambda i: warming[i])
    emissions = series(data, "co2_emissions")
    zero = next((first + i for i in future if first + i >= 2025 and emissions[i] <= 0), None)
    return Summary(
        warming_2100=warming[-1],
        warming_2100_low=low[-1],
        warming_2100_high=high[-1],
        peak=warming[peak_index],
        peak_year=first + peak_index,
        peak_low=max(low[i] for i in future),
        peak_high=max(high[i] for i in future),
        late_century=sum(warming[-20:]) / 20,
        net_zero_year=zero,
    )


def observed_warming(rows: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """GISTEMP (year, anomaly vs 1951–1980) shifted to 1850–1900 as AR6 does."""
    recent = [value for year, value in rows if 1995 <= year <= 2014]
    shift = AR6_1850_1900_TO_1995_2014 - sum(recent) / len(recent) if recent else 0.0
    return [(year, value + shift) for year, value in rows]


def render_svg(
    data: Mapping[str, object],
    observed: Sequence[tuple[float, float]],
    *,
    chart_id: str,
    labels: Mapping[str, str],
) -> str:
    """Three stacked panels: net CO₂ emissions, CO₂ concentration, warming with its range and observations."""
    first = int(data["first_year"])  # type: ignore[call-overload]
    years = [first + i for i in range(len(series(data, "warming")))]
    cid = escape(chart_id)
    height = 3 * PANEL_HEIGHT
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="scenario-svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{cid}-title {cid}-desc" focusable="false">',
        f'<title id="{cid}-title">{escape(labels["title"])}</title>',
        f'<desc id="{cid}-desc">{escape(labels["desc"])}</desc>',
    ]
    emissions = list(zip(years, series(data, "co2_emissions"), strict=True))
    out += _panel(0, labels["emissions"], [("line", emissions, "#1b6ca8", "")], years, cid, zero_line=True)
    ppm = list(zip(years, series(data, "co2_ppm"), strict=True))
    out += _panel(1, labels["concentration"], [("line", ppm, "#1b6ca8", "")], years, cid)
    band = list(zip(years, series(data, "warming_low"), series(data, "warming_high"), strict=True))
    warming = list(zip(years, series(data, "warming"), strict=True))
    observed_in = [(year, value) for year, value in observed if FIRST_YEAR <= year <= LAST_YEAR]
    out += _panel(
        2,
        labels["warming"],
        [("band", band, "#b03a2e", ""), ("line", warming, "#b03a2e", ""), ("line", observed_in, "#222222", "")],
        years,
        cid,
        thresholds=((1.5, labels["line_15"]), (2.0, labels["line_20"])),
        legend=((labels["legend_model"], "#b03a2e"), (labels["legend_observed"], "#222222")),
    )
    out.append("</svg>")
    return "\n".join(out)


def _panel(
    index: int,
    title: str,
    marks: list[tuple[str, list, str, str]],
    years: list[int],
    cid: str,
    *,
    zero_line: bool = False,
    thresholds: tuple[tuple[float, str], ...] = (),
    legend: tuple[tuple[str, str], ...] = (),
) -> list[str]:
    top = index * PANEL_HEIGHT + TOP
    bottom = (index + 1) * PANEL_HEIGHT - BOTTOM
    right = WIDTH - RIGHT
    values = []
    for kind, points, _, _ in marks:
        for point in points:
            values.extend(point[1:] if kind == "band" else [point[1]])
    values.extend(value for value, _ in thresholds)
    if zero_line:
        values.append(0.0)
    if legend:  # headroom above the curves for the legend
        values.append(max(values) + 0.35 * (max(values) - min(values)))
    ticks, decimals = nice_ticks(min(values), max(values), target=4)
    low, high = ticks[0], ticks[-1]

    def px(year: float) -> float:
        return LEFT + (year - FIRST_YEAR) / (LAST_YEAR - FIRST_YEAR) * (right - LEFT)

    def py(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    out = [
        '<g class="scenario-panel">',
        f'<text x="4" y="{top - 10}" font-size="{FONT}" font-weight="bold" fill="currentColor">{escape(title)}</text>',
        '<g stroke="currentColor" stroke-opacity="0.15">',
    ]
    out += [f'<line x1="{LEFT}" x2="{right}" y1="{py(t):.1f}" y2="{py(t):.1f}"/>' for t in ticks]
    out.append("</g>")
    out.append(f'<g fill="currentColor" font-size="{FONT}" text-anchor="end">')
    out += [f'<text x="{LEFT - 5}" y="{py(t) + 4:.1f}">{escape(format_number(t, decimals))}</text>' for t in ticks]
    out.append("</g>")
    out.append(f'<g fill="currentColor" font-size="{FONT}" text-anchor="middle">')
    for year in (1850, 1900, 1950, 2000, 2050):
        out.append(f'<text x="{px(year):.1f}" y="{bottom + 17}">{year}</text>')
    out.append(f'<text x="{px(2100) + RIGHT:.1f}" y="{bottom + 17}" text-anchor="end">2100</text>')
    out.append("</g>")
    out.append(
        f'<g stroke="currentColor"><line x1="{LEFT}" x2="{right}" y1="{bottom}" y2="{bottom}"/>'
        f'<line x1="{px(2024):.1f}" x2="{px(2024):.1f}" y1="{top}" y2="{bottom}" stroke-opacity="0.4" '
        f'stroke-dasharray="2 3"/></g>'
    )
    if zero_line and low < 0:
        out.append(f'<line x1="{LEFT}" x2="{right}" y1="{py(0):.1f}" y2="{py(0):.1f}" stroke="currentColor"/>')
    for position, (value, label) in enumerate(thresholds):
        label_y = py(value) + FONT if position == 0 else py(value) - 3  # the lower line's label under it: no overlap
        out.append(
            f'<g class="scenario-threshold"><line x1="{LEFT}" x2="{right}" y1="{py(value):.1f}" y2="{py(value):.1f}" '
            f'stroke="#7a4f00" stroke-dasharray="6 4"/>'
            f'<text x="{LEFT + 4}" y="{label_y:.1f}" font-size="{FONT}" fill="#7a4f00">'
            f"{escape(label)}</text></g>"
        )
    for kind, points, colour, _ in marks:
        if not points:
            continue
        if kind == "band":
            upper = " L".join(f"{px(x):.1f},{py(hi):.1f}" for x, _, hi in points)
            lower = " L".join(f"{px(x):.1f},{py(lo):.1f}" for x, lo, _ in reversed(points))
            out.append(f'<path d="M{upper} L{lower} Z" fill="{colour}" fill-opacity="0.18" stroke="none"/>')
        else:
            path = " L".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
            out.append(f'<path d="M{path}" fill="none" stroke="{colour}" stroke-width="2" stroke-linejoin="round"/>')
    for position, (label, colour) in enumerate(legend):
        y = top + 14 + position * 16
        out.append(
            f'<g><line x1="{LEFT + 8}" x2="{LEFT + 24}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}" stroke-width="3"/>'
            f'<text x="{LEFT + 28}" y="{y}" font-size="{FONT}" fill="currentColor">{escape(label)}</text></g>'
        )
    out.append("</g>")
    return out
