"""The class report of a pre/post pair: gain, per-student change, misconceptions before and after, item statistics.

A fixed number of queries whatever the class size; the arithmetic is in app.quizzes.statistics.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import defer

from app.content.misconceptions import Catalogue, catalogue_for
from app.extensions import db
from app.models import (
    Assignment,
    AttemptAnswer,
    AttemptStatus,
    Course,
    Enrollment,
    Module,
    ModuleText,
    QuizAttempt,
    User,
)
from app.quizzes import Question, Quiz
from app.quizzes.statistics import (
    GainSummary,
    PrePost,
    Prevalence,
    Sitting,
    discrimination,
    facility,
    misconception_prevalence,
    summarize_gain,
    top_answers,
)
from app.services.assessment import split_of
from app.services.learning import texts_for

SITTINGS = ("pre", "post")


@dataclass(frozen=True)
class StudentRow:
    student: User
    pre_form: str
    post_form: str
    pre: float | None
    post: float | None
    change: float | None  # Marx & Cummings c, when both tests exist and c is defined


@dataclass(frozen=True)
class MisconceptionRow:
    tag: str
    name: str
    description: str
    section: str  # where the course addresses it ("module: section"), from the catalogue
    prevalence: Prevalence


@dataclass
class AnswerCount:
    label: str
    count: int
    correct: bool | None  # None when the answer is neither simply right nor wrong (partial)


@dataclass
class ItemRow:
    question: Question  # in the teacher's language when the module has it
    form: str
    sitting: str
    answered: int
    facility: float | None
    discrimination: float | None
    answers: list[AnswerCount] = field(default_factory=list)
    misconceptions: list[str] = field(default_factory=list)  # names


@dataclass(frozen=True)
class PrePostReport:
    assignment: Assignment
    module: Module
    course: Course
    students: list[StudentRow]
    gain: GainSummary
    misconceptions: list[MisconceptionRow]
    items: list[ItemRow]
    forms: list[str]
    pre_count: int
    post_count: int


def _first_per_student(attempts: list[QuizAttempt], sitting: str) -> dict[int, QuizAttempt]:
    chosen: dict[int, QuizAttempt] = {}
    for attempt in attempts:  # ordered by submission time
        if attempt.sitting == sitting and attempt.user_id not in chosen:
            chosen[attempt.user_id] = attempt
    return chosen


def _catalogue(texts: list[ModuleText], course: Course) -> Catalogue:
    for text in texts:
        if text.source_path:
            return catalogue_for(Path(text.source_path).parent)
    return catalogue_for(Path(current_app.config["COURSES_PATH"]) / course.slug)


def _teacher_questions(texts: list[ModuleText], lang: str) -> dict[str, Question]:
    """Question id -> the question in ``lang`` (else English), from the module as it is now."""
    rank = {lang: 0, "en": 1}
    ordered = sorted((t for t in texts if t.quiz), key=lambda t: rank.get(t.lang, 2), reverse=True)
    questions: dict[str, Question] = {}
    for text in ordered:  # the preferred language last, so it wins
        questions.update({q.id: q for q in Quiz.from_dict(text.quiz).questions})
    return questions


def _answer_counts(question: Question, rows: list[AttemptAnswer]) -> list[AnswerCount]:
    """How often each answer was given: every choice of a choice question, else the most common answers."""
    if question.type in ("single", "multiple"):
        counts: Counter[str] = Counter()
        for row in rows:
            picked = row.response if isinstance(row.response, list) else [row.response]
            counts.update(p for p in picked if isinstance(p, str))
        return [AnswerCount(c.text, counts.get(c.id, 0), c.correct) for c in question.choices]
    if question.type == "true_false":
        given = Counter(r.response_text for r in rows if r.response_text in ("True", "False"))
        right = "True" if question.answer else "False"
        return [AnswerCount(label, given.get(label, 0), label == right) for label in ("True", "False")]
    status = {}
    for row in rows:
        if row.response_text:
            status.setdefault(row.response_text.strip(), row.status)
    common = top_answers(r.response_text for r in rows)
    return [AnswerCount(text, n, {"correct": True, "incorrect": False}.get(status.get(text, ""))) for text, n in common]


def class_report(assignment: Assignment, lang: str) -> PrePostReport:
    """Everything on the pre/post report page and in its CSV."""
    module, course = db.session.execute(select(Module, Course).join(Course, Course.id == Module.course_id)
                                        .where(Module.id == assignment.module_id)).one()
    students = db.session.scalars(select(User).join(Enrollment, Enrollment.user_id == User.id)
                                  .where(Enrollment.class_id == assignment.class_id)
                                  .order_by(User.name, User.id)).all()
    # The shuffle orders stay unread (the report needs snapshots, for misconceptions per sitting, but not orders).
    attempts = db.session.scalars(select(QuizAttempt).options(
        defer(QuizAttempt.question_order), defer(QuizAttempt.choice_orders)).where(
        QuizAttempt.assignment_id == assignment.id, QuizAttempt.status == AttemptStatus.SUBMITTED,
        QuizAttempt.sitting.is_not(None)).order_by(QuizAttempt.submitted_at, QuizAttempt.id)).all()
    answers: dict[int, dict[str, AttemptAnswer]] = defaultdict(dict)
    if attempts:
        for answer in db.session.scalars(select(AttemptAnswer).where(
                AttemptAnswer.attempt_id.in_([a.id for a in attempts]))):
            answers[answer.attempt_id][answer.question_id] = answer
    texts = list(db.session.scalars(select(ModuleText).where(ModuleText.module_id == module.id)))
    split = split_of(assignment)
    catalogue = _catalogue(texts, course)
    current = _teacher_questions(texts, lang)
    forms = sorted({a.form for a in attempts if a.form} | {f for pair in split.values() for f in pair})

    enrolled = {s.id for s in students}
    pre = {u: a for u, a in _first_per_student(attempts, "pre").items() if u in enrolled}
    post = {u: a for u, a in _first_per_student(attempts, "post").items() if u in enrolled}

    rows, pairs, sittings = [], [], []
    for student in students:
        before, after = pre.get(student.id), post.get(student.id)
        pre_form, post_form = split.get(student.id, ("", ""))
        pre_form = before.form if before is not None else pre_form
        post_form = after.form if after is not None else post_form
        change = None
        if before is not None and after is not None:
            pair = PrePost(student.id, before.percent or 0.0, after.percent or 0.0)
            pairs.append(pair)
            change = pair.change
            sittings.append((_sitting(before, answers[before.id].values()),
                             _sitting(after, answers[after.id].values())))
        rows.append(StudentRow(student, pre_form, post_form, before.percent if before else None,
                               after.percent if after else None, change))

    prevalence = misconception_prevalence(sittings)
    titles = _module_titles(course, lang) if prevalence else {}
    misconceptions = []
    for p in prevalence:
        entry = catalogue.entries.get(p.tag)
        where = f"{titles.get(entry.module, entry.module)}: {entry.section}" if entry and entry.module else ""
        misconceptions.append(MisconceptionRow(p.tag, catalogue.name(p.tag, lang), catalogue.description(p.tag, lang),
                                               where, p))

    items = []
    for sitting, chosen in (("pre", pre), ("post", post)):
        by_form: dict[str, list[QuizAttempt]] = defaultdict(list)
        for attempt in chosen.values():
            by_form[attempt.form].append(attempt)
        for form in sorted(by_form):
            group = by_form[form]
            snapshot = Quiz.from_dict(group[-1].quiz_snapshot)
            totals = [a.percent or 0.0 for a in group]
            for question in snapshot.questions:
                shown = current.get(question.id, question)
                rows_q = [answers[a.id].get(question.id) for a in group]
                scores = [(r.score / r.max_score) if r is not None and r.max_score else 0.0 for r in rows_q]
                given = [r for r in rows_q if r is not None]
                items.append(ItemRow(
                    shown, form, sitting, len(given), facility(scores), discrimination(scores, totals),
                    _answer_counts(shown if shown.type == question.type else question, given),
                    [catalogue.name(t, lang) for t in question.misconception_tags]))
    return PrePostReport(assignment, module, course, rows, summarize_gain(pairs), misconceptions, items, forms,
                         len(pre), len(post))


def _module_titles(course: Course, lang: str) -> dict[str, str]:
    """Module slug -> title in ``lang`` (else English), for "taught in" (two queries)."""
    modules = db.session.execute(select(Module.id, Module.slug).where(Module.course_id == course.id)).all()
    texts = texts_for([module_id for module_id, _slug in modules], lang)
    return {slug: texts[module_id].title for module_id, slug in modules if module_id in texts}


def _sitting(attempt: QuizAttempt, rows: Iterable[AttemptAnswer]) -> Sitting:
    quiz = Quiz.from_dict(attempt.quiz_snapshot)
    tested = frozenset(t for q in quiz.questions for t in q.misconception_tags)
    held = frozenset(t for r in rows for t in (r.misconceptions or []))
    return Sitting(tested, held)
