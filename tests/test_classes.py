"""Teachers' classes: join codes, co-teachers, rosters, assignments and due dates, gradebook, item analysis."""
from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Enrollment, Module, ModuleProgress, Role, SchoolClass, User
from app.services import assignments, classes, gradebook, item_analysis, learning_gain
from app.services.classes import JOIN_CODE_ALPHABET, ClassError, RosterError
from tests.conftest import PASSWORD, make_user


def _teacher_class(app, **kw):
    teacher = make_user(Role.TEACHER)
    with app.app_context():
        school_class = classes.create_class(db.session.get(User, teacher.id), name="10-3 Science",
                                            school="Pohang High", term="2026", **kw)
        return teacher, school_class.id, school_class.join_code


def _login(client, user) -> None:
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})


def test_teacher_creates_a_class_with_a_readable_join_code(client, login_as):
    login_as(Role.TEACHER)
    response = client.post("/teach/classes/new", data={"name": "10-3 Science", "school": "Pohang High",
                                                       "term": "2026 spring", "timezone": "Asia/Seoul"})
    assert response.status_code in (302, 303)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "10-3 Science" in page and "Join code" in page
    with client.application.app_context():
        code = db.session.scalar(select(SchoolClass.join_code))
    assert len(code) == 6 and set(code) <= set(JOIN_CODE_ALPHABET)
    assert not set(code) & set("0O1lI")
    assert code in client.get(page and response.headers["Location"] + "/code").get_data(as_text=True)


def test_class_form_errors_keep_what_was_typed(client, login_as):
    login_as(Role.TEACHER)
    page = client.post("/teach/classes/new", data={"name": "10-3 Science", "school": "", "term": "2026",
                                                   "timezone": "Mars/Base"}).get_data(as_text=True)
    assert 'value="10-3 Science"' in page and "Asia/Seoul" in page and 'aria-invalid="true"' in page


def test_student_joins_with_code_and_sees_plain_errors(app, client):
    _teacher, class_id, code = _teacher_class(app)
    student = make_user()
    _login(client, student)
    page = client.post("/join", data={"code": "ZZZZZZ"}, follow_redirects=True).get_data(as_text=True)
    assert "No class has this code" in page
    page = client.post("/join", data={"code": code.lower()}, follow_redirects=True).get_data(as_text=True)
    assert "You joined 10-3 Science" in page
    page = client.post("/join", data={"code": code}, follow_redirects=True).get_data(as_text=True)
    assert "already in this class" in page


def test_switched_off_regenerated_and_archived_codes(app):
    teacher, class_id, code = _teacher_class(app)
    student = make_user()
    with app.app_context():
        school_class = db.session.get(SchoolClass, class_id)
        user = db.session.get(User, student.id)
        classes.set_code_enabled(school_class, False)
        with pytest.raises(ClassError, match="switched_off"):
            classes.join_with_code(user, code)
        new_code = classes.regenerate_code(school_class)
        assert new_code != code
        with pytest.raises(ClassError, match="unknown"):
            classes.join_with_code(user, code)
        classes.set_archived(school_class, True)
        with pytest.raises(ClassError, match="archived"):
            classes.join_with_code(user, new_code)
        classes.set_archived(school_class, False)
        assert classes.join_with_code(user, new_code).id == class_id


def test_student_can_join_at_registration_and_a_bad_code_keeps_the_form(app, client):
    _teacher, class_id, code = _teacher_class(app)
    form = {"name": "Ha-eun", "email": "haeun@school.example", "password": "quiet harbour lights",
            "confirm": "quiet harbour lights"}
    page = client.post("/auth/register", data={**form, "join_code": "WRONG1"}).get_data(as_text=True)
    assert "No class has this code" in page and 'value="haeun@school.example"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.email == form["email"])) == 0
    client.post("/auth/register", data={**form, "join_code": code})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1


def test_a_student_can_be_in_several_classes(app):
    _t1, first, code1 = _teacher_class(app)
    _t2, second, code2 = _teacher_class(app)
    student = make_user()
    with app.app_context():
        user = db.session.get(User, student.id)
        classes.join_with_code(user, code1)
        classes.join_with_code(user, code2)
        enrolled = db.session.scalars(select(Enrollment.class_id).where(Enrollment.user_id == student.id))
        assert sorted(enrolled) == sorted([first, second])


def test_co_teacher_sees_and_manages_the_class_other_teachers_do_not(app, client):
    owner, class_id, _code = _teacher_class(app)
    co, other = make_user(Role.TEACHER), make_user(Role.TEACHER)
    _login(client, owner)
    page = client.post(f"/teach/classes/{class_id}/teachers", data={"email": co.email},
                       follow_redirects=True).get_data(as_text=True)
    assert "Co-teacher added" in page
    client.post("/auth/logout")
    _login(client, co)
    assert "10-3 Science" in client.get("/teach/").get_data(as_text=True)
    assert client.post(f"/teach/classes/{class_id}/code/regenerate").status_code in (302, 303)
    client.post("/auth/logout")
    _login(client, other)
    assert "10-3 Science" not in client.get("/teach/").get_data(as_text=True)
    assert client.get(f"/teach/classes/{class_id}").status_code == 404


def test_co_teacher_must_be_a_teacher_account(app, client):
    owner, class_id, _code = _teacher_class(app)
    student = make_user()
    _login(client, owner)
    page = client.post(f"/teach/classes/{class_id}/teachers", data={"email": student.email},
                       follow_redirects=True).get_data(as_text=True)
    assert "No active teacher account uses that email." in page


def test_archived_class_is_read_only_and_can_be_restored(app, client):
    owner, class_id, _code = _teacher_class(app)
    _login(client, owner)
    client.post(f"/teach/classes/{class_id}/archive", data={"archive": "1"})
    page = client.post(f"/teach/classes/{class_id}/code/regenerate", follow_redirects=True).get_data(as_text=True)
    assert "archived and read-only" in page
    assert "Archived classes" in client.get("/teach/").get_data(as_text=True)
    client.post(f"/teach/classes/{class_id}/archive", data={"archive": "0"})
    page = client.post(f"/teach/classes/{class_id}/code/regenerate", follow_redirects=True).get_data(as_text=True)
    assert "A new join code is ready" in page


def test_removing_a_student_keeps_their_account_and_work(app, client, sample_course):
    owner, class_id, code = _teacher_class(app)
    student = make_user()
    with app.app_context():
        classes.join_with_code(db.session.get(User, student.id), code)
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "reading"))
        db.session.add(ModuleProgress(user_id=student.id, module_id=module_id, attempts=0))
        db.session.commit()
    _login(client, owner)
    client.post(f"/teach/classes/{class_id}/students/{student.id}/remove")
    with app.app_context():
        assert db.session.get(User, student.id) is not None
        assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 0
        assert db.session.scalar(select(func.count()).select_from(ModuleProgress)) == 1


ROSTER = "name,student number\n김민지,20301\n이준,20302\nMaria Santos,\n"


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_roster_import_creates_accounts_shown_once(app, client, bom):
    owner, class_id, _code = _teacher_class(app)
    _login(client, owner)
    response = client.post(f"/teach/classes/{class_id}/roster",
                           data={"roster": (io.BytesIO(bom + ROSTER.encode()), "class.csv")},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert "김민지" in page and "이준" in page and "shown only once" in page
    with app.app_context():
        created = db.session.scalars(select(User).where(User.username.is_not(None)).order_by(User.name)).all()
        assert len(created) == 3 and all(u.must_change_password for u in created)
        numbers = dict(db.session.execute(select(Enrollment.user_id, Enrollment.student_number)).all())
        assert sorted(n for n in numbers.values() if n) == ["20301", "20302"]
    assert "one-time" in page.lower()


def test_roster_with_bad_rows_creates_nothing_and_lists_them(app, client):
    owner, class_id, _code = _teacher_class(app)
    _login(client, owner)
    bad = "name,student number\n김민지,20301\n,20302\n이준,20301\n"
    page = client.post(f"/teach/classes/{class_id}/roster", data={"roster": (io.BytesIO(bad.encode()), "c.csv")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Nothing was created" in page
    assert "Row 3:" in page and "The name is missing." in page
    assert "Row 4:" in page and "appears twice" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User).where(User.username.is_not(None))) == 0


def test_roster_file_that_is_not_utf8_is_refused_plainly():
    with pytest.raises(RosterError) as error:
        classes.parse_roster("name\n김민지\n".encode("euc-kr"))
    assert error.value.problems[0].message_code == "not_utf8"


def test_imported_student_logs_in_with_username_and_must_change_password(app, client):
    owner, class_id, _code = _teacher_class(app)
    with app.app_context():
        created = classes.import_roster(db.session.get(SchoolClass, class_id), ROSTER.encode())
    first = created[0]
    response = client.post("/auth/login", data={"email": first.username.upper(), "password": first.password})
    assert response.status_code in (302, 303)
    assert client.get("/dashboard").headers["Location"] == "/auth/password"
    client.post("/auth/password", data={"current": first.password, "password": "my own ocean phrase",
                                        "confirm": "my own ocean phrase"})
    assert client.get("/dashboard").status_code == 200


def _assign(app, class_id: int, slug: str, due: datetime | None):
    with app.app_context():
        school_class = db.session.get(SchoolClass, class_id)
        module_id = db.session.scalar(select(Module.id).where(Module.slug == slug))
        owner = db.session.get(User, school_class.owner_id)
        return assignments.assign(school_class, module_id=module_id, course_id=None, due_at=due, note="Read it",
                                  by=owner).id


def test_due_states_around_the_deadline_in_seoul_time(app, client, sample_course):
    owner, class_id, _code = _teacher_class(app)
    _login(client, owner)
    with app.app_context():
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "reading"))
    # 23:59 on 1 March in Seoul is 14:59 UTC.
    client.post(f"/teach/classes/{class_id}/assignments/new",
                data={"item": f"m:{module_id}", "due": "2027-03-01T23:59", "note": ""})
    with app.app_context():
        assignment = db.session.scalar(select(assignments.Assignment))
        due = assignment.due_at if assignment.due_at.tzinfo else assignment.due_at.replace(tzinfo=UTC)
        assert due == datetime(2027, 3, 1, 14, 59, tzinfo=UTC)

    def progress(completed_at=None, visited=False):
        return ModuleProgress(first_visit_at=due if visited else None, completed_at=completed_at, attempts=0)

    before, after = due - timedelta(minutes=1), due + timedelta(minutes=1)
    assert gradebook.cell_for([], 1, due, before).status == "not_started"
    assert gradebook.cell_for([], 1, due, before).due_soon
    assert gradebook.cell_for([progress(visited=True)], 1, due, before).status == "in_progress"
    assert gradebook.cell_for([], 1, due, after).status == "overdue"
    assert gradebook.cell_for([progress(completed_at=before)], 1, due, after).status == "completed"
    assert gradebook.cell_for([progress(completed_at=after)], 1, due, after).status == "completed_late"
    assert not gradebook.cell_for([], 1, due, due - timedelta(days=4)).due_soon


def test_student_dashboard_groups_assigned_work_by_class(app, client, sample_course):
    owner, class_id, code = _teacher_class(app)
    student = make_user()
    with app.app_context():
        classes.join_with_code(db.session.get(User, student.id), code)
    _assign(app, class_id, "reading", datetime.now(UTC) - timedelta(days=1))
    _assign(app, class_id, "quiz", datetime.now(UTC) + timedelta(days=1))
    _login(client, student)
    page = client.get("/dashboard").get_data(as_text=True)
    assert "10-3 Science" in page and "Overdue" in page and "Due soon" in page
    assert 'href="/courses/sample/reading"' in page
    client.post("/courses/sample/reading/complete")
    assert "Done late" in client.get("/dashboard").get_data(as_text=True)


def test_editing_or_removing_an_assignment_keeps_student_work(app, client, sample_course):
    owner, class_id, code = _teacher_class(app)
    student = make_user()
    with app.app_context():
        classes.join_with_code(db.session.get(User, student.id), code)
    assignment_id = _assign(app, class_id, "reading", None)
    _login(client, student)
    client.post("/courses/sample/reading/complete")
    client.post("/auth/logout")
    _login(client, owner)
    client.post(f"/teach/classes/{class_id}/assignments/{assignment_id}", data={"due": "2027-01-01T09:00",
                                                                                 "note": "Changed"})
    client.post(f"/teach/classes/{class_id}/assignments/{assignment_id}/delete")
    with app.app_context():
        assert db.session.scalar(select(ModuleProgress.completed_at)) is not None


def test_a_due_date_in_the_past_needs_a_confirmation_and_keeps_what_was_typed(app, client, sample_course):
    owner, class_id, _code = _teacher_class(app)
    _login(client, owner)
    with app.app_context():
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "reading"))
    data = {"item": f"m:{module_id}", "due": "2020-03-01T09:00", "note": "Read before Monday"}
    response = client.post(f"/teach/classes/{class_id}/assignments/new", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "already passed" in page and 'name="past_due_ok"' in page
    assert 'value="2020-03-01T09:00"' in page and "Read before Monday" in page  # nothing typed is lost
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(assignments.Assignment)) == 0

    response = client.post(f"/teach/classes/{class_id}/assignments/new", data={**data, "past_due_ok": "y"})
    assert response.status_code in (302, 303)
    with app.app_context():
        assignment = db.session.scalar(select(assignments.Assignment))
        assert (assignment.due_at.year, assignment.note) == (2020, "Read before Monday")

    # editing only the note of an overdue assignment asks nothing again; moving it to another past date does
    edit = f"/teach/classes/{class_id}/assignments/{assignment.id}"
    assert client.post(edit, data={"due": "2020-03-01T09:00", "note": "Late is fine"}).status_code in (302, 303)
    assert "already passed" in client.post(edit, data={"due": "2020-04-01T09:00", "note": "x"}).get_data(as_text=True)


def test_a_due_date_in_the_future_is_saved_without_a_question(app, client, sample_course):
    owner, class_id, _code = _teacher_class(app)
    _login(client, owner)
    with app.app_context():
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "reading"))
    future = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/teach/classes/{class_id}/assignments/new",
                           data={"item": f"m:{module_id}", "due": future, "note": ""})
    assert response.status_code in (302, 303)
    page = client.get(f"/teach/classes/{class_id}/assignments/new").get_data(as_text=True)
    assert 'name="past_due_ok"' not in page


def _submit_quiz(app, client, student, *, right: bool):
    from tests.test_quiz_flow import _answers, _attempt

    _login(client, student)
    url = client.post("/courses/sample/quiz/quiz", data={"lang": "en"}).headers["Location"]
    client.post(url, data=_answers(_attempt(app, url), right=right))
    client.post("/auth/logout")


def test_gradebook_numbers_match_a_hand_computed_class(app, client, sample_course):
    owner, class_id, code = _teacher_class(app)
    ana, ben, cho = (make_user(name=n) for n in ("Ana", "Ben", "Cho"))
    with app.app_context():
        for s in (ana, ben, cho):
            classes.join_with_code(db.session.get(User, s.id), code)
    _assign(app, class_id, "reading", None)
    _assign(app, class_id, "quiz", None)
    _login(client, ana)
    client.post("/courses/sample/reading/complete")
    client.post("/auth/logout")
    _submit_quiz(app, client, ana, right=True)     # Ana: both done, quiz 100
    _submit_quiz(app, client, ben, right=False)    # Ben: quiz 0, not passed, reading not started
    with app.app_context():
        book = gradebook.for_class(db.session.get(SchoolClass, class_id), "en")
    rows = {row.student.name: row for row in book.rows}
    assert [c.status for c in rows["Ana"].cells] == ["completed", "completed"]
    assert rows["Ana"].completed == 2 and rows["Ana"].average == 100
    assert [c.status for c in rows["Ben"].cells] == ["not_started", "in_progress"]
    assert rows["Ben"].cells[1].best == 0 and rows["Ben"].completed == 0
    assert [c.status for c in rows["Cho"].cells] == ["not_started", "not_started"]
    assert book.item_completed == [1, 1] and book.item_average == [None, 50]
    _login(client, owner)
    page = client.get(f"/teach/classes/{class_id}/gradebook?sort=progress").get_data(as_text=True)
    assert page.index("Ana") < page.index("Ben") and "1 / 3" in page
    export = client.get(f"/teach/classes/{class_id}/gradebook.csv")
    assert export.data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig"))))
    assert table[1][0] == "Ana" and table[1][2:6] == ["Completed", "", "Completed", "100.0"]


def test_teacher_sees_a_students_answers(app, client, sample_course):
    owner, class_id, code = _teacher_class(app)
    student = make_user(name="김민지")
    with app.app_context():
        classes.join_with_code(db.session.get(User, student.id), code)
    _assign(app, class_id, "quiz", None)
    _submit_quiz(app, client, student, right=True)
    _login(client, owner)
    page = client.get(f"/teach/classes/{class_id}/students/{student.id}").get_data(as_text=True)
    assert "김민지" in page and "Water vapour" in page and "100%" in page


def test_item_analysis_shares_and_misconceptions(app, client, sample_course):
    owner, class_id, code = _teacher_class(app)
    students = [make_user() for _ in range(4)]
    with app.app_context():
        for s in students:
            classes.join_with_code(db.session.get(User, s.id), code)
    for i, s in enumerate(students):
        _submit_quiz(app, client, s, right=i == 0)  # one right, three pick the first wrong choice
    with app.app_context():
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "quiz"))
        questions, n = item_analysis.for_module(module_id, class_id=class_id)
    assert n == 4
    main = next(q for q in questions if q.question_id == "q-main-ghg")
    assert main.correct_share == 0.25 and main.answered == 4
    assert main.wrong_choices[0].share == 0.75
    assert questions[0].correct_share <= questions[-1].correct_share  # most missed first
    _login(client, owner)
    export = client.get(f"/teach/classes/{class_id}/analysis/{module_id}.csv")
    assert export.data.startswith(b"\xef\xbb\xbf") and b"75" in export.data


def test_all_classes_analysis_shows_a_teacher_only_the_classes_they_teach(app, client, sample_course):
    owner, first_id, first_code = _teacher_class(app)
    with app.app_context():
        second = classes.create_class(db.session.get(User, owner.id), name="10-4 Science", school="Pohang High",
                                      term="2026")
        second_code = second.join_code
    other_teacher, _other_id, other_code = _teacher_class(app)
    for code, count in ((first_code, 2), (second_code, 1), (other_code, 3)):
        for _ in range(count):
            student = make_user()
            with app.app_context():
                classes.join_with_code(db.session.get(User, student.id), code)
            _submit_quiz(app, client, student, right=False)
    with app.app_context():
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "quiz"))
    _login(client, owner)
    class_page = client.get(f"/teach/classes/{first_id}/analysis/{module_id}").get_data(as_text=True)
    assert f'href="/teach/analysis/{module_id}"' in class_page  # linked from the class's analysis
    page = client.get(f"/teach/analysis/{module_id}").get_data(as_text=True)
    assert "Latest attempt of 3 students" in page and "all the classes you teach" in page
    client.post("/auth/logout")
    _login(client, other_teacher)
    assert "Latest attempt of 3 students" in client.get(f"/teach/analysis/{module_id}").get_data(as_text=True)
    client.post("/auth/logout")
    _login(client, make_user(Role.TEACHER))
    assert "No submitted attempts yet." in client.get(f"/teach/analysis/{module_id}").get_data(as_text=True)
    client.post("/auth/logout")
    _login(client, make_user(Role.ADMIN))
    assert "Latest attempt of 6 students" in client.get(f"/teach/analysis/{module_id}").get_data(as_text=True)


@pytest.mark.parametrize("endpoint", ["gradebook", "analysis"])
def test_gradebook_and_analysis_queries_do_not_grow_with_class_size(app, client, sample_course, count_queries,
                                                                    endpoint):
    counts = []
    for size in (5, 200):
        owner, class_id, code = _teacher_class(app)
        with app.app_context():
            module_id = db.session.scalar(select(Module.id).where(Module.slug == "quiz"))
            school_class = db.session.get(SchoolClass, class_id)
            for i in range(size):
                user = User(name=f"Student {size}-{i}", email=f"s{size}-{i}@school.example", password_hash="x")
                db.session.add(user)
                db.session.flush()
                db.session.add(Enrollment(class_id=class_id, user_id=user.id))
                db.session.add(ModuleProgress(user_id=user.id, module_id=module_id, attempts=1, best_percent=50))
            db.session.commit()
            assignments.assign(school_class, module_id=module_id, course_id=None, due_at=None, note="",
                               by=db.session.get(User, owner.id))
        _login(client, owner)
        path = (f"/teach/classes/{class_id}/gradebook" if endpoint == "gradebook"
                else f"/teach/classes/{class_id}/analysis/{module_id}")
        with count_queries() as statements:
            assert client.get(path).status_code == 200
        counts.append(len(statements))
        client.post("/auth/logout")
    assert counts[0] == counts[1], counts


def test_item_analysis_counts_misconception_tags_of_wrong_choices(app, client, sample_course):
    from app.quizzes import Quiz, field_names
    from tests.test_quiz_flow import _attempt

    owner, class_id, code = _teacher_class(app)
    students = [make_user() for _ in range(2)]
    with app.app_context():
        for s in students:
            classes.join_with_code(db.session.get(User, s.id), code)
    for s in students:
        _login(client, s)
        url = client.post("/courses/sample/quiz/quiz", data={"lang": "en"}).headers["Location"]
        quiz = Quiz.from_dict(_attempt(app, url).quiz_snapshot)
        question = quiz.question("q-main-ghg")
        ozone = next(c.id for c in question.choices if c.misconception == "ozone-hole-causes-warming")
        client.post(url, data={field_names(quiz)["q-main-ghg"]: ozone})
        client.post("/auth/logout")
    with app.app_context():
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "quiz"))
        questions, _n = item_analysis.for_module(module_id, class_id=class_id)
    main = next(q for q in questions if q.question_id == "q-main-ghg")
    assert main.wrong_choices[0].misconception == "ozone-hole-causes-warming" and main.wrong_choices[0].share == 1
    assert ("ozone-hole-causes-warming", 1.0) in main.misconceptions
    _login(client, owner)
    page = client.get(f"/teach/classes/{class_id}/analysis/{module_id}").get_data(as_text=True)
    assert "Ozone hole causes warming" in page and "100%" in page  # named, never the raw tag
    assert "ozone-hole-causes-warming" not in page


def test_pre_post_gain_uses_first_and_latest_attempts(app, client, sample_course):
    from app.models import QuizAttempt

    owner, class_id, code = _teacher_class(app)
    ana, ben, cho = (make_user(name=n) for n in ("Ana", "Ben", "Cho"))
    with app.app_context():
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "quiz"))
        for student, percents in ((ana, [20, 40, 60]), (ben, [50, 50]), (cho, [40])):
            classes.join_with_code(db.session.get(User, student.id), code)
            for number, percent in enumerate(percents, start=1):
                db.session.add(QuizAttempt(
                    public_id=f"{student.id}-{number}", user_id=student.id, module_id=module_id, lang="en",
                    number=number, status="submitted", quiz_snapshot={"settings": {}, "questions": []},
                    question_order=[], choice_orders={}, percent=percent,
                    submitted_at=datetime(2026, 3, number, tzinfo=UTC)))
        db.session.commit()
        gain = learning_gain.for_class(class_id, module_id)
    rows = {row.student.name: row for row in gain.rows}
    assert (rows["Ana"].pre, rows["Ana"].post, rows["Ana"].gain) == (20, 60, 0.5)
    assert rows["Ben"].gain == 0 and rows["Cho"].post is None and rows["Cho"].gain is None
    assert gain.matched == 2 and gain.mean_pre == 35 and gain.mean_post == 55
    assert round(gain.class_gain, 4) == round(20 / 65, 4)
    _login(client, owner)
    page = client.get(f"/teach/classes/{class_id}/gain/{module_id}").get_data(as_text=True)
    assert "⟨g⟩ = 0.31" in page and "0.50" in page


def test_empty_class_pages_say_what_is_missing(app, client, sample_course):
    owner, class_id, _code = _teacher_class(app)
    _login(client, owner)
    assert "Nothing assigned yet." in client.get(f"/teach/classes/{class_id}/gradebook").get_data(as_text=True)
    _assign(app, class_id, "quiz", None)
    with app.app_context():
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "quiz"))
    assert "No students yet." in client.get(f"/teach/classes/{class_id}/gradebook").get_data(as_text=True)
    analysis = client.get(f"/teach/classes/{class_id}/analysis/{module_id}").get_data(as_text=True)
    assert "No submitted attempts yet." in analysis
    gain = client.get(f"/teach/classes/{class_id}/gain/{module_id}").get_data(as_text=True)
    assert "No student has taken this quiz twice yet." in gain


def test_teacher_pages_in_korean(app, client, sample_course):
    owner, class_id, _code = _teacher_class(app)
    _login(client, owner)
    client.post("/language", data={"language": "ko"})
    page = client.get(f"/teach/classes/{class_id}").get_data(as_text=True)
    assert "참여 코드" in page and "성적표" in page and '<html lang="ko">' in page
