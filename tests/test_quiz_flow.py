"""Taking quizzes in the app: no leaks, grading on the server, attempts, reveal rules, snapshots, progress."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from app.extensions import db
from app.models import Module, ModuleProgress, ModuleText, QuizAttempt
from app.quizzes import Quiz, correct_response, field_names
from tests.conftest import PASSWORD, make_user, without_random_tokens

QUIZ_PATH = "/courses/sample/quiz"


def _start(client) -> str:
    response = client.post(f"{QUIZ_PATH}/quiz", data={"lang": "en"})
    assert response.status_code in (302, 303), response.status_code
    return response.headers["Location"]


def _attempt(app, url: str) -> QuizAttempt:
    public_id = url.rsplit("/", 1)[1]
    with app.app_context():
        return db.session.scalar(select(QuizAttempt).where(QuizAttempt.public_id == public_id))


def _answers(attempt: QuizAttempt, *, right: bool = True) -> dict:
    quiz = Quiz.from_dict(attempt.quiz_snapshot)
    names = field_names(quiz)
    data: dict = {}
    for question in quiz.questions:
        if right:
            data[names[question.id]] = correct_response(question)
        elif question.type == "single":
            data[names[question.id]] = next(c.id for c in question.choices if not c.correct)
        elif question.type == "numeric":
            data[names[question.id]] = "200"
    return data


def _set_quiz_settings(app, **settings) -> None:
    with app.app_context():
        for text in db.session.scalars(select(ModuleText).where(ModuleText.quiz.is_not(None))):
            text.quiz = {**text.quiz, "settings": {**text.quiz["settings"], **settings}}
        db.session.commit()


def test_unanswered_quiz_page_holds_no_answers_feedback_or_explanations(app, client, login_as, sample_course):
    login_as("student")
    page = without_random_tokens(client.get(_start(client)).get_data(as_text=True))
    assert "Which gas absorbs the most outgoing infrared radiation?" in page
    for secret in ("Right, water vapour absorbs the most.", "transparent to infrared",
                   "Water vapour absorbs the most, but",
                   "ozone-hole-causes-warming", "ghg-are-most-of-air", "misconception", "316", "이산화", "15.98",
                   "correct", "explanation", "feedback"):
        assert secret not in page, secret


def test_choice_values_are_opaque_not_positions(app, client, login_as, sample_course):
    login_as("student")
    page = client.get(_start(client)).get_data(as_text=True)
    values = re.findall(r'type="(?:radio|checkbox)" value="([^"]+)"', page)
    assert values and all(not v.isdigit() for v in values if v not in ("true", "false"))


def test_every_control_is_labelled(app, client, login_as, sample_course):
    login_as("student")
    page = client.get(_start(client)).get_data(as_text=True)
    ids = re.findall(r'<input[^>]*\bid="([^"]+)"[^>]*type="(?:radio|checkbox|text)"', page)
    ids += re.findall(r'<input[^>]*type="(?:radio|checkbox|text)"[^>]*\bid="([^"]+)"', page)
    assert ids
    for control in set(ids):
        assert f'for="{control}"' in page, control


def test_right_answers_pass_and_complete_the_module(app, client, login_as, sample_course):
    student = login_as("student")
    url = _start(client)
    response = client.post(url, data=_answers(_attempt(app, url)))
    assert response.status_code == 303
    page = client.get(url).get_data(as_text=True)
    assert "Passed. The module is complete." in page and "(100%)" in page
    assert "Water vapour absorbs the most, but" in page  # explanation revealed after the attempt
    with app.app_context():
        progress = db.session.scalar(select(ModuleProgress).where(ModuleProgress.user_id == student.id))
        assert progress.completed_at is not None and progress.best_percent == 100 and progress.attempts == 1


def test_fail_then_retake_and_pass(app, client, login_as, sample_course):
    login_as("student")
    first = _start(client)
    client.post(first, data=_answers(_attempt(app, first), right=False))
    assert "Not passed yet" in client.get(first).get_data(as_text=True)
    second = _start(client)
    assert second != first
    client.post(second, data=_answers(_attempt(app, second)))
    assert "Passed" in client.get(second).get_data(as_text=True)
    assert "Quiz passed" in client.get("/courses/sample").get_data(as_text=True)


def test_attempt_limit_is_enforced(app, client, login_as, sample_course):
    login_as("student")
    for _ in range(2):  # the sample quiz allows two attempts
        url = _start(client)
        client.post(url, data=_answers(_attempt(app, url), right=False))
    response = client.post(f"{QUIZ_PATH}/quiz", data={"lang": "en"}, follow_redirects=True)
    assert "You have used all the attempts" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 2


def test_double_submit_records_one_attempt(app, client, login_as, sample_course):
    login_as("student")
    url = _start(client)
    answers = _answers(_attempt(app, url))
    client.post(url, data=answers)
    again = client.post(url, data=answers, follow_redirects=True).get_data(as_text=True)
    assert "already sent" in again
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(QuizAttempt.status == "submitted")) == 1
        assert db.session.scalar(select(ModuleProgress.attempts)) == 1


def test_two_tabs_share_one_attempt_with_a_stable_order(app, client, login_as, sample_course):
    _set_quiz_settings(app, shuffle_questions=True)
    login_as("student")
    first, second = _start(client), _start(client)
    assert first == second
    order = lambda html: re.findall(r'<legend>(.*?)</legend>', html)  # noqa: E731
    assert order(client.get(first).get_data(as_text=True)) == order(client.get(first).get_data(as_text=True))
    assert _attempt(app, first).question_order


def test_reveal_never_hides_answers_and_explanations(app, client, login_as, sample_course):
    _set_quiz_settings(app, reveal="never")
    login_as("student")
    url = _start(client)
    client.post(url, data=_answers(_attempt(app, url), right=False))
    page = client.get(url).get_data(as_text=True)
    assert "Water vapour absorbs the most, but" not in page and "Right answer:" not in page
    assert "not shown for this quiz" in page


def test_reveal_after_passing_shows_only_once_passed(app, client, login_as, sample_course):
    _set_quiz_settings(app, reveal="after_passing")
    login_as("student")
    url = _start(client)
    client.post(url, data=_answers(_attempt(app, url), right=False))
    assert "Right answer:" not in client.get(url).get_data(as_text=True)
    url = _start(client)
    client.post(url, data=_answers(_attempt(app, url)))
    assert "Right answer:" in client.get(url).get_data(as_text=True)


def test_past_attempt_keeps_its_questions_after_the_quiz_is_edited(app, client, login_as, sample_course):
    login_as("student")
    url = _start(client)
    client.post(url, data=_answers(_attempt(app, url)))
    with app.app_context():
        for text in db.session.scalars(select(ModuleText).where(ModuleText.quiz.is_not(None))):
            quiz = dict(text.quiz)
            quiz["questions"] = [{**quiz["questions"][0], "title_html": "A completely new question"}]
            text.quiz = quiz
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Which gas absorbs the most outgoing infrared radiation?" in page
    assert "A completely new question" not in page and "(100%)" in page


def test_student_cannot_open_or_post_another_students_attempt(app, client, login_as, sample_course):
    login_as("student")
    url = _start(client)
    client.post("/auth/logout")
    login_as("student")
    assert client.get(url).status_code == 404
    assert client.post(url, data={}).status_code == 404
    assert _attempt(app, url).status == "in_progress"


def test_expired_session_keeps_the_answers_and_asks_to_log_in(app, client, sample_course):
    student = make_user()
    client.post("/auth/login", data={"email": student.email, "password": PASSWORD})
    url = _start(client)
    answers = _answers(_attempt(app, url))
    with app.app_context():  # the session ends elsewhere (logout on another device)
        from app.models import User

        db.session.get(User, student.id).session_version += 1
        db.session.commit()
    response = client.post(url, data=answers, csrf=False)
    assert response.status_code in (302, 303) and "/auth/login" in response.headers["Location"]
    back = client.post(response.headers["Location"], data={"email": student.email, "password": PASSWORD})
    assert back.headers["Location"].startswith(url)
    page = client.get(back.headers["Location"]).get_data(as_text=True)
    assert "Your answers were kept" in page and "checked" in page
    assert _attempt(app, url).status == "in_progress"


def test_a_two_hour_quiz_can_still_be_submitted(app, client, login_as, sample_course, monkeypatch):
    import time

    login_as("student")
    url = _start(client)
    token = client.csrf_token()
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 2 * 3600)
    response = client.post(url, data={**_answers(_attempt(app, url)), "csrf_token": token})
    assert response.status_code == 303
    assert _attempt(app, url).status == "submitted"


def test_dashboard_shows_progress_resume_and_recent_results(app, client, login_as, sample_course):
    login_as("student")
    client.get("/courses/sample/reading")
    url = _start(client)
    client.post(url, data=_answers(_attempt(app, url)))
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Continue where you left off" in page and "Reading the record" in page
    assert "1 of 3 modules completed" in page and "Greenhouse quiz" in page and "100%" in page
    assert '<span class="badge badge-ok">Passed</span>' in page  # the pass mark read from the attempt's settings


def test_dashboard_query_count_is_constant_in_the_number_of_courses(app, client, login_as, tmp_path, count_queries):
    import shutil

    from app.services.course_sync import sync_courses
    from tests.conftest import FIXTURE_COURSES

    login_as("student")

    def queries_with(n: int) -> int:
        root = tmp_path / f"c{n}"
        shutil.copytree(FIXTURE_COURSES, root)
        for i in range(2, n + 1):
            shutil.copytree(root / "sample", root / f"sample-{i}")
        with app.app_context():
            sync_courses(root)
        for slug in ["sample"] + [f"sample-{i}" for i in range(2, n + 1)]:
            client.get(f"/courses/{slug}/reading")
        with count_queries() as statements:
            assert client.get("/dashboard").status_code == 200
        return len(statements)

    assert queries_with(1) == queries_with(5)


def test_student_downloads_own_progress_and_answers_as_csv(app, client, login_as, sample_course):
    login_as("student")
    url = _start(client)
    client.post(url, data=_answers(_attempt(app, url)))
    progress = client.get("/my/progress.csv")
    assert progress.data.startswith("\ufeff".encode())
    text = progress.get_data(as_text=True)
    assert "Sample Course,Greenhouse quiz" in text and ",100.0,1" in text
    answers = client.get("/my/attempts.csv").get_data(as_text=True)
    assert "Which gas absorbs the most outgoing infrared radiation?" in answers and "Water vapour" in answers


def test_progress_rows_are_unique_per_student_and_module(app, sample_course):
    import pytest
    from sqlalchemy.exc import IntegrityError

    student = make_user()
    with app.app_context():
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "reading"))
        db.session.add(ModuleProgress(user_id=student.id, module_id=module_id, attempts=0))
        db.session.commit()
        db.session.add(ModuleProgress(user_id=student.id, module_id=module_id, attempts=0))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_result_links_back_to_the_section_that_teaches_the_question(app, client, login_as, sample_course):
    login_as("student")
    url = _start(client)
    client.post(url, data=_answers(_attempt(app, url), right=False))
    page = client.get(url).get_data(as_text=True)
    assert 'href="/courses/sample/quiz?lang=en#c-greenhouse-gases"' in page
    assert "Reread: Greenhouse gases" in page


def test_fractional_scores_are_printed_as_numbers(app, client, login_as, sample_course):
    # Partial credit (credit: 5 on a typed answer, partial multiple response) gives scores such as 10.05.
    login_as("student")
    url = _start(client)
    client.post(url, data=_answers(_attempt(app, url)))
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.public_id == url.rsplit("/", 1)[1]))
        attempt.score, attempt.max_score, attempt.percent = 10.05, 20.0, 50.25
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert "Score: 10.05 of 20 (50%)" in page


def test_a_submit_is_one_transaction_of_a_few_statements_whatever_the_quiz_length(
        app, client, login_as, sample_course, count_queries):
    from app.models import AttemptAnswer

    login_as("student")
    url = _start(client)
    attempt = _attempt(app, url)
    quiz = Quiz.from_dict(attempt.quiz_snapshot)
    assert client.get(url).status_code == 200
    with count_queries() as statements:
        response = client.post(url, data=_answers(attempt, right=False))  # some questions left blank
    assert response.status_code == 303
    answer_inserts = [s for s in statements if s.lstrip().lower().startswith("insert into attempt_answers")]
    # besides loading the signed-in user: the attempt, its module; the answers kept; the claim with the score;
    # every answer in one INSERT; the progress upsert; the LMS links
    own = [s for s in statements if not s.lstrip().startswith("SELECT users.")]
    assert len(answer_inserts) == 1 and len(own) <= 7, "\n".join(s[:90] for s in statements)
    with app.app_context():
        stored = db.session.scalars(select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id)).all()
        assert len(stored) == len(quiz.questions) > 2
        blank = [answer for answer in stored if answer.response is None]
        assert blank and all(answer.status != "correct" for answer in blank)
        submitted = db.session.get(QuizAttempt, attempt.id)
        assert submitted.status == "submitted" and submitted.percent is not None and not submitted.passed
