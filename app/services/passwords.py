"""Password policy and hashing (ASVS 6.2, 11.4.2): length rules, a common-password blocklist, Argon2id."""
from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

MIN_LENGTH = 8
MAX_LENGTH = 128  # ASVS asks for at least 64; the cap only bounds hashing work.

# OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

# Verifying against this costs the same as a real hash, so a login for an unknown email takes as long as a real one.
_DUMMY_HASH = _hasher.hash("timing-equaliser-not-a-password")


class PasswordPolicyError(ValueError):
    """The chosen password breaks the policy; ``code`` names the rule for translated messages."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@cache
def _common_passwords() -> frozenset[str]:
    # zxcvbn ships the 30,000 most common passwords from leaked sets; ASVS 6.2.4 asks for at least 3,000.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_policy(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError("too_short")
    if len(password) > MAX_LENGTH:
        raise PasswordPolicyError("too_long")
    if password.lower() in _common_passwords():
        raise PasswordPolicyError("common")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        _equalise(password)
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _equalise(password: str) -> None:
    """Spend the time of one real verification, so a missing account cannot be told apart by timing."""
    try:
        _hasher.verify(_DUMMY_HASH, password)
    except VerificationError:
        pass


def needs_rehash(stored_hash: str) -> bool:
    """True when the hash was made with other parameters than today's, so login can upgrade it."""
    try:
        return _hasher.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
