"""Account use-cases: registration, authentication, password changes and resets, roles."""
from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.extensions import db
from app.models import Role, User
from app.models.base import utcnow
from app.models.user import normalise_email
from app.services import passwords

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
    """Create an account; the caller commits. Raises AccountError or PasswordPolicyError."""
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
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    user.last_login_at = utcnow()
    return user


def end_all_sessions(user: User) -> None:
    """Invalidate every cookie issued to this user (logout, password change, deactivation)."""
    user.session_version += 1


def change_password(user: User, current: str, new: str) -> None:
    if not passwords.verify_password(user.password_hash, current):
        raise AccountError("wrong_password")
    set_password(user, new)


def set_password(user: User, new: str) -> None:
    passwords.check_policy(new)
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


def active_admin_count() -> int:
    return db.session.scalar(select(func.count()).where(User.role == Role.ADMIN, User.active.is_(True)))
