from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional

from app.forms import OndoForm, new_password_field


class LoginForm(OndoForm):
    email = StringField(_l("Email or username"), validators=[InputRequired(), Length(max=254)],
                        render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[InputRequired()],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField(_l("Keep me logged in on this device"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class RegisterForm(OndoForm):
    name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=120)],
                       render_kw={"autocomplete": "name"})
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(), Length(max=254)],
                       render_kw={"autocomplete": "email"})
    password = new_password_field(_l("Password"))
    confirm = PasswordField(_l("Repeat the password"),
                            validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
                            render_kw={"autocomplete": "new-password"})
    join_code = StringField(_l("Class code (optional)"), validators=[Optional(), Length(max=16)],
                            description=_l("If your teacher gave you a code, type it here to join the class."),
                            render_kw={"autocomplete": "off"})
    submit = SubmitField(_l("Create account"))


class ChangePasswordForm(OndoForm):
    current = PasswordField(_l("Current password"), validators=[InputRequired()],
                            render_kw={"autocomplete": "current-password"})
    password = new_password_field(_l("New password"))
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Change password"))


class ForgotPasswordForm(OndoForm):
    email = EmailField(_l("Email"), validators=[InputRequired(), Email()], render_kw={"autocomplete": "email"})
    submit = SubmitField(_l("Send reset link"))


class ResetPasswordForm(OndoForm):
    password = new_password_field(_l("New password"))
    confirm = PasswordField(_l("Repeat the new password"),
                            validators=[InputRequired(), EqualTo("password", message=_l("The passwords differ."))],
                            render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Set new password"))
