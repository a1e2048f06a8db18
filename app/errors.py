"""Error pages in the site layout, for people; never a stack trace."""
from __future__ import annotations

from flask import Flask, g, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError

from app.extensions import db


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_template(
            "errors/error.html",
            code=400,
            title=_("This form has expired"),
            message=_(
                "The page was open too long or came from another site. Go back, reload the page and send it again: "
                "what you typed may still be in the form."
            ),
        ), 400

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page in the layout either.
        return _("Bad request: this site is not served at that address."), 400, {"Content-Type": "text/plain"}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        titles = {
            403: _("You do not have access to this page"),
            404: _("Page not found"),
            429: _("Too many attempts"),
        }
        messages = {
            403: _("Your account cannot open this page. If you think it should, ask your teacher or an administrator."),
            404: _("We could not find that page. It may have moved, or the address may be mistyped."),
            429: _("Too many attempts in a short time. Please wait a minute and try again."),
        }
        code = error.code or 500
        title = titles.get(code, error.name)
        message = messages.get(code, error.description)
        response = render_template("errors/error.html", code=code, title=title, message=message)
        return response, code

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_template(
            "errors/error.html",
            code=500,
            title=_("Something went wrong"),
            message=_(
                "An error on our side stopped this page. Please try again in a moment; "
                "if it keeps happening, tell your teacher."
            ),
            reference=g.get("request_id"),  # the same id is in the log line of the error
        ), 500
