"""Admins write modules in the browser: preview, lint errors, drafts, publishing, history and rollback."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEntry, Course, Module, ModuleRevision, ModuleText
from tests.conftest import AuthActions, make_user

EDIT = "/admin/courses/sample/modules/reading/en"
QUIZ_EDIT = "/admin/courses/sample/modules/quiz/en"


@pytest.fixture
def admin(client, login_as, sample_course):
    return login_as("admin")


@pytest.fixture
def student_client(app):
    """A second browser, signed in as a student."""
    student = make_user("student")
    other = app.test_client()
    assert AuthActions(other).login(student.email).status_code in (302, 303)
    other.user = student
    return other


def _source(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    match = re.search(r"<textarea[^>]*>\r?\n?(.*?)</textarea>", page, re.S)
    return html.unescape(match.group(1))


def _published(app, slug: str, lang: str = "en") -> ModuleText:
    with app.app_context():
        return db.session.scalar(select(ModuleText).join(Module).where(Module.slug == slug, ModuleText.lang == lang))


def test_preview_shows_exactly_the_html_students_see(app, client, admin, student_client):
    text = _source(client, EDIT)
    preview = client.post(EDIT, data={"source": text, "preview": "Preview"}).get_data(as_text=True)
    assert "No errors." in preview
    student_page = student_client.get("/courses/sample/reading").get_data(as_text=True)
    body_html = _published(app, "reading").body_html
    assert "<svg" in body_html  # the chart is drawn in the preview too
    # Both pages put the stored body, byte for byte, around the same inline-check forms (one shared macro).
    for part in re.split(r"<!--ondo-check:\d+-->", body_html):
        assert part in preview and part in student_page
    legend = "Did the annual mean CO₂ at Mauna Loa rise or fall since 1959?"
    assert legend in preview and legend in student_page


def test_lint_error_blocks_saving_and_publishing_and_keeps_the_text(app, client, admin):
    before = _published(app, "reading").source_markdown
    broken = _source(client, EDIT).replace("minutes: 15", "minutes: lots") + "\nMy unsaved sentence.\n"
    for button in ("save", "publish"):
        response = client.post(EDIT, data={"source": broken, button: "x"})
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "<code>01-reading.en.md:4</code>" in page and "&#39;minutes&#39; must be a whole number" in page
        assert "My unsaved sentence." in page  # what the admin typed is still in the editor
    assert _published(app, "reading").source_markdown == before
    with app.app_context():
        assert db.session.scalar(select(ModuleRevision)) is None


def test_a_draft_is_invisible_to_students_until_it_is_published(app, client, admin, student_client):
    text = _source(client, EDIT).replace("Carbon dioxide keeps rising.", "Draft sentence about CO2.")
    response = client.post(EDIT, data={"source": text, "save": "Save draft"})
    assert response.status_code in (302, 303)
    assert "Draft sentence about CO2." not in student_client.get("/courses/sample/reading").get_data(as_text=True)
    assert "Draft sentence about CO2." in _source(client, EDIT)  # the editor reopens the draft

    client.post(EDIT, data={"source": text, "publish": "Publish", "note": "clearer ending"})
    assert "Draft sentence about CO2." in student_client.get("/courses/sample/reading").get_data(as_text=True)
    published = _published(app, "reading")
    assert published.edited_in_browser_at is not None
    assert published.source_markdown == text.replace("\r\n", "\n").rstrip("\n") + "\n"


def test_history_lists_revisions_with_author_and_diff_and_rollback_restores(app, client, admin, student_client):
    original = _source(client, EDIT)
    edited = original.replace("Carbon dioxide keeps rising.", "CO2 keeps <em>rising</em> fast.")
    client.post(EDIT, data={"source": edited, "publish": "Publish", "note": "shorter"})
    with app.app_context():
        revisions = db.session.scalars(select(ModuleRevision).order_by(ModuleRevision.id)).all()
        kinds = [(r.kind, r.author_id) for r in revisions]
        first_id, published_id = revisions[0].id, revisions[1].id
    assert kinds == [("files", None), ("published", admin.id)]  # the file version is kept before it is replaced

    history = client.get(f"{EDIT}/history").get_data(as_text=True)
    assert admin.name in history
    assert "shorter" in history
    diff = client.get(f"{EDIT}/history?diff={published_id}").get_data(as_text=True)
    assert 'class="diff-del"><td><pre>-Carbon dioxide keeps rising.</pre>' in diff
    assert "+CO2 keeps &lt;em&gt;rising&lt;/em&gt; fast." in diff  # escaped, never rendered

    confirm = client.get(f"{EDIT}/rollback/{first_id}").get_data(as_text=True)
    assert f"Publish version #{first_id} now" in confirm
    assert "+Carbon dioxide keeps rising." in confirm  # what comes back, before anything goes live
    assert "Carbon dioxide keeps rising." not in student_client.get("/courses/sample/reading").get_data(as_text=True)
    response = client.post(f"{EDIT}/rollback/{first_id}")
    assert response.status_code in (302, 303)
    assert "Carbon dioxide keeps rising." in student_client.get("/courses/sample/reading").get_data(as_text=True)
    with app.app_context():
        last = db.session.scalar(select(ModuleRevision).order_by(ModuleRevision.id.desc()))
        assert (last.kind, last.source_markdown, last.note) == ("rollback", original, f"#{first_id}")
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "module.rollback")) is not None


def test_an_attempt_started_before_an_edit_keeps_its_original_questions(app, client, admin, student_client):
    started = student_client.post("/courses/sample/quiz/quiz")
    attempt_url = started.headers["Location"]
    text = _source(client, QUIZ_EDIT).replace("Which gas absorbs the most outgoing infrared radiation?",
                                              "Which gas is the strongest infrared absorber?")
    assert client.post(QUIZ_EDIT, data={"source": text, "publish": "Publish"}).status_code in (302, 303)
    page = student_client.get(attempt_url).get_data(as_text=True)
    assert "Which gas absorbs the most outgoing infrared radiation?" in page
    assert "strongest infrared absorber" not in page


def test_other_language_is_one_click_away(client, admin):
    page = client.get(EDIT).get_data(as_text=True)
    assert 'href="/admin/courses/sample/modules/reading/ko"' in page
    assert "기록 읽기" in _source(client, "/admin/courses/sample/modules/reading/ko")


def test_reorder_and_archive_modules(app, client, admin, student_client):
    client.post("/admin/courses/sample/modules/quiz/move", data={"direction": "up"})
    outline = student_client.get("/courses/sample").get_data(as_text=True)
    assert outline.index("Greenhouse quiz") < outline.index("Reading the record")

    client.post("/admin/courses/sample/modules/quiz/archive", data={"archived": "1"})
    assert "Greenhouse quiz" not in student_client.get("/courses/sample").get_data(as_text=True)
    assert student_client.get("/courses/sample/quiz").status_code == 404
    client.post("/admin/courses/sample/modules/quiz/archive", data={"archived": "0"})
    assert "Greenhouse quiz" in student_client.get("/courses/sample").get_data(as_text=True)
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["module.reorder", "module.archive", "module.restore"]


def test_new_course_from_template_is_hidden_until_published_and_shown(app, client, admin, student_client):
    response = client.post("/admin/courses/new", data={"slug": "oceans", "title_en": "Oceans", "title_ko": "바다",
                                                       "module_slug": "introduction"})
    assert response.status_code in (302, 303)
    assert student_client.get("/courses/oceans").status_code == 404
    edit = "/admin/courses/oceans/modules/introduction/en"
    text = _source(client, edit)
    assert text.startswith("---\ntitle: \"Introduction\"")
    assert client.post(edit, data={"source": text, "publish": "Publish"}).status_code in (302, 303)
    client.post("/admin/courses/oceans/visibility", data={"visible": "1"})
    assert "Write the module here." in student_client.get("/courses/oceans/introduction").get_data(as_text=True)


def test_new_module_is_added_at_the_end_as_a_draft(app, client, admin, student_client):
    client.post("/admin/courses/sample/modules/new", data={"slug": "sea-level", "title": "Sea level"})
    assert "Sea level" not in student_client.get("/courses/sample").get_data(as_text=True)
    edit = "/admin/courses/sample/modules/sea-level/en"
    client.post(edit, data={"source": _source(client, edit), "publish": "Publish"})
    outline = student_client.get("/courses/sample").get_data(as_text=True)
    assert outline.index("Reading the record") < outline.index("Greenhouse quiz") < outline.index("Sea level")


def test_course_card_is_edited_with_validation(app, client, admin):
    page = client.post("/admin/courses/sample/settings", data={
        "title_en": "Sample", "summary_en": "S", "level": "both", "hours": "2", "principles": "EP1, XX9"})
    assert "Unknown principle: XX9" in page.get_data(as_text=True)
    response = client.post("/admin/courses/sample/settings", data={
        "title_en": "Renamed course", "title_ko": "새 이름", "summary_en": "S", "level": "school", "hours": "1.5",
        "principles": "ep1, GP"})
    assert response.status_code in (302, 303)
    with app.app_context():
        course = db.session.scalar(select(Course).where(Course.slug == "sample"))
        assert (course.title, course.level, course.hours, course.principles) == (
            {"en": "Renamed course", "ko": "새 이름"}, "school", 1.5, ["EP1", "GP"])


def test_course_pages_list_modules_without_a_query_per_row(app, client, admin, count_queries):
    for slug in ("a-one", "a-two", "a-three"):
        client.post("/admin/courses/sample/modules/new", data={"slug": slug, "title": slug})
    with count_queries() as statements:
        assert client.get("/admin/courses/sample").status_code == 200
    few = len(statements)
    client.post("/admin/courses/sample/modules/new", data={"slug": "a-four", "title": "a four"})
    with count_queries() as statements:
        client.get("/admin/courses/sample")
    assert len(statements) == few


def _history_rows(client) -> list[str]:
    page = client.get(f"{EDIT}/history").get_data(as_text=True)
    body = page[page.index("<tbody>", page.index('class="data history"')):page.index("</tbody>",
                                                                                   page.index('class="data history"'))]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", "<tr" + row)).strip() for row in body.split("<tr")[1:]]


def test_history_is_a_timeline_with_the_file_version_first_and_the_live_version_marked(app, client, admin):
    original = _source(client, EDIT)
    rows = _history_rows(client)
    assert len(rows) == 1 and "Loaded from the course files" in rows[0] and "Live: students see this" in rows[0]
    assert "Restore" not in rows[0]  # restoring what is live means nothing

    one = original.replace("Carbon dioxide keeps rising.", "Edit one.")
    two = original.replace("Carbon dioxide keeps rising.", "Edit two.")
    client.post(EDIT, data={"source": one, "save": "Save draft"})
    client.post(EDIT, data={"source": two, "save": "Save draft"})
    rows = _history_rows(client)
    # newest first; the file version stays the oldest row, and it is still what students see
    numbers = [int(r.split(" ")[0].lstrip("#")) for r in rows]
    assert numbers == sorted(numbers, reverse=True)
    assert "Draft (students do not see it)" in rows[0] and "Draft (students do not see it)" in rows[1]
    assert "Loaded from the course files" in rows[2] and "Live: students see this" in rows[2]
    assert not any("Restore" in row for row in rows)  # drafts were never live; the file version is live

    client.post(EDIT, data={"source": two, "publish": "Publish"})
    rows = _history_rows(client)
    assert "Published" in rows[0] and "Live: students see this" in rows[0]
    assert "Restore" in rows[-1] and "Loaded from the course files" in rows[-1]
    assert not any("Restore" in row for row in rows[:-1])
    with app.app_context():
        files = db.session.scalar(select(ModuleRevision).where(ModuleRevision.kind == "files"))
        draft = db.session.scalar(select(ModuleRevision).where(ModuleRevision.kind == "draft"))
        assert files.source_markdown == original and files.id < draft.id

    # restoring the oldest row brings back the original file text, not an edit
    client.post(f"{EDIT}/rollback/{files.id}")
    assert _published(app, "reading").source_markdown == original
    rows = _history_rows(client)
    assert f"Restored version #{files.id}" in rows[0] and "Live: students see this" in rows[0]
    assert "Live" not in " ".join(rows[1:])


def test_a_draft_cannot_be_restored_as_if_it_had_been_live(app, client, admin):
    client.post(EDIT, data={"source": _source(client, EDIT) + "\nDraft line.\n", "save": "Save draft"})
    with app.app_context():
        draft = db.session.scalar(select(ModuleRevision).where(ModuleRevision.kind == "draft"))
    assert client.get(f"{EDIT}/rollback/{draft.id}").status_code == 404
    assert client.post(f"{EDIT}/rollback/{draft.id}").status_code == 404
    assert "Draft line." not in _published(app, "reading").source_markdown
