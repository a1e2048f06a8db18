"""Pre/post statistics, pure: normalised gain and change, item facility and discrimination, misconception shares.

References: Hake, R. R. (1998) Am. J. Phys. 66, 64 (class gain ⟨g⟩ from class means); Marx, J. D. & Cummings, K.
(2007) Am. J. Phys. 75, 87 (normalised change c per student, defined when a score falls or starts at 100%);
Kelley, T. L. (1939) J. Educ. Psych. 30, 17 (upper and lower 27% groups for the discrimination index).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import mean

GROUP_SHARE = 0.27


def hake_gain(pre_mean: float, post_mean: float) -> float | None:
    """⟨g⟩ = (post% − pre%) / (100 − pre%) from class means; None when the class started at 100%."""
    if pre_mean >= 100:
        return None
    return (post_mean - pre_mean) / (100 - pre_mean)


def normalized_change(pre: float, post: float) -> float | None:
    """Marx & Cummings' c for one student (percentages). None (the student is dropped) when both are 0 or 100."""
    if pre == post and pre in (0, 100):
        return None
    if post > pre:
        return (post - pre) / (100 - pre)
    if post < pre:
        return (post - pre) / pre
    return 0.0


@dataclass(frozen=True)
class PrePost:
    """One student's pre and post percentages."""

    key: object
    pre: float
    post: float

    @property
    def change(self) -> float | None:
        return normalized_change(self.pre, self.post)


@dataclass(frozen=True)
class GainSummary:
    students: int  # with both tests
    mean_pre: float | None
    mean_post: float | None
    class_gain: float | None  # Hake ⟨g⟩
    mean_change: float | None  # average c over the students for whom c is defined
    change_students: int  # how many that is


def summarize_gain(pairs: Sequence[PrePost]) -> GainSummary:
    """Class figures over the students with both tests."""
    if not pairs:
        return GainSummary(0, None, None, None, None, 0)
    mean_pre, mean_post = mean(p.pre for p in pairs), mean(p.post for p in pairs)
    changes = [c for p in pairs if (c := p.change) is not None]
    return GainSummary(len(pairs), mean_pre, mean_post, hake_gain(mean_pre, mean_post),
                       mean(changes) if changes else None, len(changes))


def group_size(n: int, share: float = GROUP_SHARE) -> int:
    """Students in each of the upper and lower groups: 27% of n, rounded, at least 1 (0 for fewer than 2)."""
    if n < 2:
        return 0
    return max(1, min(n // 2, round(n * share)))


def discrimination(item_scores: Sequence[float], totals: Sequence[float], share: float = GROUP_SHARE) -> float | None:
    """Upper-lower index D = p(upper) − p(lower): ``item_scores`` are 0–1 per student, ``totals`` their test scores.

    Students are ranked by total (ties keep the given order); the top and bottom 27% form the groups."""
    if len(item_scores) != len(totals):
        raise ValueError("one item score and one total per student")
    n = group_size(len(totals), share)
    if n == 0:
        return None
    order = sorted(range(len(totals)), key=lambda i: -totals[i])
    upper, lower = order[:n], order[-n:]
    return (sum(item_scores[i] for i in upper) - sum(item_scores[i] for i in lower)) / n


def facility(item_scores: Sequence[float]) -> float | None:
    """The mean item score as a share of its points (the p-value): 1 is easy, 0 is hard."""
    return mean(item_scores) if item_scores else None


@dataclass(frozen=True)
class Prevalence:
    tag: str
    before_holders: int
    before_tested: int
    after_holders: int
    after_tested: int

    @property
    def before(self) -> float | None:
        return self.before_holders / self.before_tested if self.before_tested else None

    @property
    def after(self) -> float | None:
        return self.after_holders / self.after_tested if self.after_tested else None


@dataclass(frozen=True)
class Sitting:
    """What one attempt showed about misconceptions: the tags its items could show, and those it did show."""

    tested: frozenset[str]
    held: frozenset[str]


def misconception_prevalence(pairs: Iterable[tuple[Sitting, Sitting]]) -> list[Prevalence]:
    """Per tag, the share of students holding it before and after (a student holds a tag when they chose an
    answer tagged with it), out of the students whose form could show it. Most common before first."""
    counts: dict[str, list[int]] = {}
    for before, after in pairs:
        for index, sitting in ((0, before), (2, after)):
            for tag in sitting.tested:
                row = counts.setdefault(tag, [0, 0, 0, 0])
                row[index + 1] += 1
                row[index] += tag in sitting.held
    rows = [Prevalence(tag, *values) for tag, values in counts.items()]
    rows.sort(key=lambda p: (-(p.before or 0), -(p.after or 0), p.tag))
    return rows


def top_answers(texts: Iterable[str], limit: int = 5) -> list[tuple[str, int]]:
    """The most common answers (blank ones left out), most common first, ties alphabetically."""
    counts = Counter(t.strip() for t in texts if t and t.strip())
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
