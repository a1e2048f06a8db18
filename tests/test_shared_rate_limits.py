"""Several app servers share login throttling only through a shared store (Redis), as docs/deploy.md says.

Each "server" is a separate Python process with its own app, like two gunicorn nodes; they share one SQLite file
and, in the Redis case, one redis-server started here on a free port.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI", "").lower() == "true"

SERVER = textwrap.dedent("""
    import sys
    from app import create_app
    from app.extensions import db
    from app.models import Role
    from app.services import accounts
    database, storage, attempts, create = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database, RATELIMIT_STORAGE_URI=storage,
                     AUTH_RATE_LIMIT="5 per minute", WTF_CSRF_ENABLED=False)
    with app.app_context():
        if create:
            db.create_all()
            accounts.create_user("pupil@school.example", "Pupil", "x", Role.STUDENT, check_policy=False)
            db.session.commit()
    client = app.test_client()
    codes = [client.post("/auth/login", data={"email": "pupil@school.example", "password": "wrong guess"}).status_code
             for _ in range(attempts)]
    print(" ".join(map(str, codes)))
""")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    binary = shutil.which("redis-server")
    if binary is None:
        if IN_CI:
            pytest.fail("redis-server is missing: apt-get install -y redis-server")
        pytest.skip("redis-server is not installed")
    port = _free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(50):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)


def _server(tmp_path: Path, storage: str, attempts: int, create: bool) -> list[int]:
    database = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    result = subprocess.run([sys.executable, "-c", SERVER, database, storage, str(attempts), "1" if create else "0"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={**os.environ, "ONDO_INSTANCE_PATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-2000:]
    return [int(code) for code in result.stdout.split()[-attempts:]]


def test_two_servers_share_login_throttling_through_redis(tmp_path, redis_url):
    assert _server(tmp_path, redis_url, 4, create=True) == [200] * 4
    # The second server counts on from the first: the fifth attempt passes, the sixth is refused.
    assert _server(tmp_path, redis_url, 2, create=False) == [200, 429]


def test_with_in_memory_storage_each_server_counts_alone(tmp_path):
    assert _server(tmp_path, "memory://", 4, create=True) == [200] * 4
    assert _server(tmp_path, "memory://", 2, create=False) == [200, 200]
