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
