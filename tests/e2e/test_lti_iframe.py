"""An LMS course page on another site and port shows an Ondo activity in an iframe: the LMS starts the LTI launch
inside the frame (login initiation, authorisation, signed id_token), and the student lands on the module in the
frame. Over HTTPS the frame keeps Ondo's partitioned session cookie, so the student can take the quiz there (session
and CSRF survive); over plain HTTP the browser refuses the cookie in a cross-site frame, and the frame offers Ondo in
a new window, which signs the student in."""
from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select
from werkzeug.serving import make_server

from app.extensions import db
from app.models import LtiScore, Role, User
from app.services import lti
from tests.conftest import make_user
from tests.e2e.conftest import assert_accessible
from tests.lti.platform import TestPlatform


@pytest.fixture(scope="module")
def https_server(app):
    """Ondo over HTTPS (a throwaway self-signed certificate), as it runs behind a university's proxy."""
    server = make_server("127.0.0.1", 0, app, threaded=True, ssl_context="adhoc")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"https://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture
def lms(app):
    """The test platform; its course page is served as http://localhost:<port>, another site than Ondo's
    127.0.0.1, so the frame is a third-party context for cookies."""
    platform = TestPlatform()
    lms_page = platform.base.replace("127.0.0.1", "localhost")
    admin = make_user(Role.ADMIN)
    with app.app_context():
        lti.save_platform(lti.PlatformFields(**platform.registration(), frame_origins=[lms_page]),
                          db.session.get(User, admin.id))
    platform.course_page = lms_page + "/course"
    yield platform
    platform.close()
    with app.app_context():
        lti.forget_framing_origins()


def open_course(browser, lms, tool_base: str, module: str):
    lms.tool_base = tool_base
    lms.browser_target = f"{tool_base}/courses/sample/{module}"
    context = browser.new_context(locale="en-GB", ignore_https_errors=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(lms.course_page)
    return context, page


def test_over_https_the_student_works_inside_the_lms_frame(app, browser, axe, https_server, lms, sample_course):
    context, page = open_course(browser, lms, https_server, "quiz")
    try:
        frame = page.frame_locator("iframe[title='Ondo activity']")
        frame.get_by_role("heading", name="Greenhouse quiz").wait_for()
        expect(page.get_by_role("heading", name="CLIM101 in the LMS")).to_be_visible()  # still inside the LMS page
        cookies = [c for c in context.cookies(https_server) if c["name"] == "session"]
        assert cookies and cookies[0]["sameSite"] == "None" and cookies[0]["secure"]
        # The session and its CSRF token survive in the frame: the quiz starts and is submitted there.
        frame.get_by_role("button", name="Take the quiz").click()
        frame.get_by_label("Water vapour").check()
        frame.get_by_label("Carbon dioxide").check()
        frame.get_by_label("Methane").check()
        frame.get_by_label("What was the Mauna Loa annual mean CO₂ in 1959, in ppm?").fill("315.98")
        frame.get_by_label("Name the gas whose chemical formula is CO₂.").fill("Carbon dioxide")
        frame.get_by_role("button", name="Submit answers").click()
        frame.get_by_text("Passed. The module is complete.").wait_for()
        assert_accessible(axe, page.frames[1])
        with app.app_context():  # and the score waits in the outbox for the LMS gradebook
            assert db.session.scalar(select(func.count()).select_from(LtiScore)) == 1
    finally:
        context.close()


def test_over_http_the_frame_offers_a_new_window_that_opens_the_module(browser, axe, live_server, lms,
                                                                       sample_course):
    context, page = open_course(browser, lms, live_server, "reading")
    try:
        frame = page.frame_locator("iframe[title='Ondo activity']")
        link = frame.get_by_role("link", name="Open Ondo in a new window")
        link.wait_for()
        assert_accessible(axe, page.frames[1])
        with context.expect_page() as opened:
            link.click()
        window = opened.value
        window.wait_for_url("**/courses/sample/reading")
        expect(window.get_by_role("heading", name="Reading the record")).to_be_visible()
        expect(frame.get_by_text("Ondo is open in a new window.")).to_be_visible()
        assert_accessible(axe, window)
    finally:
        context.close()
