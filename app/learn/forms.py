from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from app.forms import OndoForm


class LanguageForm(OndoForm):
    """The header's language switch: one submit button per language, so it works without JavaScript."""

    next = HiddenField()


class JoinClassForm(OndoForm):
    code = StringField(_l("Class code"), validators=[InputRequired(), Length(max=16)],
                       description=_l("The code your teacher shows, for example K7Q2MX."),
                       render_kw={"autocomplete": "off", "autocapitalize": "characters"})
    submit = SubmitField(_l("Join class"))
