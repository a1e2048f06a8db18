"""What the course files say, as plain dataclasses: the loader fills them, sync and the renderer read them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("en", "ko")
LANGUAGE_NAMES = {"en": "English", "ko": "Korean"}
LEVELS = ("school", "university", "both")
# 2009 Essential Principles EP1-EP7 and the Guiding Principle; 2024 guide AC1-AC8.
PRINCIPLES = frozenset({*(f"EP{i}" for i in range(1, 8)), "GP", *(f"AC{i}" for i in range(1, 9))})

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# NN-slug or NNx-slug: a letter after the number puts a new module between two others (04b- sorts after 04-
# and before 05-) without renumbering the files after it; the slug, not the number, is the module's identity.
MODULE_FILE_RE = re.compile(
    r"^(?P<order>\d{2})(?P<step>[a-z]?)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.(?P<lang>en|ko)\.md$"
)


@dataclass(frozen=True)
class ModuleSource:
    """One language version of one module, as written in ``NN-slug.lang.md``.

    ``source_hash`` covers the file, the renderer version, the datasets its charts draw and the assets
    it uses, so sync can skip rendering when it is unchanged.
    """

    course_slug: str
    slug: str
    order: int
    lang: str
    path: str
    title: str
    summary: str
    minutes: int
    objectives: tuple[str, ...]
    principles: tuple[str, ...]
    prerequisites: tuple[str, ...]
    formerly: tuple[str, ...]
    quiz_settings: Mapping[str, Any] | None
    quiz_settings_line: int
    body_markdown: str
    body_first_line: int
    quiz_markdown: str | None
    quiz_first_line: int
    datasets: tuple[str, ...]  # names of the datasets its charts use (body and quiz)
    assets: tuple[str, ...]  # course files it shows or links to, like "assets/co2.png"
    source_hash: str
    step: str = ""  # the letter of an NNx- file name: sorts after NN- and before the next number
    # What lint parsed, so rendering does not parse it again: the ```chart, ```scenario and ```check blocks (body
    # and quiz stems) by their text (ChartSpec, ScenarioSpec, app.quizzes.deferred.ParsedQuiz; None for a check
    # written twice, whose lines differ), and the quiz. The renderer uses them only for the very text parsed.
    parsed_blocks: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)
    parsed_quiz: Any = field(default=None, compare=False, repr=False)  # app.quizzes.deferred.ParsedQuiz


@dataclass(frozen=True)
class CourseSource:
    """A course folder: ``course.yml`` and its module files (every language version, in order)."""

    slug: str
    path: str
    title: dict[str, str]
    summary: dict[str, str]
    level: str
    hours: float
    principles: tuple[str, ...]
    order: int | None
    modules: list[ModuleSource] = field(default_factory=list)

    def module_slugs(self) -> list[str]:
        """Slugs in course order, each once."""
        return list(dict.fromkeys(module.slug for module in self.modules))

    def versions(self, slug: str) -> dict[str, ModuleSource]:
        """The language versions of one module, by language."""
        return {module.lang: module for module in self.modules if module.slug == slug}
