"""Short-text and numeric answers with their own feedback and credit (``- accept:``, ``- number:``,
``- wrong:``), and the GIFT import that keeps every per-answer feedback of Moodle's examples."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from app.quizzes import Quiz, correct_response, grade_question
from app.quizzes.gift import gift_to_markdown
from tests.quizzes.samples import file_line, one, parse, problems_of

FIXTURES = Path(__file__).parent / "fixtures"

GAS = """\
### Which gas has added the most to warming since 1750?
misconception: other-gas
- accept: carbon dioxide | CO2
  feedback: Yes: CO₂ gives about two thirds of the extra forcing.
- accept: CO
  credit: 50
  feedback: Nearly: carbon *di*oxide.
- wrong: methane
  feedback: Methane is strong per molecule, but there is much less of it.
  misconception: methane-main-driver
- wrong: *
  feedback: Look again at the forcing chart.
"""

WARMING = """\
### How much has the world warmed since 1850–1900?
unit: °C
- number: 1.1 ± 0.1
  feedback: Right: about 1.1 °C by 2011–2020.
- number: 0.8 .. 1.5
  credit: 50
  feedback: Close; the AR6 best estimate is 1.1 °C.
- wrong: 2 .. 10
  feedback: That is a warming scenario for 2100, not what has happened.
"""


def test_each_accepted_answer_gets_its_own_feedback_and_credit() -> None:
    question = one(GAS)
    assert question.type == "short_text"
    assert question.accept == ["carbon dioxide", "CO2"]  # what a full-marks answer is
    right = grade_question(question, " co2 ")
    assert (right.status, right.feedback_html, right.misconceptions) == (
        "correct", ["Yes: CO₂ gives about two thirds of the extra forcing."], [])
    half = grade_question(question, "CO")
    assert (half.status, half.score) == ("partial", 0.5)
    assert half.feedback_html == ["Nearly: carbon *di*oxide."]  # lint mode escapes; pages render Markdown


def test_a_known_wrong_answer_gets_its_feedback_and_misconception_and_any_other_the_catch_all() -> None:
    question = one(GAS)
    methane = grade_question(question, "Methane")
    assert (methane.status, methane.misconceptions) == ("incorrect", ["methane-main-driver"])
    assert methane.feedback_html == ["Methane is strong per molecule, but there is much less of it."]
    other = grade_question(question, "nitrogen")
    assert (other.status, other.feedback_html, other.misconceptions) == (
        "incorrect", ["Look again at the forcing chart."], ["other-gas"])
    # a right answer is never told it is wrong, and a wrong one never hears the right answer's praise
    assert all("Yes:" not in f for f in methane.feedback_html + other.feedback_html)


def test_numeric_answers_are_checked_in_order_with_their_feedback() -> None:
    question = one(WARMING)
    assert question.numeric is not None and (question.numeric.low, question.numeric.high) == (1.0, 1.2)
    assert grade_question(question, "1.1 °C").feedback_html == ["Right: about 1.1 °C by 2011–2020."]
    close = grade_question(question, "1,4")
    assert (close.status, close.score, close.feedback_html) == (
        "partial", 0.5, ["Close; the AR6 best estimate is 1.1 °C."])
    scenario = grade_question(question, "3")
    assert scenario.status == "incorrect" and "scenario" in scenario.feedback_html[0]
    unforeseen = grade_question(question, "0.1")
    assert (unforeseen.status, unforeseen.feedback_html) == ("incorrect", [])


def test_without_partial_credit_a_partly_right_answer_scores_nothing_but_keeps_its_feedback() -> None:
    question = one(WARMING)
    result = grade_question(question, "1.4", partial_credit=False)
    assert (result.status, result.feedback_html) == ("incorrect", ["Close; the AR6 best estimate is 1.1 °C."])


def test_question_level_keys_and_items_work_together_and_survive_a_snapshot() -> None:
    quiz = parse("### Symbol of methane?\naccept: CH4\n- wrong: CO2\n  feedback: That is carbon dioxide.\n")
    question = quiz.questions[0]
    assert grade_question(question, "ch4").status == "correct"
    assert grade_question(question, "CO2").feedback_html == ["That is carbon dioxide."]
    again = Quiz.from_dict(json.loads(json.dumps(quiz.to_dict())))
    assert again == quiz
    assert grade_question(again.questions[0], "CO2").feedback_html == ["That is carbon dioxide."]


def test_plain_accept_and_number_still_grade_as_before() -> None:
    question = one("### Symbol of methane?\naccept: CH4 | methane\n")
    assert question.known_answers == []
    assert grade_question(question, "Methane").status == "correct"


@pytest.mark.parametrize(
    ("text", "needle", "message"),
    [
        ("### Q\n- wrong: methane\n", "- wrong: methane", "- wrong: answers need a right one"),
        ("### Q\n- accept: CO2\n  credit: 50\n", "### Q", "no fully right answer"),
        ("### Q\n- accept: CO2\n- accept: CO\n  credit: 150\n", "credit: 150", "percentage from 1 to 100"),
        ("### Q\n- accept: CO2\n- wrong: CH4\n  credit: 10\n", "credit: 10", "a wrong answer earns nothing"),
        ("### Q\n- accept: *\n", "- accept: *", "only goes after - wrong:"),
        ("### Q\n- accept: CO2\n  misconception: co2-tag\n", "misconception:", "fully right answer"),
        ("### Q\n- number: lots\n", "- number: lots", "bad number 'lots'"),
        ("### Q\n- accept: CO2\n- number: 4\n", "- number: 4", "mixed answer kinds"),
        ("### Q\n- (x) A\n- ( ) B\n- wrong: C\n", "- wrong: C", "- wrong: goes with accept: or number:"),
        ("### Q\n- (x) A\n  credit: 50\n- ( ) B\n", "credit: 50", "credit: goes under - accept:"),
    ],
)
def test_mistakes_in_typed_answers_are_reported_at_their_line(text: str, needle: str, message: str) -> None:
    problems = problems_of(text)
    assert any(line == file_line(text, needle) and message in text_ for line, text_ in problems), problems


# --- GIFT ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def typed() -> dict[str, object]:
    conversion = gift_to_markdown((FIXTURES / "moodle-typed-feedback.gift").read_text(encoding="utf-8"))
    quiz = parse(conversion.markdown)
    return {"conversion": conversion, "questions": {q.id: q for q in quiz.questions}}


# Every per-answer feedback of the fixture: (question, a response that reaches that answer, its feedback)
GIFT_FEEDBACK = [
    ("sa1", "no one", "excellent answer!"),
    ("sa1", "Nobody", "excellent answer!"),
    ("sa2", "Nazareth", "Yes! That's right!"),
    ("sa2", "Nazereth", "Right, but misspelled."),
    ("sa2", "Bethlehem", "He was born here, but not raised here."),
    ("sa3", "four", "Yes."),
    ("sa3", "4", "Yes, in digits."),
    ("sa3", "five", "Only in Orwell's 1984."),
    ("sa3", "three", "Count again."),
    ("n1", "3.1416", "Good: 3.142."),
    ("n2", "1822", "Correct! 100% credit"),
    ("n2", "1823", "He was born in 1822. You get 50% credit for being close."),
    ("n3", "1958", "Yes: Charles David Keeling began it in March 1958."),
    ("n3", "1930", "Too early: continuous measurements started later."),
    ("n3", "1990", "Look at the first year of the Keeling curve."),
    ("n4", "7", "Right."),
    ("sa5", "carbon dioxide", "Right."),
    ("sa6", "Earth", "Yes."),
    ("sa6", "Mars", "No, and points off in Moodle."),
]


@pytest.mark.parametrize(("qid", "response", "feedback"), GIFT_FEEDBACK)
def test_gift_import_keeps_every_per_answer_feedback_with_its_answer(typed, qid, response, feedback) -> None:
    question = typed["questions"][qid]
    assert [html.unescape(f) for f in grade_question(question, response).feedback_html] == [feedback]
    assert feedback not in question.explanation_html  # never shown to everyone as the explanation


def test_gift_import_grades_weights_as_moodle_and_reports_what_is_simplified(typed) -> None:
    questions = typed["questions"]
    assert (grade_question(questions["sa2"], "Bethlehem").score, questions["sa2"].accept) == (0.25, ["Nazareth"])
    assert grade_question(questions["n2"], "1824").score == 0.5
    assert grade_question(questions["n3"], "1930").status == "incorrect"
    assert "A week has seven days." in questions["n4"].explanation_html
    for question in questions.values():
        assert grade_question(question, correct_response(question)).status == "correct", question.id
    notes = [str(n) for n in typed["conversion"].notes]
    assert any("SA5" in n and "'Carbon*'" in n and "wildcard" in n for n in notes)
    assert any("SA6" in n and "-50%" in n for n in notes)
    assert not typed["conversion"].skipped


def test_a_misconception_on_a_typed_wrong_answer_counts_as_tested_by_the_question() -> None:
    # The pre/post report counts a misconception only among students whose form tests it, the catalogue lint
    # checks each tag a question can show, and the forms must test the same tags: all read misconception_tags.
    assert one(GAS).misconception_tags == ["other-gas", "methane-main-driver"]
    assert one(WARMING.replace("scenario for 2100, not what has happened.",
                               "scenario.\n  misconception: future-is-now")).misconception_tags == ["future-is-now"]
