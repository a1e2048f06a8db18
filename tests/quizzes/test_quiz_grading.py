"""Grading: every type right, wrong and partly right; blank, garbage and forged responses; normalisation."""

from __future__ import annotations

from typing import Any

import pytest

from app.quizzes import (
    QuizSettings,
    correct_answer_text,
    correct_response,
    grade_question,
    grade_quiz,
    reveal_allowed,
)
from tests.quizzes.samples import FULL_QUIZ, choice_id, one, parse

SINGLE = (
    "### Which gas?\n- ( ) Oxygen\n  feedback: Transparent.\n- (x) Water vapour\n  feedback: Yes.\n"
    "- ( ) Ozone\n  misconception: ozone-hole-causes-warming\n"
)
MULTIPLE = (
    "### Greenhouse gases?\n- [x] CO2\n- [x] Methane\n- [ ] Nitrogen\n  misconception: all-gases-trap-heat\n"
    "- [ ] Argon\n  feedback: Noble gas.\n"
)
MATCHING = "### Match\n- CO2 => 420 ppm\n- CH4 => 1.9 ppm\n- N2O => 0.34 ppm\n- O3 => 0.34 ppm\n"
ORDERING = "### Order\n1. a\n2. b\n3. c\n4. d\n"


def test_single_choice_right_and_wrong() -> None:
    q = one(SINGLE)
    right = grade_question(q, choice_id(q, "Water vapour"))
    assert (right.score, right.max_score, right.status) == (1.0, 1.0, "correct")
    assert right.feedback_html == ["Yes."] and right.misconceptions == []
    assert right.response_text == "Water vapour"
    wrong = grade_question(q, choice_id(q, "Ozone"))
    assert (wrong.score, wrong.status) == (0.0, "incorrect")
    assert wrong.misconceptions == ["ozone-hole-causes-warming"]
    oxygen = grade_question(q, choice_id(q, "Oxygen"))
    assert oxygen.feedback_html == ["Transparent."] and oxygen.misconceptions == []


def test_multiple_response_partial_credit() -> None:
    q = one(MULTIPLE + "points: 4\n")
    co2, methane, nitrogen, argon = (choice_id(q, t) for t in ("CO2", "Methane", "Nitrogen", "Argon"))
    assert grade_question(q, [co2, methane]).score == 4
    assert grade_question(q, [co2, methane]).status == "correct"
    half = grade_question(q, [co2])
    assert (half.score, half.status) == (2.0, "partial")
    # (2 right - 1 wrong) / 2 right
    mixed = grade_question(q, [co2, methane, nitrogen])
    assert (mixed.score, mixed.status) == (2.0, "partial")
    assert mixed.misconceptions == ["all-gases-trap-heat"]
    # never below zero
    assert grade_question(q, [co2, nitrogen, argon]).score == 0
    assert grade_question(q, [co2, nitrogen, argon]).status == "incorrect"
    assert grade_question(q, [argon]).feedback_html == ["Noble gas."]
    assert grade_question(q, [argon, co2]).response_text == "CO2; Argon"


def test_multiple_response_without_partial_credit_is_all_or_nothing() -> None:
    q = one(MULTIPLE)
    co2, methane = choice_id(q, "CO2"), choice_id(q, "Methane")
    assert grade_question(q, [co2], partial_credit=False).score == 0
    assert grade_question(q, [co2, methane], partial_credit=False).score == 1


def test_partial_credit_setting_applies_through_grade_quiz() -> None:
    text = MULTIPLE
    partial = parse(text, {"partial_credit": True})
    strict = parse(text, {"partial_credit": False})
    response = {partial.questions[0].id: [choice_id(partial.questions[0], "CO2")]}
    assert grade_quiz(partial, response).score == 0.5
    assert grade_quiz(strict, response).score == 0


@pytest.mark.parametrize(
    ("response", "status"),
    [
        ("true", "correct"),
        ("True", "correct"),
        (True, "correct"),
        ("false", "incorrect"),
        (False, "incorrect"),
    ],
)
def test_true_false(response: Any, status: str) -> None:
    q = one("### Natural?\nanswer: true\nmisconception: greenhouse-effect-is-pollution\n")
    result = grade_question(q, response)
    assert result.status == status
    expected = [] if status == "correct" else ["greenhouse-effect-is-pollution"]
    assert result.misconceptions == expected


@pytest.mark.parametrize(
    "typed",
    [
        "1.1",
        "1.05",
        "1.15",
        " 1.1 ",
        "1,1",
        "１．１",
        "１，１",
        "1.1 °C",
        "1.1°C",
        "1.1℃",
        "+1.1",
        "1.10",
    ],
)
def test_numeric_accepts_what_people_type(typed: str) -> None:
    q = one("### Warming?\nnumber: 1.1 ± 0.05\nunit: °C\n")
    assert grade_question(q, typed).status == "correct", typed


@pytest.mark.parametrize("typed", ["1.16", "1.04", "1.1 km", "about 1", "1.1.1", "11", "-1.1"])
def test_numeric_rejects_wrong_numbers_and_units(typed: str) -> None:
    q = one("### Warming?\nnumber: 1.1 ± 0.05\nunit: °C\nmisconception: warming-is-tiny\n")
    result = grade_question(q, typed)
    assert result.status == "incorrect", typed
    assert result.misconceptions == ["warming-is-tiny"]
    assert result.response_text == typed.strip()


def test_numeric_range_exact_and_thousands() -> None:
    assert grade_question(one("### Q\nnumber: 1.0 .. 1.2\n"), "1.0").status == "correct"
    assert grade_question(one("### Q\nnumber: 1.0 .. 1.2\n"), "1,2").status == "correct"
    assert grade_question(one("### Q\nnumber: 1.0 .. 1.2\n"), "1.21").status == "incorrect"
    assert grade_question(one("### Q\nnumber: 420\nunit: ppm\n"), "420 ppm").status == "correct"
    assert grade_question(one("### Q\nnumber: 420\n"), "420ppm").status == "correct"
    assert grade_question(one("### Q\nnumber: 1500\n"), "1,500").status == "correct"
    assert grade_question(one("### Q\nnumber: 1500\n"), "1 500").status == "correct"
    assert grade_question(one("### Q\nnumber: -3\n"), "−3").status == "correct"  # U+2212 minus


@pytest.mark.parametrize(
    "typed",
    [
        "CO2",
        "co2",
        " CO2  ",
        "ＣＯ２",
        "CO₂",
        "carbon  dioxide",
        "Carbon Dioxide",
        "이산화탄소",
        "이산화탄소 ",
        " 이산화  탄소".replace("  ", ""),
    ],
)
def test_short_text_normalisation(typed: str) -> None:
    q = one("### 화학식?\naccept: CO2 | carbon dioxide | 이산화탄소\n")
    assert grade_question(q, typed).status == "correct", typed


def test_short_text_wrong() -> None:
    q = one("### Q\naccept: carbon dioxide\nmisconception: co2-is-oxygen\n")
    result = grade_question(q, "oxygen")
    assert (result.status, result.misconceptions, result.response_text) == (
        "incorrect",
        ["co2-is-oxygen"],
        "oxygen",
    )
    assert grade_question(q, "carbondioxide").status == "incorrect"


def test_matching_partial_by_pairs() -> None:
    q = one(MATCHING + "points: 2\n")
    right = correct_response(q)
    assert grade_question(q, right).score == 2
    # two left sides may share a right side: both N2O and O3 are 0.34 ppm
    assert len({p.right_id for p in q.pairs}) == 3
    co2, ch4 = q.pairs[0], q.pairs[1]
    swapped = dict(right, **{co2.left_id: ch4.right_id, ch4.left_id: co2.right_id})
    result = grade_question(q, swapped)
    assert (result.score, result.status) == (1.0, "partial")
    assert "CO2 → 1.9 ppm" in result.response_text
    assert grade_question(q, swapped, partial_credit=False).score == 0
    only_one = {co2.left_id: co2.right_id}
    assert grade_question(q, only_one).score == 0.5


def test_ordering_partial_by_position() -> None:
    q = one(ORDERING)
    a, b, c, d = (item.id for item in q.items)
    assert grade_question(q, [a, b, c, d]).status == "correct"
    swapped = grade_question(q, [b, a, c, d])
    assert (swapped.score, swapped.status) == (0.5, "partial")
    assert swapped.response_text == "1. b; 2. a; 3. c; 4. d"
    assert grade_question(q, [d, c, b, a]).score == 0
    assert grade_question(q, [b, a, c, d], partial_credit=False).score == 0
    assert grade_question(q, [a, "", c, ""]).score == 0.5  # gaps left by the form score 0


@pytest.mark.parametrize("response", [None, "", "   ", [], {}, ["", ""], {"x": ""}])
@pytest.mark.parametrize(
    "source",
    [
        SINGLE,
        MULTIPLE,
        MATCHING,
        ORDERING,
        "### Q\nanswer: true\n",
        "### Q\nnumber: 3\n",
        "### Q\naccept: x\n",
    ],
)
def test_blank_responses_are_unanswered(source: str, response: Any) -> None:
    result = grade_question(one(source), response)
    assert (result.status, result.score, result.misconceptions, result.feedback_html) == (
        "unanswered",
        0.0,
        [],
        [],
    )


FORGED: list[Any] = [
    "c0000000000",
    "cdeadbeef00",
    ["c0000000000"],
    {"c0": "c1"},
    ["../../etc"],
    42,
    3.5,
    {"nested": {"a": 1}},
    [["x"]],
    object(),
    "<script>alert(1)</script>",
    ("t", "u"),
]


@pytest.mark.parametrize("response", FORGED, ids=[repr(r)[:20] for r in FORGED])
@pytest.mark.parametrize(
    "source",
    [
        SINGLE,
        MULTIPLE,
        MATCHING,
        ORDERING,
        "### Q\nanswer: true\n",
        "### Q\nnumber: 3\n",
        "### Q\naccept: x\n",
    ],
)
def test_garbage_and_forged_ids_score_zero_without_crashing(source: str, response: Any) -> None:
    result = grade_question(one(source), response)
    assert result.score == 0
    assert result.status in ("incorrect", "unanswered")


def test_forged_ids_do_not_count_as_wrong_picks() -> None:
    q = one(MULTIPLE)
    result = grade_question(q, [choice_id(q, "CO2"), choice_id(q, "Methane"), "cforged0000"])
    assert result.status == "correct"


def test_grade_quiz_totals_percent_and_pass_mark() -> None:
    quiz = parse(FULL_QUIZ, {"pass_mark": 75})
    perfect = {q.id: correct_response(q) for q in quiz.questions}
    result = grade_quiz(quiz, perfect)
    assert (result.score, result.max_score, result.percent, result.passed) == (8.0, 8.0, 100.0, True)
    assert [r.question_id for r in result.results] == [q.id for q in quiz.questions]
    six_of_eight = dict(perfect)
    del six_of_eight["q-main-ghg"]  # worth 2 points
    result = grade_quiz(quiz, six_of_eight)
    assert (result.score, result.percent, result.passed) == (6.0, 75.0, True)
    assert result.results[0].status == "unanswered"
    del six_of_eight["q-ghgs"]
    assert grade_quiz(quiz, six_of_eight).passed is False


def test_grade_quiz_collects_misconceptions_and_survives_garbage() -> None:
    quiz = parse(FULL_QUIZ)
    ozone = choice_id(quiz.questions[0], "Ozone")
    result = grade_quiz(
        quiz,
        {
            "q-main-ghg": ozone,
            "the-greenhouse-effect-is-natural-and-keeps-earth-habitable": "false",
            "unknown-question": "x",
        },
    )
    assert result.misconceptions == ["ozone-hole-causes-warming", "greenhouse-effect-is-pollution"]
    assert grade_quiz(quiz, "not a mapping").score == 0  # type: ignore[arg-type]


def test_pass_mark_boundary_is_inclusive_despite_float_noise() -> None:
    quiz = parse(
        "### A\nanswer: true\n\n### B\nanswer: true\n\n### C\nanswer: true\n",
        {"pass_mark": 66.66666666666667},
    )
    ids = [q.id for q in quiz.questions]
    result = grade_quiz(quiz, {ids[0]: "true", ids[1]: "true"})
    assert result.percent == 66.67 and result.passed


def test_correct_answer_text_for_the_result_page() -> None:
    quiz = parse(FULL_QUIZ)
    texts = [correct_answer_text(q) for q in quiz.questions]
    assert texts[0] == "Water vapour"
    assert texts[1] == "Carbon dioxide; Methane"
    assert texts[2] == "True"
    assert texts[3] == "1.1 ± 0.05 °C"
    assert texts[4] == "CO2 | carbon dioxide | 이산화탄소"
    assert texts[5].startswith("CO₂ → about 420 ppm")
    assert texts[6].startswith("1. Sunlight warms the surface; 2.")


@pytest.mark.parametrize(
    ("reveal", "passed", "allowed"),
    [
        ("after_attempt", False, True),
        ("after_attempt", True, True),
        ("after_passing", False, False),
        ("after_passing", True, True),
        ("never", True, False),
        ("never", False, False),
    ],
)
def test_reveal_allowed(reveal: str, passed: bool, allowed: bool) -> None:
    assert reveal_allowed(QuizSettings(reveal=reveal), passed) is allowed  # type: ignore[arg-type]
