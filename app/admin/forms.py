from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateField,
    DecimalField,
    EmailField,
    HiddenField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, Regexp

from app.content.sources import LEVELS, PRINCIPLES
from app.forms import OndoForm, new_password_field
from app.models import Role
from app.services.lti import web_origin

ROLE_LABELS = {Role.STUDENT: _l("Student"), Role.TEACHER: _l("Teacher"), Role.ADMIN: _l("Admin")}
ROLE_CHOICES = [SelectChoice(role.value, label) for role, label in ROLE_LABELS.items()]
LEVEL_LABELS = {"school": _l("School"), "university": _l("University"), "both": _l("School and university")}
SLUG_MESSAGE = _l("Use lowercase letters, digits and hyphens, like energy-balance.")
SLUG = Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", message=SLUG_MESSAGE)


class CreateUserForm(OndoForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=[InputRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=Role.TEACHER.value)
    password = new_password_field(_l("First password"))
    submit = SubmitField(_l("Create account"))


class ChangeRoleForm(OndoForm):
    role = SelectField(_l("Role"), choices=ROLE_CHOICES)
    submit = SubmitField(_l("Change role"))


class ActionForm(OndoForm):
    """A button that only needs the CSRF token (deactivate, send a reset link, move up...)."""


class SetActiveForm(OndoForm):
    active = HiddenField(validators=[InputRequired()])


def _principle_list(form, field) -> None:
    unknown = [p for p in parse_principles(field.data or "") if p not in PRINCIPLES]
    if unknown:
        raise ValidationError(_l("Unknown principle: %(ids)s. Use EP1–EP7, GP or AC1–AC8.", ids=", ".join(unknown)))


def parse_principles(text: str) -> list[str]:
    return [part.strip().upper() for part in text.replace(";", ",").split(",") if part.strip()]


class CourseForm(OndoForm):
    title_en = StringField(_l("Title (English)"), validators=[InputRequired(), Length(max=200)])
    title_ko = StringField(_l("Title (Korean)"), validators=[Optional(), Length(max=200)])
    summary_en = TextAreaField(_l("Summary (English)"), validators=[InputRequired(), Length(max=2000)])
    summary_ko = TextAreaField(_l("Summary (Korean)"), validators=[Optional(), Length(max=2000)])
    level = SelectField(_l("Level"), choices=[SelectChoice(level, LEVEL_LABELS[level]) for level in LEVELS])
    hours = DecimalField(_l("Hours of study"), places=None,
                         validators=[InputRequired(), NumberRange(min=0.1, max=1000)])
    principles = StringField(_l("Principles"), validators=[Optional(), _principle_list],
                             description=_l("Principle ids separated by commas, like EP1, EP2, AC3."))
    submit = SubmitField(_l("Save the course card"))


class NewCourseForm(OndoForm):
    slug = StringField(_l("Course address (slug)"), validators=[InputRequired(), Length(max=80), SLUG],
                       description=SLUG_MESSAGE)
    title_en = StringField(_l("Title (English)"), validators=[InputRequired(), Length(max=200)])
    title_ko = StringField(_l("Title (Korean)"), validators=[Optional(), Length(max=200)])
    module_slug = StringField(_l("First module's slug"), default="introduction",
                              validators=[InputRequired(), Length(max=80), SLUG])
    submit = SubmitField(_l("Create the course"))


class NewModuleForm(OndoForm):
    slug = StringField(_l("Module slug"), validators=[InputRequired(), Length(max=80), SLUG],
                       description=SLUG_MESSAGE)
    title = StringField(_l("Title"), validators=[InputRequired(), Length(max=200)])
    submit = SubmitField(_l("Add a module"))


class ModuleTextForm(OndoForm):
    source = TextAreaField(_l("Module text (Markdown)"), validators=[InputRequired(), Length(max=400_000)],
                           render_kw={"rows": 30, "spellcheck": "false", "class": "editor"})
    note = StringField(_l("Note for the history (optional)"), validators=[Optional(), Length(max=300)])
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save draft"))
    publish = SubmitField(_l("Publish"))


class UploadForm(OndoForm):
    image = FileField(_l("Image (PNG, JPEG or WebP, up to 2 MB)"), validators=[FileRequired()])
    alt = StringField(_l("Alt text"), validators=[InputRequired(), Length(max=300)],
                      description=_l("Describe the image for readers who cannot see it."))
    submit = SubmitField(_l("Upload"))


class ImportForm(OndoForm):
    archive = FileField(_l("Course zip"), validators=[FileRequired()])
    submit = SubmitField(_l("Import"))


class AuditFilterForm(OndoForm):
    class Meta:
        csrf = False  # a GET search form

    actor = SelectField(_l("Who"), choices=[], validators=[Optional()])
    action = SelectField(_l("Action"), choices=[], validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])
    submit = SubmitField(_l("Filter"))


def _url_list_check(form, field):
    if not (field.data or "").startswith(("https://", "http://")):
        raise ValidationError(_l("Enter a full web address starting with https://."))


class LtiPlatformForm(OndoForm):
    """One LMS registration: what the university's LMS admin gives us."""

    name = StringField(_l("Name (for you)"), validators=[InputRequired(), Length(max=120)],
                       description=_l("For example: POSTECH Moodle."))
    issuer = StringField(_l("Issuer (iss)"), validators=[InputRequired(), Length(max=255), _url_list_check])
    client_id = StringField(_l("Client ID"), validators=[InputRequired(), Length(max=255)])
    deployment_ids = TextAreaField(_l("Deployment IDs, one per line"), validators=[InputRequired(), Length(max=4000)])
    auth_login_url = StringField(_l("Authentication request URL"),
                                 validators=[InputRequired(), Length(max=500), _url_list_check])
    auth_token_url = StringField(_l("Access token URL"), validators=[InputRequired(), Length(max=500), _url_list_check])
    key_set_url = StringField(_l("Public keyset URL (JWKS)"),
                              validators=[InputRequired(), Length(max=500), _url_list_check])
    frame_origins = TextAreaField(
        _l("Other web addresses of the LMS, one per line (optional)"), validators=[Optional(), Length(max=4000)],
        description=_l("Pages at these addresses may show Ondo in a frame; the issuer's and the authentication "
                       "request URL's addresses may already. For Canvas, add your school's Canvas address, "
                       "for example https://canvas.university.ac.kr."))
    submit = SubmitField(_l("Save platform"))

    def deployment_list(self) -> list[str]:
        return [line.strip() for line in (self.deployment_ids.data or "").splitlines() if line.strip()]

    def validate_frame_origins(self, field) -> None:
        for line in (field.data or "").splitlines():
            if line.strip() and not web_origin(line):
                raise ValidationError(_l("Not a web address: %(line)s. Enter one address starting with https:// "
                                         "per line.", line=line.strip()[:80]))

    def frame_origin_list(self) -> list[str]:
        origins = [web_origin(line) for line in (self.frame_origins.data or "").splitlines() if line.strip()]
        return list(dict.fromkeys(origin for origin in origins if origin))
