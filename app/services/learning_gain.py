"""Pre/post learning gain: each student's first and latest attempt, with Hake's normalised gain."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from statistics import fmean as mean  # floats: statistics.mean on floats goes through Fractions

from sqlalchemy import select

from app.extensions import db
from app.models import (
    AttemptStatus,
    Enrollment,
    QuizAttempt,
    User,
)


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


def for_class(class_id: int, module_id: int) -> LearningGain:
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
