"""Review options: what a student sees of a submitted attempt, and from when (modelled on Moodle's).

Five things are set separately: whether each answer was correct, the points per question, the right answer,
the feedback and explanation, and the overall score. Each becomes visible at one moment and stays visible.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

ReviewItem = Literal["correctness", "points", "answers", "feedback", "score"]
ReviewTime = Literal["during", "after_attempt", "after_passing", "after_due", "after_release", "never"]

REVIEW_ITEMS: tuple[ReviewItem, ...] = ("correctness", "points", "answers", "feedback", "score")
REVIEW_TIMES: tuple[ReviewTime, ...] = (
    "during", "after_attempt", "after_passing", "after_due", "after_release", "never"
)

# What today's one-word ``reveal:`` setting means in review options.
REVEAL_PRESETS: dict[str, dict[ReviewItem, ReviewTime]] = {
    "after_attempt": dict.fromkeys(REVIEW_ITEMS, "after_attempt"),  # type: ignore[dict-item]
    "after_passing": {"correctness": "after_attempt", "points": "after_attempt", "score": "after_attempt",
                      "answers": "after_passing", "feedback": "after_passing"},
    "never": {"correctness": "after_attempt", "points": "after_attempt", "score": "after_attempt",
              "answers": "never", "feedback": "never"},
}


@dataclass(frozen=True)
class ReviewMoment:
    """Where a submitted attempt stands: the facts the review options are checked against."""

    passed: bool = False
    due_passed: bool = False  # the due date of the student's class assignment has passed
    released: bool = False  # a teacher released results for that assignment


@dataclass(frozen=True)
class Review:
    """What the result page may show now."""

    correctness: bool
    points: bool
    answers: bool
    feedback: bool
    score: bool

    @property
    def anything(self) -> bool:
        return self.correctness or self.points or self.answers or self.feedback or self.score

    @property
    def everything(self) -> bool:
        return self.correctness and self.points and self.answers and self.feedback and self.score


def review_times(reveal: str, overrides: dict[str, str] | None) -> dict[ReviewItem, ReviewTime]:
    """The five review times: the ``reveal`` preset, with each ``review:`` entry written by the author on top."""
    times = dict(REVEAL_PRESETS.get(reveal, REVEAL_PRESETS["after_attempt"]))
    for item, time in (overrides or {}).items():
        if item in REVIEW_ITEMS and time in REVIEW_TIMES:
            times[item] = time  # type: ignore[index]
    return times  # type: ignore[return-value]


def is_visible(time: str, moment: ReviewMoment) -> bool:
    """Whether something set to ``time`` is visible at ``moment`` (the attempt has been submitted)."""
    if time in ("during", "after_attempt"):
        return True
    if time == "after_passing":
        return moment.passed
    if time == "after_due":
        return moment.due_passed
    if time == "after_release":
        return moment.released
    return False


def review_at(times: dict[ReviewItem, ReviewTime], moment: ReviewMoment) -> Review:
    """What a student sees of a submitted attempt at ``moment``."""
    return Review(**{item: is_visible(times[item], moment) for item in REVIEW_ITEMS})
