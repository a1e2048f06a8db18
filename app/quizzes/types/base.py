"""What every question type shares: the base class, result building, display order, labels."""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

from markupsafe import Markup
from wtforms import Field
from wtforms.fields.core import UnboundField

from app.quizzes.model import (
    Question,
    QuestionResult,
    QuizSettings,
)
from app.quizzes.raw import BuildContext, RawAnswer, RawQuestion

DEFAULT_LABELS = {
    "true": "True",
    "false": "False",
    "choose": "Choose…",
    "position": "Position",
    "positions_once": "Give every item a different position.",
}


def _label(labels: Mapping[str, Any], key: str) -> Any:
    return labels.get(key) or DEFAULT_LABELS[key]


def _is_blank(response: Any) -> bool:
    """No answer given: None, empty/whitespace text, empty list/dict, or a list/dict of blanks."""
    if response is None:
        return True
    if isinstance(response, str):
        return not response.strip()
    if isinstance(response, Mapping):
        return all(_is_blank(v) for v in response.values())
    if isinstance(response, list | tuple | set):
        return all(_is_blank(v) for v in response)
    return False


def _result(
    question: Question,
    fraction: float,
    *,
    response_text: str,
    feedback: Sequence[str] = (),
    misconceptions: Sequence[str] = (),
) -> QuestionResult:
    fraction = min(1.0, max(0.0, fraction))
    if fraction >= 1 - 1e-9:
        status, fraction = "correct", 1.0
    elif fraction > 1e-9:
        status = "partial"
    else:
        status, fraction = "incorrect", 0.0
    return QuestionResult(
        question_id=question.id,
        score=round(question.points * fraction, 6),
        max_score=question.points,
        status=status,
        feedback_html=[f for f in feedback if f],
        misconceptions=list(dict.fromkeys(m for m in misconceptions if m)),
        response_text=response_text,
    )


def _unanswered(question: Question) -> QuestionResult:
    return QuestionResult(question.id, 0.0, question.points, "unanswered")


def _wrong_tag(question: Question, fraction: float) -> list[str]:
    return [question.misconception] if question.misconception and fraction < 1 else []


def arrange(ids: Sequence[str], order: Sequence[str] | None) -> list[str]:
    """Apply a stored display order, tolerating ids that no longer exist or were added since."""
    if not order:
        return list(ids)
    known = set(ids)
    arranged = list(dict.fromkeys(i for i in order if i in known))
    return arranged + [i for i in ids if i not in arranged]


def _shuffled_away_from(ids: list[str], rng: random.Random, correct: list[str]) -> list[str]:
    """Shuffle, and never show the correct arrangement itself (that would give the answer away)."""
    shuffled = list(ids)
    rng.shuffle(shuffled)
    if len(shuffled) > 1 and shuffled == correct:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


class QuestionType:
    """Base class. ``name`` is the ``Question.type`` value; ``description`` names it in lint messages."""

    name: ClassVar[str]
    description: ClassVar[str]
    # Question-level keys that belong to this type (besides id, points, explanation).
    answer_keys: ClassVar[frozenset[str]] = frozenset()
    allows_question_misconception: ClassVar[bool] = True

    def build(self, question: Question, raw: RawQuestion, ctx: BuildContext) -> None:
        """Fill the type's fields of ``question`` from ``raw``; report problems through ``ctx``."""
        raise NotImplementedError

    def grade(self, question: Question, response: Any, *, partial_credit: bool = True) -> QuestionResult:
        raise NotImplementedError

    def correct_response(self, question: Question) -> Any:
        """A response that scores full marks (tests, teacher preview)."""
        raise NotImplementedError

    def correct_answer_text(self, question: Question) -> str:
        """The right answer as plain text, for the result page when answers are revealed."""
        raise NotImplementedError

    def display_order(
        self, question: Question, rng: random.Random, settings: QuizSettings
    ) -> list[str] | None:
        """Ids in the order the student sees them, or None when the type has nothing to order."""
        return None

    def create_field(
        self, question: Question, *, order: Sequence[str] | None, labels: Mapping[str, Any]
    ) -> UnboundField:
        raise NotImplementedError

    def response_from_field(self, question: Question, field: Field) -> Any:
        """The response in grading form (see ``grade``), or None when the student left it blank."""
        raise NotImplementedError


def _distinct_answers(raw: RawQuestion, ctx: BuildContext, what: str) -> Iterator[tuple[RawAnswer, str]]:
    """The answers with their text, each text once; empty and repeated ones are reported, not used."""
    seen: dict[str, int] = {}
    for answer in raw.answers:
        text = answer.text.strip()
        if not text:
            ctx.error(answer.line, "empty choice")
            continue
        if text in seen:
            ctx.error(answer.line, f"duplicate {what} {text!r} (also on line {seen[text]})")
            continue
        seen[text] = answer.line
        yield answer, text


def _common_field_args(question: Question) -> dict[str, Any]:
    return {"label": Markup(question.title_html), "description": Markup(question.stem_html)}


