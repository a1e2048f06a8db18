"""Platform registrations and the web origins allowed to frame Ondo."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.models.lti import LtiPlatform
from app.services import audit
from app.services.lti.storage import DatabaseLaunchStorage

# ------------------------------------------------------------------------------------------------ registrations

@dataclass
class PlatformFields:
    name: str
    issuer: str
    client_id: str
    deployment_ids: list[str]
    auth_login_url: str
    auth_token_url: str
    key_set_url: str
    frame_origins: list[str] = field(default_factory=list)


def platforms() -> list[LtiPlatform]:
    return list(db.session.scalars(select(LtiPlatform).order_by(LtiPlatform.name, LtiPlatform.id)))


def platform(platform_id: int) -> LtiPlatform | None:
    return db.session.get(LtiPlatform, platform_id)


def save_platform(fields: PlatformFields, by: User, existing: LtiPlatform | None = None) -> LtiPlatform:
    """Create or update a registration, with an audit entry. Raises ValueError('duplicate') for a second
    registration of the same issuer and client id."""
    clash = db.session.scalar(select(LtiPlatform).where(LtiPlatform.issuer == fields.issuer,
                                                        LtiPlatform.client_id == fields.client_id))
    if clash is not None and clash is not existing:
        raise ValueError("duplicate")
    record = existing or LtiPlatform()
    for name, value in vars(fields).items():
        setattr(record, name, value)
    db.session.add(record)
    db.session.flush()
    audit.record(by, "lti.platform", record, label=record.name, issuer=record.issuer, client_id=record.client_id)
    db.session.commit()
    forget_framing_origins()
    return record


def web_origin(url: str) -> str | None:
    """``scheme://host[:port]`` of an http(s) address, or None."""
    parts = urlsplit(url.strip())
    if parts.scheme in ("https", "http") and parts.netloc and "@" not in parts.netloc:
        return f"{parts.scheme}://{parts.netloc.lower()}"
    return None


def framing_origins() -> list[str]:
    """Origins allowed to show Ondo in a frame: the registered platforms' own web addresses (issuer, login URL
    and the extra LMS addresses an admin listed)."""
    origins = set()
    for issuer, login_url, extra in db.session.execute(
            select(LtiPlatform.issuer, LtiPlatform.auth_login_url, LtiPlatform.frame_origins)
            .where(LtiPlatform.active.is_(True))):
        for url in (issuer, login_url, *(extra or [])):
            origin = web_origin(url)
            if origin:
                origins.add(origin)
    return sorted(origins)


def platform_origins(issuer: str) -> set[str]:
    """The web origins of the active registrations of one issuer (issuer, login URL, extra LMS addresses)."""
    origins = set()
    for login_url, extra in db.session.execute(select(LtiPlatform.auth_login_url, LtiPlatform.frame_origins)
                                               .where(LtiPlatform.issuer == issuer, LtiPlatform.active.is_(True))):
        for url in (issuer, login_url, *(extra or [])):
            origin = web_origin(url)
            if origin:
                origins.add(origin)
    return origins


def use_login_state(state: str) -> bool:
    """Was this OIDC state issued by our login initiation, and not used since? Uses it up (once only)."""
    return DatabaseLaunchStorage().check_value("lti1p3-" + state[:200])


# Every HTML response names the framing origins in its CSP, so they are read at most once a minute per worker (and
# at once in the worker where an admin saved a platform); a new LMS can frame Ondo a minute after it is registered.
FRAMING_CACHE_SECONDS = 60


def cached_framing_origins() -> tuple[str, ...]:
    cache = current_app.extensions.setdefault("ondo_lti_framing", {"at": None, "origins": ()})
    now = time.monotonic()
    if cache["at"] is None or now - cache["at"] > FRAMING_CACHE_SECONDS:
        cache["origins"], cache["at"] = tuple(framing_origins()), now
    return cache["origins"]


def forget_framing_origins() -> None:
    current_app.extensions.pop("ondo_lti_framing", None)
