"""Answers sent after the session ended are kept server-side: long answers survive, nothing goes into the cookie,
and a cross-site form posting to the same address cannot log the student out."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.extensions import db
from app.models import PendingAnswers, QuizAttempt, User
from app.models.base import utcnow
from tests.conftest import CSRF_RE, PASSWORD, make_user
from tests.test_quiz_flow import _answers, _attempt, _start

LONG = "carbon dioxide " + "x" * 20_000  # a long answer, far beyond what any cookie can hold


def _end_session_elsewhere(app, user_id: int) -> None:
    with app.app_context():
        db.session.get(User, user_id).session_version += 1  # logged out on another device
        db.session.commit()


def _logged_in_student_with_attempt(app, client):
    student = make_user()
    client.post("/auth/login", data={"email": student.email, "password": PASSWORD})
    url = _start(client)
    return student, url, _answers(_attempt(app, url))


def _session_cookies(response) -> list[str]:
    return [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]


def test_long_answers_are_kept_in_the_database_not_the_cookie(app, client, sample_course):
    student, url, answers = _logged_in_student_with_attempt(app, client)
    answers["q_q_co2_name"] = LONG
    _end_session_elsewhere(app, student.id)
    response = client.post(url, data=answers, csrf=False)
    assert response.status_code == 303
    assert _session_cookies(response) == []
    assert sum(len(c) for c in response.headers.getlist("Set-Cookie")) < 4096
    login_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your session ended" in login_page
    back = client.post(response.headers["Location"], data={"email": student.email, "password": PASSWORD})
    page = client.get(back.headers["Location"]).get_data(as_text=True)
    assert "Your answers were kept" in page and LONG in page
    # Taken once: the row is gone and a reload shows an empty form.
    with app.app_context():
        assert db.session.scalar(select(PendingAnswers)) is None
    assert LONG not in client.get(back.headers["Location"]).get_data(as_text=True)


def test_a_cross_site_post_to_the_attempt_does_not_log_the_student_out(app, client, sample_course):
    _student, url, answers = _logged_in_student_with_attempt(app, client)
    # A page on another site auto-posts a form to the attempt. With SameSite=Lax the browser sends no session
    # cookie with that POST, but it would store any session cookie the response sets, replacing the student's.
    other_site = app.test_client()
    response = other_site.post(url, data={**answers, "q_q_co2_name": "planted"}, csrf=False,
                               headers={"Origin": "https://evil.example"})
    assert response.status_code == 303
    assert response.headers.getlist("Set-Cookie") == []
    assert client.get("/dashboard").status_code == 200
    # Following the redirect while logged in lands on the dashboard, not on a form filled by the other site.
    followed = client.get(response.headers["Location"])
    assert followed.status_code in (302, 303) and "/auth/login" not in followed.headers["Location"]


def test_kept_answers_expire(app, client, sample_course):
    student, url, answers = _logged_in_student_with_attempt(app, client)
    answers["q_q_co2_name"] = "methane, surely"
    _end_session_elsewhere(app, student.id)
    response = client.post(url, data=answers, csrf=False)
    with app.app_context():
        db.session.execute(update(PendingAnswers).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    back = client.post(response.headers["Location"], data={"email": student.email, "password": PASSWORD})
    page = client.get(back.headers["Location"]).get_data(as_text=True)
    assert "methane, surely" not in page and "Your answers were kept" not in page


def test_kept_answers_come_back_only_to_their_own_attempt(app, client, sample_course):
    student, url, answers = _logged_in_student_with_attempt(app, client)
    answers["q_q_co2_name"] = "kept for the owner"
    _end_session_elsewhere(app, student.id)
    response = client.post(url, data=answers, csrf=False)
    next_url = response.headers["Location"].split("next=", 1)[1]
    key = next_url.rsplit("kept%3D", 1)[1].split("&", 1)[0]
    other = app.test_client()
    other.post("/auth/login", data={"email": make_user().email, "password": PASSWORD})
    others_attempt = _start(other)
    page = other.get(f"{others_attempt}?kept={key}").get_data(as_text=True)
    assert "kept for the owner" not in page
    assert other.get(f"{url}?kept={key}").status_code == 404


def test_kept_answers_with_a_nul_byte_are_kept_without_it_on_both_databases(app, client, sample_course):
    student, url, answers = _logged_in_student_with_attempt(app, client)
    answers["q_q_co2_name"] = "carbon\x00 dioxide"
    _end_session_elsewhere(app, student.id)
    response = client.post(url, data=answers, csrf=False)
    assert response.status_code == 303
    back = client.post(response.headers["Location"], data={"email": student.email, "password": PASSWORD})
    page = client.get(back.headers["Location"]).get_data(as_text=True)
    assert "Your answers were kept" in page and "carbon dioxide" in page
def test_answers_sent_from_the_old_tab_after_logging_in_again_in_another_are_kept(app, client, sample_course):
    # The session ended; the student logged in again in a new tab (a new session, so a new form token) and then
    # pressed "Submit answers" in the quiz tab, whose token belonged to the old session.
    student, url, answers = _logged_in_student_with_attempt(app, client)
    old_token = CSRF_RE.search(client.get(url).get_data(as_text=True)).group(1)
    answers["q_q_co2_name"] = "kept across the new login"
    _end_session_elsewhere(app, student.id)
    client.post("/auth/login", data={"email": student.email, "password": PASSWORD})
    response = client.post(url, data={**answers, "csrf_token": old_token})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your answers were kept" in page and "kept across the new login" in page
    with app.app_context():  # nothing was sent on the student's behalf: they check and send
        assert db.session.scalar(select(QuizAttempt.status).where(QuizAttempt.public_id == url.rsplit("/", 1)[1])) \
            == "in_progress"
