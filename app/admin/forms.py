from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length

from app.forms import new_password_field
from app.models import Role

ROLE_LABELS = {Role.STUDENT: _l("Student"), Role.TEACHER: _l("Teacher"), Role.ADMIN: _l("Admin")}
ROLE_CHOICES = [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]


class CreateUserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=Role.TEACHER.value)
    password = new_password_field(_l("First password"))
    submit = SubmitField(_l("Create account"))


class ChangeRoleForm(FlaskForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    submit = SubmitField(_l("Change role"))
