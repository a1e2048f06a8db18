"""Class routes × the seven roles that matter for a class."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Module, Role, User
from app.services import assignments, classes
from tests.access_classes import CLASS_ACCESS
from tests.conftest import PASSWORD, make_user


@pytest.fixture
def class_world(app, sample_course):
    """A class with its owner, a co-teacher, an enrolled student, and outsiders of every kind."""
    people = {
        "owner": make_user(Role.TEACHER), "co_teacher": make_user(Role.TEACHER),
        "other_teacher": make_user(Role.TEACHER), "student_in": make_user(Role.STUDENT),
        "student_out": make_user(Role.STUDENT), "admin": make_user(Role.ADMIN),
    }
    with app.app_context():
        owner = db.session.get(User, people["owner"].id)
        school_class = classes.create_class(owner, name="10-3 Science", school="Pohang High", term="2026")
        classes.add_co_teacher(school_class, people["co_teacher"].email)
        classes.join_with_code(db.session.get(User, people["student_in"].id), school_class.join_code)
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "quiz"))
        assignment = assignments.assign(school_class, module_id=module_id, course_id=None, due_at=None, note="",
                                        by=owner, prepost=True)
        ids = {"class_id": school_class.id, "student_id": people["student_in"].id, "module_id": module_id,
               "assignment_id": assignment.id}
    return people, ids


@pytest.mark.parametrize("endpoint, method, path, table", CLASS_ACCESS, ids=[row[0] for row in CLASS_ACCESS])
@pytest.mark.parametrize("role", ["anonymous", "student_in", "student_out", "owner", "co_teacher", "other_teacher",
                                  "admin"])
def test_class_route_access(client, class_world, endpoint, method, path, table, role):
    people, ids = class_world
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
