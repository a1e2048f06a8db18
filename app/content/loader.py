"""Reading a courses folder into CourseSource/ModuleSource and checking it against docs/format-spec.md.

Every check reports ``path:line`` so authors can fix files without reading code. The same function serves
``flask courses lint`` (which prints the problems) and ``flask courses sync`` (which refuses to write
anything while there is an error).
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import importlib.metadata
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from app.content.charts import parse_chart_spec
from app.content.datasets import DatasetStore
from app.content.located_yaml import Located, load_mapping
from app.content.misconceptions import CATALOGUE_FILE, CourseFileFacts, check_catalogue, load_catalogue
from app.content.render import RENDERER_VERSION, section_problem
from app.content.scan import (
    QUIZ_MARKER,
    Reference,
    find_fences,
    find_quiz_form_markers,
    find_quiz_markers,
    find_references,
    unclosed_chart_fences,
)
from app.content.scenario_block import parse_scenario_spec
from app.content.similarity import similar_items_problems
from app.content.sources import (
    LANGUAGE_NAMES,
    LANGUAGES,
    LEVELS,
    MODULE_FILE_RE,
    PRINCIPLES,
    SLUG_RE,
    CourseSource,
    ModuleSource,
)
from app.content.terms import lint_course_terms
from app.problems import Problem
from app.quizzes import Question
from app.quizzes.deferred import ParsedQuiz, parse_quiz_once

COURSE_KEYS = ("title", "summary", "level", "hours", "principles", "order")
COURSE_REQUIRED = ("title", "summary", "level", "hours", "principles")
MODULE_KEYS = ("title", "summary", "minutes", "objectives", "principles", "prerequisites", "formerly", "quiz")
MODULE_REQUIRED = ("title", "summary", "minutes", "objectives", "principles")
DATA_FOLDER = "_data"
ASSETS_FOLDER = "assets"
# Files a course folder may hold besides modules; anything else ending in .md is a misnamed module.
NON_MODULE_FILES = frozenset({"course.yml", "readme.md", "misconceptions.yml"})
LINK_SCHEMES = ("http", "https", "mailto")

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_LOOSE_MODULE_NAME_RE = re.compile(r"^(?P<order>[^-]*)-(?P<slug>.*?)(?:\.(?P<lang>[^.]*))?\.md$")
_H1_RE = re.compile(r"^#(?!#)\s*\S")

Report = Callable[[int, str], None]


def parse_course_tree(root: Path, only: str | None = None) -> tuple[list[CourseSource], list[Problem]]:
    """Read every course under ``root`` (or only the folder named ``only``) and check it.

    Returns the courses whose ``course.yml`` is valid, each with the modules whose own file has no
    error, and every problem found, sorted. Anything that writes to the database must refuse to run
    while any problem is an error.
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
        course, course_problems, course_datasets = _parse_course(folder, datasets)
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


@functools.cache
def renderer_fingerprint() -> bytes:
    """Our renderer version plus the library versions that shape the HTML, for source hashes."""
    versions = [f"ondo-renderer {RENDERER_VERSION}"]
    versions += [f"{dist} {importlib.metadata.version(dist)}" for dist in ("markdown", "pymdown-extensions", "nh3")]
    return "\n".join(versions).encode()


def source_hash(
    raw: bytes,
    dataset_names: Iterable[str],
    datasets: DatasetStore,
    asset_paths: Iterable[str] = (),
    course_folder: Path | None = None,
) -> str:
    """sha256 over the renderer fingerprint, the file, the datasets its charts draw and the assets it uses.

    Assets count because served asset URLs may carry a digest of the file (cache busting): a new image
    must re-render the page that shows it.
    """
    sha = hashlib.sha256(renderer_fingerprint())
    sha.update(b"\0file\0")
    sha.update(raw)
    for name in sorted(set(dataset_names)):
        sha.update(f"\0dataset\0{name}\0{datasets.digest(name)}".encode())
    for relative in sorted(set(asset_paths)):
        asset = (course_folder or Path()) / relative
        digest = hashlib.sha256(asset.read_bytes()).hexdigest() if asset.is_file() else "missing"
        sha.update(f"\0asset\0{relative}\0{digest}".encode())
    return sha.hexdigest()


# --- one course -------------------------------------------------------------------------------------


@dataclass
class _ModuleFile:
    """What the cross-module checks need from a module file, even when the file has errors."""

    path: Path
    order: int
    slug: str
    lang: str
    fields: dict[str, Located] = field(default_factory=dict)
    module: ModuleSource | None = None
    datasets: set[str] = field(default_factory=set)
    assets: set[str] = field(default_factory=set)
    tags: list[tuple[str, int]] = field(default_factory=list)  # misconception tags used, with their lines
    headings: set[str] = field(default_factory=set)  # ## and ### headings of the body
    questions: list[Question] = field(default_factory=list)  # the parsed quiz questions
    step: str = ""  # the letter of an NNx- name
    parsed_blocks: dict[str, Any] = field(default_factory=dict)  # ModuleSource.parsed_blocks
    parsed_quiz: ParsedQuiz | None = None

    @property
    def rank(self) -> tuple[int, str]:
        return (self.order, self.step)

    @property
    def number(self) -> str:
        """The order as written in the file name: "04" or "04b"."""
        return f"{self.order:02d}{self.step}"

    @property
    def name(self) -> str:
        return self.path.name

    def values(self, key: str) -> list[Located]:
        located = self.fields.get(key)
        return located.items() if located is not None else []


def _parse_course(folder: Path, datasets: DatasetStore) -> tuple[CourseSource | None, list[Problem], set[str]]:
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

    files: list[_ModuleFile] = []
    for entry in sorted(folder.iterdir()):
        if entry.is_dir() or entry.name.lower() in NON_MODULE_FILES:
            continue
        match = MODULE_FILE_RE.match(entry.name)
        if match is None:
            if entry.name.endswith(".md"):
                problems.append(Problem(str(entry), 1, _bad_file_name_message(entry.name)))
            continue
        module_file, module_problems = _parse_module_file(entry, folder.name, match, datasets)
        files.append(module_file)
        problems.extend(module_problems)
    problems.extend(_check_modules_together(files))
    catalogue_path = folder / CATALOGUE_FILE
    if catalogue_path.is_file():  # a course without a catalogue is not checked for misconception names
        catalogue, catalogue_problems = load_catalogue(catalogue_path)
        problems.extend(catalogue_problems)
        if catalogue is not None:
            problems.extend(check_catalogue(catalogue, [
                CourseFileFacts(str(f.path), f.slug, f.lang, f.tags, f.headings) for f in files]))
    problems.extend(similar_items_problems([(str(f.path), f.slug, f.lang, f.questions) for f in files]))
    problems.extend(lint_course_terms(folder))  # terms.<lang>.yml: one vocabulary per language

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
    text, problems = _read_text(path)
    if text is None:
        return None, problems
    fields, yaml_problems = load_mapping(text, path=str(path), first_line=1, what="course.yml")
    problems.extend(yaml_problems)
    if fields is None:
        return None, problems

    def report(line: int, message: str, severity: str = "error") -> None:
        problems.append(Problem(str(path), line, message, severity))

    _check_keys(fields, COURSE_KEYS, COURSE_REQUIRED, "course.yml key", 1, report)
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
        if not _is_number(hours.value) or hours.value <= 0:
            report(hours.line, "'hours' must be a number of hours greater than 0, like 12 or 1.5")
        meta["hours"] = hours.value
    if "principles" in fields:
        meta["principles"] = _principles(fields["principles"], report)
    if "order" in fields:
        order = fields["order"]
        if not _is_int(order.value):
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


def _parse_module_file(
    path: Path, course_slug: str, match: re.Match[str], datasets: DatasetStore
) -> tuple[_ModuleFile, list[Problem]]:
    module_file = _ModuleFile(path, int(match["order"]), match["slug"], match["lang"], step=match["step"])
    raw = path.read_bytes()
    text, problems = _read_text(path, raw)
    if text is None:
        return module_file, problems
    display = str(path)

    def report(line: int, message: str, severity: str = "error") -> None:
        problems.append(Problem(display, line, message, severity))

    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        report(1, "a module file starts with front matter: a line '---', the keys, and another '---'")
        return module_file, problems
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if closing is None:
        report(1, "the front matter is not closed: add a line '---' after the keys")
        return module_file, problems
    fields, yaml_problems = load_mapping(
        "\n".join(lines[1:closing]), path=display, first_line=2, what="the front matter"
    )
    problems.extend(yaml_problems)
    meta = _module_meta(fields, report) if fields is not None else None
    module_file.fields = fields or {}

    content = lines[closing + 1 :]
    content_first = closing + 2  # file line of content[0]
    fences = find_fences(content)
    markers = find_quiz_markers(content, fences)
    form_markers = find_quiz_form_markers(content, fences)
    for extra in markers[1:]:
        report(content_first + extra, f"a module has at most one quiz: a second '{QUIZ_MARKER}' line")
    if markers and form_markers:
        report(
            content_first + markers[0],
            f"a quiz with parallel forms starts at its first '<!-- quiz form: A -->' line: drop '{QUIZ_MARKER}'",
        )
    body, quiz, quiz_first = content, None, 0
    if markers and (not form_markers or markers[0] < form_markers[0]):
        body, quiz = content[: markers[0]], content[markers[0] + 1 :]
        quiz_first = content_first + markers[0] + 1
    elif form_markers:  # the form marker line stays in the quiz text: the parser reads the label from it
        body, quiz = content[: form_markers[0]], content[form_markers[0] :]
        quiz_first = content_first + form_markers[0]
    module_file.headings = _section_headings(body, fences)
    for index, line in enumerate(body):
        if _H1_RE.match(line) and not any(f.start <= index <= f.end for f in fences):
            report(
                content_first + index,
                "use '##' for sections: the title from the front matter is the page's only top-level heading",
                "warning",
            )

    for fence in fences:
        block_line = content_first + fence.start + 1
        block = "\n".join(content[fence.start + 1 : fence.end])
        if fence.is_check:
            check_quiz, check_problems = parse_quiz_once(block, path=display, first_line=block_line, settings=None,
                                                         settings_line=block_line - 1, allow_forms=False)
            problems.extend(check_problems)
            if check_quiz is not None:
                module_file.parsed_blocks[block] = None if block in module_file.parsed_blocks else check_quiz
                module_file.tags += [(t, q.line) for q in check_quiz.quiz.questions for t in q.misconception_tags]
        elif fence.is_scenario:
            scenario, scenario_problems = parse_scenario_spec(block, path=display, first_line=block_line)
            problems.extend(scenario_problems)
            if scenario is not None:
                module_file.parsed_blocks[block] = scenario
        elif fence.is_chart:
            spec, chart_problems = parse_chart_spec(block, path=display, first_line=block_line, datasets=datasets)
            problems.extend(chart_problems)
            if spec is not None:
                module_file.parsed_blocks[block] = spec
                module_file.datasets.add(spec.dataset)
    for index in unclosed_chart_fences(content, fences):
        report(content_first + index, "this chart block is not closed: end it with a line of ``` like its first")
    course_folder = path.parent
    for reference in find_references(content, content_first):
        message, asset = _check_reference(reference, course_folder)
        if message:
            report(reference.line, message)
        elif asset is not None:
            module_file.assets.add(asset)

    settings_field = module_file.fields.get("quiz")
    settings = settings_field.value if settings_field is not None else None
    settings_line = settings_field.line if settings_field is not None else 1
    if settings is not None and not isinstance(settings, dict):
        report(settings_line, "'quiz' must be a list of settings like 'pass_mark: 70', or left out")
        settings = None
    if quiz is not None:
        parsed_quiz, quiz_problems = parse_quiz_once(
            "\n".join(quiz),
            path=display,
            first_line=quiz_first,
            settings=settings,
            settings_line=settings_line,
        )
        problems.extend(quiz_problems)
        module_file.parsed_quiz = parsed_quiz
        if parsed_quiz is not None:
            headings = _section_headings(body, fences)
            module_file.questions = parsed_quiz.quiz.questions
            module_file.tags += [(t, q.line) for q in parsed_quiz.quiz.questions for t in q.misconception_tags]
            for question in parsed_quiz.quiz.questions:
                if question.section and question.section not in headings:
                    report(question.line, section_problem(question.section))
    elif settings_field is not None:
        report(
            settings_line,
            f"'quiz' settings, but no quiz: the quiz starts after a line '{QUIZ_MARKER}'",
            "warning",
        )

    if meta is not None and not any(p.is_error for p in problems):
        module_file.module = ModuleSource(
            course_slug=course_slug,
            slug=module_file.slug,
            order=module_file.order,
            step=module_file.step,
            lang=module_file.lang,
            path=display,
            title=meta["title"],
            summary=meta["summary"],
            minutes=meta["minutes"],
            objectives=meta["objectives"],
            principles=meta["principles"],
            prerequisites=meta["prerequisites"],
            formerly=meta["formerly"],
            quiz_settings=settings,
            quiz_settings_line=settings_line,
            body_markdown="\n".join(body),
            body_first_line=content_first,
            quiz_markdown="\n".join(quiz) if quiz is not None else None,
            quiz_first_line=quiz_first,
            datasets=tuple(sorted(module_file.datasets)),
            assets=tuple(sorted(module_file.assets)),
            source_hash=source_hash(raw, module_file.datasets, datasets, module_file.assets, course_folder),
            parsed_blocks=dict(module_file.parsed_blocks),
            parsed_quiz=module_file.parsed_quiz,
        )
    return module_file, problems


def _module_meta(fields: dict[str, Located], report: Report) -> dict[str, Any]:
    """Check the front matter keys and return their values (only trusted when nothing was reported)."""
    _check_keys(fields, MODULE_KEYS, MODULE_REQUIRED, "front-matter key", 1, report)
    meta: dict[str, Any] = {"prerequisites": (), "formerly": ()}
    for key in ("title", "summary"):
        if key in fields:
            located = fields[key]
            if not isinstance(located.value, str) or not located.value.strip():
                report(
                    located.line,
                    f"'{key}' must be text (put it in quotes if it starts with a symbol or is a word like yes or no)",
                )
            else:
                meta[key] = located.value.strip()
    if "minutes" in fields:
        minutes = fields["minutes"]
        if not _is_int(minutes.value) or minutes.value <= 0:
            report(minutes.line, "'minutes' must be a whole number of minutes, like 40")
        meta["minutes"] = minutes.value
    if "objectives" in fields:
        objectives = fields["objectives"]
        if not isinstance(objectives.value, list) or not objectives.value:
            report(objectives.line, "'objectives' must be a list with at least one item ('  - ...' lines)")
        else:
            for item in objectives.items():
                if not isinstance(item.value, str) or not item.value.strip():
                    report(item.line, "each objective must be text")
            meta["objectives"] = tuple(str(v).strip() for v in objectives.value)
    if "principles" in fields:
        meta["principles"] = _principles(fields["principles"], report)
    for key in ("prerequisites", "formerly"):
        if key in fields:
            meta[key] = _slug_list(fields[key], key, report)
    return meta


# "## Text {#id} ##": the text, then the optional attribute list and closing hashes, taken off in code. (One regex
# with a lazy text and three optional "\s*" around them backtracked in cubic time on a line of spaces.)
_SECTION_HEADING_RE = re.compile(r"#{2,3}\s+(?P<text>\S.*)")


def _heading_text(line: str) -> str | None:
    match = _SECTION_HEADING_RE.match(line)
    if not match:
        return None
    full = match["text"].rstrip()
    text = full.rstrip("#").rstrip()
    if text.endswith("}") and "{" in text and "}" not in text[text.rindex("{"):-1]:
        text = text[: text.rindex("{")].rstrip()
    return text or full


def _section_headings(body: list[str], fences: list) -> set[str]:
    """Plain text of the body's ## and ### headings, as the table of contents shows them."""
    headings = set()
    for index, line in enumerate(body):
        text = _heading_text(line)
        if text is not None and not any(f.start <= index <= f.end for f in fences):
            headings.add(re.sub(r"[*_`]", "", text).strip())
    return headings


def _check_keys(
    fields: dict[str, Located],
    allowed: tuple[str, ...],
    required: tuple[str, ...],
    what: str,
    line: int,
    report: Report,
) -> None:
    for key, located in fields.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f" (allowed: {', '.join(allowed)})"
            report(located.line, f"unknown {what} '{key}'{hint}")
    for key in required:
        if key not in fields:
            report(line, f"missing required key '{key}'")


def _principles(located: Located, report: Report) -> tuple[str, ...]:
    if not isinstance(located.value, list):
        report(located.line, "'principles' must be a list, like [EP1, AC2]")
        return ()
    for item in located.items():
        if item.value not in PRINCIPLES:
            report(item.line, f"unknown principle '{item.value}' (use EP1-EP7, GP or AC1-AC8)")
    return tuple(str(v) for v in located.value)


def _slug_list(located: Located, key: str, report: Report) -> tuple[str, ...]:
    if not isinstance(located.value, list):
        report(located.line, f"'{key}' must be a list of module slugs, like [weather-and-climate]")
        return ()
    for item in located.items():
        if not isinstance(item.value, str) or not SLUG_RE.match(item.value):
            report(item.line, f"'{item.value}' in '{key}' is not a slug (lowercase letters, digits and hyphens)")
    return tuple(str(v) for v in located.value)


def _check_reference(reference: Reference, course_folder: Path) -> tuple[str | None, str | None]:
    """Why a link or image target will not work on the site (or None), and the asset it uses if any."""
    kind = reference.kind
    if kind == "image" and (reference.alt is None or not reference.alt.strip()):
        return (
            "image without alt text: describe it for readers who cannot see it, "
            "like ![Graph of rising CO₂](assets/co2.png)"
        ), None
    url = reference.url.strip()
    if not url:
        return f"{kind} without a target", None
    scheme = _SCHEME_RE.match(url)
    if scheme is not None:
        if scheme.group(1).lower() not in LINK_SCHEMES:
            return f"{kind} uses '{scheme.group(1)}:'; only http, https and mailto links are allowed", None
        if kind == "image":
            return "images must be files in the course's assets folder, not web addresses", None
        return None, None
    if url.startswith("#"):
        return None, None
    if url.startswith("/"):
        return ("images must be files in the course's assets folder" if kind == "image" else None), None
    target = posixpath.normpath(unquote(url.split("#", 1)[0].split("?", 1)[0]))
    if target == ".." or target.startswith("../") or target.startswith("/"):
        return f"{kind} to '{url}' points outside the course folder", None
    if not _file_exists_exactly(course_folder, target):
        return f"broken {kind}: no file '{target}' in the course folder (names are case-sensitive)", None
    if target.startswith(ASSETS_FOLDER + "/"):
        return None, target
    if kind == "link" and MODULE_FILE_RE.match(target):
        return None, None
    return f"{kind} to '{target}': images and files must be in the assets folder", None


def _file_exists_exactly(folder: Path, relative: str) -> bool:
    """Like Path.is_file, but case-sensitive on macOS and Windows too, where the site's server is not."""
    current = folder
    for part in relative.split("/"):
        if part in ("", "."):
            continue
        if not current.is_dir() or part not in {p.name for p in current.iterdir()}:
            return False
        current = current / part
    return current.is_file()


# --- modules checked together -----------------------------------------------------------------------


def _check_modules_together(files: list[_ModuleFile]) -> list[Problem]:
    problems: list[Problem] = []

    def report(module_file: _ModuleFile, line: int, message: str, severity: str = "error") -> None:
        problems.append(Problem(str(module_file.path), line, message, severity))

    by_slug: dict[str, list[_ModuleFile]] = defaultdict(list)
    by_order: dict[tuple[int, str], list[_ModuleFile]] = defaultdict(list)
    for module_file in files:
        by_slug[module_file.slug].append(module_file)
        by_order[module_file.rank].append(module_file)
    for module_file in files:
        clashes = [f.name for f in by_slug[module_file.slug] if f.rank != module_file.rank]
        if clashes:
            report(
                module_file,
                1,
                f"duplicate module slug '{module_file.slug}': also used by {', '.join(clashes)}",
            )
        clashes = [f.name for f in by_order[module_file.rank] if f.slug != module_file.slug]
        if clashes:
            report(
                module_file,
                1,
                f"duplicate order number {module_file.number}: also used by {', '.join(clashes)}",
            )

    versions: dict[tuple[str, str], dict[str, _ModuleFile]] = defaultdict(dict)
    for module_file in files:
        versions[(module_file.number, module_file.slug)][module_file.lang] = module_file
    for (number, slug), by_lang in versions.items():
        for lang in LANGUAGES:
            if lang not in by_lang:
                for module_file in by_lang.values():
                    report(
                        module_file,
                        1,
                        f"no {LANGUAGE_NAMES[lang]} version of this module ({number}-{slug}.{lang}.md)",
                        "warning",
                    )
        if "en" in by_lang and "ko" in by_lang:
            _compare_versions(by_lang["en"], by_lang["ko"], report)

    slugs = set(by_slug)
    for module_file in files:
        for item in module_file.values("prerequisites"):
            if item.value == module_file.slug:
                report(module_file, item.line, "a module cannot be its own prerequisite")
            elif isinstance(item.value, str) and SLUG_RE.match(item.value) and item.value not in slugs:
                report(module_file, item.line, f"prerequisite '{item.value}' is not a module of this course")
    problems.extend(_prerequisite_cycles(files, slugs))

    claimed: dict[str, set[str]] = defaultdict(set)
    for module_file in files:
        for item in module_file.values("formerly"):
            if isinstance(item.value, str):
                claimed[item.value].add(module_file.slug)
    for module_file in files:
        for item in module_file.values("formerly"):
            if item.value in slugs:
                report(module_file, item.line, f"'{item.value}' in 'formerly' is the slug of a current module")
            elif isinstance(item.value, str) and len(claimed[item.value]) > 1:
                others = sorted(claimed[item.value] - {module_file.slug})
                report(
                    module_file,
                    item.line,
                    f"'{item.value}' in 'formerly' is also claimed by module {', '.join(others)}",
                )
    return problems


def _compare_versions(english: _ModuleFile, korean: _ModuleFile, report: Callable[..., None]) -> None:
    """The language versions are one module: order, prerequisites and old slugs must agree."""
    for key, severity in (
        ("prerequisites", "error"),
        ("formerly", "error"),
        ("minutes", "warning"),
        ("principles", "warning"),
        ("quiz", "warning"),
    ):
        en_value = english.fields[key].value if key in english.fields else None
        ko_value = korean.fields[key].value if key in korean.fields else None
        if en_value != ko_value and english.fields and korean.fields:
            line = korean.fields[key].line if key in korean.fields else 1
            report(korean, line, f"'{key}' differs from the English version ({english.name})", severity)


def _prerequisite_cycles(files: list[_ModuleFile], slugs: set[str]) -> list[Problem]:
    """Modules that are each other's prerequisites could never be started."""
    graph: dict[str, list[str]] = {}
    lines: dict[str, tuple[_ModuleFile, int]] = {}
    for module_file in sorted(files, key=lambda f: f.lang != "en"):  # English decides when both exist
        if module_file.slug in graph or "prerequisites" not in module_file.fields:
            continue
        graph[module_file.slug] = [
            item.value
            for item in module_file.values("prerequisites")
            if item.value in slugs and item.value != module_file.slug
        ]
        lines[module_file.slug] = (module_file, module_file.fields["prerequisites"].line)
    problems: list[Problem] = []
    reported: set[frozenset[str]] = set()

    def visit(slug: str, trail: list[str]) -> None:
        if slug in trail:
            cycle = trail[trail.index(slug) :]
            if frozenset(cycle) not in reported:
                reported.add(frozenset(cycle))
                module_file, line = lines[cycle[0]]
                path = " → ".join([*cycle, slug])
                problems.append(Problem(str(module_file.path), line, f"prerequisites form a cycle: {path}"))
            return
        for next_slug in graph.get(slug, []):
            visit(next_slug, [*trail, slug])

    for slug in sorted(graph):
        visit(slug, [])
    return problems


# --- small helpers ----------------------------------------------------------------------------------


def _read_text(path: Path, raw: bytes | None = None) -> tuple[str | None, list[Problem]]:
    data = raw if raw is not None else path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(str(path), line, "not UTF-8 text: save the file with the UTF-8 encoding")]
    return text.replace("\r\n", "\n"), []


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


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
