"""Reading pages cheaply: the module page from the per-process course cache, no write on a repeat visit, and
the cache dropped as soon as sync or publishing changes the course."""
from __future__ import annotations

import re
import shutil
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Course, Module, ModuleProgress, Role, User
from app.services import authoring
from app.services.course_sync import sync_courses
from tests.conftest import CSRF_RE, FIXTURE_COURSES, PASSWORD, logged_in_client, make_user

WRITES = ("INSERT", "UPDATE", "DELETE")


def _writes(statements: list[str]) -> list[str]:
    return [s for s in statements if s.lstrip().upper().startswith(WRITES)]


def test_module_page_takes_at_most_three_queries_on_a_warm_cache(client, login_as, sample_course, count_queries):
    login_as("student")
    client.get("/courses/sample/reading")
    client.get("/courses/sample/quiz")
    with count_queries() as reading:
        assert client.get("/courses/sample/reading").status_code == 200
    with count_queries() as quiz:
        page = client.get("/courses/sample/quiz")
    assert page.status_code == 200 and "Take the quiz" in page.get_data(as_text=True)
    assert len(reading) <= 3 and len(quiz) <= 3, (reading, quiz)


def test_a_repeat_visit_writes_nothing_but_a_first_visit_and_a_language_change_do(
        app, client, login_as, sample_course, count_queries):
    student = login_as("student")
    with count_queries() as first:
        client.get("/courses/sample/reading")
    assert len(_writes(first)) == 1  # the progress row: first visit
    with count_queries() as again:
        client.get("/courses/sample/reading")
    assert _writes(again) == []
    with count_queries() as korean:
        client.get("/courses/sample/reading?lang=ko")
    assert len(_writes(korean)) == 1
    with app.app_context():
        progress = db.session.scalar(select(ModuleProgress).where(ModuleProgress.user_id == student.id))
        assert progress.last_lang == "ko" and progress.first_visit_at is not None


def test_a_visit_after_the_refresh_interval_is_recorded(app, client, login_as, sample_course, count_queries):
    from app.services.learning import VISIT_REFRESH

    student = login_as("student")
    client.get("/courses/sample/reading")
    with app.app_context():
        progress = db.session.scalar(select(ModuleProgress).where(ModuleProgress.user_id == student.id))
        earlier = progress.last_visit_at - VISIT_REFRESH - timedelta(seconds=1)
        progress.last_visit_at = earlier
        db.session.commit()
    with count_queries() as later:
        client.get("/courses/sample/reading")
    assert len(_writes(later)) == 1
    with app.app_context():
        progress = db.session.scalar(select(ModuleProgress).where(ModuleProgress.user_id == student.id))
        assert progress.last_visit_at.replace(tzinfo=None) > earlier.replace(tzinfo=None)


def test_a_synced_change_shows_on_the_next_view_of_a_cached_page(app, client, login_as, tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, root)
    with app.app_context():
        sync_courses(root)
    login_as("student")
    assert "The Keeling curve" in client.get("/courses/sample/reading").get_data(as_text=True)
    assert "Reading the record" in client.get("/courses/sample").get_data(as_text=True)
    path = root / "sample" / "01-reading.en.md"
    path.write_text(path.read_text(encoding="utf-8").replace("The Keeling curve", "The Mauna Loa record")
                    .replace("title: Reading the record", "title: Reading the long record"), encoding="utf-8")
    with app.app_context():
        sync_courses(root)
    page = client.get("/courses/sample/reading").get_data(as_text=True)
    assert "The Mauna Loa record" in page and "The Keeling curve" not in page
    assert "Reading the long record" in client.get("/courses/sample").get_data(as_text=True)


def test_hiding_a_course_or_module_in_the_browser_hides_the_cached_pages(app, client, login_as, sample_course):
    admin = make_user(Role.ADMIN)
    login_as("student")
    assert client.get("/courses/sample/reading").status_code == 200
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == "sample"))
        module = db.session.scalar(select(Module).where(Module.slug == "reading"))
        authoring.set_module_archived(course, module, True, db.session.get(User, admin.id))
    assert client.get("/courses/sample/reading").status_code == 404
    assert client.get("/courses/sample/quiz").status_code == 200
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == "sample"))
        authoring.set_course_visible(course, False, db.session.get(User, admin.id))
    assert client.get("/courses/sample/quiz").status_code == 404
    assert client.get("/courses/sample").status_code == 404


def test_course_page_dashboard_and_catalogue_query_counts(client, login_as, sample_course, count_queries):
    login_as("student")
    client.get("/courses/sample")
    client.get("/courses/sample/reading")
    with count_queries() as course_page:
        assert client.get("/courses/sample").status_code == 200
    with count_queries() as catalogue:
        assert client.get("/courses").status_code == 200
    with count_queries() as dashboard:
        assert client.get("/dashboard").status_code == 200
    # user + version/progress; user + course versions (the cards come from the course cache) + completed modules;
    # the dashboard (no class yet): those three, the module to resume, recent attempts, assigned work
    assert len(course_page) <= 2, course_page
    assert len(catalogue) <= 3, catalogue
    assert len(dashboard) <= 6, dashboard
    assert _writes(course_page + catalogue + dashboard) == []


def test_dashboard_with_assigned_work_and_attempts_takes_eight_queries(app, client, sample_course, count_queries):
    """The course versions are checked once for the cards, the titles of assigned work and of recent attempts, and
    assigned modules and courses come from the course cache."""
    from app.models import SchoolClass
    from app.services import assignments
    from tests.factories import assign_module, make_class
    from tests.test_quiz_flow import _answers, _attempt

    teacher, student = make_user(Role.TEACHER), make_user()
    school_class = make_class(teacher, students=[student])
    assign_module(school_class, "quiz", by=teacher)
    with app.app_context():
        course_id = db.session.scalar(select(Course.id).where(Course.slug == "sample"))
        assignments.assign(db.session.get(SchoolClass, school_class.id), module_id=None, course_id=course_id,
                           due_at=None, note="", by=db.session.get(User, teacher.id))
    client.post("/auth/login", data={"email": student.email, "password": PASSWORD})
    url = client.post("/courses/sample/quiz/quiz", data={"lang": "en"}).headers["Location"]
    client.post(url, data=_answers(_attempt(app, url)))
    client.get("/dashboard")
    with count_queries() as dashboard:
        page = client.get("/dashboard").get_data(as_text=True)
    assert "Greenhouse quiz" in page and "Sample Course" in page and "100%" in page
    # user, course versions, completed modules, module to resume, recent attempts, the assignments they were made
    # for (what the student may see of them), assigned work, its progress
    assert len(dashboard) <= 8, dashboard
    assert _writes(dashboard) == []


def test_a_renamed_module_still_redirects_from_the_cache(client, login_as, sample_course, app):
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == "reading"))
        module.formerly = ["old-reading"]
        db.session.commit()
    login_as("student")
    response = client.get("/courses/sample/old-reading")
    assert response.status_code == 301 and response.headers["Location"].endswith("/courses/sample/reading")


def test_attempts_left_counts_submitted_attempts(app, client, login_as, sample_course):
    from tests.test_quiz_flow import _answers, _attempt, _start

    login_as("student")
    assert "Attempts left: 2." in client.get("/courses/sample/quiz").get_data(as_text=True)
    url = _start(client)
    client.post(url, data=_answers(_attempt(app, url), right=False))
    assert "Attempts left: 1." in client.get("/courses/sample/quiz").get_data(as_text=True)


CHECK_FORM_TOKEN_RE = re.compile(r'<form method="post" action="[^"]*/checks/\d+"[^>]*>\s*'
                                 r'<input type="hidden" name="csrf_token" value="([^"]+)"')


def _page_tokens(page: str) -> tuple[str, list[str]]:
    return CSRF_RE.search(page).group(1), CHECK_FORM_TOKEN_RE.findall(page)


def test_the_module_body_is_rendered_once_but_every_reader_gets_their_own_token_and_language(app, sample_course):
    """The text and its inline checks are rendered once and reused: each reader's check forms still carry that
    reader's CSRF token, a Korean page gets Korean labels, and a sent check still shows its result."""
    first = logged_in_client(app, make_user(Role.STUDENT))
    second = logged_in_client(app, make_user(Role.STUDENT))
    first_page = first.get("/courses/sample/reading").get_data(as_text=True)
    second_page = second.get("/courses/sample/reading").get_data(as_text=True)
    tokens = []
    for page in (first_page, second_page):
        meta, in_forms = _page_tokens(page)
        assert in_forms and set(in_forms) == {meta}
        tokens.append(meta)
    assert tokens[0] != tokens[1]
    assert "Check yourself (not graded)" in second_page

    second.post("/language", data={"language": "ko"})
    korean = second.get("/courses/sample/reading?lang=en").get_data(as_text=True)  # the check is in English only
    assert "스스로 확인하기 (채점하지 않음)" in korean and "Check yourself (not graded)" not in korean
    meta, in_forms = _page_tokens(korean)
    assert in_forms and set(in_forms) == {meta}

    field = re.search(r'name="(check0-[^"]+)"', first_page).group(1)
    assert first.post("/courses/sample/reading/checks/0", data={field: "x", "lang": "en"}).status_code == 303
    with_result = first.get("/courses/sample/reading").get_data(as_text=True)
    assert 'class="check-result' in with_result
    assert 'class="check-result' not in first.get("/courses/sample/reading").get_data(as_text=True)  # shown once


def test_catalogue_and_dashboard_lists_follow_hidden_modules_and_courses(app, client, login_as, sample_course):
    """The cards and titles come from the course cache: hiding a module or a course shows on the next view, and
    work assigned before a module was hidden keeps its title (read from the database)."""
    from tests.factories import assign_module, make_class

    admin, teacher = make_user(Role.ADMIN), make_user(Role.TEACHER)
    student = login_as("student")
    assign_module(make_class(teacher, students=[student]), "reading", by=teacher)
    catalogue = client.get("/courses").get_data(as_text=True)
    assert "3 modules" in catalogue and "/courses/sample\"" in catalogue
    assert "Reading the record" in client.get("/dashboard").get_data(as_text=True)
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == "sample"))
        module = db.session.scalar(select(Module).where(Module.slug == "reading"))
        authoring.set_module_archived(course, module, True, db.session.get(User, admin.id))
    catalogue = client.get("/courses").get_data(as_text=True)
    assert "2 modules" in catalogue and "3 modules" not in catalogue
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Reading the record" in dashboard and "0 of 2 modules completed" in dashboard
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == "sample"))
        authoring.set_course_visible(course, False, db.session.get(User, admin.id))
    assert "/courses/sample\"" not in client.get("/courses").get_data(as_text=True)
    assert "No courses are published yet." in client.get("/dashboard").get_data(as_text=True)


def test_course_versions_are_checked_once_per_transaction(app, sample_course, count_queries):
    """Lists on one page share one version check; a commit, a rollback or a flush makes the next list check again,
    so a hidden course disappears at once in the same request that hid it."""
    from app.services import course_cache

    with app.app_context():
        assert [s.course.slug for s in course_cache.visible_courses()] == ["sample"]
        with count_queries() as again:
            course_cache.visible_courses()
        assert again == []
        db.session.commit()
        with count_queries() as after_commit:
            course_cache.visible_courses()
        assert len(after_commit) == 1
        db.session.rollback()
        with count_queries() as after_rollback:
            course_cache.visible_courses()
        assert len(after_rollback) == 1
        db.session.scalar(select(Course).where(Course.slug == "sample")).archived = True
        db.session.flush()
        assert course_cache.visible_courses() == []  # the flush wrote the change: checked again, gone
        db.session.rollback()
        assert [s.course.slug for s in course_cache.visible_courses()] == ["sample"]
