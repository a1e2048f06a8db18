"""Courses and modules as loaded from ``courses/`` (or edited by admins): the published text per language."""
from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow


def new_version() -> str:
    return secrets.token_hex(8)


class Course(Base):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[dict[str, str]] = mapped_column(JSON)  # by language
    summary: Mapped[dict[str, str]] = mapped_column(JSON)
    level: Mapped[str] = mapped_column(String(16))  # school | university | both
    hours: Mapped[float] = mapped_column(Float)
    principles: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=1000)
    archived: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # A new random token whenever the course, one of its modules or one of their texts changes (set by a session
    # hook in app/services/course_cache.py): web workers compare it once per request to keep their cached copy.
    version: Mapped[str] = mapped_column(String(32), default=new_version, server_default="")
    # `flask courses sync` skips parsing when the course files, the renderer code and its libraries hash the same.
    files_hash: Mapped[str] = mapped_column(String(64), default="", server_default="")

    modules: Mapped[list[Module]] = relationship(back_populates="course", lazy="raise", order_by="Module.position")

    def in_language(self, field: str, lang: str) -> str:
        values = getattr(self, field) or {}
        return values.get(lang) or values.get("en") or next(iter(values.values()), "")


class Module(Base):
    """A module's identity (its slug within the course); its text lives in one ModuleText per language."""

    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)
    # Archived modules are hidden from students; their progress rows and attempts stay.
    archived: Mapped[bool] = mapped_column(default=False)
    formerly: Mapped[list[str]] = mapped_column(JSON, default=list)
    prerequisites: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship(back_populates="modules", lazy="raise")
    texts: Mapped[list[ModuleText]] = relationship(back_populates="module", lazy="raise")


class ModuleText(Base):
    """One language version of a module as published: stored HTML, so no Markdown is rendered while serving."""

    __tablename__ = "module_texts"
    __table_args__ = (UniqueConstraint("module_id", "lang"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    lang: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    objectives: Mapped[list[str]] = mapped_column(JSON, default=list)
    principles: Mapped[list[str]] = mapped_column(JSON, default=list)
    body_html: Mapped[str] = mapped_column(Text)
    toc: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The quiz as parsed (app.quizzes.Quiz.to_dict()), or None; attempts keep their own snapshot.
    quiz: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    # Ungraded ```check blocks of the body (Quiz.to_dict() each); the body holds a marker where each goes.
    checks: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    source_markdown: Mapped[str] = mapped_column(Text)
    source_hash: Mapped[str] = mapped_column(String(64))
    source_path: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # Set when the published text comes from the browser; `flask courses sync` then reports a conflict
    # instead of overwriting it (unless --force), and clears it when it writes the file's version.
    edited_in_browser_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    module: Mapped[Module] = relationship(back_populates="texts", lazy="raise")


@event.listens_for(Session, "before_flush")
def _renew_course_versions(session: Session, _context, _instances) -> None:
    """Give a course a new version token in the same flush that changes it, one of its modules or their texts.

    Every writer (sync, browser publishing, rollback, zip import) goes through the ORM, so none can forget to;
    web workers compare the token once per request and drop their cached outline and texts when it changed.
    """
    course_ids: set[int] = set()
    module_ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if not isinstance(obj, Course | Module | ModuleText):
            continue
        if obj in session.dirty and not session.is_modified(obj):
            continue
        if isinstance(obj, Course) and obj.id is not None:
            course_ids.add(obj.id)
        elif isinstance(obj, Module) and obj.course_id is not None:
            course_ids.add(obj.course_id)
        elif isinstance(obj, ModuleText) and obj.module_id is not None:
            module_ids.add(obj.module_id)
    if not course_ids and not module_ids:
        return
    courses = Course.__table__
    condition = courses.c.id.in_(course_ids)
    if module_ids:
        condition = or_(condition, courses.c.id.in_(
            select(Module.__table__.c.course_id).where(Module.__table__.c.id.in_(module_ids))))
    # On the connection, not the session: no autoflush from inside a flush.
    session.connection().execute(update(courses).where(condition).values(version=new_version()))
