"""The session cookie of a launch inside an LMS frame.

Ondo's session cookie is ``SameSite=Lax``: a browser does not store or send it in a page framed by another site, so a
student launched into an LMS iframe would lose their session on the next click. Only for a session that began with a
launch in a frame, and only over HTTPS, the cookie is sent as ``SameSite=None; Secure; Partitioned``: the browser keeps
it for Ondo-inside-this-LMS only (CHIPS, a separate cookie jar per top-level site), never for Ondo opened on its own.
Forms keep their CSRF tokens, which do not depend on SameSite. Browsers that still refuse the cookie are offered a new
window (see ``routes.start``).
"""
from __future__ import annotations

from flask import Flask, g, request
from flask.sessions import SecureCookieSessionInterface

FRAMED = "_lti_framed"


def in_frame() -> bool:
    """Is this request loading a page inside a frame? (Fetch Metadata; all current browsers send it.)"""
    return request.headers.get("Sec-Fetch-Dest") in ("iframe", "frame")


class FramedLaunchSessionInterface(SecureCookieSessionInterface):
    def save_session(self, app: Flask, session, response) -> None:
        # An emptied session (logout) inside a frame is deleted with the same attributes it was set with.
        g.lti_framed_cookie = request.is_secure and bool(session.get(FRAMED) or (not session and in_frame()))
        super().save_session(app, session, response)

    def get_cookie_samesite(self, app: Flask) -> str | None:
        return "None" if g.get("lti_framed_cookie") else super().get_cookie_samesite(app)

    def get_cookie_secure(self, app: Flask) -> bool:
        return True if g.get("lti_framed_cookie") else super().get_cookie_secure(app)

    def get_cookie_partitioned(self, app: Flask) -> bool:
        return True if g.get("lti_framed_cookie") else super().get_cookie_partitioned(app)
