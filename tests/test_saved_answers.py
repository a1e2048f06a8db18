"""Quizzes that keep work (issue 12): answers saved into the open attempt as the student goes, resumed on
reload and on another device, counted, never shown to anyone else, and kept with a summary on an error."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models import QuizAttempt
from app.quizzes import Quiz, field_names
from tests.conftest import PASSWORD, make_user
from tests.test_quiz_flow import _answers, _attempt, _start

JSON = {"Accept": "application/json"}


def _names(app, url: str) -> dict[str, str]:
    attempt = _attempt(app, url)
    return field_names(Quiz.from_dict(attempt.quiz_snapshot))


def _two_answers(app, url: str) -> dict:
    """Right answers to the first two questions (single choice and multiple response) only."""
    names = list(_names(app, url).values())
    everything = _answers(_attempt(app, url))
    return {name: everything[name] for name in names[:2]}


def test_save_button_keeps_answers_and_a_reload_shows_them(app, client, login_as, sample_course):
    login_as("student")
    url = _start(client)
    half = _two_answers(app, url)
    response = client.post(url, data={**half, "action": "save"})
    assert response.status_code == 303 and response.headers["Location"].endswith(url)
    page = client.get(url).get_data(as_text=True)
    assert "Your answers are saved." in page
    assert "Answered 2 of 4" in page
    single = next(iter(half.values()))
    assert re.search(rf'value="{single}" checked', page) or re.search(rf'checked[^>]*value="{single}"', page)
    for value in list(half.values())[1]:
        assert re.search(rf'<input [^>]*value="{value}"[^>]*checked|<input [^>]*checked[^>]*value="{value}"', page)


def test_fetch_save_answers_with_json_and_the_count(app, client, login_as, sample_course):
    login_as("student")
    url = _start(client)
    names = _names(app, url)
    numeric = names["q-co2-1959"]
    response = client.post(url, data={numeric: "316", "action": "save"}, headers=JSON)
    assert response.status_code == 200
    assert response.json == {"saved": True, "answered": 1, "total": 4, "answered_text": "Answered 1 of 4"}
    assert 'value="316"' in client.get(url).get_data(as_text=True)


def test_save_needs_the_csrf_token(app, client, login_as, sample_course):
    login_as("student")
    url = _start(client)
    response = client.post(url, data={"action": "save", _names(app, url)["q-co2-1959"]: "316"}, csrf=False,
                           headers={"Origin": "https://evil.example"})
    assert response.status_code == 400
    assert _attempt(app, url).saved_answers is None


def test_answers_resume_on_another_device(app, client, login_as, sample_course):
    student = login_as("student")
    url = _start(client)
    client.post(url, data={**_two_answers(app, url), "action": "save"})
    other_device = app.test_client()
    other_device.post("/auth/login", data={"email": student.email, "password": PASSWORD})
    assert "Answered 2 of 4" in other_device.get(url).get_data(as_text=True)


def test_another_student_can_neither_read_nor_overwrite_saved_answers(app, client, login_as, sample_course):
    login_as("student")
    url = _start(client)
    client.post(url, data={_names(app, url)["q-co2-1959"]: "316", "action": "save"})
    client.post("/auth/logout")
    login_as("student")
    assert client.get(url).status_code == 404
    assert client.post(url, data={_names(app, url)["q-co2-1959"]: "1", "action": "save"}).status_code == 404
    assert _attempt(app, url).saved_answers == [[_names(app, url)["q-co2-1959"], "316"]]


def test_only_the_quizs_own_fields_are_saved_and_size_is_bounded(app, client, login_as, sample_course):
    login_as("student")
    url = _start(client)
    numeric = _names(app, url)["q-co2-1959"]
    client.post(url, data={numeric: "316", "score": "100", "action": "save"})
    assert _attempt(app, url).saved_answers == [[numeric, "316"]]
    too_long = client.post(url, data={numeric: "9" * 5000, "action": "save"})
    assert too_long.status_code == 200 and "Keep the answer under" in too_long.get_data(as_text=True)
    assert _attempt(app, url).saved_answers == [[numeric, "316"]]  # nothing lost


def test_resumed_quiz_page_still_holds_no_answers(app, client, login_as, sample_course):
    login_as("student")
    url = _start(client)
    client.post(url, data={**_two_answers(app, url), "action": "save"})
    page = client.get(url).get_data(as_text=True)
    for secret in ("Right, water vapour absorbs the most.", "transparent to infrared", "misconception",
                   "15.98", "explanation", "feedback"):
        assert secret not in page, secret


def test_submit_clears_saved_answers_and_later_saves_are_refused(app, client, login_as, sample_course):
    login_as("student")
    url = _start(client)
    client.post(url, data={**_two_answers(app, url), "action": "save"})
    client.post(url, data=_answers(_attempt(app, url)))
    attempt = _attempt(app, url)
    assert attempt.status == "submitted" and attempt.saved_answers is None
    late = client.post(url, data={_names(app, url)["q-co2-1959"]: "1", "action": "save"}, headers=JSON)
    assert late.json == {"saved": False, "reason": "submitted"}
    assert _attempt(app, url).saved_answers is None


def test_validation_error_shows_a_summary_linking_to_the_question_and_keeps_answers(
    app, client, login_as, sample_course
):
    login_as("student")
    url = _start(client)
    names = _names(app, url)
    single, numeric = names["q-main-ghg"], names["q-co2-1959"]
    page = client.post(url, data={single: "forged-choice", numeric: "316"}).get_data(as_text=True)
    assert "<title>Error: Quiz" in page
    summary = re.search(r'<div class="error-summary" id="error-summary" role="alert" tabindex="-1" autofocus'
                        r'.*?</div>', page, re.S)
    assert summary is not None and "There is a problem" in summary.group(0)
    link = re.search(r'<a href="#([^"]+)">Which gas absorbs the most outgoing infrared radiation\? — ([^<]+)</a>',
                     summary.group(0))
    assert link is not None, summary.group(0)
    assert f'id="{link.group(1)}"' in page  # the link goes to the question's first control
    assert link.group(1).startswith(single)
    assert page.index("error-summary") < page.index("<h1>")
    assert 'value="316"' in page  # what the student typed is still there
    assert _attempt(app, url).status == "in_progress"
    assert [numeric, "316"] in _attempt(app, url).saved_answers  # and saved


def test_expired_session_fetch_save_gets_401_and_keeps_answers(app, client, sample_course):
    student = make_user()
    client.post("/auth/login", data={"email": student.email, "password": PASSWORD})
    url = _start(client)
    token = client.csrf_token()
    numeric = _names(app, url)["q-co2-1959"]
    client.post("/auth/logout")
    response = client.post(url, data={numeric: "316", "action": "save", "csrf_token": token}, headers=JSON)
    assert response.status_code == 401 and response.json["reason"] == "login"
    with app.app_context():
        assert db.session.scalar(select(QuizAttempt.saved_answers)) is None


def test_error_summary_names_questions_in_plain_text():
    from markupsafe import Markup
    from wtforms import Form

    from app.quizzes import form_problems
    from app.quizzes.widgets import QuizTextField

    class OneQuestion(Form):
        quiz_field_names = {"q": "q_one"}
        q_one = QuizTextField(label=Markup("How much CO<sub>2</sub> &amp; water?"))

    form = OneQuestion()
    form.q_one.errors = ["Enter a number."]
    [problem] = form_problems(form)
    assert problem.title == "How much CO2 & water?"
    assert problem.target_id == "q_one" and problem.messages == ["Enter a number."]


def test_shuffled_questions_are_shown_in_the_attempts_stored_order(app, client, login_as, sample_course):
    from tests.test_quiz_flow import _set_quiz_settings

    _set_quiz_settings(app, shuffle_questions=True)
    login_as("student")
    url = _start(client)
    with app.app_context():  # a known order, unlike the original one, whatever the random draw was
        stored = db.session.scalar(select(QuizAttempt).where(QuizAttempt.public_id == url.rsplit("/", 1)[1]))
        stored.question_order = [q["id"] for q in stored.quiz_snapshot["questions"]][::-1]
        db.session.commit()
    attempt = _attempt(app, url)
    names = field_names(Quiz.from_dict(attempt.quiz_snapshot))
    page = client.get(url).get_data(as_text=True)
    shown = sorted(attempt.question_order, key=lambda qid: page.index(f'id="{names[qid]}'))
    assert shown == attempt.question_order
