"""The diagnostic in a real browser: a student sees only "sent" (no correctness, no score, no "Passed") until the
teacher releases results after the post-test, and then sees what was released."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Role, SchoolClass, User
from app.services import classes
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import assert_accessible

COURSES = Path(__file__).resolve().parents[2] / "courses"


@pytest.fixture
def foundations(curriculum):
    return curriculum


def _log_in(page, email: str, landing: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email or username").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"**{landing}")


def _log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/")


def test_diagnostic_hides_everything_until_the_teacher_releases_results(page, axe, app, foundations):
    teacher, student = make_user(Role.TEACHER), make_user(name="Min-jun Kim")
    with app.app_context():
        school_class = classes.create_class(db.session.get(User, teacher.id), name="10-3 Science",
                                            school="Pohang High", term="2026")
        classes.join_with_code(db.session.get(User, student.id), school_class.join_code)
        class_id = school_class.id

    _log_in(page, teacher.email, "/teach/")
    page.goto(f"/teach/classes/{class_id}/assignments/new")
    page.get_by_label("Module or course").select_option(label="Climate literacy check (before and after)")
    page.get_by_label("Before and after teaching (a pre/post check)").check()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Assigned.")).to_be_visible()
    _log_out(page)

    _log_in(page, student.email, "/dashboard")
    page.goto("/courses/climate-literacy-foundations/diagnostic")
    expect(page.get_by_text("15 questions; no pass mark.")).to_be_visible()
    page.get_by_role("button", name="Take the quiz").click()
    page.get_by_role("radio", name="The high summer Sun is closer to Earth, so its light is hotter.").check()
    page.get_by_role("button", name="Submit answers").click()
    expect(page.get_by_role("heading", name="Your answers were sent. Thank you!")).to_be_visible()
    result_url = page.url
    main = page.locator("main")
    for hidden in ("Correct", "Not correct", "Score", "Passed", "points", "Right answer"):
        expect(main.get_by_text(hidden, exact=False)).to_have_count(0)
    assert_accessible(axe, page)
    page.goto("/dashboard")
    expect(page.locator("main").get_by_text("Passed")).to_have_count(0)
    expect(page.locator("main").get_by_text("Sent", exact=True)).to_be_visible()
    _log_out(page)

    _log_in(page, teacher.email, "/teach/")
    page.goto(f"/teach/classes/{class_id}")
    page.get_by_role("link", name="Pre/post report").click()
    expect(page.get_by_role("heading", name="Sittings and results")).to_be_visible()
    assert_accessible(axe, page)
    page.get_by_role("button", name="Open the check after teaching").click()
    page.get_by_role("button", name="Release results to students").click()
    expect(page.get_by_text("Results released:")).to_be_visible()
    _log_out(page)

    _log_in(page, student.email, "/dashboard")
    page.goto(result_url)
    expect(page.get_by_role("heading", name="Score: 0 of 15 (0%)")).to_be_visible()
    expect(page.get_by_text("Not correct").first).to_be_visible()
    expect(page.get_by_text("Right answer:").first).to_be_visible()
    expect(page.locator("main").get_by_text("Passed")).to_have_count(0)  # pass_mark 0: never pass or fail
    assert_accessible(axe, page)
    with app.app_context():
        assert db.session.get(SchoolClass, class_id) is not None
