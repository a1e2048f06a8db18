from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin import bp
from app.admin.forms import ROLE_LABELS, ChangeRoleForm, CreateUserForm
from app.extensions import db
from app.forms import POLICY_MESSAGES
from app.models import Role, User
from app.security import roles_required
from app.services import accounts
from app.services.passwords import PasswordPolicyError

PAGE_SIZE = 50


@bp.route("/")
@roles_required(Role.ADMIN)
def dashboard():
    return render_template("admin/dashboard.html")


@bp.route("/users", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def users():
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_user(form.email.data, form.name.data, form.password.data, Role(form.role.data))
        except accounts.AccountError:
            form.email.errors.append(_("An account with this email already exists."))
        except PasswordPolicyError as error:
            form.password.errors.append(str(POLICY_MESSAGES[error.code]))
        else:
            db.session.commit()
            flash(_("Account created for %(email)s.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    page = max(request.args.get("page", 1, type=int), 1)
    query = request.args.get("q", "").strip()
    statement = select(User).order_by(User.name, User.id)
    if query:
        like = f"%{query.lower()}%"
        statement = statement.where(User.email.like(like) | User.name.ilike(like))
    people = db.paginate(statement, page=page, per_page=PAGE_SIZE, error_out=False)
    return render_template("admin/users.html", form=form, people=people, query=query, role_form=ChangeRoleForm())


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@roles_required(Role.ADMIN)
def change_role(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    form = ChangeRoleForm()
    if form.validate_on_submit():
        try:
            accounts.set_role(user, Role(form.role.data))
        except accounts.AccountError:
            flash(_("The last active admin cannot be demoted. Make another admin first."), "error")
        else:
            db.session.commit()
            flash(_("%(name)s is now: %(role)s.", name=user.name, role=ROLE_LABELS[user.role]), "success")
    return redirect(url_for("admin.users"))
