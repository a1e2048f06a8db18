"""Trustworthy assessment in the app: review options, pre/post sittings with crossover forms, result release,
the class report and its query count, and Korean result pages."""
from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Assignment, AssignmentForm, Module, ModuleText, QuizAttempt, Role, SchoolClass, User
from app.models.base import utcnow
from app.quizzes import Quiz, correct_response, field_names
from app.services import assessment, assignments, attempts, classes
from tests.conftest import AuthActions, make_user

CHECKS = Path(__file__).resolve().parent / "fixtures" / "assessment"
CHECK_PATH = "/courses/checks/diagnostic"
QUIZ_PATH = "/courses/sample/quiz"


@pytest.fixture
def checks_course(app):
    from app.services.course_sync import sync_courses

    with app.app_context():
        sync_courses(CHECKS)
    return "checks"


def _class_with(app, n_students: int, *, slug: str = "diagnostic", prepost: bool = True, crossover: bool = False,
                due=None):
    """A teacher, a class of ``n_students`` and an assignment of module ``slug``; returns (teacher, students, ids)."""
    teacher = make_user(Role.TEACHER)
    students = [make_user(Role.STUDENT, name=f"Student {i:03d}") for i in range(n_students)]
    with app.app_context():
        owner = db.session.get(User, teacher.id)
        school_class = classes.create_class(owner, name="10-3", school="Pohang High", term="2026")
        for student in students:
            classes.join_with_code(db.session.get(User, student.id), school_class.join_code)
        module_id = db.session.scalar(select(Module.id).where(Module.slug == slug))
        assignment = assignments.assign(school_class, module_id=module_id, course_id=None, due_at=due, note="",
                                        by=owner, prepost=prepost, crossover=crossover)
        return teacher, students, {"class_id": school_class.id, "assignment_id": assignment.id,
                                   "module_id": module_id}


def _take(app, client, path: str, *, right: bool) -> str:
    response = client.post(f"{path}/quiz", data={"lang": "en"})
    assert response.status_code in (302, 303), response.status_code
    url = response.headers["Location"]
    assert "/attempts/" in url, url
    with app.app_context():
        attempt = db.session.scalar(select(QuizAttempt).where(QuizAttempt.public_id == url.rsplit("/", 1)[1]))
        quiz = Quiz.from_dict(attempt.quiz_snapshot)
    names = field_names(quiz)
    data = {}
    for question in quiz.questions:
        if right:
            data[names[question.id]] = correct_response(question)
        elif question.type in ("single",):
            data[names[question.id]] = next(c.id for c in question.choices if not c.correct)
        elif question.type == "true_false":
            data[names[question.id]] = "true" if not question.answer else "false"
        elif question.type == "numeric":
            data[names[question.id]] = "200"
        elif question.type == "short_text":
            data[names[question.id]] = "zzz"
    assert client.post(url, data=data).status_code == 303
    return url


def _as(client, user) -> AuthActions:
    auth = AuthActions(client)
    auth.logout()
    assert auth.login(user.email).status_code in (302, 303)
    return auth


# --- what students see ----------------------------------------------------------------------------------------

NOTHING_SHOWN = ("Correct", "Not correct", "Score", "Passed", "passed", "points", "Right answer", "(0%)",
                 "Distance would give", "Seasons come from the tilt", "result-incorrect", "result-correct")


def test_diagnostic_shows_only_sent_until_the_teacher_releases_results(app, client, checks_course):
    teacher, (student,), ids = _class_with(app, 1)
    _as(client, student)
    url = _take(app, client, CHECK_PATH, right=False)
    page = client.get(url).get_data(as_text=True)
    assert "Your answers were sent. Thank you!" in page
    for leak in NOTHING_SHOWN:
        assert leak not in page, leak
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "0%</td>" not in dashboard and "Not passed" not in dashboard and "Passed" not in dashboard
    assert "best score" not in client.get("/courses/checks").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(client.get("/my/attempts.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][3:7] == ["", "", "", ""]  # score, out of, percent, passed: empty

    _as(client, teacher)
    release = f"/teach/classes/{ids['class_id']}/assignments/{ids['assignment_id']}/release"
    assert client.post(release, data={"release": "1"}).status_code in (302, 303)

    _as(client, student)
    page = client.get(url).get_data(as_text=True)
    assert "Score: 0 of 3 (0%)" in page
    assert "Not correct" in page and "Right answer:" in page and "Seasons come from the tilt." in page
    assert "Passed" not in page and "Not passed" not in page  # pass_mark 0: no pass or fail at all


@pytest.mark.parametrize(
    ("item", "marker"),
    [("correctness", "Not correct"), ("points", "0 of 1 points"), ("answers", "Right answer:"),
     ("feedback", "Water vapour absorbs the most, but"), ("score", "Score: ")],
)
def test_each_review_item_is_shown_on_its_own(app, client, login_as, sample_course, item, marker):
    with app.app_context():
        for text in db.session.scalars(select(ModuleText).where(ModuleText.quiz.is_not(None))):
            review = dict.fromkeys(("correctness", "points", "answers", "feedback", "score"), "never")
            text.quiz = {**text.quiz, "settings": {**text.quiz["settings"], "review": review | {item: "after_attempt"}}}
        db.session.commit()
    login_as("student")
    page = client.get(_take(app, client, QUIZ_PATH, right=False)).get_data(as_text=True)
    markers = {"Not correct", "0 of 1 points", "Right answer:", "Water vapour absorbs the most, but", "Score: "}
    assert marker in page
    for other in markers - {marker}:
        assert other not in page, other


def test_after_due_shows_once_the_assignment_due_date_has_passed(app, client, sample_course):
    with app.app_context():
        for text in db.session.scalars(select(ModuleText).where(ModuleText.quiz.is_not(None))):
            text.quiz = {**text.quiz, "settings": {**text.quiz["settings"], "review": {"answers": "after_due"}}}
        db.session.commit()
    _teacher, (student,), ids = _class_with(app, 1, slug="quiz", prepost=False, due=utcnow() + timedelta(days=1))
    _as(client, student)
    url = _take(app, client, QUIZ_PATH, right=False)
    assert "Right answer:" not in client.get(url).get_data(as_text=True)
    with app.app_context():
        db.session.get(Assignment, ids["assignment_id"]).due_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert "Right answer:" in client.get(url).get_data(as_text=True)


# --- pre/post sittings and crossover ----------------------------------------------------------------------------

def test_crossover_splits_the_class_into_two_nonempty_halves_that_stay_put(app, client, checks_course):
    teacher, students, ids = _class_with(app, 7, crossover=True)
    with app.app_context():
        assignment = db.session.get(Assignment, ids["assignment_id"])
        split = assessment.split_of(assignment)
        assessment.split_class(assignment)  # again: nobody moves
        assert assessment.split_of(assignment) == split
    assert set(split) == {s.id for s in students}
    firsts = [pre for pre, _post in split.values()]
    assert sorted(firsts.count(f) for f in "AB") == [3, 4]
    assert all(post == ("B" if pre == "A" else "A") for pre, post in split.values())

    _as(client, teacher)
    report = client.get(f"/teach/classes/{ids['class_id']}/assignments/{ids['assignment_id']}/report")
    text = report.get_data(as_text=True)
    assert re.search(r"Crossover: [34] students take form A first and form B after, [34] the reverse", text)
    assert client.get(f"/teach/classes/{ids['class_id']}/assignments/{ids['assignment_id']}/report") \
        .get_data(as_text=True).count("<td>A</td>") == text.count("<td>A</td>")  # stable on reload


def test_a_student_takes_their_form_before_and_the_other_after(app, client, checks_course):
    teacher, students, ids = _class_with(app, 2, crossover=True)
    with app.app_context():
        split = assessment.split_of(db.session.get(Assignment, ids["assignment_id"]))
    student = students[0]
    before, after = split[student.id]
    _as(client, student)
    first = client.post(f"{CHECK_PATH}/quiz", data={"lang": "en"}).headers["Location"]
    assert client.post(f"{CHECK_PATH}/quiz", data={"lang": "en"}).headers["Location"] == first  # reload: same
    client.post(first, data={})
    again = client.post(f"{CHECK_PATH}/quiz", data={"lang": "en"}, follow_redirects=True).get_data(as_text=True)
    assert "You have already sent this check." in again

    _as(client, teacher)
    client.post(f"/teach/classes/{ids['class_id']}/assignments/{ids['assignment_id']}/post")
    _as(client, student)
    _take(app, client, CHECK_PATH, right=True)
    with app.app_context():
        taken = db.session.execute(select(QuizAttempt.sitting, QuizAttempt.form, QuizAttempt.quiz_snapshot)
                                   .order_by(QuizAttempt.id)).all()
    assert [(s, f) for s, f, _q in taken] == [("pre", before), ("post", after)]
    assert {q["id"][0] for q in taken[0][2]["questions"]} == {before.lower()}
    assert {q["id"][0] for q in taken[1][2]["questions"]} == {after.lower()}


def test_a_student_who_joins_later_is_placed_in_the_smaller_half(app, client, checks_course):
    _teacher, students, ids = _class_with(app, 3, crossover=True)
    late = make_user(Role.STUDENT)
    with app.app_context():
        school_class = db.session.get(SchoolClass, ids["class_id"])
        classes.join_with_code(db.session.get(User, late.id), school_class.join_code)
        assignment = db.session.get(Assignment, ids["assignment_id"])
        smaller = min("AB", key=lambda f: [p for p, _ in assessment.split_of(assignment).values()].count(f))
        module = db.session.get(Module, ids["module_id"])
        attempt = attempts.start_or_resume(late.id, module, "en")
        assert attempt.form == smaller and attempt.sitting == "pre"
        assert db.session.scalar(select(func.count()).select_from(AssignmentForm)) == 4


def test_crossover_needs_a_quiz_with_two_forms(app, client, sample_course):
    teacher = make_user(Role.TEACHER)
    with app.app_context():
        owner = db.session.get(User, teacher.id)
        school_class = classes.create_class(owner, name="10-3", school="Pohang High", term="2026")
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "quiz"))
        with pytest.raises(assignments.AssignmentError) as error:
            assignments.assign(school_class, module_id=module_id, course_id=None, due_at=None, note="", by=owner,
                               crossover=True)
        assert error.value.code == "crossover_forms"


def test_a_single_form_quiz_works_as_a_pre_post_pair(app, client, sample_course):
    teacher, (student,), ids = _class_with(app, 1, slug="quiz")
    _as(client, student)
    _take(app, client, QUIZ_PATH, right=False)
    _as(client, teacher)
    client.post(f"/teach/classes/{ids['class_id']}/assignments/{ids['assignment_id']}/post")
    _as(client, student)
    _take(app, client, QUIZ_PATH, right=True)
    with app.app_context():
        assert db.session.execute(select(QuizAttempt.sitting, QuizAttempt.form).order_by(QuizAttempt.id)).all() \
            == [("pre", ""), ("post", "")]
    _as(client, teacher)
    page = client.get(f"/teach/classes/{ids['class_id']}/assignments/{ids['assignment_id']}/report") \
        .get_data(as_text=True)
    assert "1 students took both" in page and "Class gain ⟨g⟩ = 1.00" in page


# --- the class report ------------------------------------------------------------------------------------------

def _run_class(app, client, teacher, students, ids):
    """Half the class answers wrongly before and rightly after; the other half wrongly both times."""
    with app.app_context():
        module = db.session.get(Module, ids["module_id"])
        for student in students:
            attempt = attempts.start_or_resume(student.id, module, "en")
            attempts.submit(attempt, {})
        assessment.open_post(db.session.get(Assignment, ids["assignment_id"]))
        for index, student in enumerate(students):
            attempt = attempts.start_or_resume(student.id, module, "en")
            quiz = Quiz.from_dict(attempt.quiz_snapshot)
            right = {q.id: correct_response(q) for q in quiz.questions} if index % 2 == 0 else {}
            attempts.submit(attempt, right)


def test_report_figures_names_and_csv(app, client, checks_course):
    teacher, students, ids = _class_with(app, 4, crossover=True)
    _run_class(app, client, teacher, students, ids)
    _as(client, teacher)
    base = f"/teach/classes/{ids['class_id']}/assignments/{ids['assignment_id']}/report"
    page = client.get(base).get_data(as_text=True)
    assert "4 students took both: average 0% before, 50% after." in page
    assert "Class gain ⟨g⟩ = 0.50" in page
    assert "Seasons come from the distance to the Sun" in page and "seasons-from-sun-distance" not in page
    assert "<svg" in page and 'class="chart-svg"' in page
    rows = list(csv.reader(io.StringIO(client.get(f"{base}.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[2][:4] == ["4", "0.0", "50.0", "0.5"]
    assert any(row and row[0] == "Seasons come from the distance to the Sun" for row in rows)


def test_report_in_korean_shows_korean_questions_and_names(app, client, checks_course):
    teacher, students, ids = _class_with(app, 2, crossover=True)
    _run_class(app, client, teacher, students, ids)
    with app.app_context():
        db.session.get(User, teacher.id).locale = "ko"
        db.session.commit()
    _as(client, teacher)
    page = client.get(f"/teach/classes/{ids['class_id']}/assignments/{ids['assignment_id']}/report") \
        .get_data(as_text=True)
    assert "7월이 1월보다 더운 까닭은?" in page  # the students took it in English
    assert "Why is it warmer in July" not in page
    assert "계절은 태양과의 거리 때문에 생긴다" in page
    assert ">True<" not in page and ">False<" not in page


def test_report_query_count_does_not_grow_with_the_class(app, client, checks_course, count_queries):
    counts = []
    for size in (5, 200):
        teacher, students, ids = _class_with(app, size, crossover=True)
        _run_class(app, client, teacher, students, ids)
        _as(client, teacher)
        url = f"/teach/classes/{ids['class_id']}/assignments/{ids['assignment_id']}/report"
        client.get(url)  # warm caches
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_teacher_student_page_in_korean_says_참_거짓_and_translates_headers(app, client, checks_course):
    teacher, (student,), ids = _class_with(app, 1, crossover=False)
    _as(client, student)
    _take(app, client, CHECK_PATH, right=False)
    with app.app_context():
        db.session.get(User, teacher.id).locale = "ko"
        db.session.commit()
    _as(client, teacher)
    page = client.get(f"/teach/classes/{ids['class_id']}/students/{student.id}").get_data(as_text=True)
    assert "참" in page  # the wrong answer to "CO₂ … cannot change" (false) was true
    assert ">True<" not in page and ">Answer<" not in page


def test_item_analysis_names_misconceptions_instead_of_tags(app, client, checks_course):
    teacher, (student,), ids = _class_with(app, 1)
    _as(client, student)
    _take(app, client, CHECK_PATH, right=False)
    _as(client, teacher)
    page = client.get(f"/teach/classes/{ids['class_id']}/analysis/{ids['module_id']}").get_data(as_text=True)
    assert "seasons-from-sun-distance" not in page
    assert "Seasons from sun distance" in page  # this course is outside COURSES_PATH: the tag made readable
