"""Replays of the IMS example messages (tests/lti/ims_examples.py), re-signed with the test platform's key: the
reference implementation's learner launch and deep-linking request, with every optional and extension claim they
carry, then the AGS score Ondo publishes and an NRPS membership container, checked against the specs' fields."""
from __future__ import annotations

import re
import time

import jwt
import pytest
from jwt.algorithms import RSAAlgorithm
from sqlalchemy import func, select

from app.extensions import db
from app.models import Enrollment, LtiGradeLink, LtiIdentity, Module, Role, SchoolClass, User
from app.services import lti
from tests.conftest import make_user
from tests.lti import ims_examples as ims
from tests.lti.platform import TestPlatform
from tests.lti.test_launch import launch, start_login
from tests.lti.test_services import push, take_quiz

QUIZ = "http://localhost/courses/sample/quiz"


@pytest.fixture
def platform(app):
    """The test platform standing in for the reference implementation: its issuer, its style of client id."""
    test_platform = TestPlatform(client_id="lti_ri_tool_4650", deployment_id="4650:deployment")
    test_platform.issuer = ims.RI_ISSUER
    admin = make_user(Role.ADMIN)
    with app.app_context():
        lti.save_platform(lti.PlatformFields(**test_platform.registration()), db.session.get(User, admin.id))
    test_platform.tool_jwks = lambda: app.test_client().get("/lti/jwks.json").get_json()
    yield test_platform
    test_platform.close()


def replay(client, platform, example: dict, target: str = QUIZ, **changes):
    auth = start_login(client, platform, target)
    now = int(time.time())
    claims = {**ims.fill(example, platform.base), "iss": platform.issuer, "aud": platform.client_id, "iat": now,
              "exp": now + 300, "nonce": auth["nonce"], ims.LTI + "deployment_id": platform.deployment_id,
              ims.LTI + "target_link_uri": target, **changes}
    return launch(client, auth["state"], platform.sign(claims))


def test_the_reference_learner_launch_opens_the_module_as_a_student_and_its_score_follows_ags(app, client,
                                                                                              platform,
                                                                                              sample_course):
    response = replay(client, platform, ims.RI_RESOURCE_LINK)
    assert response.status_code == 303 and response.headers["Location"].endswith("/courses/sample/quiz")
    with app.app_context():
        identity = db.session.scalar(select(LtiIdentity).where(LtiIdentity.issuer == ims.RI_ISSUER))
        user = db.session.get(User, identity.user_id)
        # Learner + Mentor + institution Student: a student (a mentor follows learners; they teach no class).
        assert identity.subject == "a73d59affc5b2c4cd493" and user.role == Role.STUDENT
        assert user.name == "Karin Huel Example"
        link = db.session.scalar(select(LtiGradeLink))
        assert link.lineitem_url == f"{platform.base}/lineitems/55717/52801"
    take_quiz(app, client)
    assert push(app).sent == 1
    [score] = platform.scores
    assert ims.AGS_SCORE_FIELDS <= set(score)
    assert score["userId"] == "a73d59affc5b2c4cd493" and 0 <= score["scoreGiven"] <= score["scoreMaximum"]
    assert score["activityProgress"] in ims.AGS_ACTIVITY_PROGRESS
    assert score["gradingProgress"] in ims.AGS_GRADING_PROGRESS
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", score["timestamp"])


def test_the_reference_deep_linking_request_returns_resource_links_with_its_data(app, client, platform,
                                                                                 sample_course):
    response = replay(client, platform, ims.RI_DEEP_LINKING, target="http://localhost/lti/launch")
    assert response.status_code == 303 and "/lti/deep-link/" in response.headers["Location"]
    with app.app_context():
        quiz_id = db.session.scalar(select(Module.id).where(Module.slug == "quiz"))
    answer = client.post(response.headers["Location"], data={"module": [str(quiz_id)]})
    html = answer.get_data(as_text=True)
    assert f'action="{platform.base}/deep-link-return"' in html
    token = re.search(r'name="JWT" value="([^"]+)"', html).group(1)
    published = {k["kid"]: k for k in client.get("/lti/jwks.json").get_json()["keys"]}
    key = RSAAlgorithm.from_jwk(published[jwt.get_unverified_header(token)["kid"]])
    claims = jwt.decode(token, key, algorithms=["RS256"], audience=ims.RI_ISSUER)
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == \
        "Some random opaque data that MUST be sent back"
    assert claims[ims.LTI + "message_type"] == "LtiDeepLinkingResponse" and claims[ims.LTI + "version"] == "1.3.0"
    [item] = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["type"] == "ltiResourceLink" and item["type"] in ims.RI_DEEP_LINKING[
        "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"]["accept_types"]
    assert item["lineItem"]["scoreMaximum"] == 100


def test_an_nrps_membership_container_fills_the_class(app, client, platform, sample_course):
    instructor = {**ims.RI_RESOURCE_LINK, ims.LTI + "roles": [ims.LIS + "membership#Instructor"],
                  "sub": "0ae836b9-7fc9-4060-006f-27b2066ac545"}
    assert replay(client, platform, instructor).status_code == 303
    platform.members = ims.NRPS_MEMBERS
    with app.app_context():
        class_id = db.session.scalar(select(SchoolClass.id))
    page = client.post(f"/teach/classes/{class_id}/lms-roster", follow_redirects=True).get_data(as_text=True)
    assert "1 students and 0 teachers added, 1 already in the class" in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1
        subjects = set(db.session.scalars(select(LtiIdentity.subject)))
        assert "c3e4-left" not in subjects and "d5f6-removed" not in subjects
