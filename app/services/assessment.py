"""Assessment use-cases: which form and sitting an attempt is, the crossover split, and releasing results."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.models import Assignment, AssignmentForm, AttemptStatus, Enrollment, Module, QuizAttempt, SchoolClass
from app.models.base import utcnow
from app.quizzes import Quiz, QuizSettings
from app.quizzes.review import Review, ReviewMoment, review_at

_random = random.SystemRandom()


class SittingDone(Exception):
    """The student already sent this sitting of a pre/post check; the teacher opens the next one."""


def assignment_for(user_id: int, module: Module) -> Assignment | None:
    """The class assignment a student's attempt at ``module`` counts for: a pre/post pair first, then a module
    assignment, then a course assignment; the newest of each."""
    return db.session.scalar(
        select(Assignment).join(Enrollment, Enrollment.class_id == Assignment.class_id)
        .join(SchoolClass, SchoolClass.id == Assignment.class_id)
        .where(Enrollment.user_id == user_id, SchoolClass.archived.is_(False),
               (Assignment.module_id == module.id) | (Assignment.course_id == module.course_id))
        .order_by(Assignment.prepost.desc(), case((Assignment.module_id.is_(None), 1), else_=0),
                  Assignment.created_at.desc(), Assignment.id.desc())
        .limit(1))


@dataclass(frozen=True)
class Placement:
    """Which form of the quiz a new attempt uses and which sitting of a pre/post pair it is."""

    assignment_id: int | None
    form: str  # "" for a quiz with one form
    sitting: str | None  # "pre" | "post" | None


def place_attempt(user_id: int, module: Module, quiz: Quiz) -> Placement:
    """Form and sitting for the student's next attempt. Raises SittingDone if this sitting was already sent."""
    forms = quiz.forms
    assignment = assignment_for(user_id, module)
    if assignment is None or not assignment.prepost:
        return Placement(assignment.id if assignment else None, forms[0] if forms else "", None)
    sitting = "post" if assignment.post_opened_at is not None else "pre"
    sent = db.session.scalar(select(func.count()).where(
        QuizAttempt.user_id == user_id, QuizAttempt.assignment_id == assignment.id,
        QuizAttempt.sitting == sitting, QuizAttempt.status == AttemptStatus.SUBMITTED))
    if sent:
        raise SittingDone()
    if not forms:
        return Placement(assignment.id, "", sitting)
    pre_form, post_form = forms_of(assignment, user_id, forms)
    return Placement(assignment.id, pre_form if sitting == "pre" else post_form, sitting)


def _other(form: str, forms: list[str]) -> str:
    return next((f for f in forms if f != form), form)


def forms_of(assignment: Assignment, user_id: int, forms: list[str]) -> tuple[str, str]:
    """(before, after) forms of one student: drawn once and stored; without crossover A before and B after."""
    first = forms[0]
    if not assignment.crossover or len(forms) < 2:
        return first, _other(first, forms)
    row = db.session.scalar(select(AssignmentForm).where(AssignmentForm.assignment_id == assignment.id,
                                                         AssignmentForm.user_id == user_id))
    if row is None:
        # A student who joined after the split goes to the smaller half (a coin decides a tie).
        counts = dict(db.session.execute(
            select(AssignmentForm.pre_form, func.count()).where(AssignmentForm.assignment_id == assignment.id)
            .group_by(AssignmentForm.pre_form)).all())
        second = _other(first, forms)
        a, b = counts.get(first, 0), counts.get(second, 0)
        pre = first if a < b else second if b < a else _random.choice([first, second])
        _insert_forms(assignment.id, [(user_id, pre, _other(pre, forms))])
        db.session.flush()
        row = db.session.scalar(select(AssignmentForm).where(AssignmentForm.assignment_id == assignment.id,
                                                             AssignmentForm.user_id == user_id))
    return row.pre_form, row.post_form


def _insert_forms(assignment_id: int, rows: list[tuple[int, str, str]]) -> None:
    """Insert split rows, leaving any a concurrent request already stored (the first draw wins)."""
    if not rows:
        return
    insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = [{"assignment_id": assignment_id, "user_id": u, "pre_form": pre, "post_form": post}
              for u, pre, post in rows]
    db.session.execute(insert(AssignmentForm).values(values).on_conflict_do_nothing(
        index_elements=["assignment_id", "user_id"]))


def split_class(assignment: Assignment, forms: tuple[str, str] = ("A", "B")) -> None:
    """Crossover: shuffle the enrolled students who have no forms yet and give half A→B, half B→A.

    Students already placed keep their forms; new ones fill the smaller half first. Commits."""
    placed = dict(db.session.execute(
        select(AssignmentForm.user_id, AssignmentForm.pre_form)
        .where(AssignmentForm.assignment_id == assignment.id)).all())
    students = [u for u in db.session.scalars(select(Enrollment.user_id).where(
        Enrollment.class_id == assignment.class_id).order_by(Enrollment.user_id)) if u not in placed]
    _random.shuffle(students)
    first, second = forms
    a = sum(1 for f in placed.values() if f == first)
    b = len(placed) - a
    rows = []
    for user_id in students:
        pre = first if a <= b else second  # the order is shuffled, so who lands in which half is random
        a, b = (a + 1, b) if pre == first else (a, b + 1)
        rows.append((user_id, pre, second if pre == first else first))
    _insert_forms(assignment.id, rows)
    db.session.commit()


def split_of(assignment: Assignment) -> dict[int, tuple[str, str]]:
    """user id -> (before, after) forms, as stored."""
    return {u: (pre, post) for u, pre, post in db.session.execute(
        select(AssignmentForm.user_id, AssignmentForm.pre_form, AssignmentForm.post_form)
        .where(AssignmentForm.assignment_id == assignment.id))}


def open_post(assignment: Assignment) -> None:
    """Start the second sitting: from now on students take the post-test (their other form)."""
    if assignment.post_opened_at is None:
        assignment.post_opened_at = utcnow()
    db.session.commit()


def release_results(assignment: Assignment, released: bool = True) -> None:
    """Show students what the quiz's review options keep until the teacher releases results (or hide it again)."""
    assignment.results_released_at = utcnow() if released else None
    db.session.commit()


def reviews_for(attempts: list[QuizAttempt], *, settings: dict[int, dict] | None = None) -> dict[int, Review]:
    """attempt id -> what its student may see now (one query for the assignments, none when there are none).
    ``settings``: each attempt's quiz settings by attempt id, when the snapshots were not loaded."""
    ids = {a.assignment_id for a in attempts if a.assignment_id}
    assignments = {a.id: a for a in db.session.scalars(select(Assignment).where(Assignment.id.in_(ids)))} if ids else {}
    return {a.id: review_for(a, QuizSettings.from_dict(settings[a.id] if settings is not None
                                                       else a.quiz_snapshot.get("settings", {})),
                             assignments.get(a.assignment_id)) for a in attempts}


def review_for(attempt: QuizAttempt, settings: QuizSettings, assignment: Assignment | None,
               now: datetime | None = None) -> Review:
    """What the student may see of a submitted attempt now, from the quiz's review options."""
    now = now or utcnow()
    due = assignment.due_at if assignment is not None else None
    moment = ReviewMoment(
        passed=bool(attempt.passed),
        due_passed=due is not None and now >= due,
        released=assignment is not None and assignment.results_released_at is not None,
    )
    return review_at(settings.review_times(), moment)
