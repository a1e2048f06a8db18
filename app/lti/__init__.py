from flask import Blueprint

bp = Blueprint("lti", __name__)


@bp.record_once
def _framed_sessions(state) -> None:
    from app.lti.cookies import FramedLaunchSessionInterface

    # Sessions that began with a launch inside an LMS frame get a cookie the frame can keep (see app/lti/cookies.py).
    state.app.session_interface = FramedLaunchSessionInterface()


from app.lti import routes  # noqa: E402,F401
