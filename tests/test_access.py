"""Who may open what: every route × role, and a check that no route is missing from this table."""
from __future__ import annotations

import pytest

from tests.access_matrix import ACCESS_TABLES, EXEMPT_ENDPOINTS, changes_nothing

LOGIN = "login"  # redirected to the login page


def _expected_ok(response, expected) -> bool:
    if expected == LOGIN:
        return response.status_code in (302, 303) and "/auth/login" in response.headers["Location"]
    if expected == "redirect":
        return response.status_code in (302, 303)
    return response.status_code == expected


BASIC_ROLES = {"anonymous", "student", "teacher", "admin"}
# Every table whose rows use the four basic roles; tables with per-object roles (owner, co-teacher...) have
# their own test with the fixtures those roles need.
ROLE_ROWS = [row for table in ACCESS_TABLES for row in table if set(row[3]) <= BASIC_ROLES]


def access_case(method, path, role, expected):
    """Cases that change nothing read one shared world (marked read_only); the others get a fresh one."""
    marks = [pytest.mark.read_only] if changes_nothing(method, role, expected) else []
    return pytest.param(method, path, role, expected, marks=marks)


@pytest.mark.parametrize(
    "method, path, role, expected",
    [access_case(m, p, role, exp) for (_endpoint, m, p, table) in ROLE_ROWS for role, exp in table.items()],
    ids=lambda v: str(v),
)
def test_role_access(request, client, method, path, role, expected):
    if request.node.get_closest_marker("read_only"):
        world = request.getfixturevalue("access_world")
        if role != "anonymous":
            client = world.clients[role]
    else:
        request.getfixturevalue("sample_course")
        if role != "anonymous":
            request.getfixturevalue("login_as")(role)
    response = client.post(path, data={}) if method == "POST" else client.get(path)
    location = response.headers.get("Location")
    assert _expected_ok(response, expected), (method, path, role, response.status_code, location)


def test_every_route_has_an_access_rule(app):
    covered = set(EXEMPT_ENDPOINTS)
    for table in ACCESS_TABLES:
        covered |= {row[0] for row in table}
    missing = sorted({rule.endpoint for rule in app.url_map.iter_rules()} - covered)
    assert not missing, f"routes without a row in tests/access_matrix.py: {missing}"
