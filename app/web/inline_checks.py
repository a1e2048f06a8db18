"""Inline checks on the module page: forms placed where the text has a ```check block, graded on submit.

Checks are ungraded practice: nothing is stored but the last result, in the student's session, so the page can
show it once after the redirect.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import request, session
from werkzeug.datastructures import MultiDict

from app.forms import OndoForm
from app.quizzes import QuestionResult, Quiz, grade_quiz, make_quiz_form, responses_from_form, shuffled_order
from app.services.course_cache import split_body

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
