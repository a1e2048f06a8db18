"""A visitor registers, lands on the dashboard, switches to Korean and logs out, in a real browser."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import make_user
from tests.e2e.conftest import assert_accessible


def test_register_switch_language_and_log_out(page, axe):
    page.goto("/")
    assert_accessible(axe, page)
    page.get_by_role("link", name="Register").click()
    assert_accessible(axe, page)
    page.get_by_label("Your name").fill("Seo-yeon")
    page.get_by_label("Email").fill("seoyeon@school.example")
    page.get_by_label("Password", exact=True).fill("waves on the breakwater")
    page.get_by_label("Repeat the password").fill("waves on the breakwater")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/dashboard")
    expect(page.get_by_role("heading", name="My learning")).to_be_visible()
    assert_accessible(axe, page)

    page.get_by_role("button", name="한국어").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ko"
    expect(page.get_by_role("heading", name="나의 학습")).to_be_visible()

    page.get_by_role("button", name="로그아웃").click()
    page.wait_for_url("**/")
    page.goto("/dashboard")
    assert "/auth/login" in page.url


def test_login_page_is_accessible_and_keyboard_usable(page, axe):
    user = make_user()
    page.goto("/")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.goto("/auth/login")
    assert_accessible(axe, page)
    page.get_by_label("Email or username").fill(user.email)
    page.get_by_label("Password").fill("correct horse battery")
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard")
