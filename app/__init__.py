"""Application factory."""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from config import CONFIGS, DEFAULT_SECRET_KEY


def create_app(config_name: str | None = None, **overrides) -> Flask:
    config_name = config_name or os.environ.get("ONDO_CONFIG", "development")
    app = Flask(__name__, instance_path=os.environ.get("ONDO_INSTANCE_PATH") or None)
    app.config.from_object(CONFIGS[config_name])
    app.config.update(overrides)
    if config_name == "production":
        check_production_config(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_commands(app)
    register_shell_context(app)
    return app


def check_production_config(app: Flask) -> None:
    """Refuse to start with settings that are only safe on a developer's machine."""
    if app.config["SECRET_KEY"] in (None, "", DEFAULT_SECRET_KEY):
        raise RuntimeError("SECRET_KEY must be set to a long random value in production.")
    base = urlsplit(app.config.get("PUBLIC_BASE_URL") or "")
    if base.scheme not in ("http", "https") or not base.hostname:
        raise RuntimeError("PUBLIC_BASE_URL must be set in production, e.g. https://ondo.example.kr")
    # Only the public host (and any extra names set on purpose, e.g. an internal name for monitoring).
    app.config["TRUSTED_HOSTS"] = list(dict.fromkeys([base.hostname, *(app.config.get("TRUSTED_HOSTS") or [])]))


def register_extensions(app: Flask) -> None:
    from app import assets, database, i18n, request_log, security, served_html
    from app.extensions import babel, csrf, db, limiter, login_manager

    request_log.init_request_log(app)  # first, so every later hook and error has the request id
    db.init_app(app)
    database.configure_engine(app)
    # Flask-Migrate imports Alembic, Mako and Pygments (~10 MB, a quarter of a second): the tests get it now, the
    # `flask db` commands when they run (app/cli.py), web workers and `flask courses sync` never.
    if app.testing or app.config.get("LOAD_MIGRATIONS"):
        init_migrations(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    security.init_login(app, login_manager)
    security.init_headers(app)
    i18n.init_templates(app)
    assets.init_assets(app)
    served_html.init_served_html(app)  # after Flask-Compress, so it runs before it


def init_migrations(app: Flask) -> None:
    from app.extensions import db, migrate

    if "migrate" not in app.extensions:
        migrate().init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))


def register_blueprints(app: Flask) -> None:
    from app.admin import bp as admin_bp
    from app.auth import bp as auth_bp
    from app.health import bp as health_bp
    from app.learn import bp as learn_bp
    from app.lti import bp as lti_bp
    from app.teach import bp as teach_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(learn_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(teach_bp, url_prefix="/teach")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(lti_bp, url_prefix="/lti")


def register_errorhandlers(app: Flask) -> None:
    from app import errors

    errors.register(app)


def register_commands(app: Flask) -> None:
    from app import cli

    cli.register(app)


def register_shell_context(app: Flask) -> None:
    """`flask shell` starts with the session, every model and the services, as cookiecutter-flask's does."""

    @app.shell_context_processor
    def shell_context() -> dict:
        import app.models as models
        from app.extensions import db
        from app.services import accounts, assignments, attempts, classes, learning

        return {"db": db, **{name: getattr(models, name) for name in models.__all__}, "accounts": accounts,
                "assignments": assignments, "attempts": attempts, "classes": classes, "learning": learning}


# The pages a class opens first, compiled before gunicorn forks its workers (warm_up).
_FIRST_TEMPLATES = ("base.html", "learn/module.html", "learn/_module_body.html", "learn/dashboard.html",
                    "learn/catalogue.html", "learn/course.html", "learn/attempt.html", "learn/result.html",
                    "auth/login.html")


def warm_up(app: Flask) -> None:
    """Do once, in gunicorn's master before it forks (gunicorn.conf.py), what each worker would otherwise do on its
    first requests after every restart: compile the most-used templates and read the published courses into the
    course cache. Workers check each course's version before using it, so what the master read cannot go stale;
    its database connections are dropped in each worker (post_fork)."""
    import logging

    from sqlalchemy.exc import SQLAlchemyError

    from app.extensions import db
    from app.services import course_cache

    for name in _FIRST_TEMPLATES:
        app.jinja_env.get_template(name)
    with app.app_context():
        try:
            course_cache.visible_courses()
        except SQLAlchemyError:  # the database is not there yet: workers read the courses on first use
            logging.getLogger("ondo").warning("warm-up: courses not read", exc_info=True)
        finally:
            db.session.remove()
