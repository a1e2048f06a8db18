"""What a valid launch does: the id_token checks pylti1p3 leaves loose, accounts by (issuer, subject), LMS
courses as classes, the landing page; and the modules offered for deep linking."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select

from app.extensions import db
from app.models import ClassTeacher, Enrollment, Role, User
from app.models.base import utcnow
from app.models.lti import LtiContext, LtiIdentity, LtiPlatform
from app.services import classes

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
# LIS context (course membership) roles that make someone a teacher of the class; everyone else launches as a
# student. A Mentor (a parent or adviser who follows some learners) is not a teacher of the class.
TEACHING_ROLES = frozenset({"Instructor", "Administrator", "ContentDeveloper", "TeachingAssistant"})
# Without any context role, an institution's or the LMS's own role decides (Instructor, Faculty, Administrator).
INSTITUTION_TEACHING_ROLES = frozenset({"Instructor", "Faculty", "Administrator"})
LIS = "http://purl.imsglobal.org/vocab/lis/v2/"
# Password hash of LTI-created accounts: not an Argon2 hash, so no password ever matches it.
NO_PASSWORD = "!lti-launch-only"


class LaunchRefused(Exception):
    """A launch that failed a check; ``reason`` is shown to the person and logged."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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
