"""Deep Linking 2.0: an instructor picks Ondo modules in Ondo and they go back to the LMS as signed content items."""
from __future__ import annotations

import re

import jwt
import pytest
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import select

from app.extensions import db
from app.models import Module, Role, User
from app.services import lti
from tests.conftest import make_user
from tests.lti.platform import LEARNER, TestPlatform
from tests.lti.test_launch import launch, start_login


@pytest.fixture
def platform(app):
    test_platform = TestPlatform()
    admin = make_user(Role.ADMIN)
    with app.app_context():
        lti.save_platform(lti.PlatformFields(**test_platform.registration()), db.session.get(User, admin.id))
    yield test_platform
    test_platform.close()


def deep_link_launch(client, platform, **kw):
    auth = start_login(client, platform)
    return launch(client, auth["state"], platform.sign(platform.deep_link_claims(auth["nonce"], **kw)))


def test_instructor_picks_modules_and_the_lms_gets_signed_resource_links(app, client, platform, sample_course):
    response = deep_link_launch(client, platform)
    assert response.status_code == 303 and "/lti/deep-link/" in response.headers["Location"]
    picker = client.get(response.headers["Location"])
    assert picker.status_code == 200
    with app.app_context():
        modules = {m.slug: m.id for m in db.session.scalars(select(Module))}
    page = picker.get_data(as_text=True)
    assert f'value="{modules["quiz"]}"' in page and f'value="{modules["reading"]}"' in page

    answer = client.post(response.headers["Location"], data={"module": [str(modules["reading"]),
                                                                        str(modules["quiz"])]})
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    assert f'action="{platform.base}/deep-link-return"' in html
    assert f"form-action 'self' {platform.base}" in answer.headers["Content-Security-Policy"]
    token = re.search(r'name="JWT" value="([^"]+)"', html).group(1)

    # The LMS verifies the response with the keys Ondo publishes.
    header = jwt.get_unverified_header(token)
    published = {k["kid"]: k for k in client.get("/lti/jwks.json").get_json()["keys"]}
    key = RSAAlgorithm.from_jwk(published[header["kid"]])
    claims = jwt.decode(token, key, algorithms=["RS256"], audience=platform.issuer)
    assert claims["iss"] == platform.client_id
    assert claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] == "LtiDeepLinkingResponse"
    assert claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == platform.deployment_id
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "platform-opaque-123"
    items = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    by_url = {item["url"]: item for item in items}
    assert set(by_url) == {"http://localhost/courses/sample/reading", "http://localhost/courses/sample/quiz"}
    assert all(item["type"] == "ltiResourceLink" and item["title"] for item in items)
    assert "lineItem" in by_url["http://localhost/courses/sample/quiz"]
    assert by_url["http://localhost/courses/sample/quiz"]["lineItem"]["scoreMaximum"] == 100
    assert "lineItem" not in by_url["http://localhost/courses/sample/reading"]


def test_a_student_cannot_deep_link(app, client, platform, sample_course):
    response = deep_link_launch(client, platform, sub="student-1", roles=[LEARNER])
    assert response.status_code == 400
    assert "Only instructors" in response.get_data(as_text=True)


def test_someone_else_cannot_continue_an_instructors_deep_link(app, client, platform, sample_course, login_as):
    location = deep_link_launch(client, platform).headers["Location"]
    other = app.test_client()
    make_user(Role.TEACHER, email="other@school.example")
    other.post("/auth/login", data={"email": "other@school.example", "password": "correct horse battery"})
    assert other.get(location).status_code == 404
    assert client.get("/lti/deep-link/not-a-launch").status_code == 404
