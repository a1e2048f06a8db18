"""Review options: each of the five items is shown from its own moment on, and ``reveal:`` maps onto them."""

from __future__ import annotations

import itertools

import pytest

from app.quizzes import QuizSettings
from app.quizzes.review import REVIEW_ITEMS, REVIEW_TIMES, ReviewMoment, is_visible, review_at, review_times
from tests.quizzes.samples import parse, problems_of

MOMENTS = {
    "just sent": ReviewMoment(),
    "passed": ReviewMoment(passed=True),
    "due passed": ReviewMoment(due_passed=True),
    "released": ReviewMoment(released=True),
}
# time -> the moments at which it is visible
EXPECTED = {
    "during": {"just sent", "passed", "due passed", "released"},
    "after_attempt": {"just sent", "passed", "due passed", "released"},
    "after_passing": {"passed"},
    "after_due": {"due passed"},
    "after_release": {"released"},
    "never": set(),
}


@pytest.mark.parametrize(("item", "time", "moment"), list(itertools.product(REVIEW_ITEMS, REVIEW_TIMES, MOMENTS)))
def test_every_item_at_every_time_shows_exactly_from_its_moment(item: str, time: str, moment: str) -> None:
    """One item set to ``time`` (the others never): only that item is shown, and only at the right moments."""
    times = dict.fromkeys(REVIEW_ITEMS, "never") | {item: time}
    shown = review_at(times, MOMENTS[moment])  # type: ignore[arg-type]
    expected = moment in EXPECTED[time]
    assert getattr(shown, item) is expected
    assert [name for name in REVIEW_ITEMS if name != item and getattr(shown, name)] == []
    assert shown.anything is expected


def test_visibility_table_is_complete() -> None:
    assert set(EXPECTED) == set(REVIEW_TIMES)
    assert is_visible("after_release", ReviewMoment(released=True, due_passed=True))


@pytest.mark.parametrize(
    ("reveal", "expected"),
    [
        ("after_attempt", dict.fromkeys(REVIEW_ITEMS, "after_attempt")),
        ("after_passing", {"correctness": "after_attempt", "points": "after_attempt", "score": "after_attempt",
                           "answers": "after_passing", "feedback": "after_passing"}),
        ("never", {"correctness": "after_attempt", "points": "after_attempt", "score": "after_attempt",
                   "answers": "never", "feedback": "never"}),
    ],
)
def test_todays_reveal_values_map_onto_review_options(reveal: str, expected: dict[str, str]) -> None:
    assert parse("### Q?\nanswer: true\n", {"reveal": reveal}).settings.review_times() == expected


def test_review_entries_override_the_reveal_preset_one_by_one() -> None:
    settings = parse("### Q?\nanswer: true\n", {"reveal": "never", "review": {"score": "after_release"}}).settings
    assert settings.review == {"score": "after_release"}
    assert settings.review_times()["score"] == "after_release"
    assert settings.review_times()["correctness"] == "after_attempt"
    assert review_times("after_attempt", {"answers": "bogus"})["answers"] == "after_attempt"  # old snapshot junk


def test_review_settings_survive_a_snapshot() -> None:
    settings = QuizSettings(review={"feedback": "after_due"})
    assert QuizSettings.from_dict(settings.to_dict()) == settings
    assert QuizSettings.from_dict({"reveal": "never"}).review == {}  # snapshots from before review options


@pytest.mark.parametrize(
    ("review", "message"),
    [
        ({"scor": "never"}, "unknown review item 'scor' (known: correctness, points, answers, feedback, score)"),
        ({"score": "later"}, "review score must be one of during, after_attempt, after_passing, after_due, "
                             "after_release, never, not 'later'"),
        ("never", "quiz review must be a mapping like 'score: after_release' "
                  "(items: correctness, points, answers, feedback, score)"),
    ],
)
def test_bad_review_settings_are_reported_at_the_settings_line(review: object, message: str) -> None:
    assert problems_of("### Q?\nanswer: true\n", {"review": review}) == [(5, message)]


def test_after_passing_without_a_pass_mark_is_a_warning() -> None:
    problems = problems_of("### Q?\nanswer: true\n", {"pass_mark": 0, "review": {"answers": "after_passing"}})
    assert [line for line, message in problems if "no passing" in message] == [5]


def test_pass_mark_zero_means_no_pass_or_fail() -> None:
    assert not parse("### Q?\nanswer: true\n", {"pass_mark": 0}).settings.has_pass_mark
    assert parse("### Q?\nanswer: true\n", {"pass_mark": 1}).settings.has_pass_mark
