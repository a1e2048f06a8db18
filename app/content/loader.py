"""Reading a courses folder into CourseSource/ModuleSource and checking it against docs/format-spec.md.

Every check reports ``path:line`` so authors can fix files without reading code. The same function serves
``flask courses lint`` (which prints the problems) and ``flask courses sync`` (which refuses to write
anything while there is an error). One module file is read by app/content/module_file.py, the checks across a
course's files are in app/content/course_checks.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from app.content.course_checks import check_modules_together
from app.content.datasets import DatasetStore
from app.content.field_checks import check_keys, is_int, is_number, principles_of, read_text
from app.content.located_yaml import Located, load_mapping
from app.content.misconceptions import CATALOGUE_FILE, CourseFileFacts, check_catalogue, load_catalogue
from app.content.module_file import (  # noqa: F401 (ASSETS_FOLDER, renderer_fingerprint, source_hash: old paths)
    ASSETS_FOLDER,
    ModuleFile,
    parse_module_file,
    renderer_fingerprint,
    source_hash,
)
from app.content.similarity import similar_items_problems
from app.content.sources import LANGUAGES, LEVELS, MODULE_FILE_RE, SLUG_RE, CourseSource
from app.content.terms import lint_course_terms
from app.problems import Problem

COURSE_KEYS = ("title", "summary", "level", "hours", "principles", "order")
COURSE_REQUIRED = ("title", "summary", "level", "hours", "principles")
DATA_FOLDER = "_data"
# Files a course folder may hold besides modules; anything else ending in .md is a misnamed module.
NON_MODULE_FILES = frozenset({"course.yml", "readme.md", "misconceptions.yml"})

_LOOSE_MODULE_NAME_RE = re.compile(r"^(?P<order>[^-]*)-(?P<slug>.*?)(?:\.(?P<lang>[^.]*))?\.md$")


def parse_course_tree(
    root: Path, only: str | None = None, *, focus: str | None = None
) -> tuple[list[CourseSource], list[Problem]]:
    """Read every course under ``root`` (or only the folder named ``only``) and check it.

    Returns the courses whose ``course.yml`` is valid, each with the modules whose own file has no
    error, and every problem found, sorted. Anything that writes to the database must refuse to run
    while any problem is an error.

    ``focus`` (with ``only``) names one module file of that course, e.g. ``03-greenhouse.en.md``: only it is
    checked and parsed fully (its course's ``modules`` hold it alone); the others are read for the checks across
    modules, and the problems that belong to them alone are not reported (a preview of one edited text).
    """
    if not root.is_dir():
        return [], [Problem(str(root), 1, "no such folder")]
    datasets = DatasetStore(root / DATA_FOLDER)
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
    if only is not None:
        folders = [p for p in folders if p.name == only]
        if not folders:
            return [], [Problem(str(root / only), 1, f"no course folder '{only}' in {root}")]
    courses: list[CourseSource] = []
    problems: list[Problem] = []
    used_datasets: set[str] = set()
    for folder in folders:
        course, course_problems, course_datasets = _parse_course(folder, datasets, focus)
        problems.extend(course_problems)
        used_datasets |= course_datasets
        if course is not None:
            courses.append(course)
    for name in sorted(used_datasets):  # a broken dataset breaks every chart that uses it
        problems.extend(datasets.load(name)[1])
    courses.sort(key=lambda c: (c.order is None, c.order or 0, c.slug))
    return courses, sorted_problems(problems)


def lint_course_tree(root: Path) -> list[Problem]:
    """All problems under ``root``, which may be the courses folder or one course folder."""
    courses_root, only = resolve_course_path(root)
    _, problems = parse_course_tree(courses_root, only=only)
    if only is None:
        problems = [*problems, *DatasetStore(courses_root / DATA_FOLDER).lint()]
        if courses_root.is_dir() and not any(
            p.is_dir() and not p.name.startswith(("_", ".")) for p in courses_root.iterdir()
        ):
            problems.append(Problem(str(courses_root), 1, "no course folders here", "warning"))
    return sorted_problems(problems)


def resolve_course_path(path: Path) -> tuple[Path, str | None]:
    """Map a PATH typed by a user to (courses root, course slug or None for all courses)."""
    looks_like_course = (path / "course.yml").is_file() or any(
        MODULE_FILE_RE.match(p.name) for p in (path.iterdir() if path.is_dir() else [])
    )
    if not looks_like_course:
        return path, None
    folder = path if path.name not in ("", ".", "..") else path.resolve()
    return folder.parent, folder.name


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Sorted by file and line, each reported once (a dataset used by two modules has one problem)."""
    return sorted(set(problems))


# --- one course -------------------------------------------------------------------------------------


def _parse_course(
    folder: Path, datasets: DatasetStore, focus: str | None = None
) -> tuple[CourseSource | None, list[Problem], set[str]]:
    problems: list[Problem] = []
    if not SLUG_RE.match(folder.name):
        problems.append(
            Problem(
                str(folder),
                1,
                f"course folder name '{folder.name}' must be a slug: lowercase letters, digits and hyphens",
            )
        )
    course_yml = folder / "course.yml"
    meta: dict[str, Any] | None = None
    if course_yml.is_file():
        meta, meta_problems = _parse_course_yml(course_yml)
        problems.extend(meta_problems)
    else:
        problems.append(Problem(str(course_yml), 1, "missing course.yml (title, summary, level, hours, principles)"))

    files: list[ModuleFile] = []
    for entry in sorted(folder.iterdir()):
        if entry.is_dir() or entry.name.lower() in NON_MODULE_FILES:
            continue
        match = MODULE_FILE_RE.match(entry.name)
        if match is None:
            if entry.name.endswith(".md"):
                problems.append(Problem(str(entry), 1, _bad_file_name_message(entry.name)))
            continue
        light = focus is not None and entry.name != focus
        module_file, module_problems = parse_module_file(entry, folder.name, match, datasets, light=light)
        files.append(module_file)
        if not light:  # the others' own problems do not change with the focused text
            problems.extend(module_problems)
    problems.extend(check_modules_together(files))
    catalogue_path = folder / CATALOGUE_FILE
    if catalogue_path.is_file():  # a course without a catalogue is not checked for misconception names
        catalogue, catalogue_problems = load_catalogue(catalogue_path)
        problems.extend(catalogue_problems)
        if catalogue is not None:
            problems.extend(check_catalogue(catalogue, [
                CourseFileFacts(str(f.path), f.slug, f.lang, f.tags, f.headings) for f in files]))
    problems.extend(similar_items_problems([(str(f.path), f.slug, f.lang, f.questions) for f in files],
                                           focus=str(folder / focus) if focus is not None else None))
    problems.extend(lint_course_terms(folder, only=focus))  # terms.<lang>.yml: one vocabulary per language

    used = {name for module_file in files for name in module_file.datasets}
    if meta is None or any(p.is_error for p in problems if p.path == str(course_yml)) or not SLUG_RE.match(folder.name):
        return None, problems, used
    modules = sorted((f.module for f in files if f.module is not None), key=lambda m: (m.order, m.step, m.lang))
    course = CourseSource(
        slug=folder.name,
        path=str(folder),
        title=meta["title"],
        summary=meta["summary"],
        level=meta["level"],
        hours=meta["hours"],
        principles=meta["principles"],
        order=meta.get("order"),
        modules=modules,
    )
    return course, problems, used


def _parse_course_yml(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    text, problems = read_text(path)
    if text is None:
        return None, problems
    fields, yaml_problems = load_mapping(text, path=str(path), first_line=1, what="course.yml")
    problems.extend(yaml_problems)
    if fields is None:
        return None, problems

    def report(line: int, message: str, severity: str = "error") -> None:
        problems.append(Problem(str(path), line, message, severity))

    check_keys(fields, COURSE_KEYS, COURSE_REQUIRED, "course.yml key", 1, report)
    meta: dict[str, Any] = {}
    for key in ("title", "summary"):
        if key in fields:
            meta[key] = _translations(fields[key], key, report)
    if "level" in fields:
        level = fields["level"]
        if level.value not in LEVELS:
            report(level.line, f"'level' must be one of: {', '.join(LEVELS)}")
        meta["level"] = level.value
    if "hours" in fields:
        hours = fields["hours"]
        if not is_number(hours.value) or hours.value <= 0:
            report(hours.line, "'hours' must be a number of hours greater than 0, like 12 or 1.5")
        meta["hours"] = hours.value
    if "principles" in fields:
        meta["principles"] = principles_of(fields["principles"], report)
    if "order" in fields:
        order = fields["order"]
        if not is_int(order.value):
            report(order.line, "'order' must be a whole number")
        meta["order"] = order.value
    return meta, problems


def _translations(located: Located, key: str, report: Callable[..., None]) -> dict[str, str]:
    """``{en: ..., ko: ...}``: English is required, Korean missing is a warning."""
    if not isinstance(located.value, dict):
        report(located.line, f'\'{key}\' must give one text per language, like {key}: {{en: "...", ko: "..."}}')
        return {}
    texts: dict[str, str] = {}
    for lang, item in located.fields().items():
        if lang not in LANGUAGES:
            report(item.line, f"'{key}' has an unknown language '{lang}' (use: {', '.join(LANGUAGES)})")
        elif not isinstance(item.value, str) or not item.value.strip():
            report(item.line, f"'{key}.{lang}' must be text")
        else:
            texts[lang] = item.value.strip()
    if "en" not in located.value:
        report(located.line, f"'{key}' has no English text (en)")
    if "ko" not in located.value:
        report(located.line, f"'{key}' has no Korean text (ko)", "warning")
    return texts


# --- one module file --------------------------------------------------------------------------------


def _bad_file_name_message(name: str) -> str:
    loose = _LOOSE_MODULE_NAME_RE.match(name)
    example = "like 01-energy-balance.en.md"
    if loose is None:
        return f"module files are named NN-slug.lang.md, {example}"
    if not re.fullmatch(r"\d{2}[a-z]?", loose["order"]):
        return f"'{loose['order']}' is not a two-digit order number: name module files {example}"
    if loose["lang"] not in LANGUAGES:
        return f"the language in the file name must be {' or '.join(LANGUAGES)}: name module files {example}"
    return f"'{loose['slug']}' is not a slug (lowercase letters, digits and hyphens): name module files {example}"

