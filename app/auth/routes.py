from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth import bp, throttle
from app.auth.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, RegisterForm, ResetPasswordForm
from app.extensions import limiter, submitted_email
from app.forms import POLICY_MESSAGES
from app.i18n import current_language
from app.models import Role
from app.security import safe_next
from app.services import accounts, classes
from app.services.password_reset import send_reset_link
from app.services.passwords import PasswordPolicyError
from app.web.messages import CLASS_ERRORS


def _auth_limit():
    return current_app.config["AUTH_RATE_LIMIT"]


def _register_limit():
    return current_app.config["REGISTER_RATE_LIMIT"]


def home_for(user) -> str:
    """Each role lands on its own dashboard."""
    if user.role == Role.ADMIN:
        return url_for("admin.dashboard")
    if user.role == Role.TEACHER:
        return url_for("teach.dashboard")
    return url_for("learn.dashboard")


def _start_session(user, remember: bool = False) -> None:
    # A fresh session at login (ASVS 7.2.4); quiz answers kept while logged out are in the database, not here.
    session.clear()
    login_user(user, remember=remember)


@bp.before_app_request
def require_password_change():
    if request.endpoint in {"auth.change_password", "auth.logout", "static", "learn.set_language", "health.healthz"}:
        return None  # checked first: static files and health checks never load the user
    if current_user.is_authenticated and current_user.must_change_password:
        flash(_("Please choose your own password before you go on."), "info")
        return redirect(url_for("auth.change_password"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    # Throttled by failures only (app/auth/throttle.py), never by successes: a school shares one address.
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "GET" and request.args.get("kept"):
        flash(_("Your session ended. Log in again: your answers are kept and you can send them then."), "warning")
    if form.validate_on_submit():
        client = throttle.client_for(form.email.data)
        if not throttle.allowed(client):
            abort(429)
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except accounts.AccountDeactivated as deactivated:
            # Only said to someone who typed the right password, so it reveals nothing to anyone else; the right
            # password is not a failed guess, so it is not counted against the address or the account.
            user = None
            form.password.errors.append(
                _("This account has been deactivated, so it cannot log in. Ask your teacher to turn it back on.")
                if deactivated.role == Role.STUDENT else
                _("This account has been deactivated, so it cannot log in. Ask an administrator of this site to "
                  "turn it back on."))
        if user is None:
            if not form.password.errors:  # one message for an unknown email and a wrong password: no enumeration
                throttle.record_failure(client)
                form.password.errors.append(_("The email or password is not right."))
        else:
            _start_session(user, remember=form.remember.data)
            response = redirect(safe_next(home_for(user)))
            throttle.remember_device(response, client)
            return response
    return render_template("auth/login.html", form=form)


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = RegisterForm()
    if form.validate_on_submit() and _join_code_ok(form):
        try:
            user = accounts.register_student(form.email.data, form.name.data, form.password.data,
                                             current_language())
        except accounts.AccountError:
            form.email.errors.append(_("An account with this email already exists. Log in, or reset its password."))
        except PasswordPolicyError as error:
            form.password.errors.append(str(POLICY_MESSAGES[error.code]))
        else:
            _start_session(user)
            flash(_("Welcome to Ondo, %(name)s!", name=user.name), "success")
            if form.join_code.data:
                _join_after_registration(user, form.join_code.data)
            return redirect(home_for(user))
    return render_template("auth/register.html", form=form)


def _join_code_ok(form: RegisterForm) -> bool:
    """A mistyped class code is shown on its field before any account is made."""
    if not form.join_code.data:
        return True
    try:
        classes.joinable_class(form.join_code.data)
    except classes.ClassError as error:
        form.join_code.errors.append(str(CLASS_ERRORS[error.code]))
        return False
    return True


def _join_after_registration(user, code: str) -> None:
    # The account exists either way; a wrong code only means joining later from the dashboard.
    try:
        school_class = classes.join_with_code(user, code)
    except classes.ClassError as error:
        flash(CLASS_ERRORS[error.code], "error")
    else:
        flash(_("You joined %(name)s.", name=school_class.name), "success")


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        accounts.log_out_everywhere(current_user)
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("learn.home"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            accounts.change_password(current_user, form.current.data, form.password.data)
        except accounts.AccountError:
            form.current.errors.append(_("That is not your current password."))
        except PasswordPolicyError as error:
            form.password.errors.append(str(POLICY_MESSAGES[error.code]))
        else:
            # Other devices are logged out by the version bump; this one gets a fresh session.
            _start_session(current_user._get_current_object())
            flash(_("Your password is changed. Other devices where you were logged in are logged out."), "success")
            return redirect(home_for(current_user))
    return render_template("auth/change_password.html", form=form)


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
@limiter.limit(_auth_limit, key_func=submitted_email, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = accounts.find_by_login(form.email.data)
        if user is not None and user.active and user.email:
            send_reset_link(user)
        # The same answer whether or not the email has an account.
        flash(_("If an account uses that email, a reset link is on its way. Check your inbox."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_auth_limit, methods=["POST"])
def reset_password(token: str):
    user = accounts.user_for_reset_token(token, current_app.secret_key, current_app.config["PASSWORD_RESET_MAX_AGE"])
    if user is None:
        flash(_("This reset link is expired or was already used. Ask for a new one."), "error")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        accounts.set_password(user, form.password.data)
        flash(_("Your password is set. Log in with it now."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset.html", form=form)
