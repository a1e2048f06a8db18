"""Where each student stands on each assignment: the state of one cell, the class gradebook, a student's own work."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from statistics import fmean as mean  # floats: statistics.mean on floats goes through Fractions

from sqlalchemy import Integer, Row, case, func, literal_column, or_, select, union_all

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
# Students per gradebook page: the largest school class (60) fits on one; a 1,000-student lecture course gets pages
# with the class totals over everyone, and the CSV export has every student.
PAGE_SIZE = 60
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
    item_completed: list[int] = field(default_factory=list)  # over the whole class, not only this page
    item_average: list[float | None] = field(default_factory=list)
    total_students: int = 0
    page: int = 1
    pages: int = 1
    first_number: int = 1  # the place of rows[0] in the whole class's order, counted from 1

    # The names the shared pagination macro reads (as on Flask-SQLAlchemy's pages).
    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def for_class(school_class: SchoolClass, lang: str, *, sort: str = "name", page: int | None = 1,
              per_page: int = PAGE_SIZE, now: datetime | None = None) -> Gradebook:
    """Students × assigned items with state and best score, one page of students (``page=None``: all of them).

    The same number of queries for any class size, and Python work only for the students shown: the class totals
    and the order by progress are aggregates the database computes from the progress rows."""
    now = now or utcnow()
    assignments = db.session.scalars(assignments_of_class(school_class.id)).all()
    items = items_of(list(assignments), lang)
    enrolled = select(Enrollment.user_id).where(Enrollment.class_id == school_class.id)
    total = db.session.scalar(select(func.count()).select_from(enrolled.subquery()))
    pages = max(1, -(-total // per_page))
    page = None if page is None else min(max(1, page), pages)
    per_item, item_keys = _per_student_item(items, enrolled)
    students_query = (select(User, Enrollment.student_number).join(Enrollment, Enrollment.user_id == User.id)
                      .where(Enrollment.class_id == school_class.id))
    if sort == "progress" and per_item is not None:
        per_student = (select(per_item.c.user_id, func.sum(per_item.c.done * per_item.c.weight).label("completed"),
                              (func.sum(per_item.c.best * per_item.c.weight)
                               / func.sum(case((per_item.c.best.is_not(None), per_item.c.weight)))).label("average"))
                       .group_by(per_item.c.user_id).subquery("per_student"))
        students_query = (students_query.outerjoin(per_student, per_student.c.user_id == User.id)
                          .order_by(func.coalesce(per_student.c.completed, 0).desc(),
                                    func.coalesce(per_student.c.average, 0).desc(), User.name, User.id))
    else:
        students_query = students_query.order_by(User.name, User.id)
    if page is not None:
        students_query = students_query.limit(per_page).offset((page - 1) * per_page)
    students = db.session.execute(students_query).all()
    progress = _progress_map([u.id for u, _n in students], {m for item in items for m in item.module_ids},
                             enrolled=enrolled if page is None else None)
    rows = []
    for student, number in students:
        cells = [cell_for([progress[(student.id, m)] for m in item.module_ids if (student.id, m) in progress],
                          len(item.module_ids), item.assignment.due_at, now) for item in items]
        rows.append(GradebookRow(student, number, cells))
    book = Gradebook(school_class, items, rows, total_students=total, page=page or 1,
                     pages=pages if page is not None else 1,
                     first_number=1 if page is None else (page - 1) * per_page + 1)
    totals = {} if per_item is None else {
        key: (int(done or 0), None if best is None else float(best)) for key, done, best in db.session.execute(
            select(per_item.c.key, func.sum(per_item.c.done), func.avg(per_item.c.best)).group_by(per_item.c.key))}
    for key in item_keys:
        done, best = totals.get(key, (0, None))
        book.item_completed.append(done)
        book.item_average.append(best)
    return book


def _per_student_item(items: list[AssignedItem], enrolled):
    """A subquery with one row per (student, distinct module set, as ``key``) that has progress: ``done`` 1 when
    every module is completed, ``best`` the mean best score (NULL for none), ``weight`` how many items share the
    set; and each item's key. Single modules read the progress rows as they are; each course set is one grouped
    select, so the UNION has 1 + (courses assigned) parts whatever the number of assignments."""
    keys, weights = [], defaultdict(int)
    course_sets: dict[tuple[int, ...], int] = {}
    for item in items:
        if len(item.module_ids) == 1:
            key = item.module_ids[0]
        elif not item.module_ids:
            key = 0  # a course with no modules shown: never completed, no score, no rows
        else:
            key = course_sets.setdefault(tuple(sorted(item.module_ids)), -(len(course_sets) + 1))
        keys.append(key)
        weights[key] += 1
    progress = ModuleProgress.__table__.c
    parts = []
    singles = sorted(k for k in weights if k > 0)
    if singles:
        repeated = [(progress.module_id == k, weights[k]) for k in singles if weights[k] > 1]
        parts.append(select(progress.user_id, progress.module_id.label("key"),
                            case((progress.completed_at.is_not(None), 1), else_=0).label("done"),
                            progress.best_percent.label("best"),
                            (case(*repeated, else_=1) if repeated else literal_column("1", Integer)).label("weight"))
                     .where(progress.user_id.in_(enrolled), progress.module_id.in_(singles)))
    for modules, key in course_sets.items():
        parts.append(select(progress.user_id, literal_column(str(key), Integer).label("key"),
                            case((func.count(progress.completed_at) >= len(modules), 1), else_=0).label("done"),
                            func.avg(progress.best_percent).label("best"),
                            literal_column(str(weights[key]), Integer).label("weight"))
                     .where(progress.user_id.in_(enrolled), progress.module_id.in_(modules))
                     .group_by(progress.user_id))
    if not parts:
        return None, keys
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("per_item"), keys


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
