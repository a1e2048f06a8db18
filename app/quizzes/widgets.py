"""Accessible WTForms fields and widgets for quiz questions.

Each question is one top-level field whose widget renders the whole question: a ``<fieldset>`` whose
``<legend>`` is the question for groups of controls, or a ``<label>`` for a single text input, the extra
stem, the controls (each with its own ``<label>``) and the field's errors. Templates only call
``{{ field() }}``. Nothing here knows which answer is right: widgets see ids and labels only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from markupsafe import Markup, escape
from wtforms import Field, Form
from wtforms.fields import FormField, RadioField, SelectField, SelectMultipleField, StringField
from wtforms.validators import Length
from wtforms.widgets import html_params

from app.quizzes.text import MAX_ANSWER_LENGTH


def _text(value: Any) -> Markup:
    """Escape plain/lazy strings; pass Markup (already safe HTML from the render pipeline) through."""
    return escape(value) if isinstance(value, str) else escape(str(value))


def _errors_html(field_id: str, errors: Iterable[str]) -> Markup:
    messages = [m for m in errors if m]
    if not messages:
        return Markup("")
    items = "".join(f"<li>{_text(m)}</li>" for m in messages)
    return Markup(f'<ul class="quiz-errors" id="{escape(field_id)}-errors">{items}</ul>')


def _flat_errors(errors: Any) -> list[str]:
    """Field errors are a list, FormField errors a dict of lists (``None`` = the subform's own errors)."""
    if isinstance(errors, dict):
        return [m for value in errors.values() for m in _flat_errors(value)]
    return [m for m in errors or [] if isinstance(m, str)]


def _stem_html(field: Field) -> Markup:
    if not field.description:
        return Markup("")
    return Markup(f'<div class="quiz-stem" id="{escape(field.id)}-stem">{_text(field.description)}</div>')


def _described_by(field: Field, *extra: str) -> dict[str, str]:
    ids = []
    if field.description:
        ids.append(f"{field.id}-stem")
    ids.extend(extra)
    if _flat_errors(field.errors):
        ids.append(f"{field.id}-errors")
    return {"aria-describedby": " ".join(ids)} if ids else {}


class ChoiceFieldsetWidget:
    """Radio buttons or checkboxes in a fieldset whose legend is the question."""

    def __init__(self, input_type: str) -> None:
        self.input_type = input_type

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        css = kwargs.pop("class_", kwargs.pop("class", ""))
        attrs = {"id": field.id, "class": f"quiz-question {css}".strip(), **_described_by(field)}
        parts = [f"<fieldset {html_params(**attrs)}>", f"<legend>{_text(field.label.text)}</legend>"]
        parts.append(_stem_html(field))
        parts.append('<ul class="quiz-choices">')
        for choice in field.iter_choices():
            option_id = f"{field.id}-{choice.value}"
            input_attrs = {
                "type": self.input_type,
                "id": option_id,
                "name": field.name,
                "value": choice.value,
                "checked": bool(choice.selected),
            }
            parts.append(
                f"<li><input {html_params(**input_attrs)}> "
                f'<label for="{escape(option_id)}">{_text(choice.label)}</label></li>'
            )
        parts.append("</ul>")
        parts.append(_errors_html(field.id, field.errors))
        parts.append("</fieldset>")
        return Markup("".join(str(p) for p in parts))


class AnswerInputWidget:
    """A text input labelled by the question, with the unit shown after it."""

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        unit = getattr(field, "quiz_unit", "")
        extra = [f"{field.id}-unit"] if unit else []
        input_attrs = {
            "type": "text",
            "id": field.id,
            "name": field.name,
            "value": field._value(),
            "autocomplete": "off",
            "spellcheck": "false",
            "maxlength": MAX_ANSWER_LENGTH,
            "inputmode": getattr(field, "quiz_inputmode", "text"),
            **_described_by(field, *extra),
            **kwargs,
        }
        parts = [
            '<div class="quiz-question quiz-answer-input">',
            f'<label for="{escape(field.id)}">{_text(field.label.text)}</label>',
            _stem_html(field),
            f"<p><input {html_params(**input_attrs)}>",
        ]
        if unit:
            parts.append(f' <span class="quiz-unit" id="{escape(field.id)}-unit">{escape(unit)}</span>')
        parts.append("</p>")
        parts.append(_errors_html(field.id, field.errors))
        parts.append("</div>")
        return Markup("".join(str(p) for p in parts))


class SelectGroupWidget:
    """A fieldset of labelled ``<select>`` controls: matching (one per left item) and ordering
    (one position per item). Works without JavaScript."""

    def __call__(self, field: Field, **kwargs: Any) -> Markup:
        css = kwargs.pop("class_", kwargs.pop("class", ""))
        attrs = {"id": field.id, "class": f"quiz-question {css}".strip(), **_described_by(field)}
        parts = [f"<fieldset {html_params(**attrs)}>", f"<legend>{_text(field.label.text)}</legend>"]
        parts.append(_stem_html(field))
        parts.append('<ul class="quiz-selects">')
        for sub in field:
            suffix = getattr(sub, "quiz_suffix", "")
            suffix_html = f' <span class="quiz-select-suffix">{_text(suffix)}</span>' if suffix else ""
            parts.append(
                f'<li><label for="{escape(sub.id)}">{_text(sub.label.text)}{suffix_html}</label> {sub()}</li>'
            )
        parts.append("</ul>")
        parts.append(_errors_html(field.id, _flat_errors(field.errors)))
        parts.append("</fieldset>")
        return Markup("".join(str(p) for p in parts))


class QuizRadioField(RadioField):
    """Single choice / true-false. Leaving it blank is allowed (the question scores as unanswered)."""

    widget = ChoiceFieldsetWidget("radio")

    def pre_validate(self, form: Form) -> None:
        if self.data is None:
            return
        super().pre_validate(form)


class QuizCheckboxField(SelectMultipleField):
    """Multiple response as checkboxes (a SelectMultipleField rendered as a checkbox list)."""

    widget = ChoiceFieldsetWidget("checkbox")


class QuizTextField(StringField):
    """Numeric and short-text answers; carries the unit to show and the mobile keyboard hint."""

    widget = AnswerInputWidget()

    def __init__(
        self, *args: Any, unit: str = "", inputmode: str = "text", too_long: str = "", **kwargs: Any
    ) -> None:
        # A hard cap whatever the browser enforces: a long post gets a message beside the field, not a grade.
        kwargs.setdefault("validators", [Length(max=MAX_ANSWER_LENGTH, message=too_long or None)])
        super().__init__(*args, **kwargs)
        self.quiz_unit = unit
        self.quiz_inputmode = inputmode


class QuizGroupField(FormField):
    """Matching and ordering: a subform of select fields, rendered as one fieldset."""

    widget = SelectGroupWidget()


class QuizSelectField(SelectField):
    """One select of a matching/ordering group; ``suffix`` (e.g. "Position") joins the label so each
    control's accessible name says both the item and what to choose."""

    def __init__(self, *args: Any, suffix: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.quiz_suffix = suffix

    def pre_validate(self, form: Form) -> None:
        if not self.data:  # left on "Choose…" or not posted: unanswered, not invalid
            return
        super().pre_validate(form)
