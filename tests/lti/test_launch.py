"""LTI 1.3 launches from a test platform: OIDC login initiation, the signed launch, accounts and classes, and every
check the IMS Security Framework asks for, each refused with a page (never a 500) and logged."""
from __future__ import annotations

import logging
import time
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import ClassTeacher, Enrollment, LtiIdentity, LtiKey, Role, SchoolClass, User
from app.services import lti
from tests.conftest import make_user
from tests.lti.platform import INSTRUCTOR, TestPlatform

TARGET = "http://localhost/courses/sample/reading"


@pytest.fixture
def platform(app):
    test_platform = TestPlatform()
    admin = make_user(Role.ADMIN)
    with app.app_context():
        fields = test_platform.registration()
        lti.save_platform(lti.PlatformFields(**fields), db.session.get(User, admin.id))
    yield test_platform
    test_platform.close()


def start_login(client, platform: TestPlatform, target: str = TARGET) -> dict[str, str]:
    """Step 1: the LMS sends the browser to our login initiation; we answer with the authorisation redirect."""
    response = client.post("/lti/login", data=platform.login_initiation(target), csrf=False)
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:300]
    location = urlsplit(response.headers["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{platform.base}/auth"
    return {key: values[0] for key, values in parse_qs(location.query).items()}


def launch(client, state: str, id_token: str):
    """Step 2: the platform posts the signed id_token back to our launch endpoint."""
    return client.post("/lti/launch", data={"state": state, "id_token": id_token}, csrf=False)


def full_launch(client, platform: TestPlatform, **claims):
    auth = start_login(client, platform)
    return launch(client, auth["state"], platform.sign(platform.resource_link_claims(auth["nonce"], **claims)))


def test_login_initiation_redirects_with_the_parameters_the_spec_requires(app, client, platform, sample_course):
    auth = start_login(client, platform)
    assert auth["response_type"] == "id_token" and auth["scope"] == "openid"
    assert auth["response_mode"] == "form_post" and auth["prompt"] == "none"
    assert auth["client_id"] == platform.client_id and auth["login_hint"] == "user-1"
    assert auth["redirect_uri"] == "http://localhost/lti/launch"
    assert auth["state"] and auth["nonce"] and auth["state"] != auth["nonce"]


def test_first_launch_makes_a_student_without_password_and_opens_the_module(app, client, platform, sample_course):
    response = full_launch(client, platform, target_link_uri=TARGET)
    assert response.status_code == 303 and response.headers["Location"].endswith("/courses/sample/reading")
    assert client.get("/courses/sample/reading").status_code == 200  # signed in
    with app.app_context():
        identity = db.session.scalar(select(LtiIdentity).where(LtiIdentity.subject == "user-1"))
        user = db.session.get(User, identity.user_id)
        assert user.role == Role.STUDENT and user.name == "Minji Kim"
        assert user.password_hash == lti.NO_PASSWORD
    # The account has no password anyone could guess: a password login with the LMS email fails.
    other = app.test_client()
    page = other.post("/auth/login", data={"email": "user-1@university.example", "password": lti.NO_PASSWORD})
    assert page.status_code == 200


def test_the_same_subject_is_the_same_account_and_another_issuer_is_not(app, client, platform, sample_course):
    full_launch(client, platform, target_link_uri=TARGET)
    client.post("/auth/logout")
    full_launch(client, platform, target_link_uri=TARGET)
    second_platform = TestPlatform(client_id="other-client")
    try:
        with app.app_context():
            admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
            lti.save_platform(lti.PlatformFields(**second_platform.registration()), admin)
        other_client = app.test_client()
        assert full_launch(other_client, second_platform, target_link_uri=TARGET).status_code == 303
    finally:
        second_platform.close()
    with app.app_context():
        subjects = db.session.execute(select(LtiIdentity.issuer, LtiIdentity.user_id)
                                      .where(LtiIdentity.subject == "user-1")).all()
        assert len(subjects) == 2 and subjects[0].user_id != subjects[1].user_id


def test_an_email_claim_never_takes_over_an_existing_account(app, client, platform, sample_course):
    existing = make_user(Role.TEACHER, email="user-1@university.example")
    full_launch(client, platform, target_link_uri=TARGET)
    with app.app_context():
        identity = db.session.scalar(select(LtiIdentity).where(LtiIdentity.subject == "user-1"))
        assert identity.user_id != existing.id
        assert db.session.get(User, identity.user_id).email is None


def test_instructor_launch_makes_the_class_and_students_join_it(app, client, platform, sample_course):
    response = full_launch(client, platform, sub="lecturer-1", roles=[INSTRUCTOR])
    assert response.status_code == 303 and "/teach/classes/" in response.headers["Location"]
    student_client = app.test_client()
    full_launch(student_client, platform, sub="student-7", target_link_uri=TARGET)
    with app.app_context():
        school_class = db.session.scalar(select(SchoolClass))
        assert school_class.name == "Climate System Science" and not school_class.join_code_enabled
        lecturer = db.session.scalar(select(LtiIdentity).where(LtiIdentity.subject == "lecturer-1"))
        student = db.session.scalar(select(LtiIdentity).where(LtiIdentity.subject == "student-7"))
        assert db.session.get(User, lecturer.user_id).role == Role.TEACHER
        assert db.session.scalar(select(func.count()).select_from(ClassTeacher).where(
            ClassTeacher.class_id == school_class.id, ClassTeacher.user_id == lecturer.user_id)) == 1
        assert db.session.scalar(select(func.count()).select_from(Enrollment).where(
            Enrollment.class_id == school_class.id, Enrollment.user_id == student.user_id)) == 1
    # A second launch by the same student does not enrol them twice.
    student_client.post("/auth/logout")
    full_launch(student_client, platform, sub="student-7", target_link_uri=TARGET)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrollment)) == 1


def _refused(response, caplog) -> str:
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This launch was refused" in page
    assert any("LTI launch refused" in record.getMessage() for record in caplog.records)
    return page


@pytest.mark.parametrize("case", [
    "bad_signature", "unknown_key", "other_issuer", "wrong_audience", "azp_of_another_client", "expired",
    "issued_in_future", "unknown_deployment", "wrong_message_type", "wrong_version", "no_nonce", "no_exp",
])
def test_a_launch_that_fails_a_check_is_refused_with_a_page_and_logged(app, client, platform, sample_course,
                                                                      caplog, case):
    caplog.set_level(logging.WARNING)
    auth = start_login(client, platform)
    claims = platform.resource_link_claims(auth["nonce"], target_link_uri=TARGET)
    key, kid = None, None
    now = int(time.time())
    if case == "bad_signature":
        key = platform.other_key()
    elif case == "unknown_key":
        kid = "no-such-key"
    elif case == "other_issuer":
        claims["iss"] = "https://lms.elsewhere.example"
    elif case == "wrong_audience":
        claims["aud"] = "someone-else"
    elif case == "azp_of_another_client":
        claims["aud"] = [platform.client_id, "someone-else"]
        claims["azp"] = "someone-else"
    elif case == "expired":
        claims["iat"], claims["exp"] = now - 7200, now - 3600
    elif case == "issued_in_future":
        claims["iat"], claims["exp"] = now + 3600, now + 7200
    elif case == "unknown_deployment":
        claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] = "deployment-unknown"
    elif case == "wrong_message_type":
        claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] = "LtiSomethingElse"
    elif case == "wrong_version":
        claims["https://purl.imsglobal.org/spec/lti/claim/version"] = "1.1"
    elif case == "no_nonce":
        del claims["nonce"]
    elif case == "no_exp":
        del claims["exp"]
    _refused(launch(client, auth["state"], platform.sign(claims, key=key, kid=kid)), caplog)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LtiIdentity)) == 0


def test_a_replayed_launch_is_refused(app, client, platform, sample_course, caplog):
    caplog.set_level(logging.WARNING)
    auth = start_login(client, platform)
    token = platform.sign(platform.resource_link_claims(auth["nonce"], target_link_uri=TARGET))
    assert launch(client, auth["state"], token).status_code == 303
    # The same id_token posted again (a captured form replayed), from the same browser or another one.
    _refused(launch(client, auth["state"], token), caplog)
    _refused(launch(app.test_client(), auth["state"], token), caplog)


def test_a_launch_without_our_state_cookie_is_refused(app, client, platform, sample_course, caplog):
    caplog.set_level(logging.WARNING)
    auth = start_login(client, platform)
    token = platform.sign(platform.resource_link_claims(auth["nonce"], target_link_uri=TARGET))
    # Another browser (an attacker's page) posting a token minted for someone else's login.
    _refused(launch(app.test_client(), auth["state"], token), caplog)


def test_login_initiation_from_an_unregistered_issuer_is_refused(app, client, platform, caplog):
    caplog.set_level(logging.WARNING)
    data = {**platform.login_initiation(TARGET), "iss": "https://unknown.example"}
    _refused(client.post("/lti/login", data=data, csrf=False), caplog)


def test_garbage_id_tokens_are_refused_not_500(app, client, platform, caplog):
    caplog.set_level(logging.WARNING)
    auth = start_login(client, platform)
    for token in ("", "a.b", "a.b.c", "x" * 5000, "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0."):
        _refused(launch(client, auth["state"], token), caplog)


def test_jwks_publishes_public_keys_only_and_keeps_the_old_key_after_rotation(app, client):
    admin = make_user(Role.ADMIN)
    first = client.get("/lti/jwks.json").get_json()["keys"]
    assert len(first) == 1 and first[0]["alg"] == "RS256" and "d" not in first[0]
    with app.app_context():
        lti.rotate_key(app.config["SECRET_KEY"], db.session.get(User, admin.id))
        stored = db.session.scalars(select(LtiKey.private_key_encrypted)).all()
        assert stored and not any("PRIVATE KEY" in value for value in stored)
    second = client.get("/lti/jwks.json").get_json()["keys"]
    assert [k["kid"] for k in second][1:] == [first[0]["kid"]] and second[0]["kid"] != first[0]["kid"]
