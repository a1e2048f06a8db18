"""Settings per environment, read from the environment so one build runs anywhere."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("ONDO_INSTANCE_PATH", BASE_DIR / "instance"))
DEFAULT_SECRET_KEY = "dev-only-secret-change-me"


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'ondo.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    COURSES_PATH = os.environ.get("COURSES_PATH", str(BASE_DIR / "courses"))
    UPLOADS_PATH = os.environ.get("UPLOADS_PATH", str(INSTANCE_DIR / "uploads"))

    # Sessions and cookies (ASVS 3.3, 7.2): HttpOnly and SameSite everywhere, Secure in production.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    LANGUAGE_COOKIE_NAME = "ondo_lang"

    # A student may spend two hours on a quiz: tokens are tied to the session instead of a clock.
    WTF_CSRF_TIME_LIMIT = None
    WTF_CSRF_ENABLED = True

    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "Asia/Seoul"
    LANGUAGES = ("en", "ko")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Password resets (per address and per email typed).
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per minute")
    # Logins count failures only (docs/deploy.md, "Throttling and concurrency"): a whole school behind one NAT
    # address logs in freely; guessing is slowed per address, per account+address and per account, and a device
    # that logged in to the account before (a signed device cookie, OWASP) is only held back by its own failures.
    LOGIN_FAILURES_PER_ADDRESS = os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "300 per 15 minutes")
    LOGIN_FAILURES_PER_ACCOUNT_ADDRESS = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT_ADDRESS", "10 per 15 minutes")
    LOGIN_FAILURES_PER_ACCOUNT = os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "30 per 15 minutes")
    LOGIN_FAILURES_PER_DEVICE = os.environ.get("LOGIN_FAILURES_PER_DEVICE", "10 per 15 minutes")
    DEVICE_COOKIE_MAX_AGE = int(os.environ.get("DEVICE_COOKIE_MAX_AGE", str(180 * 24 * 3600)))
    # Registrations (all posts of the form) per address: two classes signing up in one lesson fit easily.
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "200 per hour")
    # Trusted reverse proxies in front of the app (X-Forwarded-For hops); 0 when clients connect directly.
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))

    # Quiz answers posted after the session ended wait this long (seconds) for the student to log in again.
    PENDING_ANSWERS_MAX_AGE = int(os.environ.get("PENDING_ANSWERS_MAX_AGE", str(24 * 3600)))
    PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600"))
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "outbox")  # outbox | smtp
    MAIL_OUTBOX_PATH = os.environ.get("MAIL_OUTBOX_PATH", str(INSTANCE_DIR / "outbox"))
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Ondo <no-reply@ondo.localhost>")

    HSTS = False
    # One line per request and the request id on every log record: "json" (log collectors) or "plain" (people).
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")

    # Where people reach the site, e.g. https://ondo.example.kr. Every link in mail is built from it, never from
    # the request's Host header (which anyone can set). Required in production; it also fills TRUSTED_HOSTS.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").rstrip("/")
    # Host names the app answers to (Flask rejects others with 400). None: any host (development, tests).
    TRUSTED_HOSTS: list[str] | None = _list("TRUSTED_HOSTS") or None

    # Request size limits (Werkzeug). The largest upload is a course zip or an image: 8 MB for the whole body.
    # URL-encoded forms (all our text forms, the editor's 400,000 characters included) are bounded by that alone.
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    # `flask courses sync` also runs FaIR for scenario-explorer results it has not stored yet (minutes, once).
    SCENARIOS_COMPUTE_ON_SYNC = _bool("SCENARIOS_COMPUTE_ON_SYNC", True)
    # Multipart text fields: our multipart forms (roster, uploads, course import) carry only a CSRF token and
    # short text beside the file, so anything bigger did not come from our pages (Werkzeug's default is 500 kB).
    MAX_FORM_MEMORY_SIZE = 64 * 1024
    # Multipart parts: those forms have 2 to 4; parsing thousands of tiny parts is pure work for an attacker.
    MAX_FORM_PARTS = 50

    # Compressed responses (Flask-Compress). Where nginx compresses instead (docs/deploy.md), set
    # COMPRESS_IN_APP=0 so the work is not done twice.
    COMPRESS_REGISTER = _bool("COMPRESS_IN_APP", True)
    COMPRESS_ALGORITHM = ["br", "gzip"]  # brotli where the browser offers it (HTTPS), else gzip
    COMPRESS_MIN_SIZE = 500
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript", "application/json",
                          "application/manifest+json", "image/svg+xml", "text/csv"]


class DevelopmentConfig(Config):
    DEBUG = False  # the Werkzeug debugger stays off unless FLASK_DEBUG is set by hand


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite:///:memory:")
    RATELIMIT_STORAGE_URI = "memory://"
    SCENARIOS_COMPUTE_ON_SYNC = False  # tests compute the few results they need
    PUBLIC_BASE_URL = "http://localhost"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"
    HSTS = True
    PREFERRED_URL_SCHEME = "https"
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
