"""The course content pipeline: course files in, checked dataclasses and safe HTML out.

Pure Python on purpose (no Flask, no database): ``flask courses lint`` and ``flask courses sync`` call
these functions, and tests use them like a small library.
"""

import importlib

# Where each public name lives. Imported on first use (PEP 562), so a web worker that only needs, say, the
# misconception catalogue does not load python-markdown, Pygments and nh3 with it: pages serve stored HTML.
_WHERE = {
    "ChartSpec": "charts", "chart_labels": "charts", "parse_chart_spec": "charts", "render_chart": "charts",
    "Dataset": "datasets", "DatasetStore": "datasets",
    "lint_course_tree": "loader", "parse_course_tree": "loader", "resolve_course_path": "loader",
    "sorted_problems": "loader",
    "CourseFormatError": "problems", "Problem": "problems",
    "RENDERER_VERSION": "render", "RenderedHtml": "render", "RenderedModule": "render", "TocEntry": "render",
    "render_markdown": "render", "render_module": "render", "sanitize_html": "render",
    "CourseSource": "sources", "ModuleSource": "sources",
}


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(f"app.content.{_WHERE[name]}"), name)
    raise AttributeError(f"module 'app.content' has no attribute {name!r}")


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
