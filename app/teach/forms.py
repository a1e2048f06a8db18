from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    DateTimeLocalField,
    EmailField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import Email, InputRequired, Length, Optional

from app.forms import OndoForm
from app.services.classes import DEFAULT_TIMEZONE, valid_timezone


def _timezone(form, field) -> None:
    if not valid_timezone(field.data or ""):
        raise ValidationError(_l("Use a time zone name such as Asia/Seoul."))


class ClassForm(OndoForm):
    name = StringField(_l("Class name"), validators=[InputRequired(), Length(max=120)])
    school = StringField(_l("School"), validators=[InputRequired(), Length(max=160)])
    term = StringField(_l("Year or term"), validators=[InputRequired(), Length(max=60)],
                       description=_l("For example 2026, spring term"))
    description = TextAreaField(_l("Description (optional)"), validators=[Optional(), Length(max=2000)])
    timezone = StringField(_l("Time zone"), default=DEFAULT_TIMEZONE, validators=[InputRequired(), _timezone],
                           description=_l("Due dates are shown in this time zone."))
    submit = SubmitField(_l("Save class"))


class CoTeacherForm(OndoForm):
    email = EmailField(_l("Co-teacher's email"), validators=[InputRequired(), Email()])
    submit = SubmitField(_l("Add co-teacher"))


class RosterForm(OndoForm):
    roster = FileField(_l("CSV file"),
                       validators=[FileRequired(), FileAllowed(["csv", "txt"], _l("Choose a .csv file."))],
                       description=_l("Columns: name and, optionally, student number. UTF-8, with or without BOM."))
    submit = SubmitField(_l("Create accounts"))


class AssignmentForm(OndoForm):
    item = SelectField(_l("Module or course"), validators=[InputRequired()], validate_choice=True)
    due = DateTimeLocalField(_l("Due (optional)"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    note = TextAreaField(_l("Note for students (optional)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Assign"))


class AssignmentEditForm(OndoForm):
    due = DateTimeLocalField(_l("Due (optional)"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    note = TextAreaField(_l("Note for students (optional)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Save changes"))
