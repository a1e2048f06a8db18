"""GIFT import: every construct of Moodle's GIFT documentation converts to our syntax, parses without
problems and grades as the GIFT file meant; what cannot be converted is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.quizzes import Question, Quiz, correct_response, grade_question, parse_quiz
from app.quizzes.gift import append_to_module, gift_to_markdown
from tests.quizzes.samples import choice_id, render

FIXTURES = Path(__file__).parent / "fixtures"


def convert(gift: str) -> Quiz:
    conversion = gift_to_markdown(gift)
    for render_fn in (None, render):
        quiz, problems = parse_quiz(
            conversion.markdown,
            path="import.md",
            first_line=1,
            settings=None,
            settings_line=1,
            render=render_fn,
        )
        assert not problems, [str(p) for p in problems]
        assert quiz is not None
    return quiz


def only(gift: str) -> Question:
    quiz = convert(gift)
    assert len(quiz.questions) == 1
    return quiz.questions[0]


@pytest.fixture(scope="module")
def docs_quiz() -> Quiz:
    return convert((FIXTURES / "moodle-docs.gift").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def by_id(docs_quiz: Quiz) -> dict[str, Question]:
    return {q.id: q for q in docs_quiz.questions}


def test_documentation_file_converts_without_problems(docs_quiz: Quiz) -> None:
    assert len(docs_quiz.questions) == 31


def test_documentation_file_reports_what_it_skips_and_changes() -> None:
    conversion = gift_to_markdown((FIXTURES / "moodle-docs.gift").read_text(encoding="utf-8"))
    assert [(s.name, s.reason.split(" ")[0]) for s in conversion.skipped] == [
        ("Q32", "essay"),
        ("Q33", "description"),
        ("Q34", "unparseable:"),
    ]
    notes = " ".join(str(n) for n in conversion.notes)
    for expected in (
        "$CATEGORY",
        "true/false feedback",
        "extra right-hand option 'O3'",
        "partial credit 50%",
        "percentage weights became Ondo's partial-credit rule",
    ):
        assert expected in notes
    assert all(line.startswith(("skipped line ", "note line ")) for line in conversion.report())


def test_every_question_grades_full_marks_with_its_right_answer(docs_quiz: Quiz) -> None:
    for question in docs_quiz.questions:
        assert grade_question(question, correct_response(question)).status == "correct", question.id


def test_multiple_choice(by_id: dict[str, Question]) -> None:
    q = by_id["q1"]
    assert q.heading == "Who's buried in Grant's tomb?"
    assert [(c.text, c.correct) for c in q.choices] == [
        ("Grant", False),
        ("Jefferson", False),
        ("no one", True),
    ]
    assert grade_question(q, choice_id(q, "Grant")).status == "incorrect"
    assert [c.text for c in by_id["q2"].choices if c.correct] == ["China"]


def test_missing_word_becomes_a_blank_in_the_heading(by_id: dict[str, Question]) -> None:
    assert by_id["q3"].heading == "Grant is _____ in Grant's tomb."
    assert (
        by_id["q4"].heading == "The American holiday of Thanksgiving is celebrated on the _____ Thursday "
        "of November."
    )
    assert by_id["q6"].heading == "Two plus two equals _____."


def test_short_answer(by_id: dict[str, Question]) -> None:
    assert by_id["q5"].accept == ["no one", "nobody"]
    assert grade_question(by_id["q5"], "No One ").status == "correct"
    assert grade_question(by_id["q6"], "４").status == "correct"
    assert by_id["jesus-hometown-2"].accept == ["Nazareth"]
    misspelled = grade_question(by_id["jesus-hometown-2"], "Nazereth")  # a 75% answer with its own feedback
    assert (misspelled.status, misspelled.score, misspelled.feedback_html) == ("partial", 0.75,
                                                                              ["Right, but misspelled."])


def test_true_false_and_feedback(by_id: dict[str, Question]) -> None:
    assert [by_id[i].answer for i in ("q7", "q8", "q9", "q10", "q11")] == [False, True, False, False, True]
    assert grade_question(by_id["q7"], "false").status == "correct"
    assert "No one is buried" in by_id["q9"].explanation_html
    assert by_id["q10"].explanation_html.index("Right: it sets") < by_id["q10"].explanation_html.index(
        "It rises in the east"
    )


def test_matching(by_id: dict[str, Question]) -> None:
    q = by_id["q12"]
    assert [(p.left_html, p.right_html) for p in q.pairs][-1] == ("India", "New Delhi")
    assert len(by_id["q13"].pairs) == 2  # the distractor "= -> O3" was reported and dropped
    wrong = {p.left_id: q.pairs[0].right_id for p in q.pairs}
    assert grade_question(q, wrong).score == 0.25


@pytest.mark.parametrize(
    ("qid", "right", "wrong"),
    [
        ("q14", "1822", "1823"),
        ("q15", "3.1416", "3.1421"),
        ("q16", "3,1415", "3.143"),
        ("q17", "1822", "1825"),
        ("q31", "4", "5"),
    ],
)
def test_numeric(by_id: dict[str, Question], qid: str, right: str, wrong: str) -> None:
    assert grade_question(by_id[qid], right).status == "correct"
    assert grade_question(by_id[qid], wrong).status == "incorrect"


def test_per_answer_and_general_feedback(by_id: dict[str, Question]) -> None:
    q = by_id["q18"]
    assert grade_question(q, choice_id(q, "right answer")).feedback_html == ["Very good!"]
    assert grade_question(q, choice_id(q, "wrong answer")).feedback_html == [
        "feedback comment on the wrong answer"
    ]
    assert "A week has seven days." in by_id["q23"].explanation_html
    # per-answer feedback of typed answers stays with its answer, never in the explanation every student sees
    assert by_id["q17"].explanation_html == ""
    assert grade_question(by_id["q17"], "1822").feedback_html == ["Correct! 100% credit"]
    close = grade_question(by_id["q17"], "1821")
    assert (close.status, close.score) == ("partial", 0.5)
    assert close.feedback_html == ["He was born in 1822. You get 50% credit for being close."]


def test_weights(by_id: dict[str, Question]) -> None:
    q19 = by_id["q19"]
    assert [c.text for c in q19.choices if c.correct] == ["full credit answer"]
    q22 = by_id["q22"]
    assert q22.type == "multiple"
    assert [c.text for c in q22.choices if c.correct] == ["Grant", "Grant's wife"]
    assert grade_question(q22, [choice_id(q22, "Grant")]).status == "partial"
    assert grade_question(q22, [choice_id(q22, "Grant"), choice_id(q22, "No one")]).score == 0


def test_escapes_and_names(by_id: dict[str, Question]) -> None:
    assert [c.text for c in by_id["q24"].choices if c.correct] == ["= 2 + 3"]
    control = by_id["gift-control-characters"]
    assert [c.text for c in control.choices] == ["~", "=", "#", "{", "}", "\\"]
    assert [c.correct for c in control.choices] == [False] * 5 + [True]
    assert by_id["q26-colons"].heading == "What does : mean in a question name?"


def test_formats(by_id: dict[str, Question]) -> None:
    assert by_id["q27"].heading == "Who's buried in **Grant's tomb**?"
    assert by_id["q28"].heading == "Which gas is **CO₂**? Pick one."
    assert by_id["q29"].heading == "Is 2 \\* 3 = 6 written with \\*asterisks\\*?"
    assert by_id["q29"].title == "Is 2 * 3 = 6 written with *asterisks*?"
    assert by_id["q30"].heading == "What is the chemical symbol of *methane*?"


def test_rendered_formats_show_the_intended_text() -> None:
    gift = (FIXTURES / "moodle-docs.gift").read_text(encoding="utf-8")
    quiz, _ = parse_quiz(
        gift_to_markdown(gift).markdown,
        path="i.md",
        first_line=1,
        settings=None,
        settings_line=1,
        render=render,
    )
    assert quiz is not None
    titles = {q.id: q.title_html for q in quiz.questions}
    assert titles["q28"] == "Which gas is <strong>CO₂</strong>? Pick one."
    assert titles["q29"] == "Is 2 * 3 = 6 written with *asterisks*?"
    assert titles["q3"] == "Grant is _____ in Grant's tomb."


def test_html_is_converted_and_unknown_tags_are_dropped_with_their_text_kept() -> None:
    q = only(
        '::h::[html]<p>Is <span style="color:red">this</span> <em>safe</em>?</p><script>alert(1)</script>{T}'
    )
    assert q.heading == "Is this *safe*?"
    assert "alert(1)" in q.stem_markdown  # kept as visible text, never as a script
    assert "<script>" not in q.stem_markdown


def test_text_that_looks_like_our_syntax_is_escaped() -> None:
    gift = "::s::Which line is a key?{=answer: true ~- ( ) fake ~1. numbered ~a \\=> b ~\\#\\# heading}"
    question = only(gift)
    assert [c.text for c in question.choices] == [
        "answer: true",
        "- ( ) fake",
        "1. numbered",
        "a => b",
        "## heading",
    ]
    assert [c.correct for c in question.choices] == [True, False, False, False, False]


def test_duplicate_names_get_unique_ids() -> None:
    quiz = convert("::Same::A?{T}\n\n::Same::B?{F}\n")
    assert [q.id for q in quiz.questions] == ["same", "same-2"]


@pytest.mark.parametrize(
    ("gift", "reason"),
    [
        ("::e::Essay?{}", "essay"),
        ("::d::Just a description.", "description"),
        ("::u::Open {=a", "no closing"),
        ("::two::A {=a} and {=b}", "more than one answer block"),
        ("::multi::Two right?{=a =b ~c}", "exactly one fully right answer"),
        ("::none::No positive weight?{~%-50%a ~b}", "positive weight"),
        ("::onepair::Match {=a -> b}", "at least two pairs"),
        ("::num::Number?{#abc}", "unparseable number"),
        ("::sa::Partial only?{=%50%half}", "no fully right answer"),
        ("::x::What?{nonsense}", "unparseable answer block"),
    ],
)
def test_unsupported_questions_are_skipped_with_a_reason(gift: str, reason: str) -> None:
    conversion = gift_to_markdown(gift)
    assert conversion.markdown == ""
    assert len(conversion.skipped) == 1
    skipped = conversion.skipped[0]
    assert reason in skipped.reason and skipped.line == 1 and skipped.name


def test_unnamed_questions_are_reported_by_their_first_words_and_line() -> None:
    conversion = gift_to_markdown("// comment\n\nA fine question?{T}\n\nTell me about your summer.{}\n")
    assert [(s.name, s.line) for s in conversion.skipped] == [("Tell me about your summer.", 5)]


def test_append_to_module_adds_the_marker_once() -> None:
    markdown = gift_to_markdown("::a::A?{T}").markdown
    module = "---\ntitle: X\n---\n\nBody.\n"
    once = append_to_module(module, markdown)
    assert once.count("<!-- quiz -->") == 1 and once.endswith("answer: true\n")
    twice = append_to_module(once, gift_to_markdown("::b::B?{F}").markdown)
    assert twice.count("<!-- quiz -->") == 1 and "### B?" in twice


def test_a_stem_paragraph_that_looks_like_a_key_stays_text() -> None:
    question = only("::k::[html]<p>Read this.</p><p>answer: the sky is blue</p>{T}")
    assert question.heading == "Read this."
    assert "answer: the sky is blue" in question.stem_html


def test_korean_file_keeps_korean_ids_and_answers() -> None:
    quiz = convert((FIXTURES / "korean.gift").read_text(encoding="utf-8"))
    by_id = {q.id: q for q in quiz.questions}
    assert list(by_id) == ["이산화탄소", "온실효과", "대기-중-co2", "기체와-기호", "온실기체"]
    assert grade_question(by_id["이산화탄소"], " 이산화탄소 ").status == "correct"
    assert grade_question(by_id["이산화탄소"], "ＣＯ２").status == "correct"
    assert grade_question(by_id["대기-중-co2"], "４２２,５").status == "correct"
    assert by_id["온실효과"].answer is True
    assert by_id["온실기체"].type == "multiple"
    assert [p.right_html for p in by_id["기체와-기호"].pairs] == ["CH₄", "N₂O", "CO₂"]
