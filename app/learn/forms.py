from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField


class LanguageForm(FlaskForm):
    """The header's language switch: one submit button per language, so it works without JavaScript."""

    next = HiddenField()
