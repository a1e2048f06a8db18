"""`flask courses sync` skips what did not change: same files, same pipeline code, same database state."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.models import Course, Module, Role, User
from app.services import authoring
from app.services.course_sync import sync_courses
from tests.conftest import FIXTURE_COURSES, make_user

CURRICULUM = Path(__file__).resolve().parent.parent / "courses"


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, root)
    return root


def test_a_second_sync_of_the_same_files_parses_nothing_and_keeps_the_course_version(app, tmp_path):
    root = _copy(tmp_path)
    with app.app_context():
        first = sync_courses(root)
        version = db.session.scalar(select(Course.version).where(Course.slug == "sample"))
        second = sync_courses(root)
        assert not first.skipped and first.texts_rendered > 0
        assert second.skipped and second.texts_unchanged == first.texts_rendered
        assert "files unchanged since the last sync" in second.summary()
        assert db.session.scalar(select(Course.version).where(Course.slug == "sample")) == version


def test_a_changed_file_or_a_new_one_runs_the_full_sync(app, tmp_path):
    root = _copy(tmp_path)
    with app.app_context():
        sync_courses(root)
        path = root / "sample" / "01-reading.en.md"
        path.write_text(path.read_text(encoding="utf-8").replace("315.98 ppm", "315.97 ppm"), encoding="utf-8")
        changed = sync_courses(root)
        assert not changed.skipped and changed.texts_rendered == 1
        (root / "_data" / "notes.txt").write_text("a file the modules do not use", encoding="utf-8")
        assert not sync_courses(root).skipped  # any file: cheap to hash, and never wrong
        assert sync_courses(root).skipped


def test_a_change_in_the_browser_makes_the_next_sync_run_in_full(app, tmp_path):
    root = _copy(tmp_path)
    admin = make_user(Role.ADMIN)
    with app.app_context():
        sync_courses(root)
        course = db.session.scalar(select(Course).where(Course.slug == "sample"))
        module = db.session.scalar(select(Module).where(Module.slug == "reading"))
        authoring.set_module_archived(course, module, True, db.session.get(User, admin.id))
        report = sync_courses(root)
        assert not report.skipped
        assert db.session.scalar(select(Module.archived).where(Module.slug == "reading")) is False
        assert sync_courses(root).skipped


def test_force_always_runs_the_full_sync(app, tmp_path):
    root = _copy(tmp_path)
    with app.app_context():
        sync_courses(root)
        assert not sync_courses(root, force=True).skipped


def test_no_change_sync_of_the_curriculum_costs_a_small_share_of_a_cold_one(app):
    with app.app_context():
        start = time.perf_counter()
        sync_courses(CURRICULUM)
        cold = time.perf_counter() - start
        start = time.perf_counter()
        assert sync_courses(CURRICULUM).skipped
        again = time.perf_counter() - start
    print(f"\ncurriculum sync: cold {cold:.2f} s, no change {again * 1000:.0f} ms ({100 * again / cold:.1f}%)")
    assert again < cold / 5  # the goal is 5%; a fifth leaves room for a busy machine
