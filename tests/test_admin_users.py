"""Admins manage accounts: search, create, roles, deactivation, reset links, the last-admin rule, the audit log."""
from __future__ import annotations

import re
from datetime import timedelta
from email import message_from_bytes

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, ClassTeacher, Enrollment, Role, SchoolClass, User
from app.models.base import utcnow
from tests.conftest import AuthActions, make_user


def _actions(app) -> list[tuple[str, str]]:
    with app.app_context():
        return [(e.action, e.object_label) for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_search_filters_by_text_role_and_status_and_shows_classes(app, client, login_as):
    login_as("admin")
    teacher = make_user("teacher", name="Park Teacher")
    student = make_user("student", name="Kim Student")
    make_user("student", name="Lee Gone", active=False)
    with app.app_context():
        school_class = SchoolClass(name="Climate 2A", school="Pohang High", term="2026", owner_id=teacher.id)
        db.session.add(school_class)
        db.session.flush()
        db.session.add_all([ClassTeacher(class_id=school_class.id, user_id=teacher.id),
                            Enrollment(class_id=school_class.id, user_id=student.id)])
        db.session.commit()
    page = client.get("/admin/users?q=kim").get_data(as_text=True)
    assert "Kim Student" in page and "Park Teacher" not in page and "Climate 2A" in page
    page = client.get("/admin/users?role=teacher").get_data(as_text=True)
    assert "Park Teacher" in page and "Kim Student" not in page
    page = client.get("/admin/users?status=inactive").get_data(as_text=True)
    assert "Lee Gone" in page and "Kim Student" not in page
    page = client.get("/admin/users?q=climate 2a").get_data(as_text=True)  # by class: its teacher and students
    assert "Kim Student" in page and "Park Teacher" in page and "Lee Gone" not in page


def test_user_list_is_paginated_without_a_query_per_row(app, client, login_as, count_queries):
    login_as("admin")
    for _ in range(3):
        make_user("student")
    with count_queries() as statements:
        client.get("/admin/users")
    few = len(statements)
    for _ in range(5):
        make_user("student")
    with count_queries() as statements:
        client.get("/admin/users")
    assert len(statements) == few


def test_admin_creates_an_account_and_it_is_audited(app, client, login_as):
    admin = login_as("admin")
    response = client.post("/admin/users", data={"name": "New Teacher", "email": "new@school.example",
                                                  "role": "teacher", "password": "a long enough passphrase"})
    assert response.status_code in (302, 303)
    with app.app_context():
        entry = db.session.scalar(select(AuditEntry))
        assert (entry.action, entry.actor_id, entry.object_label, entry.details) == (
            "user.create", admin.id, "new@school.example", {"role": "teacher"})


def test_deactivated_user_cannot_log_in_keeps_data_and_loses_sessions(app, client, login_as):
    login_as("admin")
    student = make_user("student")
    other = app.test_client()
    AuthActions(other).login(student.email)
    assert other.get("/dashboard").status_code == 200
    client.post(f"/admin/users/{student.id}/active", data={"active": "0"})
    assert other.get("/dashboard").status_code in (302, 303)  # the open session ended
    assert AuthActions(app.test_client()).login(student.email).status_code == 200  # login refused
    with app.app_context():
        assert db.session.get(User, student.id) is not None
    client.post(f"/admin/users/{student.id}/active", data={"active": "1"})
    assert AuthActions(app.test_client()).login(student.email).status_code in (302, 303)
    assert [a for a, _ in _actions(app)] == ["user.deactivate", "user.reactivate"]


def test_the_last_active_admin_cannot_be_demoted_or_deactivated(app, client, login_as):
    admin = login_as("admin")
    page = client.post(f"/admin/users/{admin.id}/role", data={"role": "teacher"}, follow_redirects=True)
    assert "The last active admin cannot be demoted or deactivated" in page.get_data(as_text=True)
    page = client.post(f"/admin/users/{admin.id}/active", data={"active": "0"}, follow_redirects=True)
    assert "The last active admin cannot be demoted or deactivated" in page.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, admin.id)
        assert (user.role, user.active) == (Role.ADMIN, True)
    assert _actions(app) == []

    second = make_user("admin")
    client.post(f"/admin/users/{second.id}/role", data={"role": "teacher"})
    assert _actions(app) == [("user.role", second.email)]


def test_admin_sends_a_password_reset_link_that_works(app, client, login_as, outbox):
    login_as("admin")
    teacher = make_user("teacher")
    response = client.post(f"/admin/users/{teacher.id}/reset", follow_redirects=True)
    assert f"A password-reset link was sent to {teacher.email}" in response.get_data(as_text=True)
    message = message_from_bytes(next(outbox.glob("*.eml")).read_bytes())
    assert message["To"] == teacher.email
    link = re.search(r"http://localhost(/auth/reset/\S+)", message.get_payload(decode=True).decode()).group(1)
    assert app.test_client().get(link).status_code == 200
    assert _actions(app) == [("user.reset_link", teacher.email)]


def test_audit_log_filters_by_actor_action_and_date(app, client, login_as):
    admin = login_as("admin")
    other_admin = make_user("admin", name="Other Admin")
    with app.app_context():
        db.session.add_all([
            AuditEntry(actor_id=admin.id, actor_name=admin.name, action="user.role", object_label="alpha@x"),
            AuditEntry(actor_id=other_admin.id, actor_name="Other Admin", action="module.publish",
                       object_label="sample/reading (en)"),
            AuditEntry(actor_id=admin.id, actor_name=admin.name, action="course.hide", object_label="old-course",
                       created_at=utcnow() - timedelta(days=40)),
        ])
        db.session.commit()
    page = client.get(f"/admin/audit?actor={other_admin.id}").get_data(as_text=True)
    assert "sample/reading (en)" in page and "alpha@x" not in page
    page = client.get("/admin/audit?action=user.role").get_data(as_text=True)
    assert "alpha@x" in page and "sample/reading (en)" not in page
    since = (utcnow() - timedelta(days=7)).date().isoformat()
    page = client.get(f"/admin/audit?since={since}").get_data(as_text=True)
    assert "old-course" not in page and "alpha@x" in page
    page = client.get(f"/admin/audit?until={(utcnow() - timedelta(days=30)).date().isoformat()}").get_data(as_text=True)
    assert "old-course" in page and "alpha@x" not in page


def test_audit_details_read_as_sentences_in_english_and_korean(app, client, login_as):
    admin = login_as("admin")
    with app.app_context():
        db.session.add_all([
            AuditEntry(actor_id=admin.id, actor_name=admin.name, action="user.role", object_label="alpha@x",
                       details={"before": "student", "after": "teacher"}),
            AuditEntry(actor_id=admin.id, actor_name=admin.name, action="module.rollback",
                       object_label="sample/reading (ko)", details={"lang": "ko", "note": "#12"}),
            AuditEntry(actor_id=admin.id, actor_name=admin.name, action="upload.create", object_label="sample",
                       details={"name": "chart.png", "size": 52_000, "extra": "kept"}),
        ])
        db.session.commit()
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "Role changed from Student to Teacher." in page
    assert "Version #12 of the Korean text is live again." in page
    assert "Image “chart.png” uploaded (50.8 kB). extra: kept" in page  # an unknown key is still shown
    assert "before=student" not in page and "after=teacher" not in page
    client.post("/language", data={"language": "ko"})
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "역할이 학생에서 교사(으)로 바뀌었습니다." in page
    assert "한국어 글의 버전 #12이(가) 다시 게시되었습니다." in page


def test_every_admin_authoring_action_is_audited(app, client, login_as, sample_course):
    login_as("admin")
    client.post("/admin/courses/sample/modules/new", data={"slug": "extra", "title": "Extra"})
    client.post("/admin/courses/sample/modules/extra/move", data={"direction": "up"})
    client.post("/admin/courses/sample/visibility", data={"visible": "0"})
    client.get("/admin/courses/sample/export")
    assert [a for a, _ in _actions(app)] == ["module.create", "module.reorder", "course.hide", "course.export"]
    assert client.get("/admin/audit").status_code == 200
