"""Shared paths and helpers for the content tests (no conftest, so they run with --noconftest too)."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

from app.content import DatasetStore

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
BROKEN = FIXTURES / "broken"

COURSE_YML = """\
title: {en: "Test course", ko: "시험 강좌"}
summary: {en: "For tests.", ko: "시험용."}
level: school
hours: 1
principles: [EP1]
"""

FRONT_MATTER = """\
---
title: {title}
summary: A module for tests.
minutes: 10
objectives:
  - Learn something.
principles: [EP1]
---
"""


def good_datasets() -> DatasetStore:
    return DatasetStore(GOOD / "_data")


def copy_good(tmp_path: Path) -> Path:
    """A private copy of the good fixture tree, for tests that change files."""
    root = tmp_path / "courses"
    shutil.copytree(GOOD, root)
    return root


def make_course(root: Path, files: dict[str, str], *, slug: str = "test-course", data: bool = True) -> Path:
    """Write a course folder with ``files`` (name -> text, dedented) and a valid course.yml unless given."""
    folder = root / slug
    folder.mkdir(parents=True, exist_ok=True)
    if "course.yml" not in files:
        (folder / "course.yml").write_text(COURSE_YML, encoding="utf-8")
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    if data and not (root / "_data").exists():
        shutil.copytree(GOOD / "_data", root / "_data")
    return folder


def module_text(body: str = "Body.\n", *, title: str = "A module", extra: str = "") -> str:
    """A valid module file: front matter (plus ``extra`` keys) and ``body``."""
    front = FRONT_MATTER.format(title=title)
    if extra:
        front = front[: -len("---\n")] + textwrap.dedent(extra) + "---\n"
    return front + "\n" + textwrap.dedent(body)


def both_languages(name: str, body: str = "Body.\n", **kwargs: str) -> dict[str, str]:
    """The en and ko versions of a module with the same text, so no missing-translation warning."""
    return {f"{name}.en.md": module_text(body, **kwargs), f"{name}.ko.md": module_text(body, **kwargs)}
