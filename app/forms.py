"""Form pieces shared by several blueprints."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, ValidationError
from wtforms.validators import InputRequired

from app.services.passwords import MAX_LENGTH, MIN_LENGTH, PasswordPolicyError, check_policy

POLICY_MESSAGES = {
    "too_short": _l("Use at least %(n)d characters.", n=MIN_LENGTH),
    "too_long": _l("Use at most %(n)d characters.", n=MAX_LENGTH),
    "common": _l("This password is too common and easy to guess. Try a longer phrase of a few words."),
}


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
