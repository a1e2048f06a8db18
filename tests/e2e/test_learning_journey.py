"""A student reads a module with its chart, fails the quiz, retakes it, passes, and sees the module complete."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import assert_accessible


def _log_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email or username").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")


def test_read_module_with_chart_and_pages_are_accessible(page, axe, sample_course):
    student = make_user()
    _log_in(page, student.email)
    page.get_by_role("link", name="Courses").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Sample Course").click()
    assert_accessible(axe, page)
    page.get_by_role("link", name="Reading the record").first.click()  # also linked as the quiz's prerequisite
    chart = page.locator("figure.chart svg:visible")
    expect(chart).to_be_visible()
    expect(chart.locator("title").first).to_contain_text("Mauna Loa")
    page.locator("figure.chart summary").first.click()  # the data table opens without JavaScript
    expect(page.locator("figure.chart table").first).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("link", name="한국어").click()
    expect(page.get_by_role("heading", name="기록 읽기")).to_be_visible()


def test_take_quiz_fail_retake_pass_and_module_is_complete(page, axe, sample_course):
    student = make_user()
    _log_in(page, student.email)
    page.goto("/courses/sample/quiz")
    page.get_by_role("button", name="Take the quiz").click()
    assert_accessible(axe, page)
    page.get_by_label("Oxygen").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Not passed yet")).to_be_visible()
    assert_accessible(axe, page)

    page.goto("/courses/sample/quiz")
    page.get_by_role("button", name="Take the quiz").click()
    page.get_by_label("Water vapour").check()
    page.get_by_label("Carbon dioxide").check()
    page.get_by_label("Methane").check()
    page.get_by_label("What was the Mauna Loa annual mean CO₂ in 1959, in ppm?").fill("315.98")
    page.get_by_label("Name the gas whose chemical formula is CO₂.").fill("Carbon Dioxide ")
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_text("Passed. The module is complete.")).to_be_visible()
    page.goto("/courses/sample")
    quiz_card = page.locator("li.card", has_text="Greenhouse quiz")
    expect(quiz_card.get_by_text("Quiz passed")).to_be_visible()
