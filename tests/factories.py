"""Factories for test data, built through the app's own services (accounts, classes, assignments) so tests set up
what the app itself would make; each opens its own app context and commits, and returns plain ids and refs.

Tests must not hold an app context around client requests (the request would reuse it, and with it ``g`` and the
database session), so nothing here leaves one open. Passwords: one real Argon2id hash per password per process,
computed on first use, so building a user costs an INSERT while logging in stays real.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.models import Module, Role, User
from app.services import accounts, assignments, classes
from app.services.passwords import hash_password

PASSWORD = "correct horse battery"

_apps: list = []  # the session's app (tests/conftest.py puts it here)


@dataclass(frozen=True)
class UserRef:
    """What tests need of a user, safe to keep after the app context that made it is gone."""

    id: int
    email: str | None
    name: str
    role: Role


@dataclass(frozen=True)
class ClassRef:
    id: int
    join_code: str
    owner_id: int


@functools.cache
def password_hash(password: str = PASSWORD) -> str:
    """One real Argon2id hash per password per process (hashing is deliberately slow)."""
    return hash_password(password)


_hash_of = password_hash  # the name older tests import


def make_user(role: Role | str = Role.STUDENT, *, email: str | None = None, name: str | None = None,
              password: str = PASSWORD, active: bool = True, **fields) -> UserRef:
    """Create and commit a user through accounts.create_user, with the precomputed hash of ``password``."""
    role = Role(role)
    make_user.counter += 1
    email = email or f"{role.value}{make_user.counter}@school.example"
    with _apps[0].app_context():
        user = accounts.create_user(email, name or f"{role.value.title()} {make_user.counter}", "unused", role,
                                    check_policy=False)
        user.password_hash = password_hash(password)
        user.active = active
        for key, value in fields.items():
            setattr(user, key, value)
        db.session.commit()
        return UserRef(user.id, user.email, user.name, user.role)


make_user.counter = 0


def module_id(slug: str, course: str | None = None) -> int:
    """The id of the module ``slug`` (in ``course`` if given); the course must have been synced."""
    from app.models import Course

    with _apps[0].app_context():
        query = select(Module.id).where(Module.slug == slug)
        if course is not None:
            query = query.join(Course, Course.id == Module.course_id).where(Course.slug == course)
        found = db.session.scalar(query)
        db.session.remove()
    if found is None:
        raise LookupError(f"no module {slug!r}: is the course synced (the sample_course fixture)?")
    return found


def make_class(owner: UserRef, *, co_teachers: tuple[UserRef, ...] | list[UserRef] = (),
               students: tuple[UserRef, ...] | list[UserRef] = (), name: str = "10-3 Science",
               school: str = "Pohang High", term: str = "2026", **fields: Any) -> ClassRef:
    """A class owned by ``owner`` (classes.create_class), its co-teachers added (classes.add_co_teacher) and its
    students joined with the class's code (classes.join_with_code)."""
    with _apps[0].app_context():
        school_class = classes.create_class(db.session.get(User, owner.id), name=name, school=school, term=term,
                                            **fields)
        for teacher in co_teachers:
            classes.add_co_teacher(school_class, teacher.email)
        for student in students:
            classes.join_with_code(db.session.get(User, student.id), school_class.join_code)
        ref = ClassRef(school_class.id, school_class.join_code, school_class.owner_id)
        db.session.remove()
    return ref


def assign_module(school_class: ClassRef | int, module: str | int, *, by: UserRef, due_at: datetime | None = None,
                  note: str = "", prepost: bool = False, crossover: bool = False) -> int:
    """Assign a module (slug or id) to a class through assignments.assign; returns the assignment's id."""
    from app.models import SchoolClass

    target = module if isinstance(module, int) else module_id(module)
    class_id = school_class if isinstance(school_class, int) else school_class.id
    with _apps[0].app_context():
        assignment = assignments.assign(db.session.get(SchoolClass, class_id), module_id=target, course_id=None,
                                        due_at=due_at, note=note, by=db.session.get(User, by.id), prepost=prepost,
                                        crossover=crossover)
        assignment_id = assignment.id
        db.session.remove()
    return assignment_id
