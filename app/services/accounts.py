"""Account use-cases: registration, authentication, password changes and resets, roles.

Public operations commit their own unit of work (app.database.unit_of_work). ``create_user``, ``set_role``,
``set_active`` and ``end_all_sessions`` are parts of operations: they only change the session, and the operation
that calls them commits.
"""
from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.database import unit_of_work
from app.extensions import db
from app.models import Role, User
from app.models.base import utcnow
from app.models.user import normalise_email
from app.services import audit, passwords

RESET_SALT = "ondo-password-reset"


class AccountError(ValueError):
    """A use-case refused; ``code`` names why, for a translated message."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def find_by_login(login: str) -> User | None:
    """Look up by email or, for roster students, by generated username (both case-insensitive)."""
    value = normalise_email(login)
    return db.session.scalar(select(User).where((User.email == value) | (func.lower(User.username) == value)))


def email_taken(email: str) -> bool:
    return db.session.scalar(select(func.count()).where(User.email == normalise_email(email))) > 0


def create_user(email: str | None, name: str, password: str, role: Role = Role.STUDENT,
                *, username: str | None = None, check_policy: bool = True) -> User:
    """Add an account to the current unit of work (the calling operation commits).

    Raises AccountError or PasswordPolicyError.
    """
    if check_policy:
        passwords.check_policy(password)
    if email and email_taken(email):
        raise AccountError("email_taken")
    user = User(name=name.strip(), role=role, password_hash=passwords.hash_password(password), username=username)
    if email:
        user.set_email(email)
    db.session.add(user)
    db.session.flush()
    return user


def register_student(email: str, name: str, password: str, locale: str) -> User:
    """A student signing up on their own, in the language they were reading."""
    with unit_of_work():
        user = create_user(email, name, password, Role.STUDENT)
        user.locale = locale
    return user


def create_account(actor: User, email: str, name: str, password: str, role: Role) -> User:
    """An admin creates an account; recorded in the audit log in the same transaction."""
    with unit_of_work():
        user = create_user(email, name, password, role)
        audit.record(actor, "user.create", user, role=role.value)
    return user


def create_or_promote_admin(email: str, name: str, password: str) -> bool:
    """For the command line: make ``email`` an admin. True if the account was created, False if promoted."""
    with unit_of_work():
        user = find_by_login(email)
        if user is not None:
            user.role = Role.ADMIN
            return False
        create_user(email, name, password, Role.ADMIN)
        return True


def ensure_account(email: str, name: str, password: str, role: Role) -> bool:
    """Create the account unless the email is taken (demo seeding is idempotent); True if created."""
    with unit_of_work():
        if find_by_login(email) is not None:
            return False
        create_user(email, name, password, role)
        return True


class AccountDeactivated(Exception):
    """The password is right but the account is switched off; ``role`` says whom to ask (teacher or admin)."""

    def __init__(self, role: Role):
        super().__init__("deactivated")
        self.role = role


def authenticate(login: str, password: str) -> User | None:
    """The user if the password is right and the account active; upgrades old hashes on the way.

    A deactivated account with the right password raises AccountDeactivated: only someone who knows the
    password learns that the account exists and is switched off; everyone else gets None, as for a typo.
    """
    user = find_by_login(login)
    if user is None:
        passwords.verify_password(None, password)
        return None
    if not passwords.verify_password(user.password_hash, password):
        return None
    if not user.active:
        raise AccountDeactivated(user.role)
    with unit_of_work():
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
        user.last_login_at = utcnow()
    return user


def end_all_sessions(user: User) -> None:
    """Invalidate every cookie issued to this user (logout, password change, deactivation)."""
    user.session_version += 1


def log_out_everywhere(user: User) -> None:
    with unit_of_work():
        end_all_sessions(user)


def change_password(user: User, current: str, new: str) -> None:
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError("wrong_password")
    set_password(user, new)


def set_password(user: User, new: str) -> None:
    """A new password (own change, reset link, first login); every other session ends."""
    passwords.check_policy(new)
    with unit_of_work():
        user.password_hash = passwords.hash_password(new)
        user.must_change_password = False
        end_all_sessions(user)


def _reset_serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=RESET_SALT)


def _hash_fingerprint(user: User) -> str:
    # The token names the password it may replace: once used (or the password changed), it no longer matches.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def make_reset_token(user: User, secret_key: str) -> str:
    return _reset_serializer(secret_key).dumps({"uid": user.id, "fp": _hash_fingerprint(user)})


def user_for_reset_token(token: str, secret_key: str, max_age: int) -> User | None:
    """The user a valid, unexpired, unused token belongs to; None otherwise."""
    try:
        data = _reset_serializer(secret_key).loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.active or data.get("fp") != _hash_fingerprint(user):
        return None
    return user


def set_role(user: User, role: Role) -> None:
    if user.role == Role.ADMIN and role != Role.ADMIN and active_admin_count() <= 1:
        raise AccountError("last_admin")
    user.role = role


def set_active(user: User, active: bool) -> None:
    if not active and user.role == Role.ADMIN and user.active and active_admin_count() <= 1:
        raise AccountError("last_admin")
    user.active = active
    if not active:
        end_all_sessions(user)


def set_language(user: User, language: str) -> None:
    """Remember the reader's language on their account, so mail and the next login use it."""
    with unit_of_work():
        user.locale = language


def change_role(actor: User, user: User, role: Role) -> None:
    """An admin changes a role; the change and its audit entry are one transaction."""
    with unit_of_work():
        before = user.role
        set_role(user, role)
        if before != role:
            audit.record(actor, "user.role", user, before=before.value, after=role.value)


def change_active(actor: User, user: User, active: bool) -> None:
    """An admin deactivates (keeping the data) or reactivates an account, recorded in the audit log."""
    with unit_of_work():
        set_active(user, active)
        audit.record(actor, "user.reactivate" if active else "user.deactivate", user)


def user_by_id(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def active_admin_count() -> int:
    return db.session.scalar(select(func.count()).where(User.role == Role.ADMIN, User.active.is_(True)))
