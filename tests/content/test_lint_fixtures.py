"""The linter on the fixture trees: every message an author would see, with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.content import lint_course_tree, parse_course_tree, resolve_course_path

from .support import BROKEN, FIXTURES, GOOD

# Exactly what `flask courses lint broken` prints for the broken tree, in order (one problem a line).
BROKEN_EXPECTED = (FIXTURES / "broken.expected.txt").read_text(encoding="utf-8")


def test_every_problem_in_the_broken_tree_is_reported_at_its_file_and_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(FIXTURES)  # paths are printed as the user typed them
    printed = [str(problem) for problem in lint_course_tree(Path("broken"))]
    assert printed == BROKEN_EXPECTED.splitlines()


def test_missing_translation_and_missing_korean_title_are_warnings_not_errors() -> None:
    problems = lint_course_tree(BROKEN)
    warnings = {p.message for p in problems if not p.is_error}
    assert "no Korean version of this module (02-tilt.ko.md)" in warnings
    assert "'title' has no Korean text (ko)" in warnings
    assert all("no Korean" in m or "no English" in m for m in warnings)


def test_linting_one_course_folder_reports_only_that_course(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)
    problems = lint_course_tree(Path("broken/bad-yaml"))
    assert [str(p) for p in problems] == [
        line for line in BROKEN_EXPECTED.splitlines() if line.startswith("broken/bad-yaml/")
    ]


def test_linting_a_course_folder_given_as_dot_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BROKEN / "bad-yaml")
    problems = lint_course_tree(Path("."))
    assert {Path(p.path).name for p in problems} == {"course.yml", "01-intro.en.md"}


def test_resolve_course_path_tells_the_courses_root_from_a_course_folder() -> None:
    assert resolve_course_path(BROKEN) == (BROKEN, None)
    assert resolve_course_path(BROKEN / "energy") == (BROKEN, "energy")


def test_the_good_course_lints_clean() -> None:
    assert lint_course_tree(GOOD) == []


def test_the_good_course_parses_into_modules_in_order() -> None:
    courses, problems = parse_course_tree(GOOD)
    assert problems == []
    (course,) = courses
    assert course.slug == "climate-basics"
    assert course.title == {"en": "Climate Basics", "ko": "기후 기초"}
    assert course.level == "both" and course.hours == 1.5 and course.order == 1
    assert course.principles == ("EP1", "EP4", "AC2")
    assert course.module_slugs() == ["weather-and-climate", "greenhouse-effect"]
    assert [(m.order, m.slug, m.lang) for m in course.modules] == [
        (1, "weather-and-climate", "en"),
        (1, "weather-and-climate", "ko"),
        (2, "greenhouse-effect", "en"),
        (2, "greenhouse-effect", "ko"),
    ]
    greenhouse = course.versions("greenhouse-effect")["en"]
    assert greenhouse.prerequisites == ("weather-and-climate",)
    assert greenhouse.formerly == ("greenhouse-basics",)
    assert greenhouse.quiz_settings == {"pass_mark": 60, "attempts": 2}
    assert greenhouse.quiz_settings_line == 10
    assert greenhouse.datasets == ("co2_sample",)
    assert greenhouse.body_first_line == 14
    assert greenhouse.body_markdown.startswith("\n## Carbon dioxide is rising")
    assert greenhouse.quiz_markdown is not None
    assert greenhouse.quiz_first_line == 31
    lines = Path(greenhouse.path).read_text(encoding="utf-8").split("\n")
    assert lines[greenhouse.quiz_first_line - 2] == "<!-- quiz -->"
    assert greenhouse.quiz_markdown.split("\n")[0] == lines[greenhouse.quiz_first_line - 1]
    weather = course.versions("weather-and-climate")["ko"]
    assert weather.title == "날씨와 기후"
    assert weather.quiz_markdown is None and weather.quiz_settings is None


def test_parse_only_one_course() -> None:
    courses, problems = parse_course_tree(BROKEN, only="bad-yaml")
    assert courses == []
    assert {Path(p.path).parent.name for p in problems} == {"bad-yaml"}
    courses, problems = parse_course_tree(BROKEN, only="nope")
    assert courses == [] and [p.message for p in problems] == [f"no course folder 'nope' in {BROKEN}"]


def test_courses_with_errors_are_left_out_of_the_parse_result() -> None:
    courses, problems = parse_course_tree(BROKEN)
    assert courses == []
    assert any(p.is_error for p in problems)
