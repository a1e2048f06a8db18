"""Teachers' classes: teachers (owner and co-teachers), enrolled students, assignments with due dates."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class SchoolClass(Base):
    __tablename__ = "classes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    school: Mapped[str] = mapped_column(String(160))
    term: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Seoul")
    # Unique whenever set; a switched-off code is kept (and stays reserved) until it is regenerated.
    join_code: Mapped[str | None] = mapped_column(String(12), unique=True)
    join_code_enabled: Mapped[bool] = mapped_column(default=True)
    archived: Mapped[bool] = mapped_column(default=False)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ClassTeacher(Base):
    """A teacher of a class; the owner has a row too, so 'who teaches this class' is one query."""

    __tablename__ = "class_teachers"
    __table_args__ = (UniqueConstraint("class_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Enrollment(Base):
    __tablename__ = "enrollments"
    __table_args__ = (UniqueConstraint("class_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    student_number: Mapped[str | None] = mapped_column(String(32))
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Assignment(Base):
    """A module or a whole course assigned to a class, with an optional due time (stored in UTC)."""

    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint("(module_id IS NULL) <> (course_id IS NULL)", name="module_xor_course"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A pre/post pair: the module's quiz is taken once before teaching and once after (post_opened_at).
    prepost: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Crossover: half the class takes form A before and B after, the other half the reverse (AssignmentForm).
    crossover: Mapped[bool] = mapped_column(default=False, server_default=false())
    post_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Review options set to after_release show from this moment on.
    results_released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AssignmentForm(Base):
    """Which parallel form a student takes before and after, drawn once at random and kept."""

    __tablename__ = "assignment_forms"
    __table_args__ = (UniqueConstraint("assignment_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    pre_form: Mapped[str] = mapped_column(String(1))
    post_form: Mapped[str] = mapped_column(String(1))
