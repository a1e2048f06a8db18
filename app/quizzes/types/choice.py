"""Questions answered by picking: single choice, multiple response, true/false."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from markupsafe import Markup
from wtforms import Field
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField

from app.quizzes.model import (
    Choice,
    Question,
    QuestionResult,
    QuizSettings,
)
from app.quizzes.raw import BuildContext, RawQuestion
from app.quizzes.text import opaque_id
from app.quizzes.types.base import (
    QuestionType,
    _common_field_args,
    _distinct_answers,
    _is_blank,
    _label,
    _result,
    _unanswered,
    _wrong_tag,
    arrange,
)
from app.quizzes.widgets import (
    QuizCheckboxField,
    QuizRadioField,
)


class _ChoiceQuestion(QuestionType):
    """Shared building for single choice and multiple response."""

    allows_question_misconception = False
    marker: ClassVar[str]

    def build(self, question: Question, raw: RawQuestion, ctx: BuildContext) -> None:
        for answer, text in _distinct_answers(raw, ctx, "choice"):
            feedback = answer.keys.get("feedback")
            tag = answer.keys.get("misconception")
            if credit := answer.keys.get("credit"):
                ctx.error(credit.line, "credit: goes under - accept: or - number: answers, not under a choice")
            if tag and answer.marked:
                ctx.error(tag.line, "misconception on a correct choice: tag the wrong choices only")
            question.choices.append(
                Choice(
                    id=opaque_id(question.id, "choice", text),
                    text_html=ctx.inline(text),
                    correct=answer.marked,
                    feedback_html=ctx.inline(feedback.value) if feedback and feedback.value else "",
                    misconception=tag.value if tag and tag.value and not answer.marked else None,
                )
            )
        if len(raw.answers) < 2:
            ctx.error(raw.line, f"a {self.description} question needs at least two choices")
        marked = [a for a in raw.answers if a.marked]
        if not marked:
            ctx.error(raw.line, f"no correct answer: mark the right choice with {self.marker}")
        return None

    def correct_answer_text(self, question: Question) -> str:
        return "; ".join(c.text for c in question.choices if c.correct)

    def display_order(
        self, question: Question, rng: random.Random, settings: QuizSettings
    ) -> list[str] | None:
        ids = [c.id for c in question.choices]
        if settings.shuffle_choices:
            rng.shuffle(ids)
        return ids

    def _choices(self, question: Question, order: Sequence[str] | None) -> list[SelectChoice]:
        by_id = {c.id: c for c in question.choices}
        return [SelectChoice(cid, Markup(by_id[cid].text_html)) for cid in arrange(list(by_id), order)]


class SingleChoice(_ChoiceQuestion):
    """``- (x) right`` / ``- ( ) wrong``: exactly one right choice, all or nothing."""

    name = "single"
    description = "single-choice"
    marker = "(x)"

    def build(self, question: Question, raw: RawQuestion, ctx: BuildContext) -> None:
        super().build(question, raw, ctx)
        marked = [a for a in raw.answers if a.marked]
        for extra in marked[1:]:
            ctx.error(
                extra.line,
                f"two correct answers in a single-choice question (first on line {marked[0].line}); "
                "use [x] / [ ] for multiple response",
            )

    def grade(self, question: Question, response: Any, *, partial_credit: bool = True) -> QuestionResult:
        if _is_blank(response):
            return _unanswered(question)
        choice = next((c for c in question.choices if c.id == response), None)
        if choice is None:
            return _result(question, 0, response_text="")
        fraction = 1.0 if choice.correct else 0.0
        return _result(
            question,
            fraction,
            response_text=choice.text,
            feedback=[choice.feedback_html],
            misconceptions=[] if choice.correct else [choice.misconception or ""],
        )

    def correct_response(self, question: Question) -> Any:
        return next(c.id for c in question.choices if c.correct)

    def create_field(
        self, question: Question, *, order: Sequence[str] | None, labels: Mapping[str, Any]
    ) -> UnboundField:
        return QuizRadioField(
            choices=self._choices(question, order),
            render_kw={"class": "quiz-single"},
            **_common_field_args(question),
        )

    def response_from_field(self, question: Question, field: Field) -> Any:
        return field.data or None


class MultipleResponse(_ChoiceQuestion):
    """``- [x] right`` / ``- [ ] wrong``. With partial credit:
    max(0, (right picked - wrong picked) / number right) of the points; without: all or nothing."""

    name = "multiple"
    description = "multiple-response"
    marker = "[x]"

    def grade(self, question: Question, response: Any, *, partial_credit: bool = True) -> QuestionResult:
        if _is_blank(response):
            return _unanswered(question)
        if isinstance(response, str):
            response = [response]
        if not isinstance(response, list | tuple | set):
            return _result(question, 0, response_text="")
        picked_ids = {r for r in response if isinstance(r, str)}
        picked = [c for c in question.choices if c.id in picked_ids]
        right_total = sum(c.correct for c in question.choices)
        right = sum(c.correct for c in picked)
        wrong = len(picked) - right
        if right_total == 0:
            fraction = 0.0
        elif partial_credit:
            fraction = max(0.0, (right - wrong) / right_total)
        else:
            fraction = 1.0 if right == right_total and wrong == 0 else 0.0
        return _result(
            question,
            fraction,
            response_text="; ".join(c.text for c in picked),
            feedback=[c.feedback_html for c in picked],
            misconceptions=[c.misconception or "" for c in picked if not c.correct],
        )

    def correct_response(self, question: Question) -> Any:
        return [c.id for c in question.choices if c.correct]

    def create_field(
        self, question: Question, *, order: Sequence[str] | None, labels: Mapping[str, Any]
    ) -> UnboundField:
        return QuizCheckboxField(
            choices=self._choices(question, order),
            render_kw={"class": "quiz-multiple"},
            **_common_field_args(question),
        )

    def response_from_field(self, question: Question, field: Field) -> Any:
        return list(field.data) if field.data else None


class TrueFalse(QuestionType):
    """``answer: true`` / ``answer: false``; the two options are never shuffled."""

    name = "true_false"
    description = "true/false"
    answer_keys = frozenset({"answer"})

    def build(self, question: Question, raw: RawQuestion, ctx: BuildContext) -> None:
        key = raw.keys["answer"]
        value = key.value.strip().casefold()
        if value not in ("true", "false"):
            ctx.error(key.line, f"answer: must be true or false, not {key.value!r}")
            return
        question.answer = value == "true"

    @staticmethod
    def _as_bool(response: Any) -> bool | None:
        if isinstance(response, bool):
            return response
        if isinstance(response, str):
            return {"true": True, "false": False}.get(response.strip().casefold())
        return None

    def grade(self, question: Question, response: Any, *, partial_credit: bool = True) -> QuestionResult:
        if _is_blank(response):
            return _unanswered(question)
        value = self._as_bool(response)
        if value is None:
            return _result(question, 0, response_text="")
        fraction = 1.0 if value == question.answer else 0.0
        return _result(
            question,
            fraction,
            response_text="True" if value else "False",
            misconceptions=_wrong_tag(question, fraction),
        )

    def correct_response(self, question: Question) -> Any:
        return "true" if question.answer else "false"

    def correct_answer_text(self, question: Question) -> str:
        return "True" if question.answer else "False"

    def create_field(
        self, question: Question, *, order: Sequence[str] | None, labels: Mapping[str, Any]
    ) -> UnboundField:
        choices = [
            SelectChoice("true", _label(labels, "true")),
            SelectChoice("false", _label(labels, "false")),
        ]
        return QuizRadioField(
            choices=choices, render_kw={"class": "quiz-true-false"}, **_common_field_args(question)
        )

    def response_from_field(self, question: Question, field: Field) -> Any:
        return field.data or None


