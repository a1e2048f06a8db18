"""What students do: progress per module and quiz attempts with their answers."""
from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow


class ModuleProgress(Base):
    """One row per student and module (unique in the schema): visits, completion, best score."""

    __tablename__ = "module_progress"
    __table_args__ = (
        UniqueConstraint("user_id", "module_id"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    first_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_visit_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_lang: Mapped[str | None] = mapped_column(String(8))
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    best_percent: Mapped[float | None] = mapped_column(Float)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    marked_complete: Mapped[bool] = mapped_column(default=False)


class AttemptStatus(StrEnum):
    """A quiz attempt is open until it is submitted; stored as its value (a CHECK constraint keeps it to these)."""

    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class QuizAttempt(Base):
    """One try at a module's quiz. Holds a snapshot of the questions as they were, so edits never change it."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        Index("ix_quiz_attempts_user_module", "user_id", "module_id"),
        CheckConstraint("status IN ('in_progress', 'submitted')", name="status_known"),
        CheckConstraint("sitting IN ('pre', 'post')", name="sitting_known"),
        # Two clicks on "take the quiz" at once cannot open two attempts or give two the same number.
        UniqueConstraint("user_id", "module_id", "number"),
        Index("uq_quiz_attempts_one_open", "user_id", "module_id", unique=True,
              sqlite_where=text("status = 'in_progress'"), postgresql_where=text("status = 'in_progress'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Opaque id used in URLs, so attempt numbers cannot be walked.
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    number: Mapped[int] = mapped_column(Integer)  # 1 for the student's first attempt at this module
    status: Mapped[str] = mapped_column(String(16), default=AttemptStatus.IN_PROGRESS)
    quiz_snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    question_order: Mapped[list[str]] = mapped_column(JSON)
    choice_orders: Mapped[dict[str, list[str]]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column()
    # The class assignment the attempt was made for (its due date and release decide what the student sees).
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id", ondelete="SET NULL"), index=True)
    form: Mapped[str] = mapped_column(String(1), default="", server_default="")  # parallel form, "" if one form
    sitting: Mapped[str | None] = mapped_column(String(4))  # "pre" or "post" for a pre/post pair
    # Answers saved while the attempt is open ([[field name, value], ...] as the form posted them), so a
    # reload, another tab or another device resumes with them; emptied when the attempt is submitted.
    saved_answers: Mapped[list[list[str]] | None] = mapped_column(JSON(none_as_null=True))
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    answers: Mapped[list[AttemptAnswer]] = relationship(back_populates="attempt", lazy="raise",
                                                         order_by="AttemptAnswer.position")


class AttemptAnswer(Base):
    """One graded response; a row per question so teachers' item analysis is a SQL aggregate."""

    __tablename__ = "attempt_answers"
    __table_args__ = (UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer)
    response: Mapped[Any | None] = mapped_column(JSON(none_as_null=True))
    response_text: Mapped[str] = mapped_column(String(2000), default="")
    score: Mapped[float] = mapped_column(Float)
    max_score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(16))  # correct | partial | incorrect | unanswered
    misconceptions: Mapped[list[str]] = mapped_column(JSON, default=list)
    feedback_html: Mapped[list[str]] = mapped_column(JSON, default=list)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="answers", lazy="raise")


class PendingAnswers(Base):
    """Quiz answers posted after the session ended, kept server-side until the student logs in again.

    Keyed by a random id that travels in the login redirect, so the session cookie is never touched on that path.
    """

    __tablename__ = "pending_answers"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"), index=True)
    answers: Mapped[list[list[str]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
