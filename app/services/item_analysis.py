"""Item analysis: per question of a quiz, how a class answered it and which misconceptions its wrong answers show."""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import Text, cast, func, select

from app.extensions import db
from app.models import (
    AttemptAnswer,
    AttemptStatus,
    ClassTeacher,
    Enrollment,
    QuizAttempt,
)
from app.quizzes import Quiz


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


def for_module(module_id: int, *, class_id: int | None,
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
