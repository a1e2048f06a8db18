"""Questions answered by arranging: matching pairs and ordering items."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from markupsafe import Markup
from wtforms import Field, Form
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField

from app.quizzes.model import (
    MatchPair,
    OrderItem,
    Question,
    QuestionResult,
    QuizSettings,
)
from app.quizzes.raw import BuildContext, RawQuestion
from app.quizzes.text import opaque_id
from app.quizzes.types.base import (
    DEFAULT_LABELS,
    QuestionType,
    _common_field_args,
    _distinct_answers,
    _is_blank,
    _label,
    _result,
    _shuffled_away_from,
    _unanswered,
    _wrong_tag,
    arrange,
)
from app.quizzes.widgets import (
    QuizGroupField,
    QuizSelectField,
)


def _check_item_keys(raw: RawQuestion, ctx: BuildContext, what: str) -> None:
    for answer in raw.answers:
        for name, key in answer.keys.items():
            ctx.error(key.line, f"{name}: under a {what} is not supported; only choices take {name}:")


class Matching(QuestionType):
    """``- left => right`` (2+ pairs). Each left side is a select of all right sides;
    score = points × share of pairs right (or all or nothing without partial credit)."""

    name = "matching"
    description = "matching"

    def build(self, question: Question, raw: RawQuestion, ctx: BuildContext) -> None:
        _check_item_keys(raw, ctx, "matching pair")
        seen: dict[str, int] = {}
        for answer in raw.answers:
            left, right = answer.text.strip(), answer.right.strip()
            if not left or not right:
                ctx.error(answer.line, "empty choice: a matching pair needs text on both sides of =>")
                continue
            if left in seen:
                ctx.error(answer.line, f"duplicate left side {left!r} (also on line {seen[left]})")
                continue
            seen[left] = answer.line
            question.pairs.append(
                MatchPair(
                    left_id=opaque_id(question.id, "left", left),
                    left_html=ctx.inline(left),
                    right_id=opaque_id(question.id, "right", right),
                    right_html=ctx.inline(right),
                )
            )
        if len(raw.answers) < 2:
            ctx.error(raw.line, "a matching question needs at least two pairs")

    @staticmethod
    def _rights(question: Question) -> dict[str, str]:
        """Right-side options, once each (two left sides may share a right side)."""
        return {p.right_id: p.right_html for p in question.pairs}

    def grade(self, question: Question, response: Any, *, partial_credit: bool = True) -> QuestionResult:
        if _is_blank(response):
            return _unanswered(question)
        if not isinstance(response, Mapping) or not question.pairs:
            return _result(question, 0, response_text="")
        rights = self._rights(question)
        right_count = sum(response.get(p.left_id) == p.right_id for p in question.pairs)
        share = right_count / len(question.pairs)
        fraction = share if partial_credit else float(right_count == len(question.pairs))
        shown = []
        for pair in question.pairs:
            picked = response.get(pair.left_id)
            if isinstance(picked, str) and picked in rights:
                shown.append(f"{Markup(pair.left_html).striptags()} → {Markup(rights[picked]).striptags()}")
        return _result(
            question, fraction, response_text="; ".join(shown), misconceptions=_wrong_tag(question, fraction)
        )

    def correct_response(self, question: Question) -> Any:
        return {p.left_id: p.right_id for p in question.pairs}

    def correct_answer_text(self, question: Question) -> str:
        return "; ".join(
            f"{Markup(p.left_html).striptags()} → {Markup(p.right_html).striptags()}" for p in question.pairs
        )

    def display_order(
        self, question: Question, rng: random.Random, settings: QuizSettings
    ) -> list[str] | None:
        rights = list(self._rights(question))
        return _shuffled_away_from(rights, rng, rights)

    def create_field(
        self, question: Question, *, order: Sequence[str] | None, labels: Mapping[str, Any]
    ) -> UnboundField:
        rights = self._rights(question)
        options = [SelectChoice("", _label(labels, "choose"))] + [
            SelectChoice(rid, Markup(rights[rid]).striptags()) for rid in arrange(list(rights), order)
        ]
        attrs: dict[str, Any] = {
            pair.left_id: QuizSelectField(label=Markup(pair.left_html), choices=list(options))
            for pair in question.pairs
        }
        subform = type("MatchingForm", (Form,), attrs)
        return QuizGroupField(subform, render_kw={"class": "quiz-matching"}, **_common_field_args(question))

    def response_from_field(self, question: Question, field: Field) -> Any:
        picked = {sub.short_name: sub.data for sub in field if sub.data}
        return picked or None


class _OrderingForm(Form):
    """Positions must be all given and all different; blank everywhere means unanswered."""

    positions_message: ClassVar[Any] = DEFAULT_LABELS["positions_once"]

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        self.form_errors = []
        ok = super().validate(extra_validators)
        chosen = [f.data for f in self if f.data]
        if chosen and (len(chosen) != len(self._fields) or len(set(chosen)) != len(chosen)):
            self.form_errors.append(self.positions_message)
            return False
        return ok


class Ordering(QuestionType):
    """``1. first`` ``2. second`` … in the correct order (2+ items), shown shuffled with a position select
    per item. Score = points × share of items in their correct position: a clear rule a student can check
    on the result page, that still rewards a mostly right sequence."""

    name = "ordering"
    description = "ordering"

    def build(self, question: Question, raw: RawQuestion, ctx: BuildContext) -> None:
        _check_item_keys(raw, ctx, "ordering item")
        numbers = [a.number for a in raw.answers]
        if len(set(numbers)) > 1 and numbers != list(range(numbers[0], numbers[0] + len(numbers))):
            bad = next(a for i, a in enumerate(raw.answers) if a.number != numbers[0] + i)
            ctx.error(bad.line, "ordering items are numbered 1, 2, 3… in the correct order")
        for _answer, text in _distinct_answers(raw, ctx, "item"):
            question.items.append(
                OrderItem(id=opaque_id(question.id, "item", text), text_html=ctx.inline(text))
            )
        if len(raw.answers) < 2:
            ctx.error(raw.line, "an ordering question needs at least two items")

    def grade(self, question: Question, response: Any, *, partial_credit: bool = True) -> QuestionResult:
        if _is_blank(response):
            return _unanswered(question)
        if not isinstance(response, list | tuple) or not question.items:
            return _result(question, 0, response_text="")
        in_place = sum(i < len(response) and response[i] == item.id for i, item in enumerate(question.items))
        share = in_place / len(question.items)
        fraction = share if partial_credit else float(in_place == len(question.items))
        texts = {item.id: item.text for item in question.items}
        shown = [
            f"{i}. {texts.get(r, '—') if isinstance(r, str) else '—'}"
            for i, r in enumerate(response, start=1)
        ]
        return _result(
            question, fraction, response_text="; ".join(shown), misconceptions=_wrong_tag(question, fraction)
        )

    def correct_response(self, question: Question) -> Any:
        return [item.id for item in question.items]

    def correct_answer_text(self, question: Question) -> str:
        return "; ".join(f"{i}. {item.text}" for i, item in enumerate(question.items, start=1))

    def display_order(
        self, question: Question, rng: random.Random, settings: QuizSettings
    ) -> list[str] | None:
        ids = [item.id for item in question.items]
        return _shuffled_away_from(ids, rng, ids)

    def create_field(
        self, question: Question, *, order: Sequence[str] | None, labels: Mapping[str, Any]
    ) -> UnboundField:
        texts = {item.id: item.text_html for item in question.items}
        positions = [str(n) for n in range(1, len(texts) + 1)]
        options = [SelectChoice("", _label(labels, "choose"))] + [SelectChoice(p, p) for p in positions]
        attrs: dict[str, Any] = {
            item_id: QuizSelectField(
                label=Markup(texts[item_id]), choices=list(options), suffix=_label(labels, "position")
            )
            for item_id in arrange(list(texts), order)
        }
        attrs["positions_message"] = _label(labels, "positions_once")
        subform = type("OrderingForm", (_OrderingForm,), attrs)
        return QuizGroupField(subform, render_kw={"class": "quiz-ordering"}, **_common_field_args(question))

    def response_from_field(self, question: Question, field: Field) -> Any:
        """Slots by chosen position; a clash keeps the first item shown, a gap stays "" (scores 0)."""
        slots = [""] * len(question.items)
        for sub in field:
            try:
                position = int(sub.data or 0)
            except (TypeError, ValueError):
                continue
            if 1 <= position <= len(slots) and not slots[position - 1]:
                slots[position - 1] = sub.short_name
        return slots if any(slots) else None


