"""Several app servers share login throttling only through a shared store (Redis), as docs/deploy.md says.

Each "server" is a separate Python process with its own app, like two gunicorn nodes; they share one SQLite file
and, in the Redis case, one redis-server started here on a free port.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.servers import ROOT, redis_server

SERVER = textwrap.dedent("""
    import json, sys
    from app import create_app
    from app.extensions import db
    from app.models import Role
    from app.services import accounts
    database, storage, create, steps = sys.argv[1], sys.argv[2], sys.argv[3] == "1", json.loads(sys.argv[4])
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database, RATELIMIT_STORAGE_URI=storage,
                     LOGIN_FAILURES_PER_ACCOUNT_ADDRESS="5 per minute", LOGIN_FAILURES_PER_ACCOUNT="8 per minute",
                     WTF_CSRF_ENABLED=False)
    with app.app_context():
        if create:
            db.create_all()
            accounts.create_user("pupil@school.example", "Pupil", "right password", Role.STUDENT,
                                 check_policy=False)
            db.session.commit()
    codes, device = [], None
    for step in steps:  # each step a fresh browser, from its own address, with or without a device cookie
        client = app.test_client()
        if step.get("device"):
            client.set_cookie("ondo_device", step["device"], path="/auth")
        response = client.post("/auth/login", data={"email": "pupil@school.example", "password": step["password"]},
                               environ_base={"REMOTE_ADDR": step.get("addr", "127.0.0.1")})
        codes.append(response.status_code)
        cookie = client.get_cookie("ondo_device", path="/auth")
        device = cookie.value if cookie is not None and not step.get("device") else device
    print(json.dumps({"codes": codes, "device": device}))
""")

WRONG = {"password": "wrong guess"}
RIGHT = {"password": "right password"}


@pytest.fixture(scope="module")
def redis_url():
    with redis_server() as url:
        yield url


def _server(tmp_path: Path, storage: str, steps: list[dict], create: bool) -> dict:
    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    arguments = [database, storage, "1" if create else "0", json.dumps(steps)]
    result = subprocess.run([sys.executable, "-c", SERVER, *arguments], cwd=ROOT, capture_output=True, text=True,
                            timeout=120,
                            env={**os.environ, "ONDO_INSTANCE_PATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def shared_store(redis_url):
    """The shared redis-server, emptied for each test."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    return redis_url


def test_two_servers_share_login_throttling_through_redis(tmp_path, shared_store):
    redis_url = shared_store
    assert _server(tmp_path, redis_url, [WRONG] * 4, create=True)["codes"] == [200] * 4
    # The second server counts on from the first: the fifth failure is let through, the sixth try is refused.
    assert _server(tmp_path, redis_url, [WRONG] * 2, create=False)["codes"] == [200, 429]


def test_with_in_memory_storage_each_server_counts_alone(tmp_path):
    assert _server(tmp_path, "memory://", [WRONG] * 4, create=True)["codes"] == [200] * 4
    assert _server(tmp_path, "memory://", [WRONG] * 2, create=False)["codes"] == [200, 200]


def test_device_cookies_and_the_account_lockout_hold_across_servers(tmp_path, shared_store):
    redis_url = shared_store
    first = _server(tmp_path, redis_url, [RIGHT], create=True)
    assert first["codes"] == [302] and first["device"]
    # Someone guesses from eight other addresses through a second server: untrusted clients are locked out...
    guesses = [{**WRONG, "addr": f"203.0.113.{n}"} for n in range(1, 9)]
    assert _server(tmp_path, redis_url, [*guesses, RIGHT], create=False)["codes"] == [200] * 8 + [429]
    # ...and a third server still lets the owner in from the device that logged in before.
    owner = {**RIGHT, "device": first["device"]}
    assert _server(tmp_path, redis_url, [owner, RIGHT], create=False)["codes"] == [302, 429]
