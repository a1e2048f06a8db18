"""Extension objects, created unbound here and bound to the app in create_app."""
from __future__ import annotations

import functools

from flask import request
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from app.models.base import Base

# Objects stay readable after a commit within a request (templates render after it) instead of being
# reloaded one query each; every request gets a fresh session, so nothing stale outlives it.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})


@functools.cache
def migrate():
    """Flask-Migrate, made on first use: it imports Alembic, Mako and Pygments, which web workers never need."""
    from flask_migrate import Migrate

    return Migrate(render_as_batch=True, compare_type=True)

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
compress = Compress()


def submitted_email() -> str:
    """Rate-limit key for per-account throttling: the email typed into the form."""
    return "account:" + (request.form.get("email") or "").strip().lower()
