"""Accounts: register, log in and out, passwords, resets, throttling."""
from __future__ import annotations

import re
from email import message_from_bytes

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Role, User
from app.services import passwords
from tests.conftest import PASSWORD, make_user


def test_visitor_registers_as_student_and_lands_on_dashboard(client, app):
    response = client.post("/auth/register", data={
        "name": "Minji", "email": "Minji@School.Example",
        "password": "tide pools at dawn", "confirm": "tide pools at dawn",
    })
    assert response.status_code in (302, 303)
    assert response.headers["Location"].endswith("/dashboard")
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Hello, Minji." in page
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "minji@school.example"
        assert user.role == Role.STUDENT
        assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_registration_errors_keep_what_was_typed(client):
    page = client.post("/auth/register", data={
        "name": "Joon", "email": "joon@school.example", "password": "short", "confirm": "short",
    }).get_data(as_text=True)
    assert "Use at least 8 characters." in page
    assert 'value="Joon"' in page and 'value="joon@school.example"' in page


def test_common_password_is_refused(client):
    page = client.post("/auth/register", data={
        "name": "Joon", "email": "joon@school.example", "password": "password123", "confirm": "password123",
    }).get_data(as_text=True)
    assert "too common" in page


def test_long_password_of_64_characters_is_accepted(client):
    long_password = "a sentence that is long enough to be well over sixty-four characters!"
    assert len(long_password) > 64
    response = client.post("/auth/register", data={
        "name": "Joon", "email": "joon@school.example", "password": long_password, "confirm": long_password,
    })
    assert response.status_code in (302, 303)


def test_email_is_unique_whatever_its_case(client):
    make_user(email="taken@school.example")
    page = client.post("/auth/register", data={
        "name": "X", "email": "TAKEN@school.example", "password": PASSWORD, "confirm": PASSWORD,
    }).get_data(as_text=True)
    assert "already exists" in page


@pytest.mark.parametrize("role, landing", [("student", "/dashboard"), ("teacher", "/teach/"), ("admin", "/admin/")])
def test_each_role_lands_on_its_dashboard(client, auth, role, landing):
    user = make_user(role)
    response = auth.login(user.email)
    assert response.headers["Location"] == landing
    assert client.get(landing).status_code == 200


def test_wrong_password_and_unknown_email_get_the_same_message(client, auth):
    user = make_user()
    wrong = auth.login(user.email, "not the password").get_data(as_text=True)
    unknown = auth.login("nobody@school.example").get_data(as_text=True)
    assert "The email or password is not right." in wrong
    assert "The email or password is not right." in unknown
    assert client.get("/dashboard").status_code in (302, 303)


@pytest.mark.parametrize(("role", "whom"), [("student", "Ask your teacher"), ("teacher", "Ask an administrator")])
def test_deactivated_account_with_the_right_password_is_told_so_and_whom_to_ask(client, auth, role, whom):
    user = make_user(role, active=False)
    page = auth.login(user.email).get_data(as_text=True)
    assert "This account has been deactivated" in page and whom in page
    assert "The email or password is not right." not in page  # no detour through password resets
    assert client.get("/dashboard").status_code in (302, 303)


def test_deactivated_account_with_a_wrong_password_looks_like_any_wrong_password(client, auth):
    user = make_user(active=False)
    page = auth.login(user.email, "not the password").get_data(as_text=True)
    assert "The email or password is not right." in page
    assert "deactivated" not in page


def test_logout_ends_the_session_and_a_replayed_cookie_is_refused(client, auth):
    user = make_user()
    auth.login(user.email)
    captured = client.get_cookie("session").value
    assert client.get("/dashboard").status_code == 200
    auth.logout()
    assert client.get("/dashboard").status_code in (302, 303)
    client.set_cookie("session", captured)
    response = client.get("/dashboard")
    assert response.status_code in (302, 303)
    assert "/auth/login" in response.headers["Location"]


def test_remember_me_cookie_is_refused_after_logout(app, auth, client):
    user = make_user()
    auth.login(user.email, remember="y")
    remember = client.get_cookie("remember_token")
    assert remember is not None and remember.http_only
    captured = remember.value
    auth.logout()
    other = app.test_client()
    other.set_cookie("remember_token", captured)
    assert other.get("/dashboard").status_code in (302, 303)


def test_change_password_ends_other_sessions(app, client, auth):
    user = make_user()
    other_device = app.test_client()
    other_device.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert other_device.get("/dashboard").status_code == 200
    auth.login(user.email)
    response = client.post("/auth/password", data={
        "current": PASSWORD, "password": "a brand new passphrase", "confirm": "a brand new passphrase"})
    assert response.status_code in (302, 303)
    assert client.get("/dashboard").status_code == 200, "this device stays logged in"
    assert other_device.get("/dashboard").status_code in (302, 303), "the other device is logged out"
    auth.logout()
    assert auth.login(user.email, "a brand new passphrase").status_code in (302, 303)


def test_change_password_needs_the_current_one(client, auth):
    user = make_user()
    auth.login(user.email)
    page = client.post("/auth/password", data={
        "current": "wrong one", "password": "a brand new passphrase", "confirm": "a brand new passphrase",
    }).get_data(as_text=True)
    assert "That is not your current password." in page


def _reset_link(outbox) -> str:
    messages = sorted(outbox.glob("*.eml"))
    assert len(messages) == 1
    body = message_from_bytes(messages[0].read_bytes()).get_payload(decode=True).decode()
    return re.search(r"http://localhost(/auth/reset/\S+)", body).group(1)


def test_password_reset_end_to_end(client, auth, outbox):
    user = make_user()
    response = client.post("/auth/forgot", data={"email": user.email.upper()})
    assert response.status_code in (302, 303)
    link = _reset_link(outbox)
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": "fresh spring rain", "confirm": "fresh spring rain"})
    assert response.status_code in (302, 303)
    assert auth.login(user.email, "fresh spring rain").headers["Location"] == "/dashboard"


def test_reset_token_cannot_be_used_twice(client, outbox):
    user = make_user()
    client.post("/auth/forgot", data={"email": user.email})
    link = _reset_link(outbox)
    client.post(link, data={"password": "fresh spring rain", "confirm": "fresh spring rain"})
    response = client.post(link, data={"password": "another new phrase", "confirm": "another new phrase"})
    assert response.headers["Location"].endswith("/auth/forgot")
    assert "expired or was already used" in client.get("/auth/forgot").get_data(as_text=True)


def test_expired_reset_token_is_refused(app, client, outbox):
    user = make_user()
    client.post("/auth/forgot", data={"email": user.email})
    link = _reset_link(outbox)
    app.config["PASSWORD_RESET_MAX_AGE"] = -1
    try:
        response = client.get(link)
    finally:
        app.config["PASSWORD_RESET_MAX_AGE"] = 3600
    assert response.headers["Location"].endswith("/auth/forgot")


def test_reset_request_does_not_reveal_whether_an_email_has_an_account(client, outbox):
    make_user(email="known@school.example")
    known = client.post("/auth/forgot", data={"email": "known@school.example"}, follow_redirects=True)
    unknown = client.post("/auth/forgot", data={"email": "unknown@school.example"}, follow_redirects=True)
    strip = lambda html: re.sub(r'content="[^"]+"|value="[^"]+"', "", html)  # noqa: E731 - tokens differ
    assert strip(known.get_data(as_text=True)) == strip(unknown.get_data(as_text=True))
    assert len(list(outbox.glob("*.eml"))) == 1


@pytest.mark.parametrize("target", [
    "//evil.example", "\\\\evil.example", "/\\evil.example", "https://evil.example", "http:evil.example",
    "%2F%2Fevil.example", "%252F%252Fevil.example", "/%2F/evil.example", "javascript:alert(1)", "/%09/evil.example",
])
def test_next_never_redirects_off_site(client, target):
    user = make_user()
    response = client.post(f"/auth/login?next={target}", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/dashboard"


def test_next_to_our_own_page_is_followed(client):
    user = make_user("teacher")
    response = client.post("/auth/login?next=/auth/password", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/auth/password"


def test_login_is_throttled_per_account_with_a_clear_page(client):
    user = make_user()
    for _ in range(10):
        assert client.post("/auth/login", data={"email": user.email, "password": "wrong guess"}).status_code == 200
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_old_password_hashes_are_upgraded_on_login(app, auth):
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    user = make_user(password_hash=weak)
    assert passwords.needs_rehash(weak)
    assert auth.login(user.email).status_code in (302, 303)
    with app.app_context():
        upgraded = db.session.get(User, user.id).password_hash
    assert upgraded != weak and not passwords.needs_rehash(upgraded)


def test_forced_password_change_blocks_other_pages(client, auth):
    user = make_user(must_change_password=True)
    auth.login(user.email)
    response = client.get("/dashboard")
    assert response.headers["Location"] == "/auth/password"
    client.post("/auth/password",
                data={"current": PASSWORD, "password": "my own phrase now", "confirm": "my own phrase now"})
    assert client.get("/dashboard").status_code == 200
