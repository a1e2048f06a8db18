"""Sending password-reset links: by the student's own request, or by an admin."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

from app.database import unit_of_work
from app.links import external_url
from app.mail import send_mail
from app.models import User
from app.services import accounts, audit


def send_reset_link(user: User, *, sent_by_admin: bool = False) -> None:
    """Mail a signed, one-hour, single-use link to choose a new password (the account must have an email)."""
    token = accounts.make_reset_token(user, current_app.secret_key)
    link = external_url("auth.reset_password", token=token)
    if sent_by_admin:
        body = _("An Ondo administrator sent you a link to choose a new password.\n\n"
                 "Open this link within an hour:\n%(link)s\n\n"
                 "Until you use it, your current password keeps working.", link=link)
    else:
        body = _("Someone asked to reset the password of your Ondo account.\n\n"
                 "To choose a new password, open this link within an hour:\n%(link)s\n\n"
                 "If it was not you, ignore this message: your password stays as it is.", link=link)
    send_mail(user.email, _("Reset your Ondo password"), body)


def send_reset_link_by_admin(actor: User, user: User) -> None:
    """An admin sends the link; the audit entry is committed once the mail has gone."""
    with unit_of_work():
        send_reset_link(user, sent_by_admin=True)
        audit.record(actor, "user.reset_link", user)
