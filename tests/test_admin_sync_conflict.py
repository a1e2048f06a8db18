"""Files vs browser: `flask courses sync` never overwrites a text published in the browser without --force."""
from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Module, ModuleRevision, ModuleText, Role, User
from app.services import authoring
from app.services.course_sync import sync_courses
from tests.conftest import FIXTURE_COURSES, make_user

BROWSER = "Browser sentence."
FILES = "File sentence."


@pytest.fixture
def courses(tmp_path):
    """A writable copy of the fixture courses, synced."""
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, root)
    return root


@pytest.fixture
def edited_in_browser(app, courses):
    """The sample course synced from ``courses``, then reading (en) published from the browser."""
    admin = make_user(Role.ADMIN)
    with app.app_context():
        sync_courses(courses)
        course = authoring.get_course("sample")
        module = authoring.get_module(course, "reading")
        text = authoring.editor_state(module, "en").text
        authoring.publish(course, module, "en", text.replace("Carbon dioxide keeps rising.", BROWSER),
                          db.session.get(User, admin.id))
    (courses / "sample" / "01-reading.en.md").write_text(
        (courses / "sample" / "01-reading.en.md").read_text(encoding="utf-8")
        .replace("Carbon dioxide keeps rising.", FILES), encoding="utf-8")
    return courses


def _reading(app, lang="en") -> ModuleText:
    with app.app_context():
        return db.session.scalar(select(ModuleText).join(Module).where(Module.slug == "reading",
                                                                       ModuleText.lang == lang))


def test_sync_reports_a_conflict_and_keeps_the_browser_version(app, edited_in_browser):
    with app.app_context():
        report = sync_courses(edited_in_browser)
    assert report.conflicts == ["sample/reading (en): edited in the browser since the last sync; left unchanged"]
    assert BROWSER in _reading(app).source_markdown
    assert "기록 읽기" in _reading(app, "ko").source_markdown  # the rest of the course still syncs


def test_sync_force_keeps_the_browser_version_as_a_revision_then_writes_the_file(app, edited_in_browser):
    with app.app_context():
        report = sync_courses(edited_in_browser, force=True)
        revisions = db.session.scalars(select(ModuleRevision.source_markdown)).all()
    assert report.overwritten == ["sample/reading (en)"] and not report.conflicts
    text = _reading(app)
    assert FILES in text.source_markdown and text.edited_in_browser_at is None
    assert any(BROWSER in source for source in revisions)


def test_the_text_goes_back_to_the_files_once_they_match_the_browser(app, edited_in_browser):
    (edited_in_browser / "sample" / "01-reading.en.md").write_text(_reading(app).source_markdown, encoding="utf-8")
    with app.app_context():
        report = sync_courses(edited_in_browser)
    assert not report.conflicts
    assert _reading(app).edited_in_browser_at is None


def test_a_module_created_in_the_browser_is_not_archived_by_sync(app, courses):
    admin = make_user(Role.ADMIN)
    with app.app_context():
        sync_courses(courses)
        course = authoring.get_course("sample")
        user = db.session.get(User, admin.id)
        module = authoring.create_module(course, "new-one", "New one", user)
        authoring.publish(course, module, "en", authoring.editor_state(module, "en").text, user)
        report = sync_courses(courses)
        assert not db.session.get(Module, module.id).archived
        assert report.conflicts == ["sample/new-one (en): published in the browser, no file; not archived"]
        sync_courses(courses, force=True)
        assert db.session.get(Module, module.id).archived


def test_cli_sync_prints_conflicts_and_force_overwrites(app, edited_in_browser):
    runner = app.test_cli_runner()
    with app.app_context():  # the `flask` command (FlaskGroup) pushes one; app.cli alone does not
        result = runner.invoke(args=["courses", "sync", str(edited_in_browser)])
    assert result.exit_code == 0
    assert "conflict: sample/reading (en): edited in the browser" in result.output
    assert "1 conflict(s)" in result.output
    assert BROWSER in _reading(app).source_markdown

    with app.app_context():
        result = runner.invoke(args=["courses", "sync", str(edited_in_browser), "--force"])
    assert result.exit_code == 0
    assert "0 conflict(s), 1 browser edit(s) overwritten" in result.output
    assert FILES in _reading(app).source_markdown
