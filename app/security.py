"""Login wiring, role guards, safe redirects and the security headers on every response."""
from __future__ import annotations

from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import Flask, abort, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from app.extensions import db
from app.models import Role, User
from app.plain_text import has_control_characters

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        # Cookies carry "id:version"; any version but the current one (after logout, a password change or
        # deactivation) is refused, so a captured cookie cannot be replayed.
        user_id, _, version = session_id.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active or user.session_version != int(version):
            return None
        return user


def init_headers(app: Flask) -> None:
    @app.before_request
    def refuse_control_characters_in_the_address():
        # Forms say so beside the field (app.forms.OndoForm); a path or query string with NUL and friends
        # comes from no page of ours, and PostgreSQL would refuse it in a lookup (a 500).
        args = request.args.items(multi=True)
        if has_control_characters(request.path) or any(has_control_characters(k + v) for k, v in args):
            abort(400)

    if app.config.get("PROXY_FIX_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        ancestors = framing_origins(response)
        if ancestors:
            # LTI: registered LMS platforms may show Ondo's pages in their frames, and nobody else may.
            # (X-Frame-Options cannot name origins; browsers follow frame-ancestors when both are sent.)
            headers["Content-Security-Policy"] = headers["Content-Security-Policy"].replace(
                "frame-ancestors 'none'", "frame-ancestors " + " ".join(ancestors))
        else:
            headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if current_app.config.get("HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if "Cache-Control" not in headers and (
                _carries_a_form(response) or (current_user and current_user.is_authenticated)):
            # Pages with personal data must not be kept by shared school computers' caches, and a page with a
            # form (the login page too) holds a CSRF token tied to one session and perhaps what was typed.
            headers.setdefault("Cache-Control", "no-store")
        return response


def _carries_a_form(response) -> bool:
    if response.mimetype != "text/html" or response.direct_passthrough or response.is_streamed:
        return False
    return b"<form" in response.get_data()


def framing_origins(response) -> tuple[str, ...]:
    """The web origins that may frame this response: the registered LMS platforms' for HTML pages, none for the
    admin pages (nothing an LMS launch leads to) and for everything else."""
    if response.mimetype != "text/html" or request.blueprint == "admin":
        return ()
    from sqlalchemy.exc import SQLAlchemyError

    from app.services import lti

    try:
        return lti.cached_framing_origins()
    except SQLAlchemyError:  # the database is down or this request's transaction failed: frame nothing
        return ()


def roles_required(*roles: Role):
    """Allow only signed-in users with one of ``roles`` (anonymous: login redirect; wrong role: 403)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = roles
        return wrapped

    return decorator


def is_safe_next(target: str | None) -> bool:
    """Only our own absolute paths: no scheme, no host, no protocol-relative or backslash tricks."""
    if not target:
        return False
    decoded = target
    for _ in range(3):  # unwrap %2F%2F and double encodings
        decoded = unquote(decoded)
    if any(ch in decoded for ch in ("\\", "\r", "\n", "\t")) or any(ord(c) < 32 for c in decoded):
        return False
    if not decoded.startswith("/") or decoded.startswith("//"):
        return False
    parts = urlsplit(decoded)
    return not parts.scheme and not parts.netloc


def safe_next(default: str) -> str:
    target = request.args.get("next") or request.form.get("next")
    return target if is_safe_next(target) else default
