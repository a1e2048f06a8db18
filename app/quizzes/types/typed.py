"""Questions answered by typing: numbers (with tolerances and units) and short text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wtforms import Field
from wtforms.fields.core import UnboundField

from app.quizzes.model import (
    KnownAnswer,
    NumericAnswer,
    Question,
    QuestionResult,
)
from app.quizzes.raw import BuildContext, RawQuestion
from app.quizzes.text import normalise_text, parse_author_number, student_number_candidates
from app.quizzes.types.base import (
    QuestionType,
    _common_field_args,
    _is_blank,
    _result,
    _unanswered,
    _wrong_tag,
)
from app.quizzes.widgets import (
    QuizTextField,
)


def _build_known_answers(
    question: Question,
    raw: RawQuestion,
    ctx: BuildContext,
    first: KnownAnswer | None,
    parse: Any,
) -> None:
    """Typed answers (``- accept:``/``- number:``/``- wrong:`` with feedback:, credit:, misconception:).

    ``first`` is the answer of the question-level ``accept:``/``number:`` key, checked first; ``parse(text,
    line)`` turns an item's value into a KnownAnswer (or None after reporting an error).
    """
    known: list[KnownAnswer] = [first] if first is not None else []
    for item in raw.answers:
        wrong = item.kind == "wrong"
        if item.text == "*":
            if not wrong:
                ctx.error(item.line, "* (any other answer) only goes after - wrong:")
                continue
            answer = KnownAnswer(any_other=True, credit=0.0)
        elif (answer := parse(item.text, item.line)) is None:
            continue
        if credit_key := item.keys.get("credit"):
            if wrong:
                ctx.error(credit_key.line, "a wrong answer earns nothing: use - accept: or - number: with credit:")
            else:
                credit = _percent(credit_key.value)
                if credit is None:
                    ctx.error(credit_key.line, f"credit: must be a percentage from 1 to 100, not {credit_key.value!r}")
                else:
                    answer.credit = credit / 100
        elif wrong:
            answer.credit = 0.0
        if feedback := item.keys.get("feedback"):
            answer.feedback_html = ctx.inline(feedback.value) if feedback.value else ""
        if tag := item.keys.get("misconception"):
            if answer.credit >= 1:
                ctx.error(tag.line, "misconception on a fully right answer: tag the wrong answers only")
            else:
                answer.misconception = tag.value or None
        known.append(answer)
    if raw.answers:
        question.known_answers = known
    if raw.answers and not any(k.credit >= 1 for k in known):
        ctx.error(raw.line, "no fully right answer: add accept: or number: (or - accept:/- number: without credit:)")


def _percent(text: str) -> float | None:
    try:
        value = float(text.strip().rstrip("%"))
    except ValueError:
        return None
    return value if 0 < value <= 100 else None


class Numeric(QuestionType):
    """``number: 1.1 ± 0.05`` / ``number: 1.0 .. 1.2`` / ``number: 420``, inclusive; optional ``unit:``.

    Or typed answers, checked in order: ``- number: 1822`` (``credit: 50`` for part of the points),
    ``- wrong: 1900 .. 2000`` or ``- wrong: *`` (any other answer), each with its own ``feedback:``.
    """

    name = "numeric"
    description = "numeric"
    answer_keys = frozenset({"number", "unit"})

    def build(self, question: Question, raw: RawQuestion, ctx: BuildContext) -> None:
        if unit := raw.keys.get("unit"):
            question.unit = unit.value.strip()

        def parse(text: str, line: int) -> KnownAnswer | None:
            bounds = parse_author_number(text)
            if bounds is None:
                ctx.error(line, f"bad number {text!r}: write 420, 1.1 ± 0.05 or 1.0 .. 1.2 (decimal point)")
                return None
            return KnownAnswer(numeric=NumericAnswer(low=bounds[0], high=bounds[1], source=text.strip()))

        key = raw.keys.get("number")
        first = parse(key.value, key.line) if key is not None else None
        _build_known_answers(question, raw, ctx, first, parse)
        right = [k for k in ([first] if first else []) + question.known_answers if k.credit >= 1 and k.numeric]
        question.numeric = right[0].numeric if right else None

    def grade(self, question: Question, response: Any, *, partial_credit: bool = True) -> QuestionResult:
        if isinstance(response, int | float) and not isinstance(response, bool):
            response = str(response)
        if _is_blank(response):
            return _unanswered(question)
        if not isinstance(response, str) or question.numeric is None:
            return _result(question, 0, response_text="")
        candidates = student_number_candidates(response, question.unit)
        if question.known_answers:
            return _grade_known(
                question,
                lambda known: known.numeric is not None
                and any(known.numeric.low <= value <= known.numeric.high for value in candidates),
                response.strip(),
                partial_credit,
            )
        spec = question.numeric
        fraction = 1.0 if any(spec.low <= value <= spec.high for value in candidates) else 0.0
        return _result(
            question, fraction, response_text=response.strip(), misconceptions=_wrong_tag(question, fraction)
        )

    def correct_response(self, question: Question) -> Any:
        assert question.numeric is not None
        return repr(question.numeric.low)

    def correct_answer_text(self, question: Question) -> str:
        assert question.numeric is not None
        return f"{question.numeric.source} {question.unit}".strip()

    def create_field(
        self, question: Question, *, order: Sequence[str] | None, labels: Mapping[str, Any]
    ) -> UnboundField:
        return QuizTextField(
            unit=question.unit, inputmode="decimal", too_long=labels.get("too_long", ""), **_common_field_args(question)
        )

    def response_from_field(self, question: Question, field: Field) -> Any:
        return (field.data or "").strip() or None


def _grade_known(question: Question, matches: Any, response_text: str, partial_credit: bool) -> QuestionResult:
    """The first known answer that matches decides the credit, the feedback and the misconception."""
    for known in question.known_answers:
        if known.any_other or matches(known):
            fraction = known.credit if partial_credit or known.credit >= 1 else 0.0
            tags = [known.misconception] if known.misconception and fraction < 1 else _wrong_tag(question, fraction)
            return _result(
                question, fraction, response_text=response_text, feedback=[known.feedback_html], misconceptions=tags
            )
    return _result(question, 0, response_text=response_text, misconceptions=_wrong_tag(question, 0))


class ShortText(QuestionType):
    """``accept: carbon dioxide | CO2 | 이산화탄소``: compared after NFKC, case folding and collapsing
    spaces, so full-width letters, capitals and stray spaces do not cost a point.

    Or typed answers, checked in order: ``- accept: CO2 | carbon dioxide`` (``credit: 50`` for part of the
    points), ``- wrong: methane`` or ``- wrong: *`` (any other answer), each with its own ``feedback:``.
    """

    name = "short_text"
    description = "short-text"
    answer_keys = frozenset({"accept"})

    def build(self, question: Question, raw: RawQuestion, ctx: BuildContext) -> None:
        def parse(text: str, line: int) -> KnownAnswer | None:
            answers = [part.strip() for part in text.split("|")]
            if any(not a for a in answers):
                ctx.error(line, "empty answer in accept: (answers are separated by |)")
            answers = [a for a in answers if a]
            return KnownAnswer(accept=answers) if answers else None

        key = raw.keys.get("accept")
        first = parse(key.value, key.line) if key is not None else None
        _build_known_answers(question, raw, ctx, first, parse)
        known = question.known_answers or ([first] if first else [])
        question.accept = list(dict.fromkeys(a for k in known if k.credit >= 1 for a in k.accept))

    def grade(self, question: Question, response: Any, *, partial_credit: bool = True) -> QuestionResult:
        if _is_blank(response):
            return _unanswered(question)
        if not isinstance(response, str):
            return _result(question, 0, response_text="")
        given = normalise_text(response)
        if question.known_answers:
            return _grade_known(
                question,
                lambda known: given in {normalise_text(a) for a in known.accept},
                response.strip(),
                partial_credit,
            )
        accepted = {normalise_text(a) for a in question.accept}
        fraction = 1.0 if given in accepted else 0.0
        return _result(
            question, fraction, response_text=response.strip(), misconceptions=_wrong_tag(question, fraction)
        )

    def correct_response(self, question: Question) -> Any:
        return question.accept[0]

    def correct_answer_text(self, question: Question) -> str:
        return " | ".join(question.accept)

    def create_field(
        self, question: Question, *, order: Sequence[str] | None, labels: Mapping[str, Any]
    ) -> UnboundField:
        return QuizTextField(too_long=labels.get("too_long", ""), **_common_field_args(question))

    def response_from_field(self, question: Question, field: Field) -> Any:
        return (field.data or "").strip() or None


