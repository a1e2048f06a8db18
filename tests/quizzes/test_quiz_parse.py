"""The quiz section parser: every question type, ids, stems, and every lint problem at its exact line."""

from __future__ import annotations

import pytest

from app.quizzes import QuizSettings, parse_quiz
from tests.quizzes.samples import (
    FULL_QUIZ,
    QUIZ_FIRST_LINE,
    file_line,
    one,
    parse,
    problems_of,
)


def test_full_quiz_parses_every_type_in_order() -> None:
    quiz = parse(FULL_QUIZ)
    assert [q.type for q in quiz.questions] == [
        "single",
        "multiple",
        "true_false",
        "numeric",
        "short_text",
        "matching",
        "ordering",
    ]
    assert quiz.settings == QuizSettings()


def test_single_choice_keeps_feedback_misconception_and_points() -> None:
    question = parse(FULL_QUIZ).questions[0]
    assert question.id == "q-main-ghg"
    assert question.points == 2
    assert question.line == file_line(FULL_QUIZ, "### Which gas traps")
    assert [(c.text, c.correct) for c in question.choices] == [
        ("Oxygen", False),
        ("Water vapour", True),
        ("Ozone", False),
    ]
    ozone = question.choices[2]
    assert ozone.misconception == "ozone-hole-causes-warming"
    assert ozone.feedback_html == "The ozone hole lets in UV; it is not why the planet warms."
    assert "CO₂ sets the level" in question.explanation_html


def test_numeric_stem_unit_and_bounds() -> None:
    question = parse(FULL_QUIZ).questions[3]
    assert question.stem_markdown == "Use the IPCC AR6 best estimate for 2011–2020."
    assert question.unit == "°C"
    assert question.numeric is not None
    assert (question.numeric.low, question.numeric.high) == (1.05, 1.15)
    assert question.misconception == "warming-is-tiny"


@pytest.mark.parametrize(
    ("spec", "low", "high"),
    [
        ("420", 420, 420),
        ("1.1 +- 0.05", 1.05, 1.15),
        ("1.0 .. 1.2", 1.0, 1.2),
        ("-2..-1", -2, -1),
        ("1.1±0.05", 1.05, 1.15),
    ],
)
def test_number_forms(spec: str, low: float, high: float) -> None:
    question = one(f"### Q\nnumber: {spec}\n")
    assert question.numeric is not None
    assert (question.numeric.low, question.numeric.high) == (low, high)


def test_matching_and_ordering_items() -> None:
    quiz = parse(FULL_QUIZ)
    matching, ordering = quiz.questions[5], quiz.questions[6]
    assert [(p.left_html, p.right_html) for p in matching.pairs][0] == ("CO₂", "about 420 ppm")
    assert [i.text for i in ordering.items][0] == "Sunlight warms the surface"
    assert len(ordering.items) == 4


def test_ids_are_opaque_and_unique() -> None:
    quiz = parse(FULL_QUIZ)
    ids = [c.id for q in quiz.questions for c in q.choices]
    ids += [p.left_id for q in quiz.questions for p in q.pairs]
    ids += [i.id for q in quiz.questions for i in q.items]
    assert len(ids) == len(set(ids))
    assert all(len(i) == 11 and i.startswith("c") for i in ids)


def test_choice_id_does_not_depend_on_correctness_or_position() -> None:
    a = one("### Q\n- (x) Yes\n- ( ) No\n")
    b = one("### Q\n- ( ) No\n- (x) Yes\n")
    c = one("### Q\n- ( ) Yes\n- (x) No\n")
    ids = {ch.text: ch.id for ch in a.choices}
    assert ids == {ch.text: ch.id for ch in b.choices} == {ch.text: ch.id for ch in c.choices}


def test_heading_slug_ids_are_unicode_aware_and_stable() -> None:
    quiz = parse("### 이산화탄소의 화학식은?\naccept: CO2\n\n### What is *CO₂*?\naccept: gas\n")
    assert [q.id for q in quiz.questions] == ["이산화탄소의-화학식은", "what-is-co2"]


def test_duplicate_headings_get_suffixed_ids_with_a_warning() -> None:
    text = "### Same?\nanswer: true\n\n### Same?\nanswer: false\n"
    quiz, problems = parse_quiz(text, path="m.md", first_line=1, settings=None, settings_line=1)
    assert quiz is not None
    assert [q.id for q in quiz.questions] == ["same", "same-2"]
    assert [(p.line, p.severity) for p in problems] == [(4, "warning")]


def test_auto_id_avoids_an_explicit_id() -> None:
    quiz = parse("### Same\nanswer: true\n\n### Other\nid: same\nanswer: false\n")
    assert [q.id for q in quiz.questions] == ["same-2", "same"]


def test_stem_keeps_tables_and_fenced_blocks_and_keys_inside_fences_are_ignored() -> None:
    text = (
        "### Read the chart\n"
        "id: chart-q\n"
        "\n"
        "```chart\n"
        "dataset: co2_annmean_mlo\n"
        "type: line\n"
        "```\n"
        "\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n"
        "\n"
        "- (x) Up\n"
        "- ( ) Down\n"
    )
    question = one(text)
    assert "dataset: co2_annmean_mlo" in question.stem_markdown
    assert "| a | b |" in question.stem_markdown
    rendered = parse(text, rendered=True).questions[0]
    assert "<table>" in rendered.stem_html


def test_render_is_used_for_html_and_one_paragraph_is_unwrapped() -> None:
    question = parse(
        "### What is *CO₂*?\n- (x) A **gas**\n- ( ) A <script>x</script>rock\n", rendered=True
    ).questions[0]
    assert question.title_html == "What is <em>CO₂</em>?"
    assert question.choices[0].text_html == "A <strong>gas</strong>"
    assert "<script>" not in question.choices[1].text_html


def test_lint_without_render_escapes_html() -> None:
    question = one("### Is <b>this</b> bold?\nanswer: false\n")
    assert question.title_html == "Is &lt;b&gt;this&lt;/b&gt; bold?"
    assert question.title == "Is <b>this</b> bold?"


def test_multiline_choice_feedback_and_blank_line_in_explanation() -> None:
    text = (
        "### Q\n"
        "- (x) first part\n"
        "  continues here\n"
        "  feedback: Good\n"
        "    and more.\n"
        "- ( ) other\n"
        "\n"
        "explanation: One.\n"
        "\n"
        "  Two.\n"
    )
    question = parse(text, rendered=True).questions[0]
    assert question.choices[0].text_html == "first part continues here"
    assert question.choices[0].feedback_html == "Good and more."
    assert question.explanation_html == "<p>One.</p>\n<p>Two.</p>"


def test_settings_are_read() -> None:
    settings = {
        "pass_mark": 80,
        "attempts": 3,
        "shuffle_questions": True,
        "shuffle_choices": False,
        "reveal": "after_passing",
        "partial_credit": False,
    }
    quiz = parse("### Q\nanswer: true\n", settings)
    assert quiz.settings == QuizSettings(80, 3, True, False, "after_passing", False)
    assert parse("### Q\nanswer: true\n", {"attempts": "unlimited"}).settings.attempts is None


def test_errors_give_no_quiz() -> None:
    quiz, problems = parse_quiz(
        "### Q\n- ( ) a\n- ( ) b\n", path="m.md", first_line=1, settings=None, settings_line=1
    )
    assert quiz is None
    assert [str(p) for p in problems] == ["m.md:1: no correct answer: mark the right choice with (x)"]


# (text, the text of the line the problem must be on, part of the message)
LINT_CASES = [
    ("### Q\n- ( ) a\n- ( ) b\n", "### Q", "no correct answer"),
    ("### Q\n- [ ] a\n- [ ] b\n", "### Q", "no correct answer"),
    ("### Q\n- (x) a\n- (x) b\n", "- (x) b", "two correct answers in a single-choice question"),
    ("### Q\n- (x) a\n- ( )\n", "- ( )", "empty choice"),
    ("### Q\n- a => 1\n- => 2\n", "- => 2", "empty choice"),
    ("### Q\n1. a\n2.\n", "2.", "empty choice"),
    ("### Q\nnumber: 1,5\n", "number:", "bad number"),
    ("### Q\nnumber: about 3\n", "number:", "bad number"),
    ("### Q\nnumber: 1.2 .. 1.0\n", "number:", "bad number"),
    ("### Q\n\nnumber: 3 ± -1\n", "number:", "bad number"),
    ("### Q\ncolour: red\nanswer: true\n", "colour:", "unknown key 'colour'"),
    ("### Q\n- (x) a\n  hint: no\n- ( ) b\n", "hint:", "unknown key 'hint' under an answer"),
    ("### Q\nSome text but no answers.\n\n### R\nanswer: true\n", "### Q", "question with no answers"),
    ("### Q\n- ( ) a\n- [x] b\n", "- [x] b", "mixed answer kinds"),
    ("### Q\nanswer: true\nnumber: 3\n", "number: 3", "mixed answer kinds"),
    ("### Q\n- (x) a\n- ( ) b\naccept: a\n", "accept:", "mixed answer kinds"),
    (
        "### Q\nid: same\nanswer: true\n\n### R\nid: same\nanswer: false\n",
        "id: same\nanswer: false",
        "duplicate question id 'same'",
    ),
    (
        "### Q\n- (x) a\n  misconception: a-is-wrong\n- ( ) b\n",
        "misconception:",
        "misconception on a correct",
    ),
    ("### Q\n- (x) a\n- ( ) b\n  misconception: Ozone Hole\n", "misconception:", "bad misconception tag"),
    ("### Q\nanswer: true\nmisconception: bad_tag\n", "misconception:", "bad misconception tag"),
    ("### Q\n- a => 1\n", "### Q", "at least two pairs"),
    ("### Q\n1. only\n", "### Q", "at least two items"),
    ("### Q\npoints: 0\nanswer: true\n", "points:", "points must be a positive number"),
    ("### Q\npoints: -1\nanswer: true\n", "points:", "points must be a positive number"),
    ("### Q\npoints: two\nanswer: true\n", "points:", "points must be a positive number"),
    ("### Q\npoints: nan\nanswer: true\n", "points:", "points must be a positive number"),
    ("Intro text\n### Q\nanswer: true\n", "Intro text", "text before the first question"),
    ("### Q\nanswer: true\n\n## References\n", "## References", "level-2 heading inside the quiz"),
    ("### Q\nanswer: true\nunit: m\n", "unit:", "unit: only goes with a number"),
    ("### Q\n- (x) a\n- ( ) b\nmisconception: a-b\n", "misconception:", "goes under the wrong choice"),
    ("### Q\nanswer: maybe\n", "answer:", "answer: must be true or false"),
    ("### Q\n- (x) a\n- ( ) b\nMore stem here.\n", "More stem", "unexpected text after the answers"),
    ("### Q\n- (x) a\n- ( ) b\n- c\n", "- c", "list items here must be answers"),
    ("### Q\nanswer: true\nanswer: false\n", "answer: false", "duplicate key 'answer'"),
    ("### Q\n2. a\n1. b\n", "1. b", "numbered 1, 2, 3"),
    ("### Q\n- (x) a\n- ( ) a\n", "- ( ) a", "duplicate choice 'a'"),
    ("### Q\n- a => 1\n- a => 2\n", "- a => 2", "duplicate left side"),
    ("### Q\nid: has space\nanswer: true\n", "id:", "bad question id"),
    ("### Q\naccept: a || b\n", "accept:", "empty answer in accept"),
    ("### Q\n- (x) a\n", "### Q", "at least two choices"),
    ("### Q\n1. a\n   feedback: no\n2. b\n", "feedback:", "feedback: under a ordering item"),
]


@pytest.mark.parametrize(("text", "needle", "message"), LINT_CASES, ids=[c[2] for c in LINT_CASES])
def test_lint_problem_at_exact_line(text: str, needle: str, message: str) -> None:
    problems = problems_of(text)
    if "\n" in needle:  # a needle spanning lines: the line where the match starts
        start = text.index(needle)
        line = QUIZ_FIRST_LINE + text[:start].count("\n")
    else:
        line = file_line(text, needle)
    assert any(found_line == line and message in found_message for found_line, found_message in problems), (
        problems
    )


def test_empty_quiz_section_is_reported_at_the_marker_line() -> None:
    assert problems_of("\n\n") == [
        (QUIZ_FIRST_LINE - 1, "the quiz section has no questions (each starts with '### ')")
    ]


SETTINGS_CASES = [
    ({"passmark": 70}, "unknown quiz setting 'passmark'"),
    ({"pass_mark": 101}, "pass_mark must be a number from 0 to 100"),
    ({"pass_mark": -1}, "pass_mark must be a number from 0 to 100"),
    ({"pass_mark": True}, "pass_mark must be a number from 0 to 100"),
    ({"pass_mark": "70"}, "pass_mark must be a number from 0 to 100"),
    ({"attempts": 0}, "attempts must be a whole number of at least 1"),
    ({"attempts": "many"}, "attempts must be a whole number of at least 1"),
    ({"attempts": 1.5}, "attempts must be a whole number of at least 1"),
    ({"reveal": "sometimes"}, "reveal must be one of after_attempt, after_passing, never"),
    ({"shuffle_choices": "yes"}, "quiz shuffle_choices must be true or false"),
    ({"partial_credit": 1}, "quiz partial_credit must be true or false"),
]


@pytest.mark.parametrize(("settings", "message"), SETTINGS_CASES, ids=[c[1] for c in SETTINGS_CASES])
def test_bad_settings_are_reported_at_the_settings_line(settings: dict, message: str) -> None:
    problems = problems_of("### Q\nanswer: true\n", settings)
    assert len(problems) == 1
    assert problems[0][0] == 5 and message in problems[0][1]


def test_settings_must_be_a_mapping() -> None:
    assert problems_of("### Q\nanswer: true\n", ["pass_mark"])[0][0] == 5  # type: ignore[arg-type]


def test_numbered_headings_and_marker_like_choices_stay_inline() -> None:
    text = "### 1. Why?\nid:q-one\n- (x) - a dash\n- ( ) > a quote\n- ( ) *em* start\n"
    question = parse(text, rendered=True).questions[0]
    assert question.id == "q-one"
    assert question.title_html == "1. Why?"
    assert [c.text_html for c in question.choices] == ["- a dash", "&gt; a quote", "<em>em</em> start"]


def test_a_url_line_in_the_stem_is_not_a_key() -> None:
    question = one("### Q\nhttps://climate.nasa.gov\n\nanswer: true\n")
    assert question.stem_markdown == "https://climate.nasa.gov"
