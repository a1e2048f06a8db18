from flask import Blueprint

bp = Blueprint("lti", __name__)

from app.lti import routes  # noqa: E402,F401
