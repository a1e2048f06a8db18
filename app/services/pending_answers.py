"""Quiz answers posted after the session ended, kept server-side until the student has logged in again.

A row keyed by a random id (the id travels in the login redirect's ``next`` link), with an expiry; never the
session cookie, which could not hold long answers (browsers drop cookies over 4 KB) and which a cross-site form
posting here could otherwise replace, logging the student out.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import delete, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import AttemptStatus, PendingAnswers, QuizAttempt
from app.models.base import utcnow
from app.plain_text import CONTROL_CHARACTERS
from app.quizzes import Quiz, field_names


def keep(public_id: str, form: MultiDict, max_age: int) -> str | None:
    """Keep the quiz fields of ``form`` for the open attempt ``public_id``; the key to take them back, or None.

    One kept set per attempt (a newer post replaces it) and expired rows are swept here, so the table stays small.
    """
    attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.public_id == public_id,
                                                          QuizAttempt.status == AttemptStatus.IN_PROGRESS))
    if attempt is None:
        return None
    names = tuple(field_names(Quiz.from_dict(attempt.quiz_snapshot)).values())
    # Control characters go: PostgreSQL refuses NUL in text, and the quiz form would refuse them on the way back.
    answers = [[key, CONTROL_CHARACTERS.sub("", value)] for key, value in form.items(multi=True)
               if key in names or key.startswith(tuple(name + "-" for name in names))]
    now = utcnow()
    db.session.execute(delete(PendingAnswers).where(
        (PendingAnswers.expires_at < now) | (PendingAnswers.attempt_id == attempt.id)))
    key = secrets.token_urlsafe(32)
    db.session.add(PendingAnswers(id=key, attempt_id=attempt.id, answers=answers, created_at=now,
                                  expires_at=now + timedelta(seconds=max_age)))
    db.session.commit()
    return key


def take(attempt_id: int, key: str | None) -> MultiDict | None:
    """The answers kept under ``key`` for this attempt, once; None if there are none, they expired or are another's."""
    if not key:
        return None
    row = db.session.scalar(select(PendingAnswers).where(
        PendingAnswers.id == key, PendingAnswers.attempt_id == attempt_id, PendingAnswers.expires_at > utcnow()))
    if row is None:
        return None
    db.session.delete(row)
    db.session.commit()
    return MultiDict([(name, value) for name, value in row.answers])
