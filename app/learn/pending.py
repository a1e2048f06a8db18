"""Quiz answers sent after the session ended: kept in the new session until the student is logged in again."""
from __future__ import annotations

from flask import session
from werkzeug.datastructures import MultiDict

SESSION_KEY = "pending_quiz_answers"


def keep_answers(public_id: str, form: MultiDict) -> None:
    session[SESSION_KEY] = {"attempt": public_id, "answers": form.to_dict(flat=False)}


def take_answers(public_id: str) -> MultiDict | None:
    """The answers kept for this attempt (once), without the stale CSRF token; None if there are none."""
    pending = session.get(SESSION_KEY)
    if not pending or pending.get("attempt") != public_id:
        return None
    session.pop(SESSION_KEY)
    return MultiDict([(key, value) for key, values in pending["answers"].items() for value in values
                      if key != "csrf_token"])
