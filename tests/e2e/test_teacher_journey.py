"""A teacher creates a class, a student joins with the code and completes the assigned module, and the
teacher's gradebook shows it, all in a real browser."""
from __future__ import annotations

from playwright.sync_api import expect

from app.models import Role
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import assert_accessible


def _log_in(page, email: str, landing: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email or username").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{landing}")


def _log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")


def test_class_join_assignment_and_gradebook(page, axe, sample_course):
    teacher, student = make_user(Role.TEACHER), make_user(name="Seo-yeon Park")
    _log_in(page, teacher.email, "/teach/")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Create a class").click()
    page.get_by_label("Class name").fill("11-2 Earth Science")
    page.get_by_label("School").fill("Pohang Jecheol High School")
    page.get_by_label("Year or term").fill("2026 autumn")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Save class").click()
    expect(page.get_by_role("heading", name="11-2 Earth Science")).to_be_visible()
    assert_accessible(axe, page)
    code = page.locator(".join-code-small strong").text_content().strip()

    page.get_by_role("link", name="Assign a module or course").click()
    page.get_by_label("Module or course").select_option(label="Reading the record")
    page.get_by_label("Due (optional)").fill("2030-03-01T23:59")
    assert_accessible(axe, page)
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Assigned.")).to_be_visible()
    _log_out(page)

    _log_in(page, student.email, "/dashboard")
    page.get_by_label("Class code").fill(code.lower())
    page.get_by_role("button", name="Join class").click()
    expect(page.get_by_text("You joined 11-2 Earth Science.")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Reading the record").first.click()
    page.get_by_role("button", name="Mark as complete").click()
    expect(page.get_by_text("Module marked as complete.")).to_be_visible()
    _log_out(page)

    _log_in(page, teacher.email, "/teach/")
    page.get_by_role("link", name="Gradebook").first.click()
    row = page.locator("tr", has_text="Seo-yeon Park")
    expect(row.get_by_text("Completed")).to_be_visible()
    assert_accessible(axe, page)
