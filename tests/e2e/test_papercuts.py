"""What a new admin or teacher clicks through: history and restore, the editor's line jump, a deactivated
account's login message, and a due date in the past."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import assert_accessible

EDIT = "/admin/courses/sample/modules/reading/en"


def _log_in(page, email: str, password: str = PASSWORD) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email or username").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_admin_restores_the_original_file_text_after_two_drafts_and_a_publish(page, axe, sample_course):
    admin = make_user("admin")
    _log_in(page, admin.email)
    page.goto(EDIT)
    editor = page.get_by_label("Module text (Markdown)")
    original = editor.input_value()
    for sentence in ("First draft sentence.", "Second draft sentence."):
        editor.fill(original.replace("Carbon dioxide keeps rising.", sentence))
        page.get_by_role("button", name="Save draft").click()
        expect(page.get_by_text("Draft saved.")).to_be_visible()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published: students now see this version.")).to_be_visible()

    page.get_by_role("link", name="History").click()
    rows = page.locator("table.history tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("Live: students see this")
    expect(rows.last).to_contain_text("Loaded from the course files")
    expect(page.get_by_role("link", name="Restore version")).to_have_count(1)  # drafts and the live row offer none
    assert_accessible(axe, page)

    rows.last.get_by_role("link", name="Restore version").click()
    expect(page.get_by_role("heading", name="What changes for students")).to_be_visible()
    expect(page.locator("table.diff")).to_contain_text("+Carbon dioxide keeps rising.")
    expect(page.locator("table.diff")).to_contain_text("-Second draft sentence.")
    expect(page.locator(".preview-body")).to_contain_text("Carbon dioxide keeps rising.")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Publish version").click()
    expect(page.get_by_text("is live again: students now see it.")).to_be_visible()
    expect(rows.first).to_contain_text("Restored version")
    expect(rows.first).to_contain_text("Live: students see this")

    page.goto(EDIT)
    assert page.get_by_label("Module text (Markdown)").input_value().replace("\r\n", "\n") == original.replace(
        "\r\n", "\n")
    page.goto("/courses/sample/reading")
    expect(page.get_by_text("Carbon dioxide keeps rising.")).to_be_visible()


def test_a_deactivated_student_is_told_whom_to_ask_only_with_the_right_password(page, axe):
    student = make_user("student", active=False)
    _log_in(page, student.email, "not the password")
    expect(page.get_by_text("The email or password is not right.")).to_be_visible()
    _log_in(page, student.email)
    expect(page.get_by_text("This account has been deactivated, so it cannot log in. Ask your teacher")).to_be_visible()
    expect(page.get_by_text("The email or password is not right.")).to_have_count(0)
    assert_accessible(axe, page)


def test_a_due_date_in_the_past_is_kept_only_after_the_teacher_confirms_it(page, axe, app, sample_course):
    from app.extensions import db
    from app.models import ClassTeacher, SchoolClass

    teacher = make_user("teacher")
    with app.app_context():
        school_class = SchoolClass(name="9-1 Science", school="Ondo Middle", term="2026", owner_id=teacher.id)
        db.session.add(school_class)
        db.session.flush()
        db.session.add(ClassTeacher(class_id=school_class.id, user_id=teacher.id))
        db.session.commit()
        class_id = school_class.id
    _log_in(page, teacher.email)
    page.goto(f"/teach/classes/{class_id}/assignments/new")
    page.get_by_label("Module or course").select_option(label="Reading the record")
    page.get_by_label("Due (optional)").fill("2020-03-01T09:00")
    page.get_by_label("Note for students (optional)").fill("Catch-up reading")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("have already passed")).to_be_visible()
    expect(page.get_by_label("Due (optional)")).to_have_value("2020-03-01T09:00")
    expect(page.get_by_label("Note for students (optional)")).to_have_value("Catch-up reading")
    assert_accessible(axe, page)
    page.get_by_label("Yes, keep this date in the past").check()
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Assigned.")).to_be_visible()


def test_the_editor_numbers_its_lines_and_each_lint_error_jumps_to_its_line(page, axe, sample_course):
    admin = make_user("admin")
    _log_in(page, admin.email)
    page.goto(EDIT)
    editor = page.get_by_label("Module text (Markdown)")
    editor.fill(editor.input_value().replace("minutes: 15", "minutes: lots"))
    page.get_by_role("button", name="Preview").click()
    gutter = page.locator(".editor-gutter")
    expect(gutter).to_be_visible()
    lines = editor.input_value().count("\n") + 1
    expect(gutter.locator("span")).to_have_count(lines)
    assert_accessible(axe, page)

    page.get_by_role("link", name="01-reading.en.md:4").click()
    expect(editor).to_be_focused()
    selected = editor.evaluate("e => e.value.slice(e.selectionStart, e.selectionEnd)")
    line = editor.evaluate("e => e.value.slice(0, e.selectionStart).split('\\n').length")
    assert (line, selected) == (4, "minutes: lots")
    expect(gutter.locator(".current")).to_have_text("4\n")

    # typing keeps the numbers in step, and the text box still submits as a plain form
    editor.press("End")
    editor.press("Enter")
    expect(gutter.locator("span")).to_have_count(lines + 1)


def test_without_javascript_the_editor_is_a_plain_textarea_that_still_previews(browser, live_server, sample_course):
    admin = make_user("admin")
    context = browser.new_context(base_url=live_server, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    try:
        _log_in(page, admin.email)
        page.goto(EDIT)
        editor = page.get_by_label("Module text (Markdown)")
        editor.fill(editor.input_value().replace("minutes: 15", "minutes: lots"))
        page.get_by_role("button", name="Preview").click()
        expect(page.locator(".editor-gutter")).to_have_count(0)
        expect(page.get_by_role("link", name="01-reading.en.md:4")).to_have_attribute("href", "#source")
        expect(page.get_by_text("'minutes' must be a whole number")).to_be_visible()
    finally:
        context.close()
