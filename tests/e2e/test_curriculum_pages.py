"""Every module of the shipped curriculum opens in English and in Korean, with its charts."""
from __future__ import annotations

from pathlib import Path

from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import assert_accessible

COURSES = Path(__file__).resolve().parents[2] / "courses"
COURSE = "climate-literacy-foundations"
MODULES = sorted({p.name.split(".")[0].split("-", 1)[1] for p in (COURSES / COURSE).glob("*.md")})


def test_every_module_opens_in_both_languages(page, axe, curriculum):
    student = make_user()
    page.goto("/auth/login")
    page.get_by_label("Email or username").fill(student.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/dashboard")
    assert len(MODULES) >= 9
    for index, slug in enumerate(MODULES):
        for lang in ("en", "ko"):
            response = page.goto(f"/courses/{COURSE}/{slug}?lang={lang}")
            assert response.status == 200, (slug, lang)
            assert page.locator("article").get_attribute("lang") == lang, (slug, lang)
            assert page.locator("article h1").text_content().strip()
            if slug != "diagnostic":
                assert page.locator("figure.chart svg").count() >= 1, (slug, lang)
            if index < 2:  # axe on a sample of long pages keeps the run short; every template is covered elsewhere
                assert_accessible(axe, page)
