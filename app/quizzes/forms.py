"""Build the WTForms form for a quiz attempt and read responses back from it.

The app stores ``shuffled_order(quiz, seed)`` with the attempt, so a reload shows the same order, and
passes it to ``make_quiz_form``. Field names come from question ids; choice values are opaque ids, so the
rendered form says nothing about which answer is right.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from markupsafe import Markup
from wtforms import Field, Form
from wtforms.fields import FormField

from app.quizzes.model import Quiz
from app.quizzes.types import QUESTION_TYPES, arrange

FormT = TypeVar("FormT", bound=Form)


def field_names(quiz: Quiz) -> dict[str, str]:
    """Question id -> form field name: ``q_`` + the id in ASCII, plus a short hash when characters had to
    be replaced (Korean ids) or two ids would collide, so every name is a safe, unique identifier."""
    names: dict[str, str] = {}
    used: set[str] = set()
    for question in quiz.questions:
        ascii_part = re.sub(r"[^A-Za-z0-9]+", "_", question.id).strip("_")
        name = f"q_{ascii_part}" if ascii_part else "q"
        lossy = ascii_part != question.id.replace("-", "_")
        if lossy or name in used:
            name = f"{name}_{hashlib.sha256(question.id.encode()).hexdigest()[:6]}"
        while name in used:  # practically unreachable; keeps names unique whatever the ids are
            name += "_"
        used.add(name)
        names[question.id] = name
    return names


def shuffled_order(quiz: Quiz, seed: str) -> tuple[list[str], dict[str, list[str]]]:
    """Deterministic display order for ``seed`` (e.g. the attempt id): question ids, and per question the
    ids of its choices / right-hand options / items. Matching and ordering are always shuffled;
    true/false, numeric and short text have no entry."""
    question_order = [q.id for q in quiz.questions]
    if quiz.settings.shuffle_questions:
        random.Random(f"{seed}\0questions").shuffle(question_order)
    choice_orders: dict[str, list[str]] = {}
    for question in quiz.questions:
        rng = random.Random(f"{seed}\0{question.id}")
        order = QUESTION_TYPES[question.type].display_order(question, rng, quiz.settings)
        if order is not None:
            choice_orders[question.id] = order
    return question_order, choice_orders


def make_quiz_form(
    quiz: Quiz,
    *,
    base: type[FormT],
    question_order: list[str],
    choice_orders: Mapping[str, list[str]],
    labels: Mapping[str, str],
) -> type[FormT]:
    """A subclass of ``base`` (e.g. FlaskForm) with one field per question, in ``question_order``.

    ``labels`` holds translated UI strings: true, false, choose, position, positions_once.
    The class gets ``quiz_field_names`` ({question id: field name}); render each with ``{{ field() }}``
    (the widget includes the legend/label, the stem and the field's errors).
    """
    names = field_names(quiz)
    by_id = {q.id: q for q in quiz.questions}
    arranged = arrange(list(by_id), question_order)
    # In display order: templates, the answered count and the error summary walk this mapping.
    attrs: dict[str, Any] = {"quiz_field_names": {question_id: names[question_id] for question_id in arranged}}
    for question_id in arranged:
        question = by_id[question_id]
        qtype = QUESTION_TYPES[question.type]
        attrs[names[question_id]] = qtype.create_field(
            question, order=choice_orders.get(question_id), labels=labels
        )
    return type("QuizForm", (base,), attrs)


def responses_from_form(quiz: Quiz, form: Form) -> dict[str, Any]:
    """{question id: response} for the questions the student answered (blank ones are left out)."""
    names = getattr(form, "quiz_field_names", None) or field_names(quiz)
    responses: dict[str, Any] = {}
    for question in quiz.questions:
        name = names.get(question.id)
        if name is None or name not in form:
            continue
        response = QUESTION_TYPES[question.type].response_from_field(question, form[name])
        if response is not None:
            responses[question.id] = response
    return responses


def quiz_fields(form: Form) -> list[Field]:
    """The form's question fields, in the order the page shows them."""
    names = getattr(form, "quiz_field_names", {})
    return [form[name] for name in names.values() if name in form]


def answer_pairs(form: Form, formdata: Any) -> list[tuple[str, str]]:
    """The (name, value) pairs of ``formdata`` that belong to the quiz's questions (a matching or ordering
    question's selects are named ``<question field>-<item>``); anything else posted is dropped."""
    names = {field.name for field in quiz_fields(form)}
    return [
        (name, value)
        for name, values in formdata.lists()
        if name in names or name.split("-", 1)[0] in names
        for value in values
        if isinstance(value, str)
    ]


def answered_count(quiz: Quiz, form: Form) -> int:
    """How many questions have an answer in the form as it stands."""
    return len(responses_from_form(quiz, form))


@dataclass(frozen=True)
class FormProblem:
    """A question with an error, for the summary at the top of the page."""

    title: str
    target_id: str  # the first control of the question: the summary links (and moves focus) to it
    messages: list[str]


def _first_control_id(field: Field) -> str:
    if isinstance(field, FormField):
        first = next(iter(field), None)
        return first.id if first is not None else field.id
    if hasattr(field, "iter_choices"):
        choice = next(iter(field.iter_choices()), None)
        value = getattr(choice, "value", None) if choice is not None else None
        if value is None and isinstance(choice, tuple):
            value = choice[0]
        return f"{field.id}-{value}" if value is not None else field.id
    return field.id


def form_problems(form: Form) -> list[FormProblem]:
    """Every question with an error after ``validate()``, in page order."""
    problems = []
    for field in quiz_fields(form):
        errors = field.errors
        messages = (
            [m for value in errors.values() for m in (value if isinstance(value, list) else [value])]
            if isinstance(errors, dict)
            else list(errors or [])
        )
        messages = [str(m) for m in messages if isinstance(m, str) and m]
        if messages:
            label = field.label.text
            title = label.striptags() if isinstance(label, Markup) else str(label)  # plain text for the link
            problems.append(FormProblem(title, _first_control_id(field), messages))
    return problems
