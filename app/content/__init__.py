"""The course content pipeline: course files in, checked dataclasses and safe HTML out.

Pure Python on purpose (no Flask, no database): ``flask courses lint`` and ``flask courses sync`` call
these functions, and tests use them like a small library.
"""

from app.content.charts import ChartSpec, chart_labels, parse_chart_spec, render_chart
from app.content.datasets import Dataset, DatasetStore
from app.content.loader import lint_course_tree, parse_course_tree, resolve_course_path, sorted_problems
from app.content.problems import CourseFormatError, Problem
from app.content.render import (
    RENDERER_VERSION,
    RenderedHtml,
    RenderedModule,
    TocEntry,
    render_markdown,
    render_module,
    sanitize_html,
)
from app.content.sources import CourseSource, ModuleSource

__all__ = [
    "RENDERER_VERSION",
    "ChartSpec",
    "CourseFormatError",
    "CourseSource",
    "Dataset",
    "DatasetStore",
    "ModuleSource",
    "Problem",
    "RenderedHtml",
    "RenderedModule",
    "TocEntry",
    "chart_labels",
    "lint_course_tree",
    "parse_chart_spec",
    "parse_course_tree",
    "render_chart",
    "render_markdown",
    "render_module",
    "resolve_course_path",
    "sanitize_html",
    "sorted_problems",
]
