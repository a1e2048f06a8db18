"""Outgoing mail behind one small interface: an outbox folder in development, SMTP in production."""
from __future__ import annotations

import logging
import smtplib
import uuid
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate
from pathlib import Path

from flask import current_app

log = logging.getLogger(__name__)


def send_mail(to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = f"<{uuid.uuid4()}@ondo>"
    message["Date"] = formatdate(usegmt=True)
    message.set_content(body)
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "smtp":
        _send_smtp(message)
    else:
        _write_outbox(message)


def _write_outbox(message: EmailMessage) -> None:
    """Write ``<time>-<id>.eml`` (the real message) and a ``.txt`` beside it that a person can read: the
    .eml body is quoted-printable, which splits long lines such as reset links with ``=``."""
    outbox = Path(current_app.config["MAIL_OUTBOX_PATH"])
    outbox.mkdir(parents=True, exist_ok=True)
    stem = f"{datetime.now(UTC):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}"  # names sort by time
    path = outbox / f"{stem}.eml"
    path.write_bytes(bytes(message))
    path.with_suffix(".txt").write_text(readable(message), encoding="utf-8")
    log.info("Mail to %s written to %s\n%s", message["To"], path, message.get_content())


def readable(message: EmailMessage) -> str:
    """Headers a person needs and the decoded text body, long lines whole."""
    headers = "".join(f"{name}: {message[name]}\n" for name in ("Date", "From", "To", "Subject") if message[name])
    return f"{headers}\n{message.get_content().rstrip()}\n"


def outbox_messages(outbox: Path, to: str | None = None) -> list[Path]:
    """The .eml files of the development outbox, oldest first, optionally only those sent to ``to``."""
    paths = sorted(outbox.glob("*.eml"), key=lambda p: (p.stat().st_mtime, p.name)) if outbox.is_dir() else []
    if to is None:
        return paths
    wanted = to.strip().lower()
    return [p for p in paths if (_parse(p)["To"] or "").strip().lower() == wanted]


def _parse(path: Path) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())  # type: ignore[return-value]


def read_outbox_message(path: Path) -> str:
    """One outbox message as readable text (for ``flask mail last``)."""
    return readable(_parse(path))


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    smtp_class = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)
