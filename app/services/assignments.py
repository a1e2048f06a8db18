"""Assignments, their states for each student, the class gradebook and the quiz item analysis."""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property
from statistics import fmean as mean  # floats: statistics.mean on floats goes through Fractions

from sqlalchemy import Row, Text, cast, func, or_, select

from app.extensions import db
from app.models import (
    Assignment,
    AttemptAnswer,
    AttemptStatus,
    ClassTeacher,
    Course,
    Enrollment,
    Module,
    ModuleProgress,
    ModuleText,
    QuizAttempt,
    SchoolClass,
    User,
)
from app.models.base import utcnow
from app.quizzes import Quiz
from app.services.assessment import split_class
from app.services.learning import texts_for

DUE_SOON = timedelta(days=3)
DONE_STATES = ("completed", "completed_late")


class AssignmentError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def assign(school_class: SchoolClass, *, module_id: int | None, course_id: int | None, due_at: datetime | None,
           note: str, by: User, prepost: bool = False, crossover: bool = False) -> Assignment:
    """Assign a module or course; a pre/post check (optionally crossover, split at once) is a module with a quiz."""
    if school_class.archived:
        raise AssignmentError("archived")
    if (module_id is None) == (course_id is None):
        raise AssignmentError("pick_one")
    prepost = prepost or crossover
    if prepost:
        if module_id is None:
            raise AssignmentError("prepost_module")
        quiz = db.session.scalar(select(ModuleText.quiz).where(ModuleText.module_id == module_id,
                                                               ModuleText.quiz.is_not(None)).limit(1))
        if quiz is None:
            raise AssignmentError("prepost_no_quiz")
        if crossover and len(Quiz.from_dict(quiz).forms) < 2:
            raise AssignmentError("crossover_forms")
    assignment = Assignment(class_id=school_class.id, module_id=module_id, course_id=course_id, due_at=due_at,
                            note=note.strip(), created_by=by.id, prepost=prepost, crossover=crossover)
    db.session.add(assignment)
    db.session.commit()
    if crossover:
        split_class(assignment, tuple(Quiz.from_dict(quiz).forms[:2]))
    return assignment


def update_assignment(assignment: Assignment, *, due_at: datetime | None, note: str) -> None:
    """Changing the due date or note never touches student work (progress and attempts live elsewhere)."""
    assignment.due_at, assignment.note = due_at, note.strip()
    db.session.commit()


def remove_assignment(assignment: Assignment) -> None:
    db.session.delete(assignment)
    db.session.commit()


def assignment_of(school_class: SchoolClass, assignment_id: int) -> Assignment | None:
    return db.session.scalar(select(Assignment).where(Assignment.id == assignment_id,
                                                      Assignment.class_id == school_class.id))


def assignable_items(lang: str) -> list[tuple[Course, list[tuple[Module, str]]]]:
    """Published courses with their modules' titles, for the assign form (three queries)."""
    courses = db.session.scalars(select(Course).where(Course.archived.is_(False)).order_by(Course.position)).all()
    modules = db.session.scalars(select(Module).where(Module.archived.is_(False),
                                                      Module.course_id.in_([c.id for c in courses]))
                                 .order_by(Module.position)).all() if courses else []
    texts = texts_for([m.id for m in modules], lang)
    by_course: dict[int, list[tuple[Module, str]]] = defaultdict(list)
    for module in modules:
        if module.id in texts:
            by_course[module.course_id].append((module, texts[module.id].title))
    return [(course, by_course[course.id]) for course in courses]


# States ------------------------------------------------------------------------------------------------------

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


@dataclass(frozen=True)
class AssignedItem:
    assignment: Assignment
    title: str
    module_ids: list[int]
    course_slug: str
    module_slug: str | None


def _items(assignments: list[Assignment], lang: str) -> list[AssignedItem]:
    """Titles and module lists of assigned items, in a fixed number of queries (none without assignments)."""
    if not assignments:
        return []
    course_ids = {a.course_id for a in assignments if a.course_id}
    module_ids = {a.module_id for a in assignments if a.module_id}
    course_modules = db.session.scalars(select(Module).where(Module.course_id.in_(course_ids),
                                                             Module.archived.is_(False))).all() if course_ids else []
    modules = {m.id: m for m in db.session.scalars(select(Module).where(Module.id.in_(module_ids)))} \
        if module_ids else {}
    courses = {c.id: c for c in db.session.scalars(
        select(Course).where(Course.id.in_(course_ids | {m.course_id for m in modules.values()})))}
    texts = texts_for(list(modules), lang)
    by_course: dict[int, list[int]] = defaultdict(list)
    for module in course_modules:
        by_course[module.course_id].append(module.id)
    items = []
    for a in assignments:
        if a.module_id:
            module = modules[a.module_id]
            title = texts[module.id].title if module.id in texts else module.slug
            items.append(AssignedItem(a, title, [module.id], courses[module.course_id].slug, module.slug))
        else:
            course = courses[a.course_id]
            items.append(AssignedItem(a, course.in_language("title", lang), by_course[course.id], course.slug, None))
    return items


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


def gradebook(school_class: SchoolClass, lang: str, *, sort: str = "name", now: datetime | None = None) -> Gradebook:
    """Students × assigned items with state and best score; the same number of queries for any class size."""
    now = now or utcnow()
    assignments = db.session.scalars(_assignments_of(school_class.id)).all()
    items = _items(list(assignments), lang)
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
    items = _items([a for _c, a in rows], lang)
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


# Item analysis -----------------------------------------------------------------------------------------------

@dataclass
class ChoiceShare:
    text: str
    share: float
    misconception: str | None


@dataclass
class QuestionAnalysis:
    question_id: str
    title: str
    answered: int
    correct_share: float
    partial_share: float
    wrong_choices: list[ChoiceShare]
    misconceptions: list[tuple[str, float]]
    section: str = ""  # the module section that teaches it, and its anchor on the module page
    section_id: str = ""


def item_analysis(module_id: int, *, class_id: int | None,
                  teacher_id: int | None = None) -> tuple[list[QuestionAnalysis], int]:
    """Per question of a module's quiz: share correct and the share of each wrong answer with its misconception.

    Uses each student's latest submitted attempt, for the students of ``class_id``; without a class, for the
    students of every class ``teacher_id`` teaches (owner or co-teacher), or all students when both are None.
    Sorted by what most students miss. Three queries whatever the class size, and the database does the counting:
    the answers come back grouped by (question, status, response, misconceptions), so the Python work depends on
    how many different answers there are, not on how many students gave them; the question texts come from the
    newest snapshot of each parallel form, not from every attempt's.
    """
    latest = select(func.max(QuizAttempt.id)).where(QuizAttempt.module_id == module_id,
                                                   QuizAttempt.status == AttemptStatus.SUBMITTED)
    if class_id is not None:
        latest = latest.where(QuizAttempt.user_id.in_(select(Enrollment.user_id)
                                                      .where(Enrollment.class_id == class_id)))
    elif teacher_id is not None:
        latest = latest.where(QuizAttempt.user_id.in_(
            select(Enrollment.user_id).join(ClassTeacher, ClassTeacher.class_id == Enrollment.class_id)
            .where(ClassTeacher.user_id == teacher_id)))
    latest = latest.group_by(QuizAttempt.user_id)
    forms = db.session.execute(
        select(QuizAttempt.form, func.max(QuizAttempt.id), func.count()).where(QuizAttempt.id.in_(latest))
        .group_by(QuizAttempt.form)).all()
    students = sum(n for _form, _newest, n in forms)
    if not students:
        return [], 0
    response, tags = cast(AttemptAnswer.response, Text), cast(AttemptAnswer.misconceptions, Text)
    groups = db.session.execute(
        select(AttemptAnswer.question_id, AttemptAnswer.status, response, tags, func.count())
        .where(AttemptAnswer.attempt_id.in_(latest))
        .group_by(AttemptAnswer.question_id, AttemptAnswer.status, response, tags)).all()
    # Labels from the newest snapshot of each form, newest last so it wins.
    questions = {}
    for (snapshot,) in db.session.execute(select(QuizAttempt.quiz_snapshot).where(
            QuizAttempt.id.in_([newest for _form, newest, _n in forms])).order_by(QuizAttempt.id)):
        for question in Quiz.from_dict(snapshot).questions:
            questions[question.id] = question
    answered: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    partial: Counter[str] = Counter()
    picked: dict[str, Counter[str]] = defaultdict(Counter)
    tagged: dict[str, Counter[str]] = defaultdict(Counter)
    for question_id, status, response_json, tags_json, count in groups:
        answered[question_id] += count
        correct[question_id] += count if status == "correct" else 0
        partial[question_id] += count if status == "partial" else 0
        chosen = json.loads(response_json) if response_json else None
        for choice_id in chosen if isinstance(chosen, list) else [chosen]:
            if isinstance(choice_id, str):
                picked[question_id][choice_id] += count
        for tag in set(json.loads(tags_json) if tags_json else []):
            tagged[question_id][tag] += count
    results = []
    for question_id, total in answered.items():
        question = questions.get(question_id)
        choices = {c.id: c for c in question.choices} if question else {}
        wrong = [ChoiceShare(choices[c].text, n / total, choices[c].misconception)
                 for c, n in picked[question_id].most_common() if c in choices and not choices[c].correct]
        results.append(QuestionAnalysis(
            question_id, question.title if question else question_id, total,
            correct[question_id] / total, partial[question_id] / total,
            wrong, [(tag, n / total) for tag, n in tagged[question_id].most_common()],
            question.section if question else "", question.section_id if question else ""))
    results.sort(key=lambda q: (q.correct_share, q.title))
    return results, students


def class_items(class_id: int, lang: str) -> list[AssignedItem]:
    """The class's assignments with their titles, soonest due first (for the class page)."""
    return _items(list(db.session.scalars(_assignments_of(class_id))), lang)


def _assignments_of(class_id: int):
    return (select(Assignment).where(Assignment.class_id == class_id)
            .order_by(Assignment.due_at.is_(None), Assignment.due_at, Assignment.id))


# Pre/post learning gain ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GainRow:
    student: User
    pre: float | None  # first submitted attempt, percent
    post: float | None  # latest submitted attempt, when there are at least two
    attempts: int

    @property
    def gain(self) -> float | None:
        """Hake's normalised gain (post - pre) / (100 - pre): the share of the possible improvement achieved."""
        if self.pre is None or self.post is None or self.pre >= 100:
            return None
        return (self.post - self.pre) / (100 - self.pre)


@dataclass(frozen=True)
class LearningGain:
    rows: list[GainRow]
    mean_pre: float | None  # over students with both a pre and a post attempt
    mean_post: float | None
    class_gain: float | None  # <g> from the class means, as Hake (1998) computes it
    matched: int


def learning_gain(class_id: int, module_id: int) -> LearningGain:
    """Each student's first attempt as the pre-test and their latest as the post-test, with normalised gains.

    Meant for the course's diagnostic quiz assigned before and after the course; works for any quiz. Two queries.
    """
    students = db.session.scalars(select(User).join(Enrollment, Enrollment.user_id == User.id)
                                  .where(Enrollment.class_id == class_id).order_by(User.name, User.id)).all()
    scores: dict[int, list[float]] = defaultdict(list)
    if students:
        for user_id, percent in db.session.execute(
                select(QuizAttempt.user_id, QuizAttempt.percent)
                .where(QuizAttempt.module_id == module_id, QuizAttempt.status == AttemptStatus.SUBMITTED,
                       QuizAttempt.user_id.in_([s.id for s in students]))
                .order_by(QuizAttempt.user_id, QuizAttempt.submitted_at, QuizAttempt.id)):
            scores[user_id].append(percent or 0.0)
    rows = []
    for student in students:
        taken = scores.get(student.id, [])
        rows.append(GainRow(student, taken[0] if taken else None, taken[-1] if len(taken) > 1 else None, len(taken)))
    matched = [r for r in rows if r.pre is not None and r.post is not None]
    if not matched:
        return LearningGain(rows, None, None, None, 0)
    mean_pre, mean_post = mean(r.pre for r in matched), mean(r.post for r in matched)
    class_gain = (mean_post - mean_pre) / (100 - mean_pre) if mean_pre < 100 else None
    return LearningGain(rows, mean_pre, mean_post, class_gain, len(matched))
