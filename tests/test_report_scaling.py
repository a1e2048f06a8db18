"""Teacher reports stay flat in class size: the same queries for 5 and 1,000 students, and the right figures."""
from __future__ import annotations

import re
import secrets
import time

import pytest
from sqlalchemy import insert, select

from app.extensions import db
from app.models import AttemptAnswer, Enrollment, Module, ModuleProgress, ModuleText, QuizAttempt, Role, User
from app.models.base import utcnow
from app.quizzes import Quiz
from app.services import assignments, classes, item_analysis
from tests.conftest import PASSWORD, make_user


def _class_of(app, size: int) -> tuple[object, int, int]:
    """A class of ``size`` students who all took the sample quiz once, inserted in bulk (a few statements)."""
    teacher = make_user(Role.TEACHER)
    tag = secrets.token_hex(3)
    with app.app_context():
        owner = db.session.get(User, teacher.id)
        school_class = classes.create_class(owner, name=f"Class {size}", school="Pohang", term="2026")
        module_id = db.session.scalar(select(Module.id).where(Module.slug == "quiz"))
        quiz_dict = db.session.scalar(select(ModuleText.quiz).where(ModuleText.module_id == module_id,
                                                                    ModuleText.lang == "en"))
        quiz = Quiz.from_dict(quiz_dict)
        db.session.execute(insert(User), [
            {"name": f"Student {tag} {i:04d}", "email": f"s{tag}-{i}@school.example", "password_hash": "x",
             "role": Role.STUDENT, "session_version": 1} for i in range(size)])
        ids = list(db.session.scalars(select(User.id).where(User.email.like(f"s{tag}-%")).order_by(User.id)))
        db.session.execute(insert(Enrollment), [{"class_id": school_class.id, "user_id": u} for u in ids])
        db.session.execute(insert(ModuleProgress), [
            {"user_id": u, "module_id": module_id, "attempts": 1, "marked_complete": False,
             "best_percent": 25.0 * (i % 4), "first_visit_at": utcnow(),
             "completed_at": utcnow() if i % 4 == 3 else None} for i, u in enumerate(ids)])
        now = utcnow()
        db.session.execute(insert(QuizAttempt), [
            {"public_id": secrets.token_hex(16), "user_id": u, "module_id": module_id, "lang": "en", "number": 1,
             "status": "submitted", "quiz_snapshot": quiz_dict, "question_order": [q.id for q in quiz.questions],
             "choice_orders": {}, "started_at": now, "submitted_at": now, "score": 1.0, "max_score": 4.0,
             "percent": 25.0, "passed": False, "form": ""} for u in ids])
        attempt_ids = dict(db.session.execute(select(QuizAttempt.user_id, QuizAttempt.id)
                                              .where(QuizAttempt.user_id.in_(ids))).all())
        rows = []
        for i, user_id in enumerate(ids):
            for position, question in enumerate(quiz.questions):
                wrong = [c for c in question.choices if not c.correct]
                right = i % 2 == 0 or not wrong
                response = (next((c.id for c in question.choices if c.correct), None) if right
                            else wrong[0].id) if question.choices else None
                rows.append({"attempt_id": attempt_ids[user_id], "question_id": question.id, "position": position,
                             "response": response, "response_text": "", "score": 1.0 if right else 0.0,
                             "max_score": 1.0, "status": "correct" if right else "incorrect",
                             "misconceptions": [] if right else ["tag-x"], "feedback_html": []})
        db.session.execute(insert(AttemptAnswer), rows)
        db.session.commit()
        assignments.assign(db.session.get(type(school_class), school_class.id), module_id=module_id, course_id=None,
                           due_at=None, note="", by=owner)
        return teacher, school_class.id, module_id


def _login(client, user) -> None:
    client.post("/auth/login", data={"email": user.email, "password": PASSWORD})


@pytest.mark.parametrize("report", ["gradebook", "analysis"])
def test_gradebook_and_item_analysis_take_the_same_queries_for_5_and_1000_students(
        app, client, sample_course, count_queries, report):
    counts, seconds = [], []
    for size in (5, 1000):
        teacher, class_id, module_id = _class_of(app, size)
        _login(client, teacher)
        path = (f"/teach/classes/{class_id}/gradebook" if report == "gradebook"
                else f"/teach/classes/{class_id}/analysis/{module_id}")
        client.get(path)
        start = time.perf_counter()
        with count_queries() as statements:
            page = client.get(path)
        seconds.append(time.perf_counter() - start)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        if report == "analysis":
            assert f"Latest attempt of {size} students" in text
            # every other student answered each question right: 3 of 5, 500 of 1,000
            assert f"{round(100 * ((size + 1) // 2) / size)}% correct" in text
        else:
            # one page of students (all 5, the first 60 of 1,000) and the totals row, which counts everyone
            assert text.count("<tr><th scope=\"row\">") == min(size, 60) + 1
            average = round(sum(25 * (i % 4) for i in range(size)) / size)  # 30% of 5, 38% (37.5) of 1,000
            assert f"<td>{size // 4} / {size}<br>avg {average}%</td>" in text
            assert '<td class="cell-completed">Completed<br>75%</td>' in text
            assert '<td class="cell-in_progress">In progress<br>25%</td>' in text
        counts.append(len(statements))
        client.post("/auth/logout")
    assert counts[0] == counts[1], counts
    print(f"\n{report}: {seconds[0] * 1000:.0f} ms for 5 students, {seconds[1] * 1000:.0f} ms for 1,000")


def test_item_analysis_figures_from_grouped_rows(app, sample_course):
    _teacher, class_id, module_id = _class_of(app, 8)
    with app.app_context():
        questions, students = item_analysis.for_module(module_id, class_id=class_id)
    assert students == 8
    with_choices = [q for q in questions if q.correct_share < 1]
    assert with_choices, "the sample quiz has choice questions"
    for question in questions:
        assert question.answered == 8
        if question in with_choices:  # every other student picked the first wrong choice, tagged tag-x
            assert question.correct_share == 0.5 and question.misconceptions == [("tag-x", 0.5)]
            assert [choice.share for choice in question.wrong_choices] == [0.5]
        else:
            assert question.misconceptions == [] and question.wrong_choices == []


def test_a_large_class_gradebook_comes_in_pages_with_totals_for_everyone(app, client, sample_course):
    """130 students, 60 a page: the 32 who completed (75%) lead the progress order, then 50%, 25% and 0%."""
    teacher, class_id, _module_id = _class_of(app, 130)
    _login(client, teacher)

    def page(query: str) -> str:
        response = client.get(f"/teach/classes/{class_id}/gradebook?{query}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def cells(text: str) -> list[str]:
        return re.findall(r'<td class="cell-(\w+)">[^<]*<br>(\d+)%</td>', text)

    first = page("sort=progress")
    assert cells(first) == [("completed", "75")] * 32 + [("in_progress", "50")] * 28
    assert "Students 1–60 of 130" in first and "Page 1 of 3" in first and "<td>32 / 130<br>avg 37%</td>" in first
    assert f"/teach/classes/{class_id}/gradebook?page=2&amp;sort=progress" in first
    second = page("sort=progress&page=2")
    assert cells(second) == [("in_progress", "50")] * 4 + [("in_progress", "25")] * 33 + [("in_progress", "0")] * 23
    last = page("sort=progress&page=3")
    assert "Students 121–130 of 130" in last and cells(last) == [("in_progress", "0")] * 10
    assert "<td>32 / 130<br>avg 37%</td>" in last  # the totals row is the whole class's on every page
    # a page past the end (the class shrank since the link was made) shows the last page; nonsense shows the first
    assert page("page=99").count('<tr><th scope="row">') == 10 + 1
    by_name = page("page=nonsense")
    names = re.findall(r'">(Student \w+ \d{4})</a></th>', by_name)
    assert len(names) == 60 and names == sorted(names) and names[0].endswith("0000")
    export = client.get(f"/teach/classes/{class_id}/gradebook.csv").get_data(as_text=True)
    assert len(export.strip().splitlines()) == 130 + 1  # the export has everyone


def test_gradebook_totals_and_progress_order_from_sql_match_the_cells(app, sample_course):
    """The database's aggregates against the same figures worked out from every student's cells, for a class with
    a course assigned, one module assigned twice and a mix of progress."""
    import random

    from app.models import Course, SchoolClass
    from app.services import gradebook
    from tests.factories import make_class

    teacher = make_user(Role.TEACHER)
    students = [make_user(name=f"Pupil {i:02d}") for i in range(12)]
    school_class = make_class(teacher, students=students)
    rng = random.Random(14)
    with app.app_context():
        owner = db.session.get(User, teacher.id)
        target = db.session.get(SchoolClass, school_class.id)
        modules = db.session.scalars(select(Module).join(Course).where(Course.slug == sample_course)
                                     .where(Module.archived.is_(False)).order_by(Module.position)).all()
        assert len(modules) >= 3
        assignments.assign(target, module_id=None, course_id=modules[0].course_id, due_at=None, note="", by=owner)
        for module in (modules[1], modules[1], modules[2]):
            assignments.assign(target, module_id=module.id, course_id=None, due_at=None, note="", by=owner)
        for student in students:
            for module in modules:
                if rng.random() < 0.7:
                    db.session.add(ModuleProgress(
                        user_id=student.id, module_id=module.id, attempts=1, marked_complete=False,
                        first_visit_at=utcnow(), best_percent=rng.choice([None, 0.0, 40.0, 62.5, 100.0]),
                        completed_at=utcnow() if rng.random() < 0.6 else None))
        db.session.commit()
        everyone = gradebook.for_class(target, "en", page=None)
        expected_completed = [sum(row.cells[i].status in gradebook.DONE_STATES for row in everyone.rows)
                              for i in range(len(everyone.items))]
        expected_average = []
        for i in range(len(everyone.items)):
            scores = [row.cells[i].best for row in everyone.rows if row.cells[i].best is not None]
            expected_average.append(sum(scores) / len(scores) if scores else None)
        assert everyone.item_completed == expected_completed
        assert everyone.item_average == pytest.approx(expected_average)
        assert 0 < sum(expected_completed) < 12 * len(everyone.items)
        by_progress = sorted(everyone.rows, key=lambda r: (-r.completed, -(r.average or 0), r.student.name))
        paged = [row.student.name for number in (1, 2, 3)
                 for row in gradebook.for_class(target, "en", sort="progress", page=number, per_page=5).rows]
        assert paged == [row.student.name for row in by_progress]
