from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user

from app.extensions import db
from app.learn import bp
from app.learn.forms import LanguageForm
from app.models import Role
from app.security import roles_required, safe_next


@bp.route("/")
def home():
    return render_template("learn/home.html")


@bp.route("/dashboard")
@roles_required(Role.STUDENT)
def dashboard():
    return render_template("learn/dashboard.html")


@bp.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    language = request.form.get("language")
    target = safe_next(url_for("learn.home"))
    response = redirect(target)
    if form.validate_on_submit() and language in current_app.config["LANGUAGES"]:
        if current_user.is_authenticated:
            current_user.locale = language
            db.session.commit()
        response.set_cookie(current_app.config["LANGUAGE_COOKIE_NAME"], language, max_age=365 * 24 * 3600,
                            httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response
