"""Login throttling that fits a school: failures are counted, never successes, and device cookies protect owners.

A school's 60 students share one NAT address, so counting every login per address refuses most of a class.
Instead only failed logins are counted, in Flask-Limiter's storage (``memory://`` per process, ``redis://`` shared
by every worker and server), under three keys for a client the account does not know: the address, the
account+address and the account (all addresses). A client that logged in to the account before carries a signed
device cookie (OWASP, "Slow Down Online Guessing Attacks with Device Cookies") and is only held back by failures
made with that same cookie, so someone guessing from elsewhere cannot lock the owner out on their own device.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from flask import Response, current_app, request
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import parse
from limits.strategies import MovingWindowRateLimiter

from app.extensions import limiter
from app.models.user import normalise_email
from app.services import accounts

DEVICE_COOKIE = "ondo_device"
DEVICE_SALT = "ondo-device-cookie"
DEVICES_PER_COOKIE = 5  # a shared school computer remembers its last few accounts


@dataclass(frozen=True)
class LoginClient:
    """Who is trying: the account typed (hashed, so no email lands in Redis), the address, the device nonce."""

    account: str
    address: str
    device: str | None  # the nonce of a valid device cookie for this account, else None (untrusted)


def _strategy() -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(limiter.storage)


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=DEVICE_SALT)


def _account_key(login: str) -> str:
    # One key per account whether its email or its roster username is typed; unknown logins by what was typed.
    user = accounts.find_by_login(login or "")
    typed = f"user:{user.id}" if user is not None else "login:" + normalise_email(login or "")
    return hashlib.sha256(typed.encode()).hexdigest()[:32]


def _cookie_devices() -> list[list[str]]:
    value = request.cookies.get(DEVICE_COOKIE)
    if not value:
        return []
    try:
        devices = _serializer().loads(value, max_age=current_app.config["DEVICE_COOKIE_MAX_AGE"])
    except (BadSignature, ValueError):
        return []
    if not isinstance(devices, list):
        return []
    return [d for d in devices if isinstance(d, list) and len(d) == 2 and all(isinstance(x, str) for x in d)]


def client_for(login: str) -> LoginClient:
    """The client of this request trying to log in as ``login``."""
    account = _account_key(login)
    device = next((nonce for acc, nonce in _cookie_devices() if acc == account), None)
    return LoginClient(account, get_remote_address() or "", device)


def _checks(client: LoginClient) -> list[tuple[str, tuple[str, ...]]]:
    config = current_app.config
    if client.device:
        return [(config["LOGIN_FAILURES_PER_DEVICE"], ("login-device", client.account, client.device))]
    return [
        (config["LOGIN_FAILURES_PER_ADDRESS"], ("login-address", client.address)),
        (config["LOGIN_FAILURES_PER_ACCOUNT_ADDRESS"], ("login-account-address", client.account, client.address)),
        (config["LOGIN_FAILURES_PER_ACCOUNT"], ("login-account", client.account)),
    ]


def allowed(client: LoginClient) -> bool:
    """False when this client has used up its failures: it is refused before the password is even checked.

    RATELIMIT_ENABLED=False (benchmarks, a single-user laptop) switches this off with the other limits.
    """
    if not limiter.enabled:
        return True
    strategy = _strategy()
    return all(strategy.test(parse(limit), *keys) for limit, keys in _checks(client))


def record_failure(client: LoginClient) -> None:
    if not limiter.enabled:
        return
    strategy = _strategy()
    for limit, keys in _checks(client):
        strategy.hit(parse(limit), *keys)


def remember_device(response: Response, client: LoginClient) -> None:
    """After a successful login: a fresh device cookie for this account (older accounts on the device kept)."""
    others = [d for d in _cookie_devices() if d[0] != client.account][: DEVICES_PER_COOKIE - 1]
    value = _serializer().dumps([[client.account, secrets.token_urlsafe(16)], *others])
    response.set_cookie(DEVICE_COOKIE, value, max_age=current_app.config["DEVICE_COOKIE_MAX_AGE"], path="/auth",
                        httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
