"""Where parallel work met in one function: pre/post sittings (issue 11) under the one-open-attempt index and unique
attempt numbers (issue 10), throttled login (issue 10) with the deactivated-account message (issue 16)."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assignment, AssignmentForm, Module, ModuleProgress, QuizAttempt, User
from app.quizzes import Quiz, correct_response
from app.services import assessment, attempts
from tests.conftest import PASSWORD, make_user, without_random_tokens
from tests.test_assessment import CHECK_PATH, CHECKS, _as, _class_with
from tests.test_concurrency import _errors, run_together

SCHOOL = {"REMOTE_ADDR": "198.51.100.20"}


@pytest.fixture
def checks_course(app):
    from app.services.course_sync import sync_courses

    with app.app_context():
        sync_courses(CHECKS)


def _rows(app, student_id: int) -> list[tuple]:
    with app.app_context():
        return [tuple(r) for r in db.session.execute(
            select(QuizAttempt.number, QuizAttempt.sitting, QuizAttempt.status)
            .where(QuizAttempt.user_id == student_id).order_by(QuizAttempt.number))]


def test_a_practice_attempt_then_both_sittings_number_on_and_count_in_progress(app, client, checks_course):
    student = make_user()
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == "diagnostic"))
        practice = attempts.start_or_resume(student.id, module, "en")  # before any class assigns it
        attempts.submit(practice, {})
    teacher, _others, ids = _class_with(app, 0)
    with app.app_context():
        from app.models import SchoolClass
        from app.services import classes
        classes.join_with_code(db.session.get(User, student.id),
                               db.session.get(SchoolClass, ids["class_id"]).join_code)
    _as(client, student)
    first = client.post(f"{CHECK_PATH}/quiz", data={"lang": "en"}).headers["Location"]
    assert client.post(f"{CHECK_PATH}/quiz", data={"lang": "en"}).headers["Location"] == first  # one open attempt
    assert client.post(first, data={}).status_code == 303
    refused = client.post(f"{CHECK_PATH}/quiz", data={"lang": "en"}, follow_redirects=True).get_data(as_text=True)
    assert "You have already sent this check." in refused
    _as(client, teacher)
    client.post(f"/teach/classes/{ids['class_id']}/assignments/{ids['assignment_id']}/post")
    _as(client, student)
    second = client.post(f"{CHECK_PATH}/quiz", data={"lang": "en"}).headers["Location"]
    assert second != first
    assert client.post(second, data={}).status_code == 303
    assert _rows(app, student.id) == [(1, None, "submitted"), (2, "pre", "submitted"), (3, "post", "submitted")]
    with app.app_context():
        assert db.session.scalar(select(ModuleProgress.attempts).where(ModuleProgress.user_id == student.id)) == 3


def test_a_pre_attempt_left_open_when_the_post_opens_is_sent_as_the_pre(app, client, checks_course):
    teacher, (student,), ids = _class_with(app, 1)
    _as(client, student)
    first = client.post(f"{CHECK_PATH}/quiz", data={"lang": "en"}).headers["Location"]
    _as(client, teacher)
    client.post(f"/teach/classes/{ids['class_id']}/assignments/{ids['assignment_id']}/post")
    _as(client, student)
    assert client.post(f"{CHECK_PATH}/quiz", data={"lang": "en"}).headers["Location"] == first
    client.post(first, data={})
    client.post(client.post(f"{CHECK_PATH}/quiz", data={"lang": "en"}).headers["Location"], data={})
    assert _rows(app, student.id) == [(1, "pre", "submitted"), (2, "post", "submitted")]


def test_simultaneous_clicks_on_a_crossover_check_open_one_attempt_and_one_split_row(app, checks_course):
    _teacher, students, ids = _class_with(app, 1, crossover=True)
    late = make_user()  # joins after the split, so the first click draws their forms
    with app.app_context():
        from app.models import SchoolClass
        from app.services import classes
        classes.join_with_code(db.session.get(User, late.id), db.session.get(SchoolClass, ids["class_id"]).join_code)

    def start(_i):
        return attempts.start_or_resume(late.id, db.session.get(Module, ids["module_id"]), "en").public_id

    results = run_together(app, start, 4)
    assert _errors(results) == []
    assert len(set(results)) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AssignmentForm)
                                 .where(AssignmentForm.user_id == late.id)) == 1
        attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.user_id == late.id))
        pre_form, _post = assessment.split_of(db.session.get(Assignment, ids["assignment_id"]))[late.id]
        assert (attempt.number, attempt.sitting, attempt.form) == (1, "pre", pre_form)


def test_simultaneous_sends_of_a_sitting_count_once(app, checks_course):
    _teacher, (student,), ids = _class_with(app, 1)
    with app.app_context():
        attempt = attempts.start_or_resume(student.id, db.session.get(Module, ids["module_id"]), "en")
        right = {q.id: correct_response(q) for q in Quiz.from_dict(attempt.quiz_snapshot).questions}
        attempt_id = attempt.id

    results = run_together(app, lambda _i: attempts.submit(db.session.get(QuizAttempt, attempt_id), right), 4)
    assert _errors(results) == []
    assert sorted(results) == [False, False, False, True]
    with app.app_context():
        progress = db.session.scalar(select(ModuleProgress).where(ModuleProgress.user_id == student.id))
        assert (progress.attempts, progress.best_percent) == (1, 100.0)


def _login(client, email, password=PASSWORD):
    return client.post("/auth/login", data={"email": email, "password": password}, environ_base=SCHOOL)


def test_a_deactivated_student_retrying_the_right_password_is_not_locked_out_once_reactivated(app, client):
    student = make_user(active=False)
    for _ in range(15):  # more than the 10 failures an account may have from one address
        page = _login(client, student.email)
        assert page.status_code == 200
        assert "This account has been deactivated" in page.get_data(as_text=True)
    with app.app_context():
        db.session.get(User, student.id).active = True
        db.session.commit()
    assert _login(client, student.email).status_code in (302, 303)


def test_wrong_passwords_on_a_deactivated_account_are_still_throttled(app, client):
    student = make_user(active=False)
    codes = [_login(client, student.email, "guess").status_code for _ in range(11)]
    assert codes == [200] * 10 + [429]
    assert _login(client, student.email).status_code == 429  # even the right one: it tells who is deactivated


# --- answers never in the page before submission: typed feedback (issue 16) in a quiz with forms (issue 11) ------

TYPED = """\
### By how many ppm did CO₂ rise from 1960 to 2020?
id: a-co2
unit: ppm
- number: 97 ± 8
  feedback: Secret-right-number feedback.
- wrong: 300 .. 1000
  feedback: Secret-wrong-number feedback.
  misconception: trace-gas-cannot-matter

### Name the gas that plants take in (formula).
id: a-gas
- accept: CO2 | secretcarbonword
  feedback: Secret-accept feedback.
- wrong: secretoxygenword
  feedback: Secret-wrong-text feedback.
- wrong: *
  feedback: Secret-catch-all feedback.
"""


@pytest.fixture
def typed_forms_course(app, tmp_path):
    import shutil

    from app.services.course_sync import sync_courses

    shutil.copytree(CHECKS, tmp_path / "courses")
    for lang in ("en", "ko"):
        path = tmp_path / "courses" / "checks" / f"00-diagnostic.{lang}.md"
        text = path.read_text(encoding="utf-8")
        start = text.index("### By how many ppm" if lang == "en" else "### 1960년부터")
        path.write_text(text[:start] + TYPED + "\n" + text[text.index("<!-- quiz form: B -->"):], encoding="utf-8")
    with app.app_context():
        sync_courses(tmp_path / "courses")


def test_typed_answers_their_feedback_and_the_other_form_stay_out_of_the_pages(app, client, typed_forms_course):
    student = make_user()
    _as(client, student)
    module_page = client.get(CHECK_PATH).get_data(as_text=True)
    url = client.post(f"{CHECK_PATH}/quiz", data={"lang": "en"}).headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert "Name the gas that plants take in" in page  # form A is what this student takes
    secrets = ("Secret-", "secretcarbonword", "secretoxygenword", "97", "300", "misconception", "a tilt",
               "When it is summer in Korea", "Methane is about 2 ppm", "photosynthesis", "explanation",
               "Seasons come from the tilt", "Distance would give")
    for secret in secrets:
        assert secret not in without_random_tokens(page), secret
        assert secret not in without_random_tokens(module_page), secret
    assert "Why is it warmer in July" not in module_page  # no question of either form in the module's text


def test_the_progress_csv_keeps_a_hidden_score_hidden_too(app, client, checks_course):
    _teacher, (student,), _ids = _class_with(app, 1)
    _as(client, student)
    url = client.post(f"{CHECK_PATH}/quiz", data={"lang": "en"}).headers["Location"]
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.public_id == url.rsplit("/", 1)[1]))
        quiz = Quiz.from_dict(attempt.quiz_snapshot)
    from app.quizzes import field_names
    names = field_names(quiz)
    client.post(url, data={names[q.id]: correct_response(q) for q in quiz.questions if q.type == "single"})
    assert "%" not in client.get(url).get_data(as_text=True)  # the result page says only "sent"
    rows = list(csv.reader(io.StringIO(client.get("/my/progress.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][5] == "Best score (%)"
    assert rows[1][5] == "" and rows[1][6] == "1"  # the attempt is counted, its score not shown


def test_released_results_reach_only_the_students_of_that_assignment(app, client, checks_course):
    teacher, (mine,), ids = _class_with(app, 1)
    _other_teacher, (theirs,), _other_ids = _class_with(app, 1)
    loner = make_user()  # takes the check without any class
    urls = {}
    for student in (mine, theirs, loner):
        _as(client, student)
        url = client.post(f"{CHECK_PATH}/quiz", data={"lang": "en"}).headers["Location"]
        client.post(url, data={})
        urls[student.id] = url
    _as(client, teacher)
    client.post(f"/teach/classes/{ids['class_id']}/assignments/{ids['assignment_id']}/release", data={"release": "1"})
    for student, shown in ((mine, True), (theirs, False), (loner, False)):
        _as(client, student)
        page = client.get(urls[student.id]).get_data(as_text=True)
        assert ("Score: 0 of 3" in page) is shown, student.name
        assert ("Your answers were sent. Thank you!" in page) is not shown
        # another student's result page does not exist for them
        others = [u for s, u in urls.items() if s != student.id]
        assert all(client.get(u).status_code == 404 for u in others)
