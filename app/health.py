"""``/healthz`` for load balancers and monitoring: is this process up and can it reach the database?"""
from __future__ import annotations

import logging

from flask import Blueprint, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db, limiter

bp = Blueprint("health", __name__)
log = logging.getLogger("ondo.health")


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """One ``SELECT 1``: no session, no user, no template, no rate limit (checked every few seconds)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        log.exception("health check: database unreachable")
        db.session.rollback()
        response = jsonify(status="error", database="unreachable")
        response.status_code = 503
    else:
        response = jsonify(status="ok", database="ok")
    # Set here so the security headers never look at the session to decide.
    response.headers["Cache-Control"] = "no-store"
    return response
