"""Login and registration throttling that fits a school: one NAT address for everyone, failures counted, device
cookies for owners (OWASP "Slow Down Online Guessing Attacks with Device Cookies")."""
from __future__ import annotations

import pytest
from argon2 import PasswordHasher

from app.auth.throttle import DEVICE_COOKIE
from app.services import passwords
from tests.conftest import PASSWORD, make_user

SCHOOL = {"REMOTE_ADDR": "198.51.100.20"}  # the school's one public address
ELSEWHERE = [{"REMOTE_ADDR": f"203.0.113.{n}"} for n in range(1, 41)]


@pytest.fixture
def cheap_hashing(monkeypatch):
    """Real Argon2id at its cheapest: these tests count requests, and 60 full hashes would only slow them down."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(passwords, "_hasher", cheap)
    monkeypatch.setattr(passwords, "_DUMMY_HASH", cheap.hash("timing-equaliser-not-a-password"))
    return cheap.hash(PASSWORD)


def _login(client, email, password=PASSWORD, where=SCHOOL, token=None):
    data = {"email": email, "password": password, **({"csrf_token": token} if token else {})}
    return client.post("/auth/login", data=data, environ_base=where)


def _logged_in(response) -> bool:
    return response.status_code in (302, 303) and "/auth/login" not in response.headers["Location"]


def test_sixty_students_behind_one_address_all_log_in_within_a_minute(app, cheap_hashing):
    students = [make_user(password_hash=cheap_hashing) for _ in range(60)]
    codes = [_login(app.test_client(), s.email).status_code for s in students]
    assert codes == [302] * 60


def test_students_who_mistype_twice_behind_one_address_still_get_in(app, cheap_hashing):
    students = [make_user(password_hash=cheap_hashing) for _ in range(60)]
    for student in students:
        client = app.test_client()
        token = client.csrf_token()
        assert [_login(client, student.email, "wrong guess", token=token).status_code for _ in range(2)] == [200, 200]
        assert _logged_in(_login(client, student.email, token=token))


def test_failures_from_elsewhere_do_not_lock_the_owner_out_on_their_device(app, client, cheap_hashing):
    owner = make_user(password_hash=cheap_hashing)
    assert _logged_in(_login(client, owner.email))
    assert client.get_cookie(DEVICE_COOKIE, path="/auth") is not None
    client.post("/auth/logout")
    attacker = app.test_client()
    for where in ELSEWHERE:  # 40 wrong passwords from 40 addresses
        _login(attacker, owner.email, "guess " + where["REMOTE_ADDR"], where)
    # The owner's device is trusted for this account and gets in with the right password...
    assert _logged_in(_login(client, owner.email))
    # ...while a device the account does not know is held back, even with the right password.
    stranger = app.test_client()
    response = _login(stranger, owner.email)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_a_device_is_held_back_by_its_own_failures(app, client, cheap_hashing):
    owner = make_user(password_hash=cheap_hashing)
    assert _logged_in(_login(client, owner.email))
    client.post("/auth/logout")
    assert [_login(client, owner.email, "wrong guess").status_code for _ in range(10)] == [200] * 10
    assert _login(client, owner.email).status_code == 429


def test_guessing_from_one_address_is_slowed_across_accounts(app, client, cheap_hashing, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_FAILURES_PER_ADDRESS", "5 per 15 minutes")
    teacher = make_user("teacher", password_hash=cheap_hashing)
    teachers_device = app.test_client()
    assert _logged_in(_login(teachers_device, teacher.email))
    teachers_device.post("/auth/logout")
    victims = [make_user(password_hash=cheap_hashing) for _ in range(6)]
    codes = [_login(client, v.email, "Password1").status_code for v in victims]
    assert codes == [200] * 5 + [429]
    assert _login(app.test_client(), victims[0].email).status_code == 429  # the address, whatever the account
    assert _login(client, victims[0].email, where=ELSEWHERE[0]).status_code == 302  # other addresses are not
    # A device that logged in to its account before is not held back by the address's failures.
    assert _logged_in(_login(teachers_device, teacher.email))


def test_a_forged_device_cookie_is_not_trusted(app, client, cheap_hashing):
    owner = make_user(password_hash=cheap_hashing)
    client.set_cookie(DEVICE_COOKIE, "W1siYWJjIiwibm9uY2UiXV0.forged.signature", path="/auth")
    for _ in range(10):
        _login(client, owner.email, "wrong guess")
    assert _login(client, owner.email).status_code == 429


def test_successful_logins_are_not_counted(app, client, cheap_hashing, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_FAILURES_PER_ACCOUNT_ADDRESS", "3 per 15 minutes")
    student = make_user(password_hash=cheap_hashing)
    for _ in range(10):
        assert _logged_in(_login(client, student.email))
        client.post("/auth/logout")


def test_a_whole_class_registers_from_one_address_in_one_lesson(app, cheap_hashing):
    codes = []
    for n in range(60):
        codes.append(app.test_client().post("/auth/register", environ_base=SCHOOL, data={
            "name": f"Student {n}", "email": f"class-{n}@school.example",
            "password": "tide pools at dawn", "confirm": "tide pools at dawn"}).status_code)
    assert codes == [302] * 60


def test_email_and_username_of_one_account_share_its_failures(app, client, cheap_hashing):
    student = make_user(password_hash=cheap_hashing, username="kim.minji")
    for n in range(10):
        _login(client, student.email if n % 2 else "KIM.MINJI", "wrong guess")
    assert _login(client, "kim.minji").status_code == 429
