"""Models, one module per aggregate; imported here so Alembic and the app see every table."""
from app.models.audit import AuditEntry
from app.models.authoring import ModuleRevision
from app.models.base import Base
from app.models.classes import Assignment, AssignmentForm, ClassTeacher, Enrollment, SchoolClass
from app.models.course import Course, Module, ModuleText
from app.models.learning import AttemptAnswer, AttemptStatus, ModuleProgress, PendingAnswers, QuizAttempt
from app.models.lti import LtiContext, LtiGradeLink, LtiIdentity, LtiKey, LtiLaunchValue, LtiPlatform, LtiScore
from app.models.scenario import ScenarioRun
from app.models.user import Role, User

__all__ = [
    "Assignment", "AssignmentForm", "AttemptAnswer", "AttemptStatus", "Base", "ClassTeacher", "Course", "Enrollment",
    "Module", "ModuleProgress", "ModuleText", "PendingAnswers", "QuizAttempt", "Role", "SchoolClass", "User",
    "AuditEntry", "ModuleRevision", "ScenarioRun",
    "LtiContext", "LtiGradeLink", "LtiIdentity", "LtiKey", "LtiLaunchValue", "LtiPlatform", "LtiScore",
]
