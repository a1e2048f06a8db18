"""The question-type registry: each type builds its question from parsed lines, builds its form field,
reads the field back and grades a response.

Modelled on CTFd's ``CHALLENGE_CLASSES`` and Indico's survey field classes: adding a type means adding
one class here and one entry in ``QUESTION_TYPES``. Grading is pure: it decides and changes nothing, and
any response (missing, malformed, forged ids) scores without raising.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar

from markupsafe import Markup
from wtforms import Field, Form
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField

from app.quizzes.model import (
    Choice,
    KnownAnswer,
    MatchPair,
    NumericAnswer,
    OrderItem,
    Question,
    QuestionResult,
    QuizSettings,
)
from app.quizzes.raw import BuildContext, RawAnswer, RawQuestion
from app.quizzes.text import normalise_text, opaque_id, parse_author_number, student_number_candidates
from app.quizzes.widgets import (
    QuizCheckboxField,
    QuizGroupField,
    QuizRadioField,
    QuizSelectField,
    QuizTextField,
)

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


QUESTION_TYPES: dict[str, QuestionType] = {
    cls.name: cls()
    for cls in (SingleChoice, MultipleResponse, TrueFalse, Numeric, ShortText, Matching, Ordering)
}
