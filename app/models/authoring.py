"""Browser authoring: every saved draft and every published version of a module text, kept for history."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow

REVISION_KINDS = ("draft", "published", "rollback", "files")


class ModuleRevision(Base):
    """One version of one language of a module, as Markdown source.

    ``draft``: saved in the browser, not seen by students; ``published`` and ``rollback``: went live;
    ``files``: the version loaded from the course files, kept when the browser (or ``sync --force``) replaced it.
    """

    __tablename__ = "module_revisions"
    __table_args__ = (
        Index("ix_module_revisions_module_lang", "module_id", "lang", "id"),
        CheckConstraint("kind IN ('draft', 'published', 'rollback', 'files')", name="kind_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"))
    lang: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))
    source_markdown: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(String(300), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
