from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
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


class _DueDateForm(OndoForm):
    due = DateTimeLocalField(_l("Due (optional)"), validators=[Optional()], format="%Y-%m-%dT%H:%M")
    # Shown only after a due date in the past was refused: students would see "Overdue" at once.
    past_due_ok = BooleanField(_l("Yes, keep this date in the past: students will see the assignment as overdue."))
    note = TextAreaField(_l("Note for students (optional)"), validators=[Optional(), Length(max=1000)])
    past_due_refused = False

    @property
    def ask_past_due(self) -> bool:
        """Show the confirmation box: after a refusal, and while it is ticked (so it survives other errors)."""
        return self.past_due_refused or bool(self.past_due_ok.data)

    def refuse_past_due(self) -> None:
        """Mark the due date as needing a confirmation (the view decides that it is in the past)."""
        self.past_due_refused = True
        self.due.errors = [*self.due.errors, _l("This date and time have already passed, so students would see "
                                                "the assignment as overdue at once. Correct the date, or tick the "
                                                "box below to keep it.")]


class AssignmentForm(_DueDateForm):
    item = SelectField(_l("Module or course"), validators=[InputRequired()], validate_choice=True)
    prepost = BooleanField(_l("Before and after teaching (a pre/post check)"),
                           description=_l("Students take the quiz once now; you open the second sitting after "
                                          "teaching. You get a report of what changed."))
    crossover = BooleanField(_l("Crossover: half the class takes form A first, the other half form B"),
                             description=_l("Only for a quiz with two forms. Students are split at random; you see "
                                            "who takes which form."))
    submit = SubmitField(_l("Assign"))


class AssignmentEditForm(_DueDateForm):
    submit = SubmitField(_l("Save changes"))
