"""Language choice: the account's setting, then the visitor's cookie, then Accept-Language, then English."""
from __future__ import annotations

from datetime import UTC
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, request
from flask_babel import get_locale, get_translations
from flask_babel import gettext as _
from flask_login import current_user

from app.content.misconceptions import catalogue_for

LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    cookie = request.cookies.get(current_app.config["LANGUAGE_COOKIE_NAME"])
    if cookie in languages:
        return cookie
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or "en")


def answer_label(text: str | None, question_type: str | None = None) -> str:
    """A stored answer or right answer in the reader's language: true/false answers are stored in English."""
    if not text:
        return _("(no answer)")
    if question_type in (None, "true_false") and text in ("True", "False"):
        return _("True") if text == "True" else _("False")
    return text


def misconception_name(tag: str, course_slug: str) -> str:
    """A misconception tag as teachers read it: its name from the course's catalogue, in the reader's language."""
    folder = Path(current_app.config["COURSES_PATH"]) / course_slug
    return catalogue_for(folder).name(tag, current_language())


def _page_translations():
    """The catalogue for this request's locale, looked up once per page instead of once per string.

    Flask-Babel's template ``_()`` finds the locale and catalogue again for every string (several context lookups
    each, about a tenth of a module page's time). The catalogue is kept on ``g`` with the locale it is for, so
    ``force_locale`` (mail in the recipient's language) and a locale chosen later in the request still get theirs.
    """
    babel_context = g.get("_flask_babel")
    locale = getattr(babel_context, "babel_locale", None)
    cached = g.get("_ondo_translations")
    if cached is not None and locale is not None and cached[0] is locale:
        return cached[1]
    translations = get_translations()  # chooses the locale first when nothing has yet
    g._ondo_translations = (getattr(g.get("_flask_babel"), "babel_locale", None), translations)
    return translations


def init_templates(app: Flask) -> None:
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _page_translations().ugettext(s),
        ngettext=lambda s, p, n: _page_translations().ungettext(s, p, n),
        pgettext=lambda c, s: _page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _page_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )

    @app.template_filter("localtime")
    def localtime(value, zone: str = "Asia/Seoul") -> str:
        """A UTC time as a reader in ``zone`` sees it (classes keep their own zone, Asia/Seoul by default)."""
        if value is None:
            return ""
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")

    @app.template_filter("points")
    def points(value) -> str:
        """A score to two decimals without trailing zeros: 10.05, 2.5, 3 (a plain replace of '.0' made 10.05 '105')."""
        return f"{round(float(value or 0), 2):.2f}".rstrip("0").rstrip(".")

    app.add_template_global(answer_label)
    app.add_template_global(misconception_name)

    @app.context_processor
    def language_context():
        return {"current_language": current_language(), "language_names": LANGUAGE_NAMES}
