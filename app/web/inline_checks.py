"""Inline checks on the module page: forms placed where the text has a ```check block, graded on submit.

Checks are ungraded practice: nothing is stored but the last result, in the student's session, so the page can
show it once after the redirect.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import render_template_string, request, session
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from werkzeug.datastructures import MultiDict

from app.forms import OndoForm
from app.quizzes import QuestionResult, Quiz, grade_quiz, make_quiz_form, responses_from_form, shuffled_order
from app.services.course_cache import CachedBody, split_body

SESSION_KEY = "inline_check_result"


@dataclass(frozen=True)
class InlineCheck:
    number: int
    form: OndoForm
    results: list[QuestionResult] | None  # after the student sent it: shown with feedback and explanation
    quiz: Quiz


def _form_class(quiz: Quiz, seed: str, labels: dict[str, str]):
    question_order, choice_orders = shuffled_order(quiz, seed=seed)
    return make_quiz_form(quiz, base=OndoForm, question_order=question_order, choice_orders=choice_orders,
                          labels=labels)


def body_parts(body_html: str) -> list[str | int]:
    """The stored body split at check markers: HTML strings and check numbers, in reading order."""
    return list(split_body(body_html))


def build_checks(checks: list[dict], module_id: int, labels: dict[str, str]) -> dict[int, InlineCheck]:
    """A form per check; the last submitted one comes back filled in with its results."""
    last = session.pop(SESSION_KEY, None)
    built = {}
    for number, data in enumerate(checks or []):
        quiz = Quiz.from_dict(data)
        form_class = _form_class(quiz, f"{module_id}:{number}", labels)
        results = None
        if last and last.get("module") == module_id and last.get("number") == number:
            form = form_class(formdata=MultiDict(last["answers"]), prefix=f"check{number}")
            results = [QuestionResult.from_dict(r) for r in last["results"]]
        else:
            form = form_class(formdata=None, prefix=f"check{number}")
        built[number] = InlineCheck(number, form, results, quiz)
    return built


def grade_check(checks: list[dict], number: int, module_id: int, labels: dict[str, str]) -> bool:
    """Grade one check from the posted form and keep the result for the next page view; False if no such check."""
    if not 0 <= number < len(checks or []):
        return False
    quiz = Quiz.from_dict(checks[number])
    form = _form_class(quiz, f"{module_id}:{number}", labels)(prefix=f"check{number}")
    form.validate()  # fills the data; blank or forged answers simply score nothing
    result = grade_quiz(quiz, responses_from_form(quiz, form))
    session[SESSION_KEY] = {
        "module": module_id, "number": number,
        "answers": [(k, v) for k in request.form if k.startswith(f"check{number}-") for v in request.form.getlist(k)],
        "results": [r.to_dict() for r in result.results],
    }
    return True


# Stands for the reader's CSRF token in a rendered body kept for every reader; never a valid token itself.
_TOKEN_SLOT = "\x00csrf-token\x00"
_BODY_TEMPLATE = ('{% from "learn/_module_body.html" import module_body with context %}'
                  '{{ module_body(parts, checks, check_action, lang) }}')


def has_result_for(module_id: int) -> bool:
    """The reader just sent a check of this module: the page shows its result (and is rendered for them alone)."""
    last = session.get(SESSION_KEY)
    return bool(last and last.get("module") == module_id)


def rendered_body(text: CachedBody, module_id: int, check_action: str, ui_lang: str,
                  labels: Callable[[], dict[str, str]]) -> Markup:
    """The module text with its inline checks as HTML, rendered once per text, page language and address, and
    reused for every reader with only their CSRF token put in (the body, the forms and their order are the same
    for everyone; rendering them was a sixth of the module page's time). Not for a reader with a check result."""
    session.pop(SESSION_KEY, None)  # a result left from another module is not shown later (as build_checks does)
    token = generate_csrf()
    key = (ui_lang, check_action)
    html = text.rendered.get(key)
    if html is None:
        html = render_template_string(_BODY_TEMPLATE, parts=text.parts,
                                      checks=build_checks(text.checks, module_id, labels()),
                                      check_action=check_action, lang=text.lang).replace(token, _TOKEN_SLOT)
        text.rendered[key] = html
    return Markup(html.replace(_TOKEN_SLOT, token))
