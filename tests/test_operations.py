"""What a school's IT person relies on: /healthz, one structured log line per request, request ids on errors,
and a gunicorn configuration that loads."""
from __future__ import annotations

import json
import logging
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from app.request_log import JsonFormatter, RequestIdFilter

ROOT = Path(__file__).resolve().parent.parent


def test_healthz_checks_the_database_without_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_healthz_costs_one_query_even_from_a_signed_in_browser(client, login_as, count_queries):
    login_as("student")
    with count_queries() as statements:
        assert client.get("/healthz").status_code == 200
    assert statements == ["SELECT 1"]


def test_healthz_is_never_rate_limited(client):
    assert {client.get("/healthz").status_code for _ in range(60)} == {200}


def test_healthz_says_503_when_the_database_is_unreachable(tmp_path):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/ondo.sqlite3")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "unreachable"}


def _request_lines(caplog) -> list[dict]:
    return [record.fields for record in caplog.records if record.name == "ondo.request"]


def test_one_log_line_per_request_with_id_user_route_status_and_duration(client, login_as, caplog, sample_course):
    user = login_as("student")
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="ondo.request"):
        response = client.get("/courses/sample")
    (line,) = _request_lines(caplog)
    assert line["request_id"] == response.headers["X-Request-ID"] and len(line["request_id"]) == 32
    assert line["user_id"] == user.id
    assert line["route"] == "/courses/<course_slug>" and line["method"] == "GET"
    assert line["status"] == 200 and 0 <= line["duration_ms"] < 60_000


def test_the_proxys_request_id_is_kept_and_a_bad_one_replaced(client, caplog):
    with caplog.at_level(logging.INFO, logger="ondo.request"):
        kept = client.get("/auth/login", headers={"X-Request-ID": "nginx-0123456789abcdef"})
        replaced = client.get("/auth/login", headers={"X-Request-ID": "bad id; <script>"})
    assert kept.headers["X-Request-ID"] == "nginx-0123456789abcdef"
    assert replaced.headers["X-Request-ID"] != "bad id; <script>"
    assert [line["user_id"] for line in _request_lines(caplog)] == [None, None]


def test_an_error_is_logged_with_the_request_id_shown_on_the_page(instance_dir, caplog):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance_dir / 'errors-log.sqlite3'}",
                     PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("database on fire")

    seen: list[logging.LogRecord] = []
    handler = logging.Handler()
    handler.emit = seen.append
    handler.addFilter(RequestIdFilter())  # as on the production handler
    logging.getLogger().addHandler(handler)
    try:
        with caplog.at_level(logging.INFO):
            response = app.test_client().get("/boom")
    finally:
        logging.getLogger().removeHandler(handler)
    request_id = response.headers["X-Request-ID"]
    assert response.status_code == 500
    assert f"Reference for the school's IT staff: {request_id}" in response.get_data(as_text=True)
    (error,) = [r for r in seen if r.levelno >= logging.ERROR]
    assert error.exc_info and "database on fire" in str(error.exc_info[1])
    assert error.request_id == request_id
    assert [line["status"] for line in _request_lines(caplog)] == [500]


def test_json_lines_hold_the_fields_and_the_request_id(app):
    formatter = JsonFormatter()
    record = logging.LogRecord("ondo.request", logging.INFO, __file__, 1, "GET %s", ("/healthz",), None)
    record.fields = {"status": 200, "route": "/healthz", "user_id": None}
    with app.test_request_context():
        from flask import g

        g.request_id = "abc12345"
        RequestIdFilter().filter(record)
    entry = json.loads(formatter.format(record))
    assert entry["message"] == "GET /healthz" and entry["request_id"] == "abc12345"
    assert entry["status"] == 200 and entry["level"] == "INFO" and entry["time"].endswith("+00:00")


def test_production_logs_json_and_development_plain_text():
    production = create_app("production", SECRET_KEY="x" * 40, SQLALCHEMY_DATABASE_URI="sqlite://",
                            PUBLIC_BASE_URL="https://ondo.school.example")
    assert production.config["LOG_FORMAT"] == "json"
    assert create_app("development", SQLALCHEMY_DATABASE_URI="sqlite://").config["LOG_FORMAT"] == "plain"


def test_a_fresh_production_process_writes_json_request_lines(tmp_path):
    """In a process where nobody configured logging (as under gunicorn), each request is one JSON line."""
    script = (
        "from app import create_app\n"
        "app = create_app('production', SECRET_KEY='x' * 40, SQLALCHEMY_DATABASE_URI='sqlite://',"
        " PUBLIC_BASE_URL='https://ondo.school.example')\n"
        "app.test_client().get('/healthz', base_url='https://ondo.school.example')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "ONDO_INSTANCE_PATH": str(tmp_path)})
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert result.returncode == 0, result.stderr
    (request_line,) = [line for line in lines if line["logger"] == "ondo.request"]
    assert request_line["route"] == "/healthz" and request_line["status"] == 200
    assert request_line["request_id"] and request_line["duration_ms"] >= 0


def test_gunicorn_config_sets_timeouts_and_workers(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert settings["workers"] == 4 and settings["worker_class"] == "sync"
    assert 10 <= settings["timeout"] <= 60 and settings["graceful_timeout"] >= 10
    assert settings["max_requests"] > 0 and settings["accesslog"] is None
    assert settings["wsgi_app"] == "app:create_app('production')"


@pytest.mark.skipif(not (Path(sys.executable).parent / "gunicorn").exists(), reason="gunicorn not installed")
def test_gunicorn_accepts_the_config():
    result = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "--check-config", "-c",
                             "gunicorn.conf.py"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "x" * 40, "DATABASE_URL": "sqlite://",
                                 "PUBLIC_BASE_URL": "https://ondo.school.example"})
    assert result.returncode == 0, result.stderr
