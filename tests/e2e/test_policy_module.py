"""The foundations module on Korea's climate policy (09) in a real browser: both languages open with their chart,
glossary and sources, pass axe, and the inline check on net accounting marks the right answer right."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import assert_accessible

COURSES = Path(__file__).resolve().parents[2] / "courses"
URL = "/courses/climate-literacy-foundations/korea-climate-policy"
RIGHT_ANSWER = {
    "en": "Reductions made abroad and counted towards Korea's target",
    "ko": "해외에서 줄이고 한국의 목표에 산입하는 감축량",
}
WRONG_ANSWER = {"en": "A steelworks in Pohang using less coal", "ko": "포항의 제철소가 석탄을 덜 쓰는 것"}


def log_in(page) -> None:
    student = make_user()
    page.goto("/auth/login")
    page.get_by_label("Email or username").fill(student.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_policy_module_opens_and_its_check_marks_answers(page, axe, curriculum, lang):
    log_in(page)
    response = page.goto(f"{URL}?lang={lang}")
    assert response.status == 200
    article = page.locator("article")
    assert article.get_attribute("lang") == lang
    expect(page.locator("figure.chart")).to_have_count(1)  # one chart (drawn twice: wide and narrow, CSS shows one)
    expect(page.locator("figure.chart svg:visible")).to_have_count(1)
    assert page.locator("article dl dt").count() >= 8  # the glossary
    assert page.locator(".footnote li").count() >= 20  # the sources
    assert_accessible(axe, page)

    check = page.locator("form.check-form").first
    check.get_by_label(WRONG_ANSWER[lang]).check()
    check.locator("button[type=submit]").click()
    expect(page.locator(".check-result.result-incorrect")).to_have_count(1)

    check = page.locator("form.check-form").first
    check.get_by_label(RIGHT_ANSWER[lang]).check()
    check.locator("button[type=submit]").click()
    result = page.locator(".check-result.result-correct")
    expect(result).to_have_count(1)
    expect(result).to_contain_text("international reductions" if lang == "en" else "국제 감축")
    assert_accessible(axe, page)
