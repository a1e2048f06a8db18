"""Parallel quiz forms: ``<!-- quiz form: A -->`` / ``<!-- quiz form: B -->`` split a quiz into forms."""

from __future__ import annotations

from pathlib import Path

from app.content import parse_course_tree
from app.quizzes import Quiz
from tests.content.support import make_course, module_text
from tests.quizzes.samples import QUIZ_FIRST_LINE, file_line, parse, problems_of

TWO_FORMS = """\
<!-- quiz form: A -->

### Why are summers warm?
id: a-seasons

- (x) The tilt of Earth's axis
- ( ) Earth is closer to the Sun
  misconception: seasons-from-sun-distance

### CO₂ is a trace gas, so it cannot matter.
id: a-trace
answer: false
misconception: trace-gas-cannot-matter

<!-- quiz form: B -->

### Australia has summer in December. Why?
id: b-seasons

- (x) The Southern Hemisphere faces the Sun more directly then
- ( ) Earth is nearest the Sun in early January
  misconception: seasons-from-sun-distance

### Methane is only about 2 ppm of the air. Can it warm Earth?
id: b-trace

- (x) Yes: it absorbs infrared
- ( ) No: too little to matter
  misconception: trace-gas-cannot-matter
"""


def test_form_markers_put_each_question_in_its_form() -> None:
    quiz = parse(TWO_FORMS)
    assert [(q.id, q.form) for q in quiz.questions] == [
        ("a-seasons", "A"), ("a-trace", "A"), ("b-seasons", "B"), ("b-trace", "B"),
    ]
    assert quiz.forms == ["A", "B"]
    assert problems_of(TWO_FORMS) == []


def test_a_student_form_holds_only_that_forms_questions_and_survives_a_snapshot() -> None:
    quiz = parse(TWO_FORMS)
    form_b = quiz.for_form("B")
    assert [q.id for q in form_b.questions] == ["b-seasons", "b-trace"]
    assert form_b.settings == quiz.settings
    assert Quiz.from_dict(quiz.to_dict()).for_form("B").questions == form_b.questions
    assert [q.id for q in quiz.for_form("Z").questions] == ["a-seasons", "a-trace"]  # unknown: first form


def test_a_quiz_without_markers_has_one_form_as_before() -> None:
    quiz = parse("### Q?\nanswer: true\n")
    assert quiz.forms == []
    assert quiz.for_form("A") is quiz
    assert quiz.questions[0].form == ""


def test_question_ids_are_unique_across_forms() -> None:
    text = TWO_FORMS.replace("id: b-trace", "id: a-trace")
    line = file_line(text, "id: a-trace")
    second = QUIZ_FIRST_LINE + text.splitlines().index("id: a-trace", line - QUIZ_FIRST_LINE + 1)
    assert (second, f"duplicate question id 'a-trace' (first on line {line})") in problems_of(text)


def test_an_unknown_or_misspelt_form_label_is_an_error_at_its_line() -> None:
    text = TWO_FORMS.replace("<!-- quiz form: B -->", "<!-- quiz form: C -->")
    line = file_line(text, "quiz form: C")
    assert (line, "unknown quiz form 'C': forms are A, B") in problems_of(text)
    text = TWO_FORMS.replace("<!-- quiz form: B -->", "<!-- quiz form: b -->")
    assert (line, "unknown quiz form 'b' (capital letters: 'B'): forms are A, B") in problems_of(text)
    text = TWO_FORMS.replace("<!-- quiz form: B -->", "<!-- quiz form B -->")
    assert any(ln == line and "not a quiz marker Ondo knows" in msg for ln, msg in problems_of(text))


def test_a_form_started_twice_or_left_empty_is_an_error() -> None:
    text = TWO_FORMS.replace("<!-- quiz form: B -->", "<!-- quiz form: A -->")
    line = file_line(text, "### Australia") - 2
    assert (line, f"form A starts twice (first on line {QUIZ_FIRST_LINE})") in problems_of(text)
    empty = "<!-- quiz form: A -->\n\n### Q?\nanswer: true\n\n<!-- quiz form: B -->\n"
    assert (QUIZ_FIRST_LINE + 5, "form B has no questions (each starts with '### ')") in problems_of(empty)


def test_forms_that_test_different_misconceptions_get_a_warning_naming_the_missing_tags() -> None:
    text = TWO_FORMS.replace("  misconception: trace-gas-cannot-matter\n", "")
    line_b = file_line(text, "quiz form: B")
    problems = problems_of(text)
    assert [(ln, msg.split(" (")[0]) for ln, msg in problems] == [
        (line_b, "form B tests no item for misconception(s) the other form tests: trace-gas-cannot-matter"),
    ]
    parse(text)  # a warning: the quiz is still usable


def test_forms_of_different_length_and_a_lone_form_are_warnings() -> None:
    text = TWO_FORMS + "\n### Extra?\nid: b-extra\nanswer: true\n"
    assert (QUIZ_FIRST_LINE, "the forms have different numbers of questions (A: 2, B: 3)") in problems_of(text)
    lone = "<!-- quiz form: A -->\n\n### Q?\nanswer: true\n"
    assert problems_of(lone) == [(QUIZ_FIRST_LINE, "only form A: add form B for a parallel form, "
                                                   "or use '<!-- quiz -->' for a single form")]


def test_a_module_file_with_forms_lints_and_keeps_the_markers_for_the_parser(tmp_path: Path) -> None:
    body = "## Reading\n\nText.\n\n" + TWO_FORMS
    make_course(tmp_path, {name: module_text(body) for name in ("01-intro.en.md", "01-intro.ko.md")})
    courses, problems = parse_course_tree(tmp_path)
    assert problems == []
    module = courses[0].versions("intro")["en"]
    assert "quiz form" not in module.body_markdown
    assert module.quiz_markdown is not None and module.quiz_markdown.startswith("<!-- quiz form: A -->")


def test_mixing_the_single_quiz_marker_with_form_markers_is_an_error(tmp_path: Path) -> None:
    body = "Text.\n\n<!-- quiz -->\n\n" + TWO_FORMS
    make_course(tmp_path, {name: module_text(body) for name in ("01-intro.en.md", "01-intro.ko.md")})
    _, problems = parse_course_tree(tmp_path)
    assert any("drop '<!-- quiz -->'" in p.message and p.is_error for p in problems)


def test_form_markers_are_refused_in_a_check_block(tmp_path: Path) -> None:
    body = "Text.\n\n```check\n<!-- quiz form: A -->\n### Q?\nanswer: true\n```\n"
    make_course(tmp_path, {name: module_text(body) for name in ("01-intro.en.md", "01-intro.ko.md")})
    _, problems = parse_course_tree(tmp_path)
    assert any("not in a check block" in p.message for p in problems)
