"""The demo accounts and class that `make run` seeds, so a fresh checkout has something to click through."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Module, Role, SchoolClass
from app.models.base import utcnow
from app.services import accounts, assignments, classes

DEMO_ACCOUNTS = (
    # (email, name, role, password) — demo only, also listed in the README.
    ("admin@ondo.example", "Demo Admin", Role.ADMIN, "ondo-admin-demo"),
    ("teacher@ondo.example", "Demo Teacher", Role.TEACHER, "ondo-teacher-demo"),
    ("minji@ondo.example", "김민지 Minji Kim", Role.STUDENT, "ondo-student-demo"),
    ("joon@ondo.example", "이준 Joon Lee", Role.STUDENT, "ondo-student-demo"),
)


@dataclass(frozen=True)
class SeededAccount:
    email: str
    role: Role
    password: str
    created: bool


def seed_accounts() -> list[SeededAccount]:
    """Create the demo accounts that do not exist yet (idempotent: existing ones are left as they are)."""
    return [SeededAccount(email, role, password, accounts.ensure_account(email, name, password, role))
            for email, name, role, password in DEMO_ACCOUNTS]


def seed_class() -> SchoolClass | None:
    """A class for the demo teacher with both demo students and the first module assigned; None if it exists."""
    teacher = accounts.find_by_login(DEMO_ACCOUNTS[1][0])
    if db.session.scalar(select(SchoolClass).where(SchoolClass.owner_id == teacher.id)) is not None:
        return None
    school_class = classes.create_class(teacher, name="Demo class 10-1", school="Pohang Demo High School",
                                        term="2026")
    for email, *_rest in DEMO_ACCOUNTS[2:]:
        classes.enrol(school_class, accounts.find_by_login(email))
    first = db.session.scalar(select(Module).where(Module.archived.is_(False))
                              .order_by(Module.course_id, Module.position))
    if first is not None:
        assignments.assign(school_class, module_id=first.id, course_id=None, due_at=utcnow() + timedelta(days=7),
                           note="", by=teacher)
    return school_class
