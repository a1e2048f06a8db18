"""A text checked in the browser keeps the file names its course has on disk, so links between modules by file name
still resolve (the university course numbers its diagnostic 00 and links to 01-…); a course changed in the browser
is numbered by rank instead."""
from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import Course, Module, ModuleText
from app.services import authoring
from app.services.course_sync import sync_courses

COURSES = Path(__file__).resolve().parent.parent / "courses"
COURSE = "climate-system-science"


def _synced_copy(tmp_path: Path) -> Path:
    root = tmp_path / "courses"
    shutil.copytree(COURSES / COURSE, root / COURSE)
    (root / "_data").symlink_to(COURSES / "_data")
    sync_courses(root)
    return root


def _module(slug: str) -> tuple[Course, Module]:
    course = db.session.scalar(select(Course).where(Course.slug == COURSE))
    return course, db.session.scalar(select(Module).where(Module.course_id == course.id, Module.slug == slug))


def _published(module: Module, lang: str) -> str:
    return db.session.scalar(select(ModuleText.source_markdown).where(ModuleText.module_id == module.id,
                                                                      ModuleText.lang == lang))


def test_the_diagnostic_links_to_the_modules_by_their_file_names_and_checks_clean(app, tmp_path):
    with app.app_context():
        _synced_copy(tmp_path)
        course, diagnostic = _module("diagnostic")
        for lang in ("en", "ko"):
            text = _published(diagnostic, lang)
            assert "(01-radiative-forcing." in text
            check = authoring.check_text(course, diagnostic, lang, text)
            assert check.file_name == f"00-diagnostic.{lang}.md"
            assert check.errors == [], check.errors
            assert check.rendered is not None and "ondo:module/climate-system-science/radiative-forcing" in \
                check.rendered.body_html


def test_a_link_to_a_missing_file_is_still_reported(app, tmp_path):
    with app.app_context():
        _synced_copy(tmp_path)
        course, diagnostic = _module("diagnostic")
        text = _published(diagnostic, "en").replace("(01-radiative-forcing.en.md)", "(01-radiative-forcin.en.md)")
        check = authoring.check_text(course, diagnostic, "en", text)
        assert any("01-radiative-forcin.en.md" in p.message for p in check.errors), check.problems


def test_after_a_reorder_in_the_browser_files_are_numbered_by_rank(app, tmp_path):
    with app.app_context():
        _synced_copy(tmp_path)
        course, diagnostic = _module("diagnostic")
        _, forcing = _module("radiative-forcing")
        diagnostic.position, forcing.position = forcing.position, diagnostic.position
        db.session.commit()
        with authoring.course_workspace(course) as workspace:
            names = sorted(p.name for p in workspace.folder.glob("*.en.md"))
        assert names[:2] == ["01-radiative-forcing.en.md", "02-diagnostic.en.md"]
