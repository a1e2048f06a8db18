"""Pre/post statistics against hand-computed examples (app.quizzes.statistics is pure: no app needed)."""

from __future__ import annotations

import pytest

from app.quizzes.statistics import (
    PrePost,
    Sitting,
    discrimination,
    facility,
    group_size,
    hake_gain,
    misconception_prevalence,
    normalized_change,
    summarize_gain,
    top_answers,
)


def test_hake_class_gain_from_class_means() -> None:
    assert hake_gain(40, 70) == pytest.approx(0.5)  # docs/curriculum.md's example
    assert hake_gain(50, 40) == pytest.approx(-0.2)
    assert hake_gain(100, 100) is None


@pytest.mark.parametrize(
    ("pre", "post", "c"),
    [
        (40, 70, 30 / 60),  # a gain: (post − pre) / (100 − pre)
        (80, 60, -20 / 80),  # the score falls: (post − pre) / pre, not / (100 − pre) which would give −1
        (100, 90, -10 / 100),  # 100% before and lower after: defined (g would divide by zero)
        (50, 50, 0.0),
        (0, 20, 0.2),
        (100, 100, None),  # dropped
        (0, 0, None),  # dropped
    ],
)
def test_marx_cummings_normalised_change(pre: float, post: float, c: float | None) -> None:
    result = normalized_change(pre, post)
    assert result == (pytest.approx(c) if c is not None else None)


def test_class_summary_counts_only_defined_changes() -> None:
    pairs = [PrePost("a", 40, 70), PrePost("b", 80, 60), PrePost("c", 100, 90), PrePost("d", 100, 100)]
    summary = summarize_gain(pairs)
    assert summary.students == 4
    assert (summary.mean_pre, summary.mean_post) == (80, 80)
    assert summary.class_gain == pytest.approx(0.0)  # (80 − 80) / (100 − 80)
    assert summary.change_students == 3  # d (100% twice) is left out of c
    assert summary.mean_change == pytest.approx((0.5 - 0.25 - 0.1) / 3)
    assert summarize_gain([]).class_gain is None


def test_group_size_is_27_percent_rounded() -> None:
    assert [group_size(n) for n in (1, 2, 4, 10, 37, 100, 370)] == [0, 1, 1, 3, 10, 27, 100]


def test_discrimination_textbook_example() -> None:
    """Kelley's upper-lower index as textbooks work it: 100 students, 27 in each group; 20 of the upper group and
    8 of the lower group answer the item correctly, so D = (20 − 8) / 27 = 0.44."""
    totals = list(range(100, 0, -1))  # student i has the i-th best total
    item = [0.0] * 100
    for i in range(20):
        item[i] = 1.0  # 20 right in the top 27
    for i in range(92, 100):
        item[i] = 1.0  # 8 right in the bottom 27 (students 73–99)
    for i in range(30, 40):
        item[i] = 1.0  # the middle 46 do not count
    assert discrimination(item, totals) == pytest.approx(12 / 27)
    assert round(discrimination(item, totals), 2) == 0.44


def test_discrimination_small_class_and_partial_credit() -> None:
    # 10 students → groups of 3. Top three (totals 90, 80, 70) score 1, 1, 0.5; bottom three (30, 20, 10) 0, 0.5, 0.
    totals = [90, 80, 70, 60, 50, 50, 40, 30, 20, 10]
    item = [1, 1, 0.5, 0, 1, 0, 1, 0, 0.5, 0]
    assert discrimination(item, totals) == pytest.approx((2.5 - 0.5) / 3)
    assert discrimination([1.0], [100]) is None
    assert facility(item) == pytest.approx(0.5)
    assert facility([]) is None
    with pytest.raises(ValueError, match="one item score"):
        discrimination([1, 0], [1])


def test_misconception_prevalence_on_a_fixture_class() -> None:
    """Four students. The seasons tag is tested in both sittings for all four: 3 hold it before, 1 after.
    The trace-gas tag is only on form A: students 1–2 take A before, 3–4 take A after."""
    seasons, trace = "seasons-from-sun-distance", "trace-gas-cannot-matter"
    form_a, form_b = frozenset({seasons, trace}), frozenset({seasons})
    pairs = [
        (Sitting(form_a, frozenset({seasons, trace})), Sitting(form_b, frozenset())),
        (Sitting(form_a, frozenset({seasons})), Sitting(form_b, frozenset({seasons}))),
        (Sitting(form_b, frozenset({seasons})), Sitting(form_a, frozenset({trace}))),
        (Sitting(form_b, frozenset()), Sitting(form_a, frozenset())),
    ]
    rows = {p.tag: p for p in misconception_prevalence(pairs)}
    assert (rows[seasons].before, rows[seasons].after) == (0.75, 0.25)
    assert (rows[seasons].before_holders, rows[seasons].before_tested) == (3, 4)
    assert (rows[trace].before_holders, rows[trace].before_tested, rows[trace].after_holders,
            rows[trace].after_tested) == (1, 2, 1, 2)
    assert [p.tag for p in misconception_prevalence(pairs)] == [seasons, trace]  # most common before first


def test_top_answers_most_common_first() -> None:
    assert top_answers(["400", "420", " 400", "", "380", "420", "400"], limit=2) == [("400", 3), ("420", 2)]
