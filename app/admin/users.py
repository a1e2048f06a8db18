"""Admin: find, create, promote, deactivate users and send them password-reset links."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.admin import bp
from app.admin.forms import ROLE_CHOICES, ROLE_LABELS, ActionForm, ChangeRoleForm, CreateUserForm, SetActiveForm
from app.forms import POLICY_MESSAGES
from app.models import Role, User
from app.security import roles_required
from app.services import accounts, people
from app.services.password_reset import send_reset_link_by_admin
from app.services.passwords import PasswordPolicyError

PAGE_SIZE = 50
LAST_ADMIN = _l("The last active admin cannot be demoted or deactivated. Make another admin first.")


@bp.route("/users", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def users():
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = accounts.create_account(current_user, form.email.data, form.name.data, form.password.data,
                                           Role(form.role.data))
        except accounts.AccountError:
            form.email.errors.append(_("An account with this email already exists."))
        except PasswordPolicyError as error:
            form.password.errors.append(str(POLICY_MESSAGES[error.code]))
        else:
            flash(_("Account created for %(email)s.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    query = people.UserQuery(request.args.get("q", "").strip(), request.args.get("role", ""),
                             request.args.get("status", ""))
    page = people.search(query, max(request.args.get("page", 1, type=int), 1), PAGE_SIZE)
    classes = people.class_names([person.id for person in page.items])
    return render_template("admin/users.html", form=form, people=page, query=query, classes=classes,
                           role_choices=ROLE_CHOICES, role_labels=ROLE_LABELS)


def _user_or_404(user_id: int) -> User:
    return accounts.user_by_id(user_id) or abort(404)


@bp.route("/users/<int:user_id>")
@roles_required(Role.ADMIN)
def user_detail(user_id: int):
    user = _user_or_404(user_id)
    return render_template("admin/user.html", user=user, role_form=ChangeRoleForm(role=user.role.value),
                           action_form=ActionForm(), role_labels=ROLE_LABELS,
                           classes=people.class_names([user.id]).get(user.id, []),
                           entries=people.recent_entries_about(user))


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@roles_required(Role.ADMIN)
def change_role(user_id: int):
    user = _user_or_404(user_id)
    form = ChangeRoleForm()
    if form.validate_on_submit():
        try:
            accounts.change_role(current_user, user, Role(form.role.data))
        except accounts.AccountError:
            flash(str(LAST_ADMIN), "error")
        else:
            flash(_("%(name)s is now: %(role)s.", name=user.name, role=ROLE_LABELS[user.role]), "success")
    if request.form.get("back") == "detail":
        return redirect(url_for("admin.user_detail", user_id=user.id))
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@roles_required(Role.ADMIN)
def set_active(user_id: int):
    user = _user_or_404(user_id)
    form = SetActiveForm()
    if form.validate_on_submit():
        active = form.active.data == "1"
        try:
            accounts.change_active(current_user, user, active)
        except accounts.AccountError:
            flash(str(LAST_ADMIN), "error")
        else:
            message = (_("%(name)s can log in again.", name=user.name) if active else
                       _("%(name)s is deactivated: they cannot log in, and their data is kept.", name=user.name))
            flash(message, "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/users/<int:user_id>/reset", methods=["POST"])
@roles_required(Role.ADMIN)
def send_reset(user_id: int):
    user = _user_or_404(user_id)
    if ActionForm().validate_on_submit():
        if not user.active or not user.email:
            flash(_("A reset link needs an active account with an email address."), "error")
        else:
            send_reset_link_by_admin(current_user, user)
            flash(_("A password-reset link was sent to %(email)s.", email=user.email), "success")
    return redirect(url_for("admin.user_detail", user_id=user.id))
