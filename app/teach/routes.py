from __future__ import annotations

from flask import render_template

from app.models import Role
from app.security import roles_required
from app.teach import bp


@bp.route("/")
@roles_required(Role.TEACHER, Role.ADMIN)
def dashboard():
    return render_template("teach/dashboard.html")
