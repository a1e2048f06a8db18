"""Launches inside an LMS frame: only registered platforms may frame Ondo; a framed session over HTTPS gets a
partitioned SameSite=None cookie (and only then); when the browser keeps no cookie in the frame, the launch offers a
new window, where a single-use ticket signs the person in."""
from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Role, User
from app.models.lti import LtiPlatform
from app.services import lti
from tests.conftest import make_user
from tests.lti.platform import TestPlatform
from tests.lti.test_launch import start_login

FRAME = {"Sec-Fetch-Dest": "iframe", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
TOP = {"Sec-Fetch-Dest": "document", "Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
CANVAS = "https://canvas.university.ac.kr"


@pytest.fixture
def platform(app):
    test_platform = TestPlatform()
    admin = make_user(Role.ADMIN)
    with app.app_context():
        lti.save_platform(lti.PlatformFields(**test_platform.registration(), frame_origins=[CANVAS]),
                          db.session.get(User, admin.id))
    yield test_platform
    test_platform.close()


def ancestors(response) -> str:
    return re.search(r"frame-ancestors ([^;]+)", response.headers["Content-Security-Policy"]).group(1)


def framed_launch(client, platform, headers=FRAME, base_url="http://localhost", **claims):
    auth = start_login(client, platform)
    token = platform.sign(platform.resource_link_claims(auth["nonce"], **claims))
    return client.post("/lti/launch", data={"state": auth["state"], "id_token": token}, csrf=False,
                       headers=headers, base_url=base_url)


def session_cookie(response) -> str:
    return next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))


def test_without_platforms_nobody_may_frame_ondo(app, client):
    with app.app_context():
        lti.forget_framing_origins()
    response = client.get("/")
    assert ancestors(response) == "'none'" and response.headers["X-Frame-Options"] == "DENY"


def test_registered_platforms_may_frame_the_pages_but_not_admin(app, client, login_as, platform):
    response = client.get("/")
    assert ancestors(response).split() == sorted([platform.base, CANVAS])
    assert "X-Frame-Options" not in response.headers
    login_as(Role.ADMIN)
    admin_page = client.get("/admin/lti")
    assert ancestors(admin_page) == "'none'" and admin_page.headers["X-Frame-Options"] == "DENY"


def test_the_origins_are_cached_and_refreshed_when_an_admin_saves_a_platform(app, client, platform):
    assert CANVAS in ancestors(client.get("/"))
    with app.app_context():
        record = db.session.scalar(select(LtiPlatform))
        db.session.delete(record)  # behind the cache's back: still allowed until the cache expires
        db.session.commit()
    assert CANVAS in ancestors(client.get("/"))
    with app.app_context():
        lti.forget_framing_origins()
    assert ancestors(client.get("/")) == "'none'"
    admin = make_user(Role.ADMIN)
    with app.app_context():
        lti.save_platform(lti.PlatformFields(**platform.registration()), db.session.get(User, admin.id))
    assert ancestors(client.get("/")).split() == [platform.base]


def test_admin_form_keeps_only_web_origins_and_refuses_other_text(app, client, login_as, platform):
    login_as(Role.ADMIN)
    form = {**platform.registration(), "client_id": "second-client", "deployment_ids": "d-2",
            "frame_origins": "https://lms.example.ac.kr/course/view.php?id=4\nnot an address"}
    page = client.post("/admin/lti/new", data=form)
    assert page.status_code == 200 and "Not a web address: not an address" in page.get_data(as_text=True)
    form["frame_origins"] = "https://LMS.example.ac.kr/course/view.php?id=4\n\nhttps://lms.example.ac.kr/x"
    assert client.post("/admin/lti/new", data=form).status_code == 302
    with app.app_context():
        record = db.session.scalar(select(LtiPlatform).where(LtiPlatform.client_id == "second-client"))
        assert record.frame_origins == ["https://lms.example.ac.kr"]


def test_a_launch_in_a_new_window_goes_straight_to_the_activity_with_the_usual_cookie(app, client, platform,
                                                                                     sample_course):
    response = framed_launch(client, platform, headers=TOP, base_url="https://localhost",
                             target_link_uri="https://localhost/courses/sample/reading")
    assert response.headers["Location"].endswith("/courses/sample/reading")
    assert "SameSite=Lax" in session_cookie(response) and "Partitioned" not in session_cookie(response)


def test_a_framed_launch_over_https_gets_a_partitioned_cookie_and_goes_on(app, client, platform, sample_course):
    response = framed_launch(client, platform, base_url="https://localhost",
                             target_link_uri="https://localhost/courses/sample/reading")
    assert response.status_code == 303 and "/lti/start/" in response.headers["Location"]
    cookie = session_cookie(response)
    assert "SameSite=None" in cookie and "Secure" in cookie and "Partitioned" in cookie
    # The cookie came back: straight on to the activity, and the ticket is used up.
    start = client.get(response.headers["Location"], headers=FRAME, base_url="https://localhost")
    assert start.status_code == 303 and start.headers["Location"].endswith("/courses/sample/reading")
    assert client.get("/courses/sample/reading", base_url="https://localhost").status_code == 200
    again = app.test_client().get(response.headers["Location"], headers=TOP, base_url="https://localhost")
    assert again.status_code == 400


def test_over_plain_http_a_framed_session_keeps_the_lax_cookie(app, client, platform, sample_course):
    response = framed_launch(client, platform, target_link_uri="http://localhost/courses/sample/reading")
    assert "SameSite=Lax" in session_cookie(response) and "Partitioned" not in session_cookie(response)


def test_without_the_cookie_the_frame_offers_a_new_window_that_signs_in_once(app, client, platform,
                                                                            sample_course, caplog):
    response = framed_launch(client, platform, target_link_uri="http://localhost/courses/sample/reading")
    start_url = response.headers["Location"]
    blocked = app.test_client()  # the frame's browser kept no cookie
    offer = blocked.get(start_url, headers=FRAME)
    html = offer.get_data(as_text=True)
    assert offer.status_code == 200 and "Open Ondo in a new window" in html
    link = re.search(r'href="([^"]+)" target="_blank" rel="noopener"', html).group(1).replace("&amp;", "&")
    assert link.startswith(start_url) and "window=1" in link
    assert blocked.get("/courses/sample/reading").status_code == 302  # not signed in inside the frame
    # The new window is a first-party page: the ticket signs the student in there and leads to the activity.
    window = app.test_client()
    opened = window.get(link, headers=TOP)
    assert opened.status_code == 303 and opened.headers["Location"].endswith("/courses/sample/reading")
    assert window.get("/courses/sample/reading").status_code == 200
    # The ticket works once: a copied link signs nobody in.
    thief = app.test_client()
    assert thief.get(link, headers=TOP).status_code == 400
    assert thief.get("/courses/sample/reading").status_code == 302


def test_a_ticket_is_void_after_the_account_logged_out_everywhere(app, client, platform, sample_course):
    response = framed_launch(client, platform, target_link_uri="http://localhost/courses/sample/reading")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.role == Role.STUDENT))
        user.session_version += 1
        db.session.commit()
    window = app.test_client()
    refused = window.get(response.headers["Location"] + "?window=1", headers=TOP)
    assert refused.status_code == 400 and "expired or was used already" in refused.get_data(as_text=True)


def cookieless_launch(app, client, platform, origin: str | None, state: str | None = None, **claims):
    """The frame's browser refused the state cookie: the id_token arrives from a client without it."""
    auth = start_login(client, platform)
    token = platform.sign(platform.resource_link_claims(auth["nonce"], **claims))
    headers = {**FRAME, **({"Origin": origin} if origin else {})}
    return app.test_client().post("/lti/launch", data={"state": state or auth["state"], "id_token": token},
                                  csrf=False, headers=headers), auth


def test_without_the_state_cookie_a_launch_posted_by_the_lms_itself_is_accepted_once(app, client, platform,
                                                                                    sample_course, caplog):
    caplog.set_level(logging.INFO, logger="app.lti.routes")
    response, auth = cookieless_launch(app, client, platform, platform.base,
                                       target_link_uri="http://localhost/courses/sample/reading")
    assert response.status_code == 303 and "/lti/start/" in response.headers["Location"]
    assert "state checked without its cookie" in caplog.text
    # The same state cannot serve a second launch, even with a fresh nonce.
    again = start_login(client, platform)
    token = platform.sign(platform.resource_link_claims(again["nonce"]))
    replay = app.test_client().post("/lti/launch", data={"state": auth["state"], "id_token": token}, csrf=False,
                                    headers={**FRAME, "Origin": platform.base})
    assert replay.status_code == 400


@pytest.mark.parametrize("origin", [None, "null", "https://attacker.example", CANVAS.replace("canvas", "kanvas")])
def test_without_the_state_cookie_a_launch_posted_from_elsewhere_is_refused(app, client, platform, sample_course,
                                                                           caplog, origin):
    response, _ = cookieless_launch(app, client, platform, origin)
    assert response.status_code == 400 and "could not be verified" in response.get_data(as_text=True)
    assert "State not found" in caplog.text
    with app.app_context():
        assert db.session.scalar(select(User).where(User.role == Role.STUDENT)) is None


def test_an_extra_lms_address_may_post_the_launch(app, client, platform, sample_course):
    response, _ = cookieless_launch(app, client, platform, CANVAS)
    assert response.status_code == 303
