from flask import Blueprint

bp = Blueprint("learn", __name__)

from app.learn import routes  # noqa: E402,F401
