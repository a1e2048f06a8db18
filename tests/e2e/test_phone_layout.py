"""Phones first (issue 12): every page of the three roles' journeys fits a 360 px screen, passes axe, and
chart text renders at 12 CSS px or more, measured in the browser from the rendered SVG."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Role, User
from tests.conftest import PASSWORD, _apps, make_user
from tests.e2e.conftest import assert_accessible
from tests.e2e.test_curriculum_pages import COURSE, MODULES

PHONE = {"width": 360, "height": 740}
LARGEST_MODULES = ("pohang-in-transition", "carbon-cycle", "evidence-data-lab")

# Elements wider than the screen, for a readable failure message.
OFFENDERS_JS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .filter(e => !e.closest('.scroll-x, .table-scroll, .skip-link'))
  .slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""

# The smallest size any visible SVG text is drawn at, in CSS px: its font size times the SVG's scale.
SMALLEST_CHART_TEXT_JS = """() => {
  let smallest = Infinity, where = '';
  for (const text of document.querySelectorAll('figure.chart svg text')) {
    const box = text.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;  // not rendered (the other variant)
    const m = text.getScreenCTM();
    const size = parseFloat(getComputedStyle(text).fontSize) * Math.hypot(m.a, m.b);
    if (size < smallest) { smallest = size; where = text.textContent; }
  }
  return [smallest, where];
}"""


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(base_url=live_server, locale="en-GB", viewport=PHONE, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _log_in(page, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("Email or username").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def assert_fits_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide: {page.evaluate(OFFENDERS_JS)}"


def assert_chart_text_readable(page) -> None:
    if page.locator("figure.chart svg").count():
        smallest, where = page.evaluate(SMALLEST_CHART_TEXT_JS)
        assert smallest >= 12 - 0.01, f"{page.url}: chart text “{where}” renders at {smallest:.1f} px"


def _classroom(teacher_ref, student_ref) -> dict:
    """A class with the student in it, the diagnostic assigned, and one submitted attempt."""
    from app.services import assignments, attempts, classes, learning

    with _apps[0].app_context():
        teacher, student = db.session.get(User, teacher_ref.id), db.session.get(User, student_ref.id)
        school_class = classes.create_class(teacher, name="11-2 Earth Science", school="Pohang High", term="2026")
        classes.join_with_code(student, school_class.join_code)
        course = learning.get_course(COURSE)
        module, _ = learning.find_module(course, "diagnostic")
        assignments.assign(school_class, module_id=module.id, course_id=None, due_at=None, note="", by=teacher)
        attempt = attempts.start_or_resume(student.id, module, "en")
        attempts.submit(attempt, {})
        return {"class_id": school_class.id, "module_id": module.id, "result": attempt.public_id}


def test_every_journey_page_fits_a_phone_and_is_accessible(phone, axe, curriculum):
    # Long names and addresses make the tables wider than the phone: they must scroll in their own box.
    student = make_user(name="Seo-yeon Park-Kimberley Montgomery-Lee",
                        email="seo-yeon.park-kimberley.montgomery@school.example")
    teacher, admin = make_user(Role.TEACHER), make_user(Role.ADMIN)
    room = _classroom(teacher, student)
    page = phone

    _log_in(page, student.email)
    for path in ("/dashboard", "/courses", f"/courses/{COURSE}", f"/attempts/{room['result']}"):
        page.goto(path)
        assert_fits_phone(page)
        assert_accessible(axe, page)
    for slug in MODULES:
        for lang in ("en", "ko"):
            page.goto(f"/courses/{COURSE}/{slug}?lang={lang}")
            assert_fits_phone(page)
            assert_chart_text_readable(page)
            if lang == "en" and slug in LARGEST_MODULES:
                assert_accessible(axe, page)
    # The data lab's wide table scrolls inside its own box, which a keyboard can reach.
    page.goto(f"/courses/{COURSE}/evidence-data-lab")
    box = page.locator(".module-body .scroll-x", has=page.locator("table")).first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")
    assert box.get_attribute("tabindex") == "0"
    # The quiz with a validation error: two items of the ordering question given the same position.
    page.goto(f"/courses/{COURSE}/diagnostic")
    page.get_by_role("button", name="Take the quiz").click()
    for select in page.locator(".quiz-selects select").all():
        select.select_option(index=1)
    page.get_by_role("button", name="Submit answers").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Use each position once.").first).to_be_visible()
    assert_fits_phone(page)
    assert_chart_text_readable(page)
    assert_accessible(axe, page)
    # Having read, the dashboard's "continue where you left off" is on the first screen of a phone.
    page.goto("/dashboard")
    resume = page.locator("section.continue")
    expect(resume.get_by_role("link")).to_be_visible()
    assert resume.bounding_box()["y"] + resume.bounding_box()["height"] <= PHONE["height"]
    assert_fits_phone(page)
    page.get_by_role("button", name="Log out").click()

    _log_in(page, teacher.email)
    class_id, module_id = room["class_id"], room["module_id"]
    for path in ("/teach/", f"/teach/classes/{class_id}", f"/teach/classes/{class_id}/gradebook",
                 f"/teach/classes/{class_id}/analysis/{module_id}", f"/teach/classes/{class_id}/students/{student.id}"):
        page.goto(path)
        assert_fits_phone(page)
        assert_accessible(axe, page)
    page.get_by_role("button", name="Log out").click()

    _log_in(page, admin.email)
    for path in ("/admin/", "/admin/courses", f"/admin/courses/{COURSE}",
                 f"/admin/courses/{COURSE}/modules/evidence-data-lab/en", "/admin/users"):
        page.goto(path)
        assert_fits_phone(page)
        assert_accessible(axe, page)


def test_a_paged_gradebook_fits_a_phone_in_korean(phone, axe, sample_course):
    """A 70-student class: the first page of 60, the class totals for all 70, and 다음 (next) to the last 10."""
    from sqlalchemy import insert, select

    from app.models import Enrollment, ModuleProgress
    from app.models.base import utcnow
    from app.services import assignments, classes
    from tests.factories import module_id

    teacher = make_user(Role.TEACHER)
    with _apps[0].app_context():
        owner = db.session.get(User, teacher.id)
        school_class = classes.create_class(owner, name="대학 기후과학 1", school="Pohang University", term="2026")
        db.session.execute(insert(User), [
            {"name": f"학생 {i:03d}", "email": f"paged-{i}@school.example", "password_hash": "x",
             "role": Role.STUDENT, "session_version": 1} for i in range(70)])
        ids = list(db.session.scalars(select(User.id).where(User.email.like("paged-%")).order_by(User.id)))
        db.session.execute(insert(Enrollment), [{"class_id": school_class.id, "user_id": u} for u in ids])
        quiz = module_id("quiz")
        db.session.execute(insert(ModuleProgress), [
            {"user_id": u, "module_id": quiz, "attempts": 1, "marked_complete": False, "best_percent": 80.0,
             "first_visit_at": utcnow(), "completed_at": utcnow() if i < 7 else None} for i, u in enumerate(ids)])
        db.session.commit()
        for slug in ("reading", "quiz"):
            assignments.assign(db.session.get(type(school_class), school_class.id), module_id=module_id(slug),
                               course_id=None, due_at=None, note="", by=owner)
        class_id = school_class.id
    page = phone
    _log_in(page, teacher.email)
    page.get_by_role("button", name="한국어").click()
    page.wait_for_load_state()
    page.goto(f"/teach/classes/{class_id}/gradebook")
    expect(page.get_by_text("학생 70명 중 1–60번째")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(60)
    expect(page.locator("tfoot")).to_contain_text("7 / 70")
    assert_fits_phone(page)
    assert_accessible(axe, page)
    page.locator("nav.pagination").get_by_role("link", name="다음").click()
    page.wait_for_load_state()
    expect(page.locator("tbody tr")).to_have_count(10)
    expect(page.get_by_text("2쪽 중 2쪽")).to_be_visible()
    expect(page.locator("tfoot")).to_contain_text("7 / 70")
    assert_fits_phone(page)
    assert_accessible(axe, page)
