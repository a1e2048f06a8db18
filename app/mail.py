"""Outgoing mail behind one small interface: an outbox folder in development, SMTP in production."""
from __future__ import annotations

import logging
import smtplib
import uuid
from email.message import EmailMessage
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)


def send_mail(to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4()}@ondo>"
    message.set_content(body)
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "smtp":
        _send_smtp(message)
    else:
        _write_outbox(message)


def _write_outbox(message: EmailMessage) -> None:
    outbox = Path(current_app.config["MAIL_OUTBOX_PATH"])
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{uuid.uuid4().hex}.eml"
    path.write_bytes(bytes(message))
    log.info("Mail to %s written to %s\n%s", message["To"], path, message.get_content())


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
