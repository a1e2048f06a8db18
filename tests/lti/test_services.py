"""LTI Advantage services against the test platform: quiz scores to the LMS gradebook through the outbox (AGS),
retries when the LMS is down, each score sent once even with two pushers, and rosters from the LMS (NRPS)."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Enrollment, LtiScore, Role, SchoolClass, User
from app.models.base import utcnow
from app.services import lti, lti_scores
from tests.conftest import make_user
from tests.lti.platform import INSTRUCTOR, LEARNER, TestPlatform
from tests.lti.test_launch import full_launch
from tests.test_quiz_flow import _answers, _attempt, _start

QUIZ = "http://localhost/courses/sample/quiz"


@pytest.fixture
def platform(app, client):
    test_platform = TestPlatform()
    admin = make_user(Role.ADMIN)
    with app.app_context():
        lti.save_platform(lti.PlatformFields(**test_platform.registration()), db.session.get(User, admin.id))
    test_platform.tool_jwks = lambda: app.test_client().get("/lti/jwks.json").get_json()
    yield test_platform
    test_platform.close()


def take_quiz(app, client) -> None:
    url = _start(client)
    response = client.post(url, data=_answers(_attempt(app, url)))
    assert response.status_code in (302, 303)


def push(app, **kw) -> lti_scores.PushReport:
    with app.app_context():
        return lti_scores.push_scores(app.config["SECRET_KEY"], **kw)


def test_a_quiz_score_reaches_the_lms_gradebook_once(app, client, platform, sample_course):
    assert full_launch(client, platform, target_link_uri=QUIZ).status_code == 303
    take_quiz(app, client)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LtiScore)) == 1
    report = push(app)
    assert (report.sent, report.failed, report.waiting) == (1, 0, 0)
    [score] = platform.scores
    assert score["lineitem"] == f"{platform.base}/lineitems/course-101/1"
    assert score["userId"] == "user-1" and score["scoreGiven"] == 100 and score["scoreMaximum"] == 100
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"
    assert score["timestamp"]
    assert push(app).sent == 0 and len(platform.scores) == 1  # nothing is sent twice


def test_when_the_lms_is_down_the_score_waits_and_is_sent_later(app, client, platform, sample_course):
    full_launch(client, platform, target_link_uri=QUIZ)
    take_quiz(app, client)
    platform.failing = True
    report = push(app)
    assert (report.sent, report.failed, report.waiting) == (0, 1, 1)
    with app.app_context():
        row = db.session.scalar(select(LtiScore))
        assert row.status == "pending" and row.tries == 1 and row.last_error
    platform.failing = False
    assert push(app).sent == 0  # not due yet: it waits for its backoff
    assert push(app, now=utcnow() + timedelta(minutes=3)).sent == 1
    assert len(platform.scores) == 1


def test_two_pushers_at_once_send_each_score_once(app, client, platform, sample_course):
    for n in range(3):  # three students of the LMS course, each with a score to send
        student = app.test_client()
        full_launch(student, platform, sub=f"student-{n}", target_link_uri=QUIZ)
        take_quiz(app, student)
    barrier = threading.Barrier(2)
    reports = []

    def pusher():
        with app.app_context():
            barrier.wait()
            reports.append(lti_scores.push_scores(app.config["SECRET_KEY"]))
            db.session.remove()

    threads = [threading.Thread(target=pusher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sum(r.sent for r in reports) == 3 and len(platform.scores) == 3


def test_a_launch_without_grade_service_queues_nothing(app, client, platform, sample_course):
    auth_claims = {"https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": None}
    full_launch(client, platform, target_link_uri=QUIZ, **auth_claims)
    take_quiz(app, client)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LtiScore)) == 0


def test_teacher_syncs_the_class_roster_from_the_lms(app, client, platform, sample_course):
    full_launch(client, platform, sub="lecturer-1", roles=[INSTRUCTOR])
    platform.members = [
        {"user_id": "lecturer-1", "roles": [INSTRUCTOR], "name": "Prof. Lee", "status": "Active"},
        {"user_id": "s-1", "roles": [LEARNER], "name": "Student One", "status": "Active"},
        {"user_id": "s-2", "roles": [LEARNER], "name": "Student Two", "status": "Active"},
        {"user_id": "s-3", "roles": [LEARNER], "name": "Dropped Out", "status": "Inactive"},
    ]
    with app.app_context():
        class_id = db.session.scalar(select(SchoolClass.id))
    page = client.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert "Sync the roster from the LMS" in page
    response = client.post(f"/teach/classes/{class_id}/lms-roster", follow_redirects=True)
    assert "2 students and 0 teachers added, 1 already in the class" in response.get_data(as_text=True)
    again = client.post(f"/teach/classes/{class_id}/lms-roster", follow_redirects=True)
    assert "0 students and 0 teachers added, 3 already in the class" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 2
    platform.failing = True
    down = client.post(f"/teach/classes/{class_id}/lms-roster", follow_redirects=True)
    assert "The LMS did not send the roster" in down.get_data(as_text=True)


def test_the_timer_command_sends_scores_reports_failures_and_clears_expired_launch_values(app, client, platform,
                                                                                         sample_course):
    from app.models import LtiLaunchValue

    full_launch(client, platform, target_link_uri=QUIZ)
    take_quiz(app, client)
    with app.app_context():
        db.session.add(LtiLaunchValue(key="lti1p3-nonce-old", value=True, expires_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    runner = app.test_cli_runner()
    platform.failing = True
    down = runner.invoke(args=["lti", "push-scores"])
    assert down.exit_code == 1 and "sent 0, failed 1, waiting 1; 1 expired launch values deleted" in down.output
    platform.failing = False
    with app.app_context():
        db.session.execute(LtiScore.__table__.update().values(next_try_at=utcnow()))
        db.session.commit()
    up = runner.invoke(args=["lti", "push-scores"])
    assert up.exit_code == 0 and "sent 1, failed 0, waiting 0" in up.output and len(platform.scores) == 1
