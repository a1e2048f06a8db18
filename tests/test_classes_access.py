"""Class routes × the seven roles that matter for a class."""
from __future__ import annotations

import pytest

from tests.access_classes import CLASS_ACCESS
from tests.access_matrix import changes_nothing
from tests.conftest import PASSWORD, build_class_world

ROLES = ["anonymous", "student_in", "student_out", "owner", "co_teacher", "other_teacher", "admin"]


@pytest.fixture
def class_world(app, sample_course):
    """A class with its owner, a co-teacher, an enrolled student, and outsiders of every kind (a fresh one)."""
    return build_class_world()


def class_case(endpoint, method, path, table, role):
    """Cases that change nothing (GETs, refusals, anonymous) read the shared access world, marked read_only."""
    marks = [pytest.mark.read_only] if changes_nothing(method, role, table[role]) else []
    return pytest.param(endpoint, method, path, table, role, marks=marks, id=f"{role}-{endpoint}")


@pytest.mark.parametrize("endpoint, method, path, table, role",
                         [class_case(*row, role) for role in ROLES for row in CLASS_ACCESS])
def test_class_route_access(request, client, endpoint, method, path, table, role):
    if request.node.get_closest_marker("read_only"):
        world = request.getfixturevalue("access_world")
        ids = world.ids
        if role != "anonymous":
            client = world.clients[f"class.{role}"]
    else:
        people, ids = request.getfixturevalue("class_world")
        if role != "anonymous":
            client.post("/auth/login", data={"email": people[role].email, "password": PASSWORD})
    url = path.format(**ids)
    response = client.post(url, data={}) if method == "POST" else client.get(url)
    expected = table[role]
    if expected == "login":
        assert response.status_code in (302, 303), response.status_code
        assert "/auth/login" in response.headers["Location"]
    elif expected == "redirect":
        assert response.status_code in (302, 303), response.status_code
    else:
        assert response.status_code == expected, (url, role, response.status_code)
