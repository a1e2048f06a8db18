"""An admin edits a module in the browser, previews it, publishes it, and a student sees the change."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import assert_accessible


def _log_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email or username").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_admin_edits_previews_and_publishes_and_a_student_sees_it(page, axe, browser, live_server, sample_course):
    admin = make_user("admin")
    _log_in(page, admin.email)
    page.goto("/admin/")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Courses", exact=True).last.click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Sample Course").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Edit reading in English").click()

    editor = page.get_by_label("Module text (Markdown)")
    editor.fill(editor.input_value().replace("Carbon dioxide keeps rising.", "Carbon dioxide is still rising."))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator(".preview-body")
    expect(preview.get_by_text("Carbon dioxide is still rising.")).to_be_visible()
    expect(preview.locator("figure.chart svg:visible")).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_label("Note for the history (optional)").fill("clearer wording")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published: students now see this version.")).to_be_visible()
    page.get_by_role("link", name="History").click()
    expect(page.get_by_role("cell", name="clearer wording")).to_be_visible()
    assert_accessible(axe, page)

    student = make_user("student")
    context = browser.new_context(base_url=live_server, locale="en-GB")
    student_page = context.new_page()
    try:
        _log_in(student_page, student.email)
        student_page.goto("/courses/sample/reading")
        expect(student_page.get_by_text("Carbon dioxide is still rising.")).to_be_visible()
    finally:
        context.close()


def test_admin_pages_for_users_and_audit_are_accessible(page, axe, sample_course):
    admin = make_user("admin")
    make_user("teacher", name="Park Teacher")
    _log_in(page, admin.email)
    page.goto("/admin/users")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Park Teacher").click()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Send a password-reset link").click()
    page.goto("/admin/audit")
    expect(page.get_by_role("cell", name="Reset link sent")).to_be_visible()
    assert_accessible(axe, page)
