"""Course content in the app: sync into the database, and the reading pages per role."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.content import CourseFormatError
from app.extensions import db
from app.models import Course, Module, ModuleProgress, ModuleText
from app.services.course_sync import sync_courses
from tests.conftest import FIXTURE_COURSES, make_user


def _copy_courses(tmp_path: Path) -> Path:
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, root)
    return root


def _snapshot():
    rows = db.session.execute(select(ModuleText.module_id, ModuleText.lang, ModuleText.source_hash,
                                     ModuleText.title).order_by(ModuleText.id)).all()
    modules = db.session.execute(select(Module.slug, Module.archived).order_by(Module.id)).all()
    return rows, modules


def test_sync_creates_courses_and_a_second_sync_renders_nothing(app, tmp_path):
    root = _copy_courses(tmp_path)
    with app.app_context():
        first = sync_courses(root)
        assert (first.courses_created, first.modules_created, first.texts_rendered) == (1, 3, 4)
        second = sync_courses(root)
        assert second.texts_rendered == 0 and second.texts_unchanged == 4
        assert db.session.scalar(select(func.count()).select_from(Course)) == 1


def test_sync_with_a_broken_file_changes_nothing(app, tmp_path):
    root = _copy_courses(tmp_path)
    with app.app_context():
        sync_courses(root)
        before = _snapshot()
        module = root / "sample" / "01-reading.en.md"
        module.write_text(module.read_text().replace("title: Reading the record", "title: Changed title"))
        broken = root / "sample" / "03-english-only.en.md"
        broken.write_text(broken.read_text().replace("minutes: 5", "minutes: 5\ncolour: blue"))
        with pytest.raises(CourseFormatError) as error:
            sync_courses(root)
        assert any("03-english-only.en.md:" in str(p) and "colour" in str(p) for p in error.value.problems)
        db.session.expire_all()
        assert _snapshot() == before


def test_changed_file_is_rendered_again_and_removed_file_is_archived(app, tmp_path):
    root = _copy_courses(tmp_path)
    with app.app_context():
        sync_courses(root)
        (root / "sample" / "03-english-only.en.md").unlink()
        module = root / "sample" / "01-reading.en.md"
        module.write_text(module.read_text().replace("Carbon dioxide keeps rising.", "It keeps rising."))
        report = sync_courses(root)
        assert report.texts_rendered == 1 and report.modules_archived == 1
        archived = db.session.scalar(select(Module).where(Module.slug == "english-only"))
        assert archived.archived


def test_rename_through_formerly_keeps_progress(app, tmp_path):
    root = _copy_courses(tmp_path)
    student = make_user()
    with app.app_context():
        sync_courses(root)
        module = db.session.scalar(select(Module).where(Module.slug == "reading"))
        db.session.add(ModuleProgress(user_id=student.id, module_id=module.id, attempts=0))
        db.session.commit()
        for lang in ("en", "ko"):
            old = root / "sample" / f"01-reading.{lang}.md"
            text = old.read_text().replace("principles: [EP6]", "principles: [EP6]\nformerly: [reading]")
            (root / "sample" / f"01-keeling-curve.{lang}.md").write_text(text)
            old.unlink()
        text = (root / "sample" / "02-quiz.en.md").read_text().replace("prerequisites: [reading]", "")
        (root / "sample" / "02-quiz.en.md").write_text(text)
        report = sync_courses(root)
        assert report.modules_renamed == [("reading", "keeling-curve")]
        renamed = db.session.scalar(select(Module).where(Module.slug == "keeling-curve"))
        assert renamed.id == module.id
        assert db.session.scalar(select(func.count()).where(ModuleProgress.module_id == module.id)) == 1


def test_old_slug_redirects_to_the_renamed_module(app, client, login_as, sample_course):
    with app.app_context():
        module = db.session.scalar(select(Module).where(Module.slug == "reading"))
        module.formerly = ["old-reading"]
        db.session.commit()
    login_as("student")
    response = client.get("/courses/sample/old-reading")
    assert response.status_code == 301 and response.headers["Location"].endswith("/courses/sample/reading")


def test_catalogue_shows_course_with_level_hours_and_progress(client, login_as, sample_course):
    login_as("student")
    page = client.get("/courses").get_data(as_text=True)
    assert "Sample Course" in page and "A three-module course" in page
    assert "about 2 hours" in page and "3 modules" in page and 'value="0"' in page


def test_catalogue_in_korean_uses_korean_titles(client, login_as, sample_course):
    login_as("student")
    client.post("/language", data={"language": "ko"})
    page = client.get("/courses").get_data(as_text=True)
    assert "예시 과정" in page


def test_course_page_lists_modules_in_order_with_minutes_and_status(client, login_as, sample_course):
    login_as("student")
    client.get("/courses/sample/reading")
    page = client.get("/courses/sample").get_data(as_text=True)
    assert page.index("Reading the record") < page.index("Greenhouse quiz") < page.index("Only in English")
    assert "15 minutes" in page and "Reading" in page and "Not started" in page
    assert "Humans can take actions" in page  # principles covered, named


def test_module_page_shows_objectives_toc_chart_and_pager(client, login_as, sample_course):
    login_as("student")
    page = client.get("/courses/sample/reading").get_data(as_text=True)
    assert "Read the Mauna Loa CO₂ chart." in page
    assert "Reading time: about 15 minutes" in page
    assert 'href="#the-keeling-curve"' in page or "Contents" in page
    assert "<svg" in page and "<title" in page and "Data table" in page
    assert 'rel="next"' in page and "Greenhouse quiz" in page
    assert 'hreflang="ko"' in page  # the other language is one click away


def test_module_missing_in_korean_is_shown_in_english_with_a_notice(client, login_as, sample_course):
    login_as("student")
    client.post("/language", data={"language": "ko"})
    page = client.get("/courses/sample/english-only").get_data(as_text=True)
    assert "Only in English" in page and 'lang="en"' in page
    assert "영어로 표시합니다" in page


def test_module_body_is_sanitised(client, login_as, sample_course):
    login_as("student")
    page = client.get("/courses/sample/english-only").get_data(as_text=True)
    assert "<script>alert" not in page and "People can act" in page


def test_archived_module_is_404_for_students(app, client, login_as, sample_course):
    with app.app_context():
        db.session.scalar(select(Module).where(Module.slug == "english-only")).archived = True
        db.session.commit()
    login_as("student")
    assert client.get("/courses/sample/english-only").status_code == 404
    assert "Only in English" not in client.get("/courses/sample").get_data(as_text=True)


def test_unknown_course_and_module_are_404(client, login_as, sample_course):
    login_as("student")
    assert client.get("/courses/nope").status_code == 404
    assert client.get("/courses/sample/nope").status_code == 404


def test_no_markdown_is_rendered_while_serving_a_page(client, login_as, sample_course, monkeypatch):
    import app.content.render as render

    def forbidden(*args, **kwargs):
        raise AssertionError("Markdown rendered during a request")

    monkeypatch.setattr(render, "render_markdown", forbidden)
    monkeypatch.setattr(render, "render_module", forbidden)
    # course_sync imports render_module from app.content.render when it renders, so the patch above covers it
    login_as("student")
    for path in ("/courses", "/courses/sample", "/courses/sample/reading", "/courses/sample/quiz"):
        assert client.get(path).status_code == 200


def test_prerequisites_are_shown_as_advice_on_the_module_and_course_pages(client, login_as, sample_course):
    login_as("student")
    quiz = client.get("/courses/sample/quiz")
    page = quiz.get_data(as_text=True)
    assert quiz.status_code == 200  # advice, not a lock: the module opens before its prerequisite is done
    assert "Builds on" in page and "You can read it now; it may be easier after them." in page
    assert 'href="/courses/sample/reading" lang="en">Reading the record</a>' in page
    course = client.get("/courses/sample").get_data(as_text=True)
    assert "Builds on:" in course and course.count("Builds on:") == 1  # only the quiz module has one

    client.post("/courses/sample/reading/complete")
    page = client.get("/courses/sample/quiz").get_data(as_text=True)
    assert "You have completed the modules this one builds on." in page
    assert "(completed)" in client.get("/courses/sample").get_data(as_text=True)
    assert "Builds on" not in client.get("/courses/sample/reading").get_data(as_text=True)


def test_module_page_query_count_is_a_small_constant(client, login_as, sample_course, count_queries):
    login_as("student")
    client.get("/courses/sample/reading")
    with count_queries() as first:
        client.get("/courses/sample/reading")
    with count_queries() as second:
        client.get("/courses/sample/quiz")
    assert len(first) <= 12 and len(second) <= 14, (len(first), len(second))


def test_students_mark_a_module_without_quiz_complete(client, login_as, sample_course):
    login_as("student")
    client.post("/courses/sample/reading/complete")
    page = client.get("/courses/sample").get_data(as_text=True)
    assert "Completed" in page
    refused = client.post("/courses/sample/quiz/complete", follow_redirects=True).get_data(as_text=True)
    assert "completed by passing its quiz" in refused


def test_assets_are_served_with_long_cache_and_sandbox(app, client, login_as, tmp_path):
    root = _copy_courses(tmp_path)
    (root / "sample" / "assets").mkdir()
    (root / "sample" / "assets" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    app.config["COURSES_PATH"] = str(root)
    try:
        login_as("student")
        response = client.get("/courses/sample/assets/map.png?v=abc")
        assert response.status_code == 200
        assert "max-age=31536000" in response.headers["Cache-Control"]
        assert response.headers.get("ETag")
        assert "sandbox" in response.headers["Content-Security-Policy"]
        response.close()
        assert client.get("/courses/sample/assets/../course.yml").status_code == 404
    finally:
        app.config["COURSES_PATH"] = str(FIXTURE_COURSES.parent.parent.parent / "courses")


def test_inline_check_gives_instant_feedback_and_stores_nothing(app, client, login_as, sample_course):
    from app.models import AttemptAnswer, QuizAttempt

    login_as("student")
    page = client.get("/courses/sample/reading").get_data(as_text=True)
    assert "Check yourself (not graded)" in page
    assert "every year is higher" not in page and "The Keeling curve climbs" not in page
    rose = re.search(r'value="([^"]+)"[^>]*>\s*<label[^>]*>It rose', page).group(1)
    field = re.search(r'name="(check0-[^"]+)"', page).group(1)
    response = client.post("/courses/sample/reading/checks/0", data={field: rose, "lang": "en"})
    assert response.status_code == 303 and response.headers["Location"].endswith("#c-check-1")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "every year is higher" in page and "The Keeling curve climbs" in page and "Correct" in page
    assert "checked" in page  # the answer stays selected
    again = client.get("/courses/sample/reading").get_data(as_text=True)
    assert "every year is higher" not in again  # shown once, then the check is fresh
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(QuizAttempt)) == 0
        assert db.session.scalar(select(func.count()).select_from(AttemptAnswer)) == 0
    assert client.post("/courses/sample/reading/checks/7", data={"lang": "en"}).status_code == 404


def test_course_page_shows_overall_progress_and_each_modules_state(app, client, login_as, sample_course):
    login_as("student")
    client.get("/courses/sample/reading")
    client.post("/courses/sample/reading/complete")
    client.get("/courses/sample/quiz")
    page = client.get("/courses/sample").get_data(as_text=True)
    assert '<progress max="100" value="33"' in page  # one of three modules completed
    assert "1 of 3 modules completed" in page
    states = re.findall(r'<span class="badge [\w-]+ state">(?:✓ )?([^<]+)</span>', page)
    assert states == ["Completed", "Reading", "Not started"]


def test_passing_a_quiz_module_shows_quiz_passed(app, client, login_as, sample_course):
    from tests.test_quiz_flow import _answers, _attempt, _start

    login_as("student")
    url = _start(client)
    client.post(url, data=_answers(_attempt(app, url)))
    page = client.get("/courses/sample").get_data(as_text=True)
    assert "✓ Quiz passed" in page
    catalogue = client.get("/courses").get_data(as_text=True)
    assert "1 of 3 modules completed" in catalogue and '<progress max="100" value="33"' in catalogue
