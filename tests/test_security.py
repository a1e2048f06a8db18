"""Cross-cutting protections: CSRF, headers, cookies, configuration, dependency floors."""
from __future__ import annotations

from importlib.metadata import version

import pytest
from packaging.version import Version

from app import create_app
from tests.conftest import make_user


def test_post_without_csrf_token_is_refused_with_a_friendly_page(client):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": "x"}, csrf=False)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This form has expired" in page and "Traceback" not in page


def test_logout_by_get_is_not_possible(client, auth):
    user = make_user()
    auth.login(user.email)
    assert client.get("/auth/logout").status_code == 405
    assert client.get("/dashboard").status_code == 200


def test_security_headers_on_every_response(client):
    for path in ("/", "/auth/login", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "script-src 'self'"):
            assert directive in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"]


def test_session_cookie_is_httponly_and_lax(client):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": "correct horse battery"})
    cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")][0]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_refuses_the_default_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://")


def test_production_cookies_are_secure_and_hsts_is_sent():
    app = create_app("production", SECRET_KEY="x" * 40, SQLALCHEMY_DATABASE_URI="sqlite://",
                     PUBLIC_BASE_URL="https://localhost")
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_NAME"].startswith("__Host-")
    response = app.test_client().get("/")
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_not_found_page_is_in_the_site_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)
    assert 'href="#main"' in response.get_data(as_text=True)


def test_database_connection_is_tuned_for_its_backend(app):
    from app.extensions import db

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "postgresql":
            assert engine.dialect.driver == "psycopg"  # psycopg 3
            return
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


@pytest.mark.parametrize("package, floor", [("Markdown", "3.8.1"), ("Werkzeug", "3.0.6"), ("Flask", "2.3.2")])
def test_dependencies_are_above_their_security_floors(package, floor):
    assert Version(version(package)) >= Version(floor)


def test_server_error_page_is_friendly_and_in_the_layout(instance_dir):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{instance_dir / 'errors.sqlite3'}",
                     PROPAGATE_EXCEPTIONS=False)

    @app.route("/boom")
    def boom():
        raise RuntimeError("database on fire")

    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in page and "database on fire" not in page and 'href="#main"' in page
