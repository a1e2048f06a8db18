"""pylti1p3's configuration and launch storage backed by the database, shared by every worker; nonces and
the single-use tickets for continuing a framed launch in a new window."""
from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from pylti1p3.deployment import Deployment
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract
from sqlalchemy import delete, select

from app.extensions import db
from app.models import User
from app.models.base import utcnow
from app.models.lti import LtiLaunchValue, LtiPlatform
from app.services.lti.keys import current_key, private_pem, public_jwks, public_pem

# ------------------------------------------------------------------------------------------------ pylti1p3 glue

class OndoToolConf(ToolConfAbstract):
    """Registrations from the database, in the shape pylti1p3 asks for."""

    def __init__(self, secret_key: str):
        super().__init__()
        self._secret_key = secret_key

    def _platforms_of(self, iss: str) -> list[LtiPlatform]:
        return list(db.session.scalars(select(LtiPlatform).where(LtiPlatform.issuer == iss,
                                                                 LtiPlatform.active.is_(True))))

    def check_iss_has_one_client(self, iss: str) -> bool:
        return len(self._platforms_of(iss)) == 1

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return len(self._platforms_of(iss)) > 1

    def _registration(self, record: LtiPlatform | None) -> Registration | None:
        if record is None:
            return None
        key = current_key(self._secret_key)
        return (Registration().set_issuer(record.issuer).set_client_id(record.client_id)
                .set_auth_login_url(record.auth_login_url).set_auth_token_url(record.auth_token_url)
                .set_key_set_url(record.key_set_url).set_tool_private_key(private_pem(key, self._secret_key))
                .set_tool_public_key(public_pem(key)).set_key_set(None))

    def _find(self, iss: str, client_id: str | None = None) -> LtiPlatform | None:
        matches = [p for p in self._platforms_of(iss) if client_id is None or p.client_id == client_id]
        return matches[0] if len(matches) == 1 else None

    def find_registration_by_issuer(self, iss: str, *args, **kwargs) -> Registration | None:
        return self._registration(self._find(iss))

    def find_registration_by_params(self, iss: str, client_id: str, *args, **kwargs) -> Registration | None:
        return self._registration(self._find(iss, client_id))

    def find_deployment(self, iss: str, deployment_id: str) -> Deployment | None:
        record = self._find(iss)
        return self._deployment(record, deployment_id)

    def find_deployment_by_params(self, iss: str, deployment_id: str, client_id: str, *args, **kwargs):
        return self._deployment(self._find(iss, client_id), deployment_id)

    @staticmethod
    def _deployment(record: LtiPlatform | None, deployment_id: str) -> Deployment | None:
        if record is None or deployment_id not in (record.deployment_ids or []):
            return None
        return Deployment().set_deployment_id(deployment_id)

    def get_jwks(self, iss: str | None = None, client_id: str | None = None, **kwargs):
        return public_jwks(self._secret_key)


class DatabaseLaunchStorage(LaunchDataStorage):
    """OIDC state, nonces and launch data in a table, so every worker sees them; a nonce can be checked once."""

    _session_cookie_name = None

    def can_set_keys_expiration(self) -> bool:
        return True

    def get_value(self, key: str) -> Any:
        row = db.session.get(LtiLaunchValue, self._prepare_key(key))
        if row is None or row.expires_at <= utcnow():
            return None
        return row.value

    def set_value(self, key: str, value: Any, exp: int | None = None) -> None:
        key = self._prepare_key(key)
        row = db.session.get(LtiLaunchValue, key) or LtiLaunchValue(key=key)
        row.value = value
        row.expires_at = utcnow() + timedelta(seconds=exp or 3600)
        db.session.add(row)
        db.session.commit()

    def check_value(self, key: str) -> bool:
        # Nonces are used once: the check deletes the row, so of two launches with one nonce only the first passes,
        # whichever worker serves them.
        removed = db.session.execute(delete(LtiLaunchValue).where(LtiLaunchValue.key == self._prepare_key(key),
                                                                  LtiLaunchValue.expires_at > utcnow())).rowcount
        db.session.commit()
        return bool(removed)

    @staticmethod
    def purge_expired() -> int:
        removed = db.session.execute(delete(LtiLaunchValue).where(LtiLaunchValue.expires_at <= utcnow())).rowcount
        db.session.commit()
        return removed


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


# ------------------------------------------------------------------------------------------------ launches in frames

WINDOW_TICKET_PREFIX = "ondo-window-"
WINDOW_TICKET_SECONDS = 300


def new_window_ticket(user: User, path: str) -> str:
    """A single-use, five-minute ticket that lets the person just launched continue in a new window when their
    browser kept no cookie in the LMS's frame."""
    ticket = secrets.token_urlsafe(32)
    db.session.add(LtiLaunchValue(key=WINDOW_TICKET_PREFIX + ticket, value={
        "user_id": user.id, "session_version": user.session_version, "path": path},
        expires_at=utcnow() + timedelta(seconds=WINDOW_TICKET_SECONDS)))
    db.session.commit()
    return ticket


def peek_window_ticket(ticket: str) -> dict[str, Any] | None:
    row = db.session.get(LtiLaunchValue, WINDOW_TICKET_PREFIX + ticket[:100])
    if row is None or row.expires_at <= utcnow():
        return None
    return dict(row.value)


def use_window_ticket(ticket: str) -> tuple[User, str] | None:
    """The account and landing path of a ticket, used up at once: of two requests with one ticket only the first
    gets them. None for an unknown, used or expired ticket, or an account changed since (deactivated, logged out
    everywhere)."""
    value = peek_window_ticket(ticket)
    if value is None:
        return None
    removed = db.session.execute(delete(LtiLaunchValue).where(
        LtiLaunchValue.key == WINDOW_TICKET_PREFIX + ticket[:100], LtiLaunchValue.expires_at > utcnow())).rowcount
    db.session.commit()
    user = db.session.get(User, value["user_id"])
    if not removed or user is None or not user.active or user.session_version != value["session_version"]:
        return None
    return user, value["path"]
