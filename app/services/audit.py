"""The audit log of admin actions: one call per action, and the filtered, paginated list admins read."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, select

from app.extensions import db
from app.models import AuditEntry, User

# Every action an admin can take, in the order the filter lists them.
ACTIONS = (
    "user.create", "user.role", "user.deactivate", "user.reactivate", "user.reset_link",
    "course.create", "course.update", "course.show", "course.hide", "course.import", "course.export",
    "module.create", "module.draft", "module.publish", "module.rollback", "module.reorder",
    "module.archive", "module.restore", "upload.create", "lti.platform", "lti.rotate_key",
)


def record(actor: User | None, action: str, obj: Any = None, *, label: str = "", **details: Any) -> AuditEntry:
    """Add an audit entry to the current unit of work: the operation it records commits both together."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "name", "") or "",
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(getattr(obj, "id", "") or "") if obj is not None else "",
        object_label=(label or _label(obj))[:200],
        details={key: value for key, value in details.items() if value is not None},
    )
    db.session.add(entry)
    return entry


def _label(obj: Any) -> str:
    for attribute in ("email", "slug", "name"):
        value = getattr(obj, attribute, None)
        if value:
            return str(value)
    return ""


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    action: str | None = None
    since: date | None = None
    until: date | None = None  # inclusive

    def statement(self) -> Select:
        statement = select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        if self.actor_id:
            statement = statement.where(AuditEntry.actor_id == self.actor_id)
        if self.action:
            statement = statement.where(AuditEntry.action == self.action)
        if self.since:
            statement = statement.where(AuditEntry.created_at >= _start_of(self.since))
        if self.until:
            statement = statement.where(AuditEntry.created_at < _start_of(self.until + timedelta(days=1)))
        return statement


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def entries(filters: AuditFilter, page: int, per_page: int = 50):
    """One page of entries, newest first (a Flask-SQLAlchemy Pagination)."""
    return db.paginate(filters.statement(), page=page, per_page=per_page, error_out=False)


def actors() -> list[tuple[int, str]]:
    """(id, name) of everyone who appears in the log, for the filter."""
    rows = db.session.execute(
        select(AuditEntry.actor_id, AuditEntry.actor_name).where(AuditEntry.actor_id.is_not(None)).distinct()
    ).all()
    return sorted({(row[0], row[1]) for row in rows}, key=lambda row: row[1].lower())
