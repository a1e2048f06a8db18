"""Where each student stands on each assignment: the state of one cell, the class gradebook, a student's own work."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from statistics import fmean as mean  # floats: statistics.mean on floats goes through Fractions

from sqlalchemy import Row, or_, select

from app.extensions import db
from app.models import (
    Assignment,
    AttemptAnswer,
    AttemptStatus,
    Enrollment,
    Module,
    ModuleProgress,
    QuizAttempt,
    SchoolClass,
    User,
)
from app.models.base import utcnow
from app.quizzes import Quiz
from app.services.assignments import AssignedItem, assignments_of_class, items_of
from app.services.learning import texts_for

DUE_SOON = timedelta(days=3)
DONE_STATES = ("completed", "completed_late")


@dataclass(frozen=True)
class Cell:
    status: str  # not_started | in_progress | completed | completed_late | overdue
    best: float | None
    due_soon: bool = False


def cell_for(progress_rows: list[ModuleProgress], module_count: int, due_at: datetime | None, now: datetime) -> Cell:
    """The state of one student on one assigned item (a module: one row; a course: its modules' rows)."""
    completed = [p.completed_at for p in progress_rows if p.completed_at is not None]
    scores = [p.best_percent for p in progress_rows if p.best_percent is not None]
    best = mean(scores) if scores else None
    if module_count and len(completed) >= module_count:
        finished = max(completed)
        return Cell("completed_late" if due_at and finished > due_at else "completed", best)
    if due_at and now > due_at:
        return Cell("overdue", best)
    started = any(p.first_visit_at or p.attempts for p in progress_rows)
    soon = bool(due_at and due_at - now <= DUE_SOON)
    return Cell("in_progress" if started else "not_started", best, soon)


def _progress_map(user_ids: list[int], module_ids: set[int], *, enrolled=None) -> dict[tuple[int, int], Row]:
    """Progress rows by (user, module); ``enrolled`` (a subquery of user ids) instead of a thousand-id IN list."""
    if not user_ids or not module_ids:
        return {}
    # Plain rows with the columns cell_for reads: no ORM objects for a thousand students' progress.
    rows = db.session.execute(
        select(ModuleProgress.user_id, ModuleProgress.module_id, ModuleProgress.first_visit_at,
               ModuleProgress.completed_at, ModuleProgress.best_percent, ModuleProgress.attempts)
        .where(ModuleProgress.user_id.in_(enrolled if enrolled is not None else user_ids),
               ModuleProgress.module_id.in_(module_ids)))
    return {(p.user_id, p.module_id): p for p in rows}


@dataclass
class GradebookRow:
    student: User
    student_number: str | None
    cells: list[Cell]

    @property
    def completed(self) -> int:
        return sum(cell.status in DONE_STATES for cell in self.cells)

    @cached_property
    def average(self) -> float | None:
        scores = [cell.best for cell in self.cells if cell.best is not None]
        return mean(scores) if scores else None


@dataclass
class Gradebook:
    school_class: SchoolClass
    items: list[AssignedItem]
    rows: list[GradebookRow]
    item_completed: list[int] = field(default_factory=list)
    item_average: list[float | None] = field(default_factory=list)


def for_class(school_class: SchoolClass, lang: str, *, sort: str = "name", now: datetime | None = None) -> Gradebook:
    """Students × assigned items with state and best score; the same number of queries for any class size."""
    now = now or utcnow()
    assignments = db.session.scalars(assignments_of_class(school_class.id)).all()
    items = items_of(list(assignments), lang)
    students = db.session.execute(
        select(User, Enrollment.student_number).join(Enrollment, Enrollment.user_id == User.id)
        .where(Enrollment.class_id == school_class.id).order_by(User.name, User.id)).all()
    enrolled = select(Enrollment.user_id).where(Enrollment.class_id == school_class.id)
    progress = _progress_map([u.id for u, _n in students], {m for item in items for m in item.module_ids},
                             enrolled=enrolled)
    rows = []
    for student, number in students:
        cells = [cell_for([progress[(student.id, m)] for m in item.module_ids if (student.id, m) in progress],
                          len(item.module_ids), item.assignment.due_at, now) for item in items]
        rows.append(GradebookRow(student, number, cells))
    if sort == "progress":
        rows.sort(key=lambda r: (-r.completed, -(r.average or 0), r.student.name))
    book = Gradebook(school_class, items, rows)
    for index in range(len(items)):
        column = [row.cells[index] for row in rows]
        book.item_completed.append(sum(c.status in DONE_STATES for c in column))
        scores = [c.best for c in column if c.best is not None]
        book.item_average.append(mean(scores) if scores else None)
    return book


@dataclass(frozen=True)
class StudentWork:
    school_class: SchoolClass
    item: AssignedItem
    cell: Cell


def work_for_student(user_id: int, lang: str, now: datetime | None = None) -> list[StudentWork]:
    """The student's assigned work in all their active classes (fixed number of queries)."""
    now = now or utcnow()
    rows = db.session.execute(
        select(SchoolClass, Assignment).join(Enrollment, Enrollment.class_id == SchoolClass.id)
        .join(Assignment, Assignment.class_id == SchoolClass.id)
        .where(Enrollment.user_id == user_id, SchoolClass.archived.is_(False))
        .order_by(SchoolClass.name, Assignment.due_at.is_(None), Assignment.due_at)).all()
    items = items_of([a for _c, a in rows], lang)
    progress = _progress_map([user_id], {m for item in items for m in item.module_ids})
    work = []
    for (school_class, assignment), item in zip(rows, items, strict=True):
        cell = cell_for([progress[(user_id, m)] for m in item.module_ids if (user_id, m) in progress],
                        len(item.module_ids), assignment.due_at, now)
        work.append(StudentWork(school_class, item, cell))
    return work


def student_attempts(user_id: int, lang: str, *, class_id: int) -> list[tuple[QuizAttempt, str, list[AttemptAnswer],
                                                                                 Quiz]]:
    """The submitted attempts of one student, with answers, at modules assigned to ``class_id`` (alone or by
    their course), for that class's teachers, in three queries. A student in two classes is seen by each class
    only for its own work; self-study and the other class's modules stay private (docs/architecture.md)."""
    assigned = (select(Module.id)
                .join(Assignment, or_(Assignment.module_id == Module.id, Assignment.course_id == Module.course_id))
                .where(Assignment.class_id == class_id))
    attempts = db.session.scalars(select(QuizAttempt).where(QuizAttempt.user_id == user_id,
                                                            QuizAttempt.status == AttemptStatus.SUBMITTED,
                                                            QuizAttempt.module_id.in_(assigned))
                                  .order_by(QuizAttempt.submitted_at.desc())).all()
    answers: dict[int, list[AttemptAnswer]] = defaultdict(list)
    if attempts:
        for answer in db.session.scalars(select(AttemptAnswer).where(
                AttemptAnswer.attempt_id.in_([a.id for a in attempts])).order_by(AttemptAnswer.position)):
            answers[answer.attempt_id].append(answer)
    texts = texts_for(list({a.module_id for a in attempts}), lang)
    return [(a, texts[a.module_id].title if a.module_id in texts else "", answers[a.id],
             Quiz.from_dict(a.quiz_snapshot)) for a in attempts]
