"""One module file (``NN-slug.lang.md``): front matter, body, blocks, links and quiz, each checked with its line.

:func:`parse_module_file` gives a :class:`ModuleFile`, which holds what the checks across a course's modules need
(app/content/course_checks.py) and, when the file has no error, its :class:`ModuleSource`. With ``light=True`` it
reads only that (front matter, headings, misconception tags, quiz questions): a preview checks one text fully and
reads the others of the course for the checks across modules only.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from app.content.charts import parse_chart_spec
from app.content.datasets import DatasetStore
from app.content.field_checks import Report, check_keys, is_int, principles_of, read_text
from app.content.located_yaml import Located, load_mapping
from app.content.render import RENDERER_VERSION, section_problem
from app.content.scan import (
    QUIZ_MARKER,
    Fence,
    Reference,
    find_fences,
    find_quiz_form_markers,
    find_quiz_markers,
    find_references,
    unclosed_chart_fences,
)
from app.content.scenario_block import parse_scenario_spec
from app.content.sources import MODULE_FILE_RE, SLUG_RE, ModuleSource
from app.problems import Problem
from app.quizzes import Question
from app.quizzes.deferred import ParsedQuiz, parse_quiz_once

MODULE_KEYS = ("title", "summary", "minutes", "objectives", "principles", "prerequisites", "formerly", "quiz")
MODULE_REQUIRED = ("title", "summary", "minutes", "objectives", "principles")
ASSETS_FOLDER = "assets"
LINK_SCHEMES = ("http", "https", "mailto")

_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_H1_RE = re.compile(r"^#(?!#)\s*\S")


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
class ModuleFile:
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

@dataclass
class _Sections:
    """A module file's text after the front matter, cut into body and quiz (lists of lines)."""

    content: list[str]
    first: int  # file line of content[0]
    fences: list[Fence]
    body: list[str]
    quiz: list[str] | None
    quiz_first: int


def parse_module_file(
    path: Path, course_slug: str, match: re.Match[str], datasets: DatasetStore, *, light: bool = False
) -> tuple[ModuleFile, list[Problem]]:
    """Read and check one module file; ``light``: read only what the checks across modules need."""
    module_file = ModuleFile(path, int(match["order"]), match["slug"], match["lang"], step=match["step"])
    raw = path.read_bytes()
    text, problems = read_text(path, raw)
    if text is None:
        return module_file, problems
    display = str(path)

    def report(line: int, message: str, severity: str = "error") -> None:
        problems.append(Problem(display, line, message, severity))

    lines = text.split("\n")
    closing = _front_matter_end(lines, report)
    if closing is None:
        return module_file, problems
    fields, yaml_problems = load_mapping(
        "\n".join(lines[1:closing]), path=display, first_line=2, what="the front matter"
    )
    problems.extend(yaml_problems)
    meta = module_meta(fields, report) if fields is not None else None
    module_file.fields = fields or {}
    sections = _sections(lines[closing + 1 :], closing + 2, report)
    module_file.headings = _section_headings(sections.body, sections.fences)
    if not light:
        _warn_top_level_headings(sections, report)
    _parse_blocks(module_file, sections, datasets, problems, light=light)
    if not light:
        _check_references(module_file, sections, report)
    settings, settings_line = _quiz_settings(module_file, report)
    _parse_quiz_section(module_file, sections, settings, settings_line, problems, report)
    if not light and meta is not None and not any(p.is_error for p in problems):
        module_file.module = _module_source(module_file, course_slug, meta, sections, settings, settings_line,
                                            source_hash(raw, module_file.datasets, datasets, module_file.assets,
                                                        path.parent))
    return module_file, problems


def _front_matter_end(lines: list[str], report: Report) -> int | None:
    """The index of the line closing the front matter, or None (reported)."""
    if not lines or lines[0].rstrip() != "---":
        report(1, "a module file starts with front matter: a line '---', the keys, and another '---'")
        return None
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if closing is None:
        report(1, "the front matter is not closed: add a line '---' after the keys")
    return closing


def _sections(content: list[str], content_first: int, report: Report) -> _Sections:
    """Cut the content at the quiz marker (or the first parallel-form marker); report extra markers."""
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
    return _Sections(content, content_first, fences, body, quiz, quiz_first)


def _warn_top_level_headings(sections: _Sections, report: Report) -> None:
    for index, line in enumerate(sections.body):
        if _H1_RE.match(line) and not any(f.start <= index <= f.end for f in sections.fences):
            report(
                sections.first + index,
                "use '##' for sections: the title from the front matter is the page's only top-level heading",
                "warning",
            )


def _parse_blocks(module_file: ModuleFile, sections: _Sections, datasets: DatasetStore, problems: list[Problem],
                  *, light: bool) -> None:
    """Parse every ```check, ```scenario and ```chart block once, keeping the results for the renderer."""
    display = str(module_file.path)
    content = sections.content
    for fence in sections.fences:
        block_line = sections.first + fence.start + 1
        block = "\n".join(content[fence.start + 1 : fence.end])
        if fence.is_check:  # read even when light: its misconception tags count for the catalogue
            check_quiz, check_problems = parse_quiz_once(block, path=display, first_line=block_line, settings=None,
                                                         settings_line=block_line - 1, allow_forms=False)
            problems.extend(check_problems)
            if check_quiz is not None:
                module_file.parsed_blocks[block] = None if block in module_file.parsed_blocks else check_quiz
                module_file.tags += [(t, q.line) for q in check_quiz.quiz.questions for t in q.misconception_tags]
        elif light:
            continue
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
    if light:
        return
    for index in unclosed_chart_fences(content, sections.fences):
        problems.append(Problem(display, sections.first + index,
                                "this chart block is not closed: end it with a line of ``` like its first"))


def _check_references(module_file: ModuleFile, sections: _Sections, report: Report) -> None:
    for reference in find_references(sections.content, sections.first):
        message, asset = _check_reference(reference, module_file.path.parent)
        if message:
            report(reference.line, message)
        elif asset is not None:
            module_file.assets.add(asset)


def _quiz_settings(module_file: ModuleFile, report: Report) -> tuple[Any, int]:
    """The front matter's ``quiz:`` settings (None when absent or not a mapping) and their line."""
    settings_field = module_file.fields.get("quiz")
    settings = settings_field.value if settings_field is not None else None
    settings_line = settings_field.line if settings_field is not None else 1
    if settings is not None and not isinstance(settings, dict):
        report(settings_line, "'quiz' must be a list of settings like 'pass_mark: 70', or left out")
        settings = None
    return settings, settings_line


def _parse_quiz_section(module_file: ModuleFile, sections: _Sections, settings: Any, settings_line: int,
                        problems: list[Problem], report: Report) -> None:
    if sections.quiz is None:
        if "quiz" in module_file.fields:
            report(settings_line, f"'quiz' settings, but no quiz: the quiz starts after a line '{QUIZ_MARKER}'",
                   "warning")
        return
    parsed_quiz, quiz_problems = parse_quiz_once(
        "\n".join(sections.quiz),
        path=str(module_file.path),
        first_line=sections.quiz_first,
        settings=settings,
        settings_line=settings_line,
    )
    problems.extend(quiz_problems)
    module_file.parsed_quiz = parsed_quiz
    if parsed_quiz is None:
        return
    module_file.questions = parsed_quiz.quiz.questions
    module_file.tags += [(t, q.line) for q in parsed_quiz.quiz.questions for t in q.misconception_tags]
    for question in parsed_quiz.quiz.questions:
        if question.section and question.section not in module_file.headings:
            report(question.line, section_problem(question.section))


def _module_source(module_file: ModuleFile, course_slug: str, meta: dict[str, Any], sections: _Sections,
                   settings: Any, settings_line: int, digest: str) -> ModuleSource:
    return ModuleSource(
        course_slug=course_slug,
        slug=module_file.slug,
        order=module_file.order,
        step=module_file.step,
        lang=module_file.lang,
        path=str(module_file.path),
        title=meta["title"],
        summary=meta["summary"],
        minutes=meta["minutes"],
        objectives=meta["objectives"],
        principles=meta["principles"],
        prerequisites=meta["prerequisites"],
        formerly=meta["formerly"],
        quiz_settings=settings,
        quiz_settings_line=settings_line,
        body_markdown="\n".join(sections.body),
        body_first_line=sections.first,
        quiz_markdown="\n".join(sections.quiz) if sections.quiz is not None else None,
        quiz_first_line=sections.quiz_first,
        datasets=tuple(sorted(module_file.datasets)),
        assets=tuple(sorted(module_file.assets)),
        source_hash=digest,
        parsed_blocks=dict(module_file.parsed_blocks),
        parsed_quiz=module_file.parsed_quiz,
    )


def module_meta(fields: dict[str, Located], report: Report) -> dict[str, Any]:
    """Check the front matter keys and return their values (only trusted when nothing was reported)."""
    check_keys(fields, MODULE_KEYS, MODULE_REQUIRED, "front-matter key", 1, report)
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
        if not is_int(minutes.value) or minutes.value <= 0:
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
        meta["principles"] = principles_of(fields["principles"], report)
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
