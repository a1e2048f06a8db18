"""Every page of the Climate System Science course opens in English and in Korean, with its charts, and is axe-clean."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import assert_accessible

COURSES = Path(__file__).resolve().parents[2] / "courses"
COURSE = "climate-system-science"
SLUGS = sorted({p.name.split(".")[0].split("-", 1)[1] for p in (COURSES / COURSE).glob("*.md")})

pytestmark = pytest.mark.browser


def test_every_new_page_opens_in_both_languages_and_passes_axe(page, axe, curriculum):
    student = make_user()
    page.goto("/auth/login")
    page.get_by_label("Email or username").fill(student.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")
    assert SLUGS, "no modules in the course"
    for lang in ("en", "ko"):
        response = page.goto(f"/courses/{COURSE}?lang={lang}")
        assert response.status == 200, ("course page", lang)
        assert_accessible(axe, page)
        for slug in SLUGS:
            response = page.goto(f"/courses/{COURSE}/{slug}?lang={lang}")
            assert response.status == 200, (slug, lang)
            assert page.locator("article").get_attribute("lang") == lang, (slug, lang)
            assert page.locator("article h1").text_content().strip()
            if slug != "diagnostic":
                assert page.locator("figure.chart svg").count() >= 1, (slug, lang)
                assert page.locator("form .check-label").count() >= 1, (slug, lang)  # the inline check
            assert_accessible(axe, page)


def test_foundations_policy_module_opens_in_both_languages_and_passes_axe(page, axe, curriculum):
    student = make_user()
    page.goto("/auth/login")
    page.get_by_label("Email or username").fill(student.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")
    for lang in ("en", "ko"):
        response = page.goto(f"/courses/climate-literacy-foundations/korea-climate-policy?lang={lang}")
        assert response.status == 200, lang
        assert page.locator("article").get_attribute("lang") == lang
        assert page.locator("figure.chart svg").count() >= 1
        assert page.locator("form .check-label").count() >= 1
        assert_accessible(axe, page)
