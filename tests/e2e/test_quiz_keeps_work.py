"""Quizzes that keep work, in a real browser on a phone-sized screen (issue 12): answers saved as the student
goes come back after a reload and in a second browser, the count stays current, an error is summarised at
the top with focus on it, and answer choices and buttons are big enough to tap."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import assert_accessible

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


def _phone(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="en-GB", **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def _log_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email or username").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")


def _start_quiz(page) -> str:
    page.goto("/courses/sample/quiz")
    page.get_by_role("button", name="Take the quiz").click()
    page.wait_for_url("**/attempts/*")
    return page.url


def test_half_a_quiz_survives_a_reload_and_opens_in_a_second_browser(browser, live_server, axe, sample_course):
    student = make_user()
    context, page = _phone(browser, live_server)
    _log_in(page, student.email)
    url = _start_quiz(page)
    count = page.locator("#answered-count")
    expect(count).to_have_text("Answered 0 of 4")
    page.get_by_label("Water vapour").check()
    page.get_by_label("What was the Mauna Loa annual mean CO₂ in 1959, in ppm?").fill("316")
    expect(count).to_have_text("Answered 2 of 4")  # the server counted what it saved
    expect(page.locator("#save-state")).to_have_text("Saved")
    assert_accessible(axe, page)

    page.reload()
    expect(page.get_by_label("Water vapour")).to_be_checked()
    expect(page.get_by_label("What was the Mauna Loa annual mean CO₂ in 1959, in ppm?")).to_have_value("316")
    expect(count).to_have_text("Answered 2 of 4")

    other, second = _phone(browser, live_server)  # another device: its own cookies, a fresh login
    _log_in(second, student.email)
    second.goto(url)
    expect(second.get_by_label("Water vapour")).to_be_checked()
    expect(second.get_by_label("What was the Mauna Loa annual mean CO₂ in 1959, in ppm?")).to_have_value("316")
    second.get_by_label("Methane").check()  # and work goes on there
    expect(second.locator("#answered-count")).to_have_text("Answered 3 of 4")
    other.close()

    page.reload()
    expect(page.get_by_label("Methane")).to_be_checked()
    context.close()


def test_save_button_works_without_javascript(browser, live_server, sample_course):
    student = make_user()
    context = browser.new_context(base_url=live_server, locale="en-GB", java_script_enabled=False, **PHONE)
    page = context.new_page()
    _log_in(page, student.email)
    _start_quiz(page)
    page.get_by_label("Oxygen").check()
    page.get_by_role("button", name="Save answers").click()
    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    expect(page.get_by_label("Oxygen")).to_be_checked()
    expect(page.locator("#answered-count")).to_have_text("Answered 1 of 4")
    context.close()


def test_error_summary_takes_focus_and_links_to_the_question(browser, live_server, axe, sample_course):
    student = make_user()
    context, page = _phone(browser, live_server)
    _log_in(page, student.email)
    _start_quiz(page)
    page.get_by_label("Name the gas whose chemical formula is CO₂.").fill("carbon dioxide")
    page.get_by_label("Oxygen").evaluate("input => { input.value = 'forged'; }")  # a choice that does not exist
    page.get_by_label("Oxygen").check()
    page.get_by_role("button", name="Submit answers").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.get_by_label("Name the gas whose chemical formula is CO₂.")).to_have_value("carbon dioxide")
    assert_accessible(axe, page)
    summary.get_by_role("link").first.click()
    first_choice = page.locator("fieldset.quiz-question input").first
    expect(first_choice).to_be_focused()
    # the question's title is in view too, below the sticky "Answered" bar rather than under it
    legend_top = page.locator("fieldset.quiz-question legend").first.evaluate("e => e.getBoundingClientRect().top")
    bar_bottom = page.locator(".quiz-status").evaluate("e => e.getBoundingClientRect().bottom")
    assert legend_top >= bar_bottom
    context.close()


def test_answer_choices_and_buttons_are_at_least_44_px(browser, live_server, sample_course):
    student = make_user()
    context, page = _phone(browser, live_server)
    _log_in(page, student.email)
    _start_quiz(page)
    targets = page.locator(".quiz-choices label, form.quiz-form button, .quiz-answer-input input, .quiz-selects select")
    assert targets.count() >= 9
    for index in range(targets.count()):
        box = targets.nth(index).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (targets.nth(index).text_content(), box)
    # a tap anywhere on the row picks the answer
    row = page.locator(".quiz-choices label", has_text="Water vapour")
    box = row.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 10, box["y"] + box["height"] / 2)
    expect(page.get_by_label("Water vapour")).to_be_checked()
    context.close()
