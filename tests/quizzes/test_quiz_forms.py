"""Quiz forms: one accessible field per question, nothing revealing in the HTML, stable shuffling,
and responses read back in the shape the graders expect."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from wtforms import Form, StringField

from app.quizzes import (
    Quiz,
    correct_response,
    field_names,
    grade_quiz,
    make_quiz_form,
    responses_from_form,
    shuffled_order,
)
from tests.quizzes.samples import FULL_QUIZ, parse

LABELS = {"true": "참", "false": "거짓", "choose": "선택…", "position": "순서"}


class FormData(dict):
    """The bit of a request's MultiDict that WTForms uses."""

    def getlist(self, key: str) -> list[str]:
        value = self.get(key, [])
        return list(value) if isinstance(value, list | tuple) else [value]


class BaseForm(Form):
    """Stands in for FlaskForm: the quiz fields are added to whatever the base already has."""

    note = StringField("Note")


def build(quiz: Quiz, seed: str = "attempt-1", formdata: FormData | None = None) -> Form:
    question_order, choice_orders = shuffled_order(quiz, seed)
    form_class = make_quiz_form(
        quiz, base=BaseForm, question_order=question_order, choice_orders=choice_orders, labels=LABELS
    )
    return form_class(formdata=formdata)


def quiz_fields(quiz: Quiz, form: Form) -> list[Any]:
    names = form.quiz_field_names
    return [form[names[q.id]] for q in quiz.questions]


def formdata_for(quiz: Quiz, form: Form, responses: dict[str, Any]) -> FormData:
    """What a browser would post for these responses."""
    data = FormData()
    for question in quiz.questions:
        name = form.quiz_field_names[question.id]
        response = responses.get(question.id)
        if response is None:
            continue
        if question.type == "matching":
            for left, right in response.items():
                data[f"{name}-{left}"] = right
        elif question.type == "ordering":
            for position, item in enumerate(response, start=1):
                data[f"{name}-{item}"] = str(position)
        else:
            data[name] = response
    return data


class _Controls(HTMLParser):
    """Collects form controls, label targets, fieldsets and legends."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.fieldsets = 0
        self.legends = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("input", "select", "textarea"):
            self.controls.append(values)
        elif tag == "label" and values.get("for"):
            self.label_for.add(values["for"] or "")
        elif tag == "fieldset":
            self.fieldsets += 1
        elif tag == "legend":
            self.legends += 1


def test_one_field_per_question_in_the_given_order_on_top_of_the_base_form() -> None:
    quiz = parse(FULL_QUIZ)
    form = build(quiz)
    names = [f.name for f in form]
    assert names[0] == "note"
    assert names[1:] == [form.quiz_field_names[q.id] for q in quiz.questions]


def test_every_control_has_a_label_and_groups_have_a_legend() -> None:
    quiz = parse(FULL_QUIZ, rendered=True)
    form = build(quiz)
    for question, field in zip(quiz.questions, quiz_fields(quiz, form), strict=True):
        html = str(field())
        parser = _Controls()
        parser.feed(html)
        assert parser.controls, question.type
        for control in parser.controls:
            assert control.get("id") in parser.label_for, (question.type, control)
        if question.type in ("single", "multiple", "true_false", "matching", "ordering"):
            assert parser.fieldsets == 1 and parser.legends == 1, question.type
            assert f"<legend>{question.title_html}</legend>" in html


def test_control_kinds() -> None:
    quiz = parse(FULL_QUIZ)
    form = build(quiz)
    html = {q.type: str(f()) for q, f in zip(quiz.questions, quiz_fields(quiz, form), strict=True)}
    assert html["single"].count('type="radio"') == 3
    assert html["multiple"].count('type="checkbox"') == 4
    assert html["true_false"].count('type="radio"') == 2
    assert ">참</label>" in html["true_false"] and ">거짓</label>" in html["true_false"]
    assert 'inputmode="decimal"' in html["numeric"]
    assert '<span class="quiz-unit" id="' in html["numeric"] and "°C</span>" in html["numeric"]
    assert re.search(r'aria-describedby="[^"]*-stem [^"]*-unit"', html["numeric"])
    assert 'type="text"' in html["short_text"]
    assert html["matching"].count("<select") == 3 and "선택…" in html["matching"]
    assert html["ordering"].count("<select") == 4 and "순서" in html["ordering"]


def _quiz_with_answer_marked(first_right: bool) -> Quiz:
    a, b = ("x", " ") if first_right else (" ", "x")
    return parse(
        f"### Which?\n- ({a}) Alpha\n  feedback: FEEDBACK-ALPHA\n- ({b}) Beta\n  feedback: FEEDBACK-BETA\n"
        + ("  misconception: tag-beta\n" if first_right else "")
        + "\nexplanation: EXPLANATION-TEXT\n"
        f"\n### Pick\n- [{a}] One\n- [{b}] Two\n- [x] Three\n"
        f"\n### TF\nanswer: {'true' if first_right else 'false'}\nmisconception: tag-tf\n"
        "\n### Num\nnumber: 42\nunit: m\nmisconception: tag-num\nexplanation: EXPLANATION-NUM\n"
        "\n### Text\naccept: SECRET-ANSWER\n"
        "\n### Match\n- L1 => R1\n- L2 => R2\n- L3 => R3\n"
        "\n### Order\n1. First\n2. Second\n3. Third\n"
    )


def test_unanswered_form_html_reveals_no_answer() -> None:
    quiz = _quiz_with_answer_marked(first_right=True)
    form = build(quiz)
    html = "".join(str(f()) for f in quiz_fields(quiz, form))
    for secret in (
        "FEEDBACK-ALPHA",
        "FEEDBACK-BETA",
        "EXPLANATION",
        "SECRET-ANSWER",
        "tag-",
        "correct",
        "checked",
        "selected",
        "42",
    ):
        assert secret not in html, secret
    # choice values are opaque ids, not positions or texts (ordering selects offer positions 1..n)
    assert not re.search(r'<input[^>]*value="(?:[0-9]|Alpha|Beta|One|Two)"', html)


def test_form_html_is_identical_whichever_answer_is_right() -> None:
    """The strongest no-leak check: moving the right answer changes nothing a student can see."""
    right_first = _quiz_with_answer_marked(first_right=True)
    right_second = _quiz_with_answer_marked(first_right=False)
    html = []
    for quiz in (right_first, right_second):
        # same display order for both: take it from the first quiz (ids do not depend on correctness)
        question_order, choice_orders = shuffled_order(right_first, "seed")
        form_class = make_quiz_form(
            quiz, base=Form, question_order=question_order, choice_orders=choice_orders, labels={}
        )
        form = form_class()
        html.append([str(f()) for f in form if f.name != "note"])
    # true/false, numeric and text answers differ in the key, not in the form
    assert html[0] == html[1]


def test_ordering_is_never_shown_in_the_right_order_and_matching_rights_are_shuffled() -> None:
    quiz = parse("### O\n1. a\n2. b\n\n### M\n- x => 1\n- y => 2\n")
    ordering, matching = quiz.questions
    for seed in (f"s{n}" for n in range(30)):
        _, orders = shuffled_order(quiz, seed)
        assert orders[ordering.id] != [i.id for i in ordering.items]
        assert orders[matching.id] != [p.right_id for p in matching.pairs]


def test_shuffle_is_deterministic_per_seed_and_differs_across_seeds() -> None:
    text = "### Q\n" + "".join(f"- ({'x' if n == 0 else ' '}) choice {n}\n" for n in range(6))
    text += "\n### TF\nanswer: true\n\n### Text\naccept: a\n"
    quiz = parse(text, {"shuffle_questions": True})
    assert shuffled_order(quiz, "attempt-7") == shuffled_order(quiz, "attempt-7")
    orders = {tuple(shuffled_order(quiz, f"attempt-{n}")[1]["q"]) for n in range(20)}
    assert len(orders) > 5
    question_orders = {tuple(shuffled_order(quiz, f"attempt-{n}")[0]) for n in range(20)}
    assert len(question_orders) > 1
    _, choice_orders = shuffled_order(quiz, "x")
    assert set(choice_orders) == {"q"}  # true/false and text have nothing to shuffle


def test_settings_turn_shuffling_off() -> None:
    text = "### Q\n" + "".join(f"- ({'x' if n == 0 else ' '}) choice {n}\n" for n in range(6))
    text += "\n### R\nanswer: true\n"
    quiz = parse(text, {"shuffle_choices": False})
    for n in range(10):
        question_order, choice_orders = shuffled_order(quiz, str(n))
        assert question_order == ["q", "r"]
        assert choice_orders["q"] == [c.id for c in quiz.questions[0].choices]


def test_choice_order_is_applied_to_the_form() -> None:
    quiz = parse("### Q\n- (x) A\n- ( ) B\n- ( ) C\n")
    question = quiz.questions[0]
    reversed_ids = [c.id for c in reversed(question.choices)]
    form = make_quiz_form(
        quiz, base=Form, question_order=["q"], choice_orders={"q": reversed_ids}, labels={}
    )()
    html = str(form.quiz_field_names and form[form.quiz_field_names["q"]]())
    assert [html.index(f'value="{i}"') for i in reversed_ids] == sorted(
        html.index(f'value="{i}"') for i in reversed_ids
    )


def test_stale_orders_from_an_older_attempt_do_not_break_the_form() -> None:
    quiz = parse("### Q\n- (x) A\n- ( ) B\n")
    form = make_quiz_form(
        quiz, base=Form, question_order=["gone", "q"], choice_orders={"q": ["cgone"]}, labels={}
    )()
    assert str(form[form.quiz_field_names["q"]]()).count('type="radio"') == 2


def test_submitting_the_right_answers_round_trips_and_grades_full_marks() -> None:
    quiz = parse(FULL_QUIZ)
    right = {q.id: correct_response(q) for q in quiz.questions}
    empty_form = build(quiz)
    form = build(quiz, formdata=formdata_for(quiz, empty_form, right))
    assert form.validate(), form.errors
    responses = responses_from_form(quiz, form)
    assert responses == right
    assert grade_quiz(quiz, responses).percent == 100


def test_blank_form_is_valid_and_gives_no_responses() -> None:
    quiz = parse(FULL_QUIZ)
    form = build(quiz, formdata=FormData())
    assert form.validate(), form.errors
    assert responses_from_form(quiz, form) == {}
    assert {r.status for r in grade_quiz(quiz, {}).results} == {"unanswered"}


def test_what_the_student_typed_survives_a_re_render() -> None:
    quiz = parse("### Q\nnumber: 3\n\n### T\naccept: a\n")
    form = build(quiz, formdata=FormData({"q_q": "3,0", "q_t": "<b>x</b>"}))
    html = "".join(str(f()) for f in quiz_fields(quiz, form))
    assert 'value="3,0"' in html and 'value="&lt;b&gt;x&lt;/b&gt;"' in html


def test_ordering_positions_must_differ_and_the_error_is_shown_in_the_fieldset() -> None:
    quiz = parse("### O\n1. a\n2. b\n3. c\n")
    question = quiz.questions[0]
    name = "q_o"
    a, b, c = (i.id for i in question.items)
    form = build(quiz, formdata=FormData({f"{name}-{a}": "1", f"{name}-{b}": "1", f"{name}-{c}": "3"}))
    assert not form.validate()
    html = str(form[name]())
    assert "Give every item a different position." in html
    assert 'aria-describedby="q_o-errors"' in html
    # the grader still copes with what the form holds: first item shown keeps the clashing slot
    responses = responses_from_form(quiz, form)
    assert grade_quiz(quiz, responses).results[0].status in ("partial", "incorrect", "correct")
    partial = build(quiz, formdata=FormData({f"{name}-{a}": "1"}))
    assert not partial.validate()


def test_forged_choice_value_fails_validation_and_grades_zero() -> None:
    quiz = parse("### Q\n- (x) A\n- ( ) B\n\n### M\n- [x] A\n- [ ] B\n")
    form = build(quiz, formdata=FormData({"q_q": "cforged0000", "q_m": ["cforged0000"]}))
    assert not form.validate()
    assert grade_quiz(quiz, responses_from_form(quiz, form)).score == 0


def test_field_names_are_safe_and_unique() -> None:
    quiz = parse(
        "### 이산화탄소?\naccept: a\n\n### 메탄?\naccept: b\n\n### A b\nid: a-b\naccept: c\n"
        "\n### csrf\nid: csrf_token\naccept: d\n"
    )
    names = field_names(quiz)
    assert len(set(names.values())) == 4
    for name in names.values():
        assert re.fullmatch(r"q_[A-Za-z0-9_]+", name), name
    assert names["a-b"] == "q_a_b"
    assert names["csrf_token"] != "csrf_token"


@pytest.mark.parametrize("seed", ["a", "b", "c"])
def test_partial_answers_through_the_form(seed: str) -> None:
    quiz = parse("### M\n- x => 1\n- y => 2\n\n### O\n1. a\n2. b\n")
    matching, ordering = quiz.questions
    form = build(quiz, seed)
    data = formdata_for(
        quiz,
        form,
        {
            matching.id: {matching.pairs[0].left_id: matching.pairs[0].right_id},
            ordering.id: [ordering.items[1].id, ordering.items[0].id],
        },
    )
    form = build(quiz, seed, formdata=data)
    assert form.validate(), form.errors
    result = grade_quiz(quiz, responses_from_form(quiz, form))
    assert [r.status for r in result.results] == ["partial", "incorrect"]
