"""Queries behind the admin's user pages (no request here): search, class memberships, one user's record."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, or_, select

from app.extensions import db
from app.models import AuditEntry, ClassTeacher, Enrollment, Role, SchoolClass, User


@dataclass(frozen=True)
class UserQuery:
    text: str = ""
    role: str = ""
    status: str = ""  # "" | "active" | "inactive"

    def statement(self) -> Select:
        statement = select(User).order_by(User.name, User.id)
        if self.text:
            like = f"%{self.text.lower()}%"
            in_class = [select(link.user_id).join(SchoolClass, SchoolClass.id == link.class_id)
                        .where(SchoolClass.name.ilike(like)) for link in (Enrollment, ClassTeacher)]
            statement = statement.where(or_(User.email.like(like), User.name.ilike(like), User.username.ilike(like),
                                            *(User.id.in_(members) for members in in_class)))
        if self.role in {r.value for r in Role}:
            statement = statement.where(User.role == Role(self.role))
        if self.status in ("active", "inactive"):
            statement = statement.where(User.active.is_(self.status == "active"))
        return statement


def search(query: UserQuery, page: int, per_page: int = 50):
    return db.paginate(query.statement(), page=page, per_page=per_page, error_out=False)


def class_names(user_ids: list[int]) -> dict[int, list[str]]:
    """Names of the classes each user studies in or teaches, for one page of users: two queries."""
    names: dict[int, set[str]] = defaultdict(set)
    if not user_ids:
        return {}
    for link in (Enrollment, ClassTeacher):
        rows = db.session.execute(
            select(link.user_id, SchoolClass.name).join(SchoolClass, SchoolClass.id == link.class_id)
            .where(link.user_id.in_(user_ids), SchoolClass.archived.is_(False)))
        for user_id, name in rows:
            names[user_id].add(name)
    return {user_id: sorted(values) for user_id, values in names.items()}


def recent_entries_about(user: User, limit: int = 20) -> list[AuditEntry]:
    return list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.object_type == "User", AuditEntry.object_id == str(user.id))
        .order_by(AuditEntry.id.desc()).limit(limit)))
