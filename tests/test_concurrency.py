"""Writes that race: real threads started together (threading.Barrier) against the test database.

On PostgreSQL (CI's second pass) these are the races of a school day; on SQLite the same threads race through the
select-then-insert and read-modify-write windows too, so every test is meaningful on both backends.
"""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.extensions import db
from app.models import Module, ModuleProgress, QuizAttempt
from app.quizzes import Quiz, correct_response
from app.services import attempts, learning
from tests.conftest import make_user

THREADS = 6


def run_together(app, work, count: int = THREADS) -> list:
    """Run ``work(index)`` in ``count`` threads released at the same moment; results or raised exceptions."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def runner(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                results[index] = work(index)
            except Exception as error:  # noqa: BLE001 - the test reports every failure
                db.session.rollback()
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _module_ids(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(Module.id).order_by(Module.position)))


def _quiz_module_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Module.id).where(Module.slug == "quiz"))


def _errors(results: list) -> list:
    return [r for r in results if isinstance(r, Exception)]


def test_simultaneous_first_visits_to_a_module_all_succeed(app, sample_course):
    modules = _module_ids(app)
    for _round in range(3):
        student = make_user()
        for module_id in modules:
            results = run_together(app, lambda _i, m=module_id, s=student: learning.record_visit(s.id, m, "en"))
            assert _errors(results) == []
        with app.app_context():
            rows = db.session.scalars(select(ModuleProgress).where(ModuleProgress.user_id == student.id)).all()
        assert sorted(r.module_id for r in rows) == sorted(modules)
        assert all(r.first_visit_at is not None and r.last_lang == "en" for r in rows)


def test_three_clicks_on_take_the_quiz_open_one_attempt(app, sample_course):
    module_id = _quiz_module_id(app)
    for _round in range(3):
        student = make_user()

        def start(_i, s=student):
            return attempts.start_or_resume(s.id, db.session.get(Module, module_id), "en").public_id

        results = run_together(app, start)
        assert _errors(results) == []
        assert len(set(results)) == 1, "every click lands on the same attempt"
        with app.app_context():
            numbers = db.session.scalars(select(QuizAttempt.number).where(QuizAttempt.user_id == student.id)).all()
        assert numbers == [1]


def test_concurrent_progress_updates_are_not_lost(app, sample_course):
    module_id = _quiz_module_id(app)
    student = make_user()
    results = run_together(app, lambda i: learning.record_attempt(student.id, module_id, 10.0 * i, i == 2)
                           or db.session.commit())
    assert _errors(results) == []
    with app.app_context():
        row = db.session.scalar(select(ModuleProgress).where(ModuleProgress.user_id == student.id))
    assert row.attempts == THREADS
    assert row.best_percent == 10.0 * (THREADS - 1)
    assert row.completed_at is not None


def _right_answers(attempt: QuizAttempt) -> dict:
    quiz = Quiz.from_dict(attempt.quiz_snapshot)
    return {q.id: correct_response(q) for q in quiz.questions}


def test_attempt_limit_holds_under_concurrent_starts_and_submits(app, sample_course):
    clicks = THREADS
    module_id = _quiz_module_id(app)
    student = make_user()

    def start_and_submit(_i):
        module = db.session.get(Module, module_id)
        try:
            attempt = attempts.start_or_resume(student.id, module, "en")
        except attempts.AttemptsExhausted:
            return "exhausted"
        return attempts.submit(attempt, _right_answers(attempt))

    outcomes = []
    for _round in range(4):  # the sample quiz allows two attempts
        results = run_together(app, start_and_submit, clicks)
        assert _errors(results) == []
        outcomes.append(results)
    with app.app_context():
        rows = db.session.execute(select(QuizAttempt.number, QuizAttempt.status)
                                  .where(QuizAttempt.user_id == student.id).order_by(QuizAttempt.number)).all()
        progress = db.session.scalar(select(ModuleProgress.attempts).where(ModuleProgress.user_id == student.id))
        answers = db.session.scalar(select(func.count()).select_from(QuizAttempt)
                                    .where(QuizAttempt.user_id == student.id, QuizAttempt.status == "submitted"))
    assert [tuple(r) for r in rows] == [(1, "submitted"), (2, "submitted")]
    assert progress == answers == 2
    assert outcomes[-1] == ["exhausted"] * clicks
