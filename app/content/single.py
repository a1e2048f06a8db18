"""Checking one module text typed in the browser, with the same parser and linter as the files.

The caller writes the course (its ``course.yml``, the other modules, ``assets/`` and ``_data/``) to a
temporary courses folder and the typed text in place of the module's file; :func:`check_module_file`
then lints that folder exactly as ``flask courses lint`` would and returns the module's parsed source.
Pure: no Flask, no database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from app.content.loader import parse_course_tree
from app.content.sources import LANGUAGES, CourseSource, ModuleSource
from app.problems import Problem


def module_file_name(order: int, slug: str, lang: str) -> str:
    """``NN-slug.lang.md``, the name the module has in the files."""
    return f"{order:02d}-{slug}.{lang}.md"


@dataclass(frozen=True)
class ModuleCheck:
    """What lint says about one module file in its course: its source (when it has no error) and the problems."""

    source: ModuleSource | None
    course: CourseSource | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        return self.source is not None and not self.errors


def check_module_file(courses_root: Path, course_slug: str, file_name: str) -> ModuleCheck:
    """Lint the course folder ``courses_root/course_slug`` and pick out the module file ``file_name``.

    Problems are reported with paths relative to the course folder (``01-reading.en.md:12: ...``), so
    the temporary folder never shows. Only this file is checked in full; the others are read for the checks
    across modules, whose problems are kept wherever they are reported: an edit can break another file (a
    prerequisite that now differs between the languages, for example). ``course.modules`` holds this file alone.
    """
    courses, problems = parse_course_tree(courses_root, only=course_slug, focus=file_name)
    course = next((c for c in courses if c.slug == course_slug), None)
    source = None
    if course is not None:
        source = next((m for m in course.modules if Path(m.path).name == file_name), None)
    folder = courses_root / course_slug
    shown = [_relative(problem, folder, courses_root) for problem in problems]
    if source is None and not any(p.is_error and p.path == file_name for p in shown):
        shown.append(Problem(file_name, 1, "this module could not be read"))
    return ModuleCheck(source, course, sorted(set(shown)))


def _relative(problem: Problem, folder: Path, root: Path) -> Problem:
    path = Path(problem.path)
    for base in (folder, root):
        try:
            return Problem(str(path.relative_to(base)), problem.line, problem.message, problem.severity)
        except ValueError:
            continue
    return problem


def course_yml_text(
    *,
    title: dict[str, str],
    summary: dict[str, str],
    level: str,
    hours: float,
    principles: list[str] | tuple[str, ...],
    order: int | None,
) -> str:
    """A ``course.yml`` for these values, always written the same way (exports must be reproducible)."""
    hours_value: float | int = int(hours) if float(hours).is_integer() else float(hours)
    lines = [
        f"title: {_flow_mapping(title)}",
        f"summary: {_flow_mapping(summary)}",
        f"level: {level}",
        f"hours: {hours_value}",
        f"principles: [{', '.join(principles)}]",
    ]
    if order is not None:
        lines.append(f"order: {int(order)}")
    return "\n".join(lines) + "\n"


def _flow_mapping(texts: dict[str, str]) -> str:
    ordered = [lang for lang in LANGUAGES if texts.get(lang)]
    parts = [f"{lang}: {_quoted(texts[lang])}" for lang in ordered]
    return "{" + ", ".join(parts) + "}"


def _quoted(text: str) -> str:
    """A double-quoted YAML scalar on one line (Korean stays readable)."""
    dumped = yaml.safe_dump(text, default_style='"', allow_unicode=True, width=10_000)
    return dumped.strip().removesuffix("...").strip()


def module_skeleton(title: str, lang: str) -> str:
    """A new module's first text: valid front matter, one section and a place for the quiz."""
    english = lang == "en"
    section = "Introduction" if english else "들어가며"
    body = "Write the module here." if english else "여기에 단원 내용을 쓰세요."
    objective = "Describe what students will be able to do." if english else "학생이 할 수 있게 될 일을 쓰세요."
    summary = "One sentence for the course outline." if english else "과정 목차에 보일 한 문장."
    return (
        "---\n"
        f"title: {_quoted(title)}\n"
        f"summary: {_quoted(summary)}\n"
        "minutes: 30\n"
        "objectives:\n"
        f"  - {_quoted(objective)}\n"
        "principles: []\n"
        "---\n\n"
        f"## {section}\n\n"
        f"{body}\n"
    )
