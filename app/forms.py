"""Form pieces shared by several blueprints."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, ValidationError
from wtforms.validators import InputRequired

from app.plain_text import CONTROL_CHARACTERS, has_control_characters
from app.services.passwords import MAX_LENGTH, MIN_LENGTH, PasswordPolicyError, check_policy

POLICY_MESSAGES = {
    "too_short": _l("Use at least %(n)d characters.", n=MIN_LENGTH),
    "too_long": _l("Use at most %(n)d characters.", n=MAX_LENGTH),
    "common": _l("This password is too common and easy to guess. Try a longer phrase of a few words."),
}


CONTROL_CHARACTER_MESSAGE = _l("Remove the invisible control characters (such as NUL) from this field.")


def no_control_characters(form, field) -> None:
    """Refuse text with control characters, beside the field; a hidden field (nobody types in it) is cleaned."""
    if not isinstance(field.data, str) or not has_control_characters(field.data):
        return
    if isinstance(field, HiddenField):
        field.data = CONTROL_CHARACTERS.sub("", field.data)
        return
    raise ValidationError(str(CONTROL_CHARACTER_MESSAGE))


class OndoForm(FlaskForm):
    """Base of every form in the app: CSRF (FlaskForm), and no control characters in any text field.

    One place for the rule, so a new form cannot forget it (tests/test_hostile_input.py checks every form uses
    this base).
    """

    def validate(self, extra_validators=None) -> bool:
        extra = {name: list(validators) for name, validators in (extra_validators or {}).items()}
        for name, field in self._fields.items():
            if isinstance(field, StringField):  # text, text areas, passwords, emails, hidden, quiz answers
                extra.setdefault(name, []).append(no_control_characters)
        return super().validate(extra_validators=extra)


def password_policy(form, field) -> None:
    try:
        check_policy(field.data or "")
    except PasswordPolicyError as error:
        raise ValidationError(str(POLICY_MESSAGES[error.code])) from None


def new_password_field(label) -> PasswordField:
    return PasswordField(
        label,
        validators=[InputRequired(), password_policy],
        description=_l("At least %(n)d characters. A few words together make a strong password.", n=MIN_LENGTH),
        render_kw={"autocomplete": "new-password", "minlength": MIN_LENGTH, "maxlength": MAX_LENGTH},
    )
