"""LTI Advantage services: scores to LMS gradebooks through a durable outbox (Assignment and Grade Services) and
class rosters from the LMS (Names and Role Provisioning Services).

Scores are queued in the quiz submission's own transaction, so a submission never waits for the LMS and no score
is lost when the LMS is down; ``flask lti push-scores``, run by a timer, sends them. Each row is claimed with a
conditional UPDATE before it is sent, so two pushers never send the same row; a failure puts it back with an
exponential backoff.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.grade import Grade
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.service_connector import ServiceConnector
from sqlalchemy import func, or_, select, update

from app.extensions import db
from app.models import AttemptStatus, Course, Enrollment, Module, QuizAttempt, Role, User
from app.models.base import utcnow
from app.models.lti import LtiContext, LtiGradeLink, LtiIdentity, LtiPlatform, LtiScore
from app.services import classes, lti

log = logging.getLogger(__name__)

AGS = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"
SCORE_SCOPE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
HTTP_TIMEOUT = 15
# A row claimed by a pusher that died is taken up again after this long.
STALE_CLAIM = timedelta(minutes=10)
MAX_BACKOFF = timedelta(hours=6)


# ------------------------------------------------------------------------------------------------ at launch time

def module_for_path(path: str | None) -> int | None:
    parts = (path or "").strip("/").split("/")
    if len(parts) != 3 or parts[0] != "courses":
        return None
    return db.session.scalar(select(Module.id).join(Course, Course.id == Module.course_id)
                             .where(Course.slug == parts[1], Module.slug == parts[2]))


def remember_services(body: dict[str, Any], user: User, module_id: int | None, platform: LtiPlatform | None) -> None:
    """Keep the launch's AGS line item (for this student and module) and the course's NRPS endpoint."""
    if platform is None:
        return
    endpoint = body.get(AGS) or {}
    if module_id and endpoint.get("lineitem") and SCORE_SCOPE in (endpoint.get("scope") or []):
        exists = db.session.scalar(select(LtiGradeLink.id).where(
            LtiGradeLink.user_id == user.id, LtiGradeLink.module_id == module_id,
            LtiGradeLink.lineitem_url == endpoint["lineitem"]))
        if exists is None:
            db.session.add(LtiGradeLink(user_id=user.id, module_id=module_id, platform_id=platform.id,
                                        subject=body["sub"], lineitem_url=endpoint["lineitem"],
                                        scopes=list(endpoint.get("scope") or [])))
    memberships = (body.get(NRPS) or {}).get("context_memberships_url")
    context_id = (body.get(lti.CLAIM + "context") or {}).get("id")
    if memberships and context_id:
        db.session.execute(update(LtiContext).where(
            LtiContext.issuer == body["iss"], LtiContext.context_id == context_id,
            LtiContext.deployment_id == body.get(lti.CLAIM + "deployment_id", "")
        ).values(memberships_url=memberships, platform_id=platform.id))
    db.session.flush()


# ------------------------------------------------------------------------------------------------ at submit time

def queue_scores(user_id: int, module_id: int) -> int:
    """Queue the student's best score on this module for every LMS line item it belongs to (caller commits)."""
    links = db.session.scalars(select(LtiGradeLink).where(LtiGradeLink.user_id == user_id,
                                                          LtiGradeLink.module_id == module_id)).all()
    if not links:
        return 0
    best = db.session.scalar(select(func.max(QuizAttempt.percent)).where(
        QuizAttempt.user_id == user_id, QuizAttempt.module_id == module_id,
        QuizAttempt.status == AttemptStatus.SUBMITTED)) or 0
    now = utcnow()
    for link in links:
        db.session.add(LtiScore(grade_link_id=link.id, score_given=float(best), score_maximum=100.0, scored_at=now,
                                next_try_at=now))
    db.session.flush()
    return len(links)


# ------------------------------------------------------------------------------------------------ sending

class _TimeoutSession(requests.Session):
    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        return super().request(*args, **kwargs)


class _Connector(ServiceConnector):
    """pylti1p3's connector with its access tokens kept for one push run."""

    def __init__(self, registration):
        super().__init__(registration, requests_session=_TimeoutSession())
        self._tokens: dict[str, str] = {}

    def _get_cached_access_token(self, scope_key: str) -> str | None:
        return self._tokens.get(scope_key)

    def _cache_access_token(self, scope_key: str, access_token: str, expires_in: float):
        self._tokens[scope_key] = access_token


def _connector(platform: LtiPlatform, secret_key: str, cache: dict[int, _Connector]) -> _Connector:
    if platform.id not in cache:
        registration = lti.OndoToolConf(secret_key).find_registration_by_params(platform.issuer, platform.client_id)
        cache[platform.id] = _Connector(registration)
    return cache[platform.id]


def backoff(tries: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(tries - 1, 0)), MAX_BACKOFF)


@dataclass(frozen=True)
class PushReport:
    sent: int
    failed: int
    waiting: int


def _claim(score_id: int, now: datetime) -> bool:
    claimed = db.session.execute(update(LtiScore).where(
        LtiScore.id == score_id,
        or_(LtiScore.status == "pending", (LtiScore.status == "sending") & (LtiScore.claimed_at < now - STALE_CLAIM)),
    ).values(status="sending", claimed_at=now)).rowcount
    db.session.commit()
    return bool(claimed)


def push_scores(secret_key: str, *, now: datetime | None = None, limit: int = 500) -> PushReport:
    """Send the due scores, oldest first; a failed row waits for its backoff and is tried again later."""
    now = now or utcnow()
    due = db.session.execute(
        select(LtiScore.id).where(or_(
            (LtiScore.status == "pending") & (LtiScore.next_try_at <= now),
            (LtiScore.status == "sending") & (LtiScore.claimed_at < now - STALE_CLAIM),
        )).order_by(LtiScore.id).limit(limit)).scalars().all()
    connectors: dict[int, _Connector] = {}
    sent = failed = 0
    for score_id in due:
        if not _claim(score_id, now):
            continue  # another pusher has it
        score = db.session.get(LtiScore, score_id)
        link = db.session.get(LtiGradeLink, score.grade_link_id)
        platform = db.session.get(LtiPlatform, link.platform_id)
        grade = (Grade().set_score_given(score.score_given).set_score_maximum(score.score_maximum)
                 .set_timestamp(score.scored_at.isoformat()).set_activity_progress("Completed")
                 .set_grading_progress("FullyGraded").set_user_id(link.subject))
        try:
            service = AssignmentsGradesService(_connector(platform, secret_key, connectors),
                                               {"scope": link.scopes, "lineitem": link.lineitem_url})
            service.put_grade(grade)
        except Exception as error:  # the LMS down, a refused token, a timeout: keep the row and try later
            failed += 1
            score.status, score.tries = "pending", score.tries + 1
            score.next_try_at = now + backoff(score.tries)
            score.last_error = f"{type(error).__name__}: {error}"[:500]
            log.warning("LTI score %s not sent (try %s): %s", score.id, score.tries, score.last_error)
        else:
            sent += 1
            score.status, score.sent_at, score.last_error = "sent", now, ""
        db.session.commit()
    waiting = db.session.scalar(select(func.count()).select_from(LtiScore).where(LtiScore.status != "sent"))
    return PushReport(sent, failed, waiting)


# ------------------------------------------------------------------------------------------------ rosters

@dataclass(frozen=True)
class RosterReport:
    students_added: int
    teachers_added: int
    unchanged: int


def class_context(class_id: int) -> LtiContext | None:
    return db.session.scalar(select(LtiContext).where(LtiContext.class_id == class_id,
                                                      LtiContext.memberships_url.is_not(None)))


def sync_roster(class_id: int, secret_key: str) -> RosterReport:
    """Enrol the LMS course's active members (matched by issuer and LMS user id) in the class."""
    context = class_context(class_id)
    if context is None:
        raise LookupError("no_roster_service")
    platform = db.session.get(LtiPlatform, context.platform_id)
    service = NamesRolesProvisioningService(_connector(platform, secret_key, {}),
                                            {"context_memberships_url": context.memberships_url})
    members = service.get_members()
    students = teachers = unchanged = 0
    for member in members:
        if member.get("status", "Active") != "Active" or not member.get("user_id"):
            continue
        body = {"iss": context.issuer, "sub": member["user_id"], "name": member.get("name"),
                "given_name": member.get("given_name"), "family_name": member.get("family_name"),
                lti.CLAIM + "roles": member.get("roles") or []}
        user = lti.account_for(body)
        if lti.role_from_claims(body) == Role.TEACHER and user.role == Role.TEACHER:
            if classes.teaches(user, class_id):
                unchanged += 1
            else:
                from app.models import ClassTeacher

                db.session.add(ClassTeacher(class_id=class_id, user_id=user.id))
                teachers += 1
        elif user.role == Role.STUDENT:
            enrolled = db.session.scalar(select(func.count()).select_from(Enrollment).where(
                Enrollment.class_id == class_id, Enrollment.user_id == user.id))
            if enrolled:
                unchanged += 1
            else:
                db.session.add(Enrollment(class_id=class_id, user_id=user.id))
                students += 1
        db.session.flush()
    db.session.commit()
    return RosterReport(students, teachers, unchanged)


def identities_count() -> int:
    return db.session.scalar(select(func.count()).select_from(LtiIdentity))
