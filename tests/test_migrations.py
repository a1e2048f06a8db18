"""The migrations build exactly the models, and can be undone and redone."""
from __future__ import annotations

from flask_migrate import check, downgrade, upgrade
from sqlalchemy import inspect

from app.extensions import db


def test_downgrade_to_base_then_upgrade_gives_exactly_the_models(app):
    with app.app_context():
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        check()  # raises if autogenerate finds any difference between models and schema
        tables = set(inspect(db.engine).get_table_names())
    assert {table.name for table in db.metadata.sorted_tables} <= tables


def test_school_day_migration_repairs_attempts_left_by_old_races(app, sample_course):
    """Before 0006, clicks at once opened several attempts numbered alike and lost progress counts."""
    from sqlalchemy import JSON, column, func, insert, select, table

    from app.models import AttemptAnswer, Module, ModuleProgress, QuizAttempt
    from app.models.base import utcnow
    from tests.conftest import make_user

    # The tables as they were at 0005: the models' tables would also write columns added by later migrations.
    old_attempts = table("quiz_attempts", *(column(name) for name in (
        "id", "public_id", "user_id", "module_id", "lang", "number", "status", "started_at")),
        *(column(name, JSON) for name in ("quiz_snapshot", "question_order", "choice_orders")))
    old_answers = table("attempt_answers", *(column(name) for name in (
        "attempt_id", "question_id", "position", "response_text", "score", "max_score", "status")),
        *(column(name, JSON) for name in ("response", "misconceptions", "feedback_html")))
    old_progress = table("module_progress", *(column(name) for name in (
        "user_id", "module_id", "attempts", "marked_complete")))
    student = make_user()
    with app.app_context():
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "quiz"))
        # End this read: on PostgreSQL the downgrade's DROP TABLEs wait for any open transaction on the tables
        # they reference (lti_grade_links references modules), and this session's would never end.
        db.session.commit()
        downgrade(revision="0005_inline_checks")
        try:
            common = {"user_id": student.id, "module_id": module_id, "lang": "en", "quiz_snapshot": {},
                      "question_order": [], "choice_orders": {}, "started_at": utcnow()}
            db.session.execute(insert(old_attempts), [
                {**common, "public_id": "a" * 32, "number": 1, "status": "submitted"},
                {**common, "public_id": "b" * 32, "number": 1, "status": "submitted"},
                {**common, "public_id": "c" * 32, "number": 2, "status": "in_progress"},
                {**common, "public_id": "d" * 32, "number": 2, "status": "in_progress"},
            ])
            db.session.execute(insert(old_progress), [
                {"user_id": student.id, "module_id": module_id, "attempts": 1, "marked_complete": False}])
            first_id = db.session.scalar(select(old_attempts.c.id).where(old_attempts.c.public_id == "a" * 32))
            db.session.execute(insert(old_answers), [{
                "attempt_id": first_id, "question_id": "q1", "position": 0, "response": "316",
                "response_text": "316", "score": 1.0, "max_score": 1.0, "status": "correct", "misconceptions": [],
                "feedback_html": ""}])
            db.session.commit()
        finally:
            upgrade()  # whatever happened, the next tests find the whole schema
        # Rebuilding quiz_attempts (SQLite batch mode) must not cascade to its answers.
        kept_answers = db.session.scalar(select(func.count()).select_from(AttemptAnswer))
        rows = db.session.execute(select(QuizAttempt.public_id, QuizAttempt.number, QuizAttempt.status)
                                  .order_by(QuizAttempt.number)).all()
        counted = db.session.scalar(select(ModuleProgress.attempts))
    assert [tuple(r) for r in rows] == [("a" * 32, 1, "submitted"), ("b" * 32, 2, "submitted"),
                                        ("c" * 32, 3, "in_progress")]
    assert counted == 2
    assert kept_answers == 1
