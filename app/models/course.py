"""Courses and modules as loaded from ``courses/`` (or edited by admins): the published text per language."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, utcnow


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
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

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
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

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
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # Set when the published text comes from the browser; `flask courses sync` then reports a conflict
    # instead of overwriting it (unless --force), and clears it when it writes the file's version.
    edited_in_browser_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    module: Mapped[Module] = relationship(back_populates="texts", lazy="raise")
