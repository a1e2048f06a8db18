"""The authors' and admins' commands, run as a user runs them."""
from __future__ import annotations

import shutil

from sqlalchemy import func, select

from app.extensions import db
from app.models import ModuleText, Role, User
from tests.conftest import FIXTURE_COURSES

BROKEN = FIXTURE_COURSES.parent.parent / "content" / "fixtures" / "broken"
GIFT = FIXTURE_COURSES.parent.parent / "quizzes" / "fixtures" / "moodle-docs.gift"


def test_lint_prints_file_and_line_and_fails_on_errors(app):
    result = app.test_cli_runner().invoke(args=["courses", "lint", str(BROKEN)])
    assert result.exit_code == 1
    assert "bad-yaml/course.yml:2: invalid YAML" in result.output
    clean = app.test_cli_runner().invoke(args=["courses", "lint", str(FIXTURE_COURSES)])
    assert clean.exit_code == 0 and "0 error(s)" in clean.output


def test_shipped_courses_lint_clean(app):
    result = app.test_cli_runner().invoke(args=["courses", "lint"])
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_sync_refuses_a_broken_tree_and_changes_nothing(app, tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, root)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["courses", "sync", str(root)]).exit_code == 0
    module = root / "sample" / "01-reading.en.md"
    module.write_text(module.read_text().replace("minutes: 15", "minutes: fifteen"))
    result = runner.invoke(args=["courses", "sync", str(root)])
    assert result.exit_code == 1
    assert "01-reading.en.md:" in result.output and "database is unchanged" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ModuleText)) == 4
        assert db.session.scalar(select(ModuleText.minutes).where(ModuleText.title == "Reading the record")) == 15


def test_import_gift_prints_our_syntax_and_reports_what_it_cannot_convert(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["quiz", "import-gift", str(GIFT)])
    assert "### " in result.output and "- (x)" in result.output
    assert "not converted" in result.output or "skipped" in result.output.lower()
    assert result.exit_code == 1  # the Moodle examples include an essay question, which cannot be converted


def test_import_gift_into_a_module_file(app, tmp_path):
    gift = tmp_path / "q.gift"
    gift.write_text("::capital::Seoul is the capital of Korea.{T}\n", encoding="utf-8")
    module = tmp_path / "01-x.en.md"
    module.write_text("---\ntitle: X\n---\n\nBody.\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["quiz", "import-gift", str(gift), "--into", str(module)])
    assert result.exit_code == 0, result.output
    text = module.read_text(encoding="utf-8")
    assert text.count("<!-- quiz -->") == 1 and "answer: true" in text and "Body." in text


def test_create_admin_and_seed_demo_are_idempotent(app):
    runner = app.test_cli_runner()
    assert "created" in runner.invoke(args=["create-admin", "head@school.example"]).output
    assert "now an admin" in runner.invoke(args=["create-admin", "head@school.example"]).output
    runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert second.output.count("(exists)") == 4
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 5
        assert db.session.scalar(select(func.count()).where(User.role == Role.ADMIN)) == 2
        # the demo teacher gets one class with both demo students, however often seed-demo runs
        from app.models import Enrollment, SchoolClass

        assert db.session.scalar(select(func.count()).select_from(SchoolClass)) == 1
        assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 2
