"""The misconception catalogue of a course: ``courses/<course>/misconceptions.yml``.

Each tag that quizzes put on wrong answers gets a name and a one-line description in each language, the principle
it belongs to, and where the course teaches the correct idea (module and section). Teachers see these names, never
the raw tags. A course without the file is not checked (and teachers see the tag made readable).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

from app.content.located_yaml import Located, load_mapping
from app.content.sources import LANGUAGES, PRINCIPLES
from app.problems import Problem
from app.quizzes.text import TAG_RE

CATALOGUE_FILE = "misconceptions.yml"
ENTRY_KEYS = ("name", "description", "principle", "addressed")
ADDRESSED_KEYS = ("module", "section")


@dataclass(frozen=True)
class Misconception:
    tag: str
    name: dict[str, str]
    description: dict[str, str]
    principle: str
    module: str
    section: str
    line: int


def humanize(tag: str) -> str:
    """A readable stand-in for a tag that has no catalogue entry: 'sun-causes-recent-warming' -> 'Sun causes …'."""
    words = tag.replace("-", " ").strip()
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class Catalogue:
    path: str
    entries: dict[str, Misconception] = field(default_factory=dict)

    def name(self, tag: str, lang: str) -> str:
        entry = self.entries.get(tag)
        if entry is None:
            return humanize(tag)
        return entry.name.get(lang) or entry.name.get("en") or humanize(tag)

    def description(self, tag: str, lang: str) -> str:
        entry = self.entries.get(tag)
        if entry is None:
            return ""
        return entry.description.get(lang) or entry.description.get("en") or ""


EMPTY = Catalogue("")


@dataclass(frozen=True)
class CourseFileFacts:
    """What the catalogue check needs from one module file."""

    path: str
    slug: str
    lang: str
    tags: list[tuple[str, int]]  # (tag, line) for every tag its quiz and check blocks use
    headings: set[str]


def load_catalogue(path: Path) -> tuple[Catalogue | None, list[Problem]]:
    """Read and check the file on its own (keys, languages, principles); None when it cannot be read."""
    display = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(display, 1, f"cannot read the misconception catalogue: {exc}")]
    fields, problems = load_mapping(text, path=display, first_line=1, what=CATALOGUE_FILE)
    if fields is None:
        return None, problems

    def report(line: int, message: str, severity: str = "error") -> None:
        problems.append(Problem(display, line, message, severity))

    entries: dict[str, Misconception] = {}
    for tag, located in fields.items():
        if not TAG_RE.fullmatch(tag):
            report(located.line, f"bad misconception tag {tag!r}: use lowercase words joined by hyphens")
            continue
        entry = located.fields()
        if not entry:
            report(located.line, f"'{tag}' must have name, description, principle and addressed")
            continue
        for key, item in entry.items():
            if key not in ENTRY_KEYS:
                report(item.line, f"unknown key {key!r} in '{tag}' (known: {', '.join(ENTRY_KEYS)})")
        for key in ENTRY_KEYS:
            if key not in entry:
                report(located.line, f"'{tag}' has no {key}")
        name = _texts(entry.get("name"), f"{tag}.name", report)
        description = _texts(entry.get("description"), f"{tag}.description", report)
        principle = entry.get("principle")
        principle_id = ""
        if principle is not None:
            principle_id = str(principle.value)
            if principle_id not in PRINCIPLES:
                report(principle.line, f"'{tag}.principle' must be one of EP1–EP7, GP, AC1–AC8, not {principle_id!r}")
        module, section = "", ""
        addressed = entry.get("addressed")
        if addressed is not None:
            where = addressed.fields()
            if not where:
                report(addressed.line, f"'{tag}.addressed' must give module: (a slug) and section: (a heading)")
            for key, item in where.items():
                if key not in ADDRESSED_KEYS:
                    report(item.line, f"unknown key {key!r} in '{tag}.addressed' (known: module, section)")
                elif not isinstance(item.value, str) or not item.value.strip():
                    report(item.line, f"'{tag}.addressed.{key}' must be text")
            module = str(where["module"].value).strip() if "module" in where else ""
            section = str(where["section"].value).strip() if "section" in where else ""
            if where and not module:
                report(addressed.line, f"'{tag}.addressed' has no module")
        entries[tag] = Misconception(tag, name, description, principle_id, module, section, located.line)
    return Catalogue(display, entries), problems


def _texts(located: Located | None, what: str, report) -> dict[str, str]:
    if located is None:
        return {}
    if not isinstance(located.value, dict):
        report(located.line, f"'{what}' must give one line per language: en: ..., ko: ...")
        return {}
    texts = {}
    for lang, item in located.fields().items():
        if lang not in LANGUAGES:
            report(item.line, f"'{what}' has an unknown language '{lang}' (use: {', '.join(LANGUAGES)})")
        elif not isinstance(item.value, str) or not item.value.strip():
            report(item.line, f"'{what}.{lang}' must be text")
        elif "\n" in item.value.strip():
            report(item.line, f"'{what}.{lang}' must be one line", "warning")
            texts[lang] = " ".join(item.value.split())
        else:
            texts[lang] = item.value.strip()
    for lang in LANGUAGES:
        if lang not in located.value:
            report(located.line, f"'{what}' has no {lang} text (missing language)")
    return texts


def check_catalogue(catalogue: Catalogue, files: list[CourseFileFacts]) -> list[Problem]:
    """Unknown tags (used in a module, missing here), unused entries, and ``addressed`` pointing nowhere."""
    problems: list[Problem] = []
    used: set[str] = set()
    for facts in files:
        for tag, line in facts.tags:
            used.add(tag)
            if tag not in catalogue.entries:
                problems.append(Problem(facts.path, line, f"misconception tag {tag!r} is not in {CATALOGUE_FILE}: "
                                                          "add it there with a name in each language"))
    by_slug: dict[str, list[CourseFileFacts]] = {}
    for facts in files:
        by_slug.setdefault(facts.slug, []).append(facts)
    for tag, entry in catalogue.entries.items():
        if tag not in used:
            problems.append(Problem(catalogue.path, entry.line,
                                    f"'{tag}' is in the catalogue but no quiz uses it", "warning"))
        if not entry.module:
            continue
        versions = by_slug.get(entry.module)
        if not versions:
            problems.append(Problem(catalogue.path, entry.line, f"'{tag}.addressed': no module {entry.module!r} "
                                                               "in this course"))
        elif entry.section and not any(entry.section in v.headings for v in versions):
            problems.append(Problem(catalogue.path, entry.line, f"'{tag}.addressed': {entry.section!r} is not a ## "
                                                               f"or ### heading of {entry.module}"))
    return problems


@functools.lru_cache(maxsize=32)
def _cached(path: str, mtime_ns: int) -> Catalogue:
    catalogue, _problems = load_catalogue(Path(path))
    return catalogue or EMPTY


def catalogue_for(course_folder: Path) -> Catalogue:
    """The course's catalogue for display (re-read when the file changes); empty when there is none."""
    path = course_folder / CATALOGUE_FILE
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return EMPTY
    return _cached(str(path), mtime)
