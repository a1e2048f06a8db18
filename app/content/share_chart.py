"""A small server-side SVG chart: the share of a class holding each misconception before and after teaching.

Drawn in the style of the module charts (app.content.charts: the ``chart-svg`` classes, currentColor text, the same
blue), as paired horizontal bars; the data table beside it on the page carries the same figures for screen readers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

WIDTH = 640
LABEL_W = 270
ROW_H = 34
BAR_H = 12
TOP = 28
RIGHT = 56
BEFORE_COLOUR = "#9aa5b1"
AFTER_COLOUR = "#1b6ca8"  # the module charts' line colour


def render_share_chart(rows: Sequence[tuple[str, float | None, float | None]], text: Mapping[str, str]) -> Markup:
    """``rows``: (label, share before, share after) with shares from 0 to 1 (None: not measured).
    ``text``: "title", "before", "after" in the reader's language."""
    height = TOP + ROW_H * max(len(rows), 1) + 10
    plot_w = WIDTH - LABEL_W - RIGHT
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-label="{escape(text["title"])}">',
        f'<g font-size="12" fill="currentColor"><rect x="{LABEL_W}" y="6" width="12" height="12" '
        f'fill="{BEFORE_COLOUR}"/><text x="{LABEL_W + 16}" y="16">{escape(text["before"])}</text>'
        f'<rect x="{LABEL_W + 110}" y="6" width="12" height="12" fill="{AFTER_COLOUR}"/>'
        f'<text x="{LABEL_W + 126}" y="16">{escape(text["after"])}</text></g>',
        '<g class="chart-grid" stroke="currentColor" stroke-opacity="0.15">'
        + "".join(f'<line x1="{LABEL_W + plot_w * t / 4:.1f}" x2="{LABEL_W + plot_w * t / 4:.1f}" y1="{TOP - 4}" '
                  f'y2="{height - 8}"/>' for t in range(5))
        + "</g>",
    ]
    for index, (label, before, after) in enumerate(rows):
        y = TOP + index * ROW_H
        short = label if len(label) <= 36 else label[:35] + "…"
        out.append(f'<text x="{LABEL_W - 8}" y="{y + BAR_H + 4}" font-size="12" fill="currentColor" '
                   f'text-anchor="end"><title>{escape(label)}</title>{escape(short)}</text>')
        for offset, share, colour in ((0, before, BEFORE_COLOUR), (BAR_H + 2, after, AFTER_COLOUR)):
            if share is None:
                continue
            width = plot_w * max(0.0, min(1.0, share))
            out.append(f'<rect class="chart-bar" x="{LABEL_W}" y="{y + offset}" width="{width:.1f}" '
                       f'height="{BAR_H}" fill="{colour}"/>')
            out.append(f'<text x="{LABEL_W + width + 4:.1f}" y="{y + offset + BAR_H - 2}" font-size="11" '
                       f'fill="currentColor">{round(100 * share)}%</text>')
    out.append("</svg>")
    return Markup("".join(out))
