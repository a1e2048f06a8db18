"""LTI 1.3 tool side: platform registrations, Ondo's keys and JWKS, launch state shared by every worker, and what a
valid launch does to accounts and classes.

The protocol checks themselves (OIDC state and nonce, the id_token's signature against the platform's JWKS,
registration, deployment, message type and version) are pylti1p3's (the maintained ``pylti1p3next`` fork); this
module gives it our storage and adds the checks it leaves loose: ``aud``/``azp`` against the client id and a
required, unexpired ``exp``/``iat``.
"""
from __future__ import annotations

import base64
import logging
import secrets
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from jwcrypto.jwk import JWK
from pylti1p3.deployment import Deployment
from pylti1p3.launch_data_storage.base import LaunchDataStorage
from pylti1p3.registration import Registration
from pylti1p3.tool_config.abstract import ToolConfAbstract
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import ClassTeacher, Enrollment, Role, User
from app.models.base import utcnow
from app.models.lti import LtiContext, LtiIdentity, LtiKey, LtiLaunchValue, LtiPlatform
from app.services import audit, classes

log = logging.getLogger(__name__)

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
# LIS context (course membership) roles that make someone a teacher of the class; everyone else launches as a
# student. A Mentor (a parent or adviser who follows some learners) is not a teacher of the class.
TEACHING_ROLES = frozenset({"Instructor", "Administrator", "ContentDeveloper", "TeachingAssistant"})
# Without any context role, an institution's or the LMS's own role decides (Instructor, Faculty, Administrator).
INSTITUTION_TEACHING_ROLES = frozenset({"Instructor", "Faculty", "Administrator"})
LIS = "http://purl.imsglobal.org/vocab/lis/v2/"
# A retired key stays in the JWKS this long, for platforms that cached it (their caches last hours, not weeks).
KEY_GRACE = timedelta(days=7)
# Password hash of LTI-created accounts: not an Argon2 hash, so no password ever matches it.
NO_PASSWORD = "!lti-launch-only"


class LaunchRefused(Exception):
    """A launch that failed a check; ``reason`` is shown to the person and logged."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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


# ------------------------------------------------------------------------------------------------ Ondo's keys

def _fernet(secret_key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"ondo-lti-keys", info=b"private-key-at-rest")
    return Fernet(base64.urlsafe_b64encode(derived.derive(secret_key.encode())))


def _new_key(secret_key: str) -> LtiKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    public = JWK.from_pem(public_pem)
    kid = public.thumbprint()  # RFC 7638, the kid pylti1p3 computes from the public key when it signs
    jwk = public.export_public(as_dict=True)
    jwk.update({"kid": kid, "alg": "RS256", "use": "sig"})
    key = LtiKey(kid=kid, private_key_encrypted=_fernet(secret_key).encrypt(pem).decode(), public_jwk=jwk)
    db.session.add(key)
    db.session.flush()
    return key


def current_key(secret_key: str) -> LtiKey:
    """The signing key in use, made on first need."""
    key = db.session.scalar(select(LtiKey).where(LtiKey.retired_at.is_(None)).order_by(LtiKey.id.desc()))
    if key is None:
        key = _new_key(secret_key)
        db.session.commit()
    return key


def public_pem(key: LtiKey) -> str:
    return JWK(**key.public_jwk).export_to_pem().decode()


def private_pem(key: LtiKey, secret_key: str) -> str:
    return _fernet(secret_key).decrypt(key.private_key_encrypted.encode()).decode()


def rotate_key(secret_key: str, by: User) -> LtiKey:
    """Retire the current key (it stays published for KEY_GRACE) and start signing with a new one."""
    now = utcnow()
    for key in db.session.scalars(select(LtiKey).where(LtiKey.retired_at.is_(None))):
        key.retired_at = now
    key = _new_key(secret_key)
    audit.record(by, "lti.rotate_key", None, label=key.kid)
    db.session.commit()
    return key


def public_jwks(secret_key: str) -> dict[str, list[dict[str, Any]]]:
    current_key(secret_key)
    cutoff = utcnow() - KEY_GRACE
    keys = db.session.scalars(select(LtiKey).where((LtiKey.retired_at.is_(None)) | (LtiKey.retired_at > cutoff))
                              .order_by(LtiKey.id.desc()))
    return {"keys": [key.public_jwk for key in keys]}


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


def check_claims(body: dict[str, Any], client_id: str, now: float, leeway: int = 60) -> None:
    """The id_token checks pylti1p3 leaves loose (IMS Security Framework 5.1.3): ``aud`` holds our client id, ``azp``
    is ours when present (and required with several audiences), ``exp`` and ``iat`` present and sensible."""
    aud = body.get("aud")
    audiences = aud if isinstance(aud, list) else [aud]
    if client_id not in audiences:
        raise LaunchRefused("audience")
    if (len(audiences) > 1 or "azp" in body) and body.get("azp") != client_id:
        raise LaunchRefused("azp")
    exp, iat = body.get("exp"), body.get("iat")
    if not isinstance(exp, int | float) or not isinstance(iat, int | float):
        raise LaunchRefused("times")
    if exp < now - leeway:
        raise LaunchRefused("expired")
    if iat > now + leeway:
        raise LaunchRefused("issued_in_future")


# ------------------------------------------------------------------------------------------------ launches

@dataclass(frozen=True)
class LaunchOutcome:
    user: User
    class_id: int | None
    target_path: str | None


def _lis_role(role: Any) -> tuple[str, str]:
    """("context" | "institution" | "system" | "other", role name) of a LIS role URI or short name. Sub-roles count
    as their principal role (``membership/Instructor#TeachingAssistant`` is an Instructor role)."""
    role = str(role)
    if role.startswith(LIS + "membership"):
        rest = role[len(LIS + "membership"):]
        principal, _, name = rest.lstrip("/").partition("#")
        return "context", principal or name
    for kind in ("institution", "system"):
        if role.startswith(f"{LIS}{kind}/person#"):
            return kind, role.rsplit("#", 1)[1]
    if "/" not in role and "#" not in role:  # short context role names ("Instructor"), as NRPS and LTI 1.1 use
        return "context", role
    return "other", role


def role_from_claims(body: dict[str, Any]) -> Role:
    roles = [_lis_role(r) for r in body.get(CLAIM + "roles") or []]
    context = {name for kind, name in roles if kind == "context"}
    if context:
        return Role.TEACHER if context & TEACHING_ROLES else Role.STUDENT
    wider = {name for kind, name in roles if kind in ("institution", "system")}
    return Role.TEACHER if wider & INSTITUTION_TEACHING_ROLES else Role.STUDENT


def _display_name(body: dict[str, Any]) -> str:
    name = (body.get("name") or " ".join(p for p in (body.get("given_name"), body.get("family_name")) if p)).strip()
    return name[:120] or "LMS user"


def account_for(body: dict[str, Any]) -> User:
    """The Ondo account of this LMS user, matched by (issuer, subject) only; made on the first launch."""
    iss, sub = body["iss"], body.get("sub")
    if not sub:
        raise LaunchRefused("anonymous")
    identity = db.session.scalar(select(LtiIdentity).where(LtiIdentity.issuer == iss, LtiIdentity.subject == sub))
    if identity is not None:
        user = db.session.get(User, identity.user_id)
        if not user.active:
            raise LaunchRefused("deactivated")
        return user
    role = role_from_claims(body)
    user = User(name=_display_name(body), role=role, password_hash=NO_PASSWORD)
    email = (body.get("email") or "").strip().lower()
    # The email is kept only if nobody here has it: an LMS email claim never takes over an existing account.
    if email and db.session.scalar(select(func.count()).select_from(User).where(User.email == email)) == 0:
        user.email = email
    db.session.add(user)
    db.session.flush()
    db.session.add(LtiIdentity(issuer=iss, subject=sub, user_id=user.id))
    db.session.flush()
    return user


def class_for(body: dict[str, Any], user: User, platform_name: str) -> int | None:
    """The Ondo class standing for the LMS course; made by the first instructor who launches from it."""
    context = body.get(CLAIM + "context") or {}
    context_id = context.get("id")
    if not context_id:
        return None
    iss, deployment_id = body["iss"], body.get(CLAIM + "deployment_id", "")
    link = db.session.scalar(select(LtiContext).where(LtiContext.issuer == iss,
                                                      LtiContext.deployment_id == deployment_id,
                                                      LtiContext.context_id == context_id))
    teaching = role_from_claims(body) == Role.TEACHER and user.role in (Role.TEACHER, Role.ADMIN)
    if link is None:
        if not teaching:
            return None
        title = (context.get("title") or context.get("label") or "LMS course")[:120]
        school_class = classes.create_class(user, name=title, school=platform_name[:160] or "LMS", term="")
        # Students come through the LMS (launches and roster sync); the join code stays off until a teacher wants it.
        school_class.join_code_enabled = False
        db.session.add(LtiContext(issuer=iss, deployment_id=deployment_id, context_id=context_id,
                                  class_id=school_class.id))
        db.session.flush()
        return school_class.id
    if teaching:
        if not classes.teaches(user, link.class_id):
            db.session.add(ClassTeacher(class_id=link.class_id, user_id=user.id))
    elif user.role == Role.STUDENT and db.session.scalar(select(func.count()).select_from(Enrollment).where(
            Enrollment.class_id == link.class_id, Enrollment.user_id == user.id)) == 0:
        db.session.add(Enrollment(class_id=link.class_id, user_id=user.id))
    db.session.flush()
    return link.class_id


def target_path(body: dict[str, Any], own_host: str) -> str | None:
    """Where the launch should land: the resource link's target if it is one of our own pages."""
    target = body.get(CLAIM + "target_link_uri") or ""
    parts = urlsplit(target)
    if parts.netloc and parts.netloc != own_host:
        return None
    path = parts.path or ""
    return path if path.startswith("/courses/") else None


def complete_launch(body: dict[str, Any], own_host: str) -> LaunchOutcome:
    """Account, class and landing page for a validated resource-link launch; one transaction."""
    from app.services import lti_scores

    aud = body.get("aud")
    client_id = aud[0] if isinstance(aud, list) else aud
    record = db.session.scalar(select(LtiPlatform).where(LtiPlatform.issuer == body["iss"],
                                                         LtiPlatform.client_id == client_id))
    path = target_path(body, own_host)
    try:
        user = account_for(body)
        class_id = class_for(body, user, record.name if record else "")
        lti_scores.remember_services(body, user, lti_scores.module_for_path(path), record)
        user.last_login_at = utcnow()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return LaunchOutcome(user, class_id, path)


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


# ------------------------------------------------------------------------------------------------ deep linking

def launch_belongs_to(body: dict[str, Any] | None, user: User) -> bool:
    """A stored launch may only be continued by the person it was for."""
    if not body:
        return False
    return db.session.scalar(select(func.count()).select_from(LtiIdentity).where(
        LtiIdentity.issuer == body.get("iss"), LtiIdentity.subject == body.get("sub"),
        LtiIdentity.user_id == user.id)) == 1


@dataclass(frozen=True)
class LinkedItem:
    title: str
    path: str
    has_quiz: bool
    resource_id: str


def linked_items(module_ids: list[int], lang: str) -> list[LinkedItem]:
    """The chosen modules as deep-linking content items, in course order."""
    from app.models import Course, Module, ModuleText

    if not module_ids:
        return []
    rows = db.session.execute(
        select(Module.id, Module.slug, Course.slug, ModuleText.lang, ModuleText.title, ModuleText.quiz.is_not(None))
        .join(Course, Course.id == Module.course_id).join(ModuleText, ModuleText.module_id == Module.id)
        .where(Module.id.in_(module_ids), Module.archived.is_(False), Course.archived.is_(False))
        .order_by(Course.position, Module.position)).all()
    chosen: dict[int, LinkedItem] = {}
    for module_id, module_slug, course_slug, text_lang, title, has_quiz in rows:
        if module_id in chosen and text_lang != lang:
            continue
        chosen[module_id] = LinkedItem(title, f"/courses/{course_slug}/{module_slug}", bool(has_quiz),
                                       f"{course_slug}/{module_slug}")
    return list(chosen.values())
