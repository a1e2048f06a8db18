"""Development mail: every message in instance/outbox/ as a real .eml and a readable .txt beside it, and
`flask mail last` printing the newest one with its links whole."""
from __future__ import annotations

import re

from tests.conftest import make_user


def _request_reset(client, email: str) -> None:
    assert client.post("/auth/forgot", data={"email": email}).status_code in (302, 303)


def test_each_outbox_message_has_a_readable_text_copy_with_the_whole_reset_link(client, outbox):
    user = make_user()
    _request_reset(client, user.email)
    [eml] = outbox.glob("*.eml")
    text = eml.with_suffix(".txt").read_text(encoding="utf-8")
    assert f"To: {user.email}" in text and "Subject: " in text and "Date: " in text
    link = re.search(r"http://localhost/auth/reset/\S+", text).group(0)
    assert "=\n" not in text  # no quoted-printable soft line breaks
    assert client.get(link.removeprefix("http://localhost")).status_code == 200  # the link works as printed


def test_flask_mail_last_prints_the_newest_message_and_can_pick_a_recipient(app, client, outbox):
    first, second = make_user(), make_user()
    _request_reset(client, first.email)
    _request_reset(client, second.email)
    runner = app.test_cli_runner()
    newest = runner.invoke(args=["mail", "last"])
    assert newest.exit_code == 0
    assert f"To: {second.email}" in newest.output and "/auth/reset/" in newest.output
    for_first = runner.invoke(args=["mail", "last", "--to", first.email.upper()])
    assert f"To: {first.email}" in for_first.output
    nobody = runner.invoke(args=["mail", "last", "--to", "nobody@school.example"])
    assert nobody.exit_code == 1 and "no message to nobody@school.example" in nobody.output
