"""The access table every route joins. Rows: (endpoint, method, path, {role: expected}).

Expected is a status code, "login" (redirect to the login page) or "redirect" (any other redirect).
Routes that act on one object (a class, an attempt) have their own matrices with more roles
(student in / outside the class, owning teacher, co-teacher, other teacher) in their test modules;
they register their table in ACCESS_TABLES so the route-inventory test sees them.
"""
from __future__ import annotations

ANYONE = {"anonymous": 200, "student": 200, "teacher": 200, "admin": 200}
STUDENT_ONLY = {"anonymous": "login", "student": 200, "teacher": 403, "admin": 403}
STAFF = {"anonymous": "login", "student": 403, "teacher": 200, "admin": 200}
ADMIN_ONLY = {"anonymous": "login", "student": 403, "teacher": 403, "admin": 200}
SIGNED_IN = {"anonymous": "login", "student": 200, "teacher": 200, "admin": 200}
SIGNED_IN_404 = {"anonymous": "login", "student": 404, "teacher": 404, "admin": 404}
SIGNED_IN_REDIRECT = {"anonymous": "login", "student": "redirect", "teacher": "redirect", "admin": "redirect"}
GUESTS = {"anonymous": 200, "student": "redirect", "teacher": "redirect", "admin": "redirect"}

ROLE_ACCESS: list[tuple[str, str, str, dict]] = [
    ("learn.home", "GET", "/", ANYONE),
    ("health.healthz", "GET", "/healthz", ANYONE),  # load balancers; tests/test_operations.py
    ("learn.favicon", "GET", "/favicon.ico", ANYONE),
    ("learn.set_language", "POST", "/language", dict.fromkeys(ANYONE, "redirect")),
    ("learn.dashboard", "GET", "/dashboard", STUDENT_ONLY),
    ("auth.login", "GET", "/auth/login", GUESTS),
    ("auth.register", "GET", "/auth/register", GUESTS),
    ("auth.logout", "POST", "/auth/logout", dict.fromkeys(ANYONE, "redirect")),
    ("auth.change_password", "GET", "/auth/password", SIGNED_IN),
    ("auth.forgot_password", "GET", "/auth/forgot", ANYONE),
    ("auth.reset_password", "GET", "/auth/reset/not-a-token", dict.fromkeys(ANYONE, "redirect")),
    ("learn.catalogue", "GET", "/courses", SIGNED_IN),
    ("learn.course", "GET", "/courses/sample", SIGNED_IN),
    ("learn.module", "GET", "/courses/sample/reading", SIGNED_IN),
    ("learn.course_asset", "GET", "/courses/sample/assets/none.png", {**SIGNED_IN_404, "anonymous": "login"}),
    ("learn.complete", "POST", "/courses/sample/reading/complete", SIGNED_IN_REDIRECT),
    ("learn.inline_check", "POST", "/courses/sample/reading/checks/0", SIGNED_IN_REDIRECT),
    ("learn.start_quiz", "POST", "/courses/sample/quiz/quiz", SIGNED_IN_REDIRECT),
    ("learn.attempt", "GET", "/attempts/0123456789abcdef", SIGNED_IN_404),  # owners: tests/test_quiz_flow.py
    ("learn.progress_csv", "GET", "/my/progress.csv", SIGNED_IN),
    ("learn.attempts_csv", "GET", "/my/attempts.csv", SIGNED_IN),
    ("teach.dashboard", "GET", "/teach/", STAFF),
    ("admin.dashboard", "GET", "/admin/", ADMIN_ONLY),
    ("admin.users", "GET", "/admin/users", ADMIN_ONLY),
    ("admin.change_role", "POST", "/admin/users/999999/role", {**ADMIN_ONLY, "admin": 404}),
]



def changes_nothing(method: str, role: str, expected) -> bool:
    """A case that leaves the world as it found it, so it may share one (tests/conftest.py access_world): every GET,
    every refused request (login, 400, 403, 404) and every anonymous one (sent from a fresh client)."""
    return method == "GET" or expected in ("login", 400, 403, 404) or role == "anonymous"


# Served to everyone by Flask itself.
EXEMPT_ENDPOINTS = {"static"}

ACCESS_TABLES: list[list[tuple]] = [ROLE_ACCESS]

from tests.access_admin import ADMIN_ACCESS  # noqa: E402
from tests.access_classes import CLASS_ACCESS  # noqa: E402

ACCESS_TABLES.extend([CLASS_ACCESS, ADMIN_ACCESS])

from tests.access_lti import LTI_ACCESS  # noqa: E402

ACCESS_TABLES.append(LTI_ACCESS)
