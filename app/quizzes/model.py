"""The quiz data model: plain dataclasses that survive a JSON round trip.

An attempt stores ``Quiz.to_dict()`` so it can be shown (and re-graded) exactly as the student saw it,
even after the author edits the module. Every field is a JSON type (str, float, bool, None, list, dict).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

from markupsafe import Markup

from app.quizzes.review import ReviewItem, ReviewTime, review_times

SNAPSHOT_FORMAT = 1

QuestionTypeName = Literal[
    "single", "multiple", "true_false", "numeric", "short_text", "matching", "ordering"
]
Reveal = Literal["after_attempt", "after_passing", "never"]
Status = Literal["correct", "partial", "incorrect", "unanswered"]


def _known(cls: type, data: dict[str, Any]) -> dict[str, Any]:
    """Keep only the keys ``cls`` has, so snapshots written by a newer version still load."""
    names = {f.name for f in fields(cls)}
    return {key: value for key, value in data.items() if key in names}


@dataclass
class QuizSettings:
    """Per-module quiz settings from the front matter ``quiz:`` mapping."""

    pass_mark: float = 70
    attempts: int | None = None  # None = unlimited
    shuffle_questions: bool = False
    shuffle_choices: bool = True
    reveal: Reveal = "after_attempt"
    partial_credit: bool = True
    review: dict[str, str] = field(default_factory=dict)  # review options the author set, over ``reveal``

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def has_pass_mark(self) -> bool:
        """``pass_mark: 0`` means the quiz has no pass or fail at all (a diagnostic, a survey)."""
        return self.pass_mark > 0

    def review_times(self) -> dict[ReviewItem, ReviewTime]:
        """When the student sees each of correctness, points, right answers, feedback and the score."""
        return review_times(self.reveal, self.review)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuizSettings:
        values = _known(cls, data)
        values["review"] = dict(values.get("review") or {})
        return cls(**values)


@dataclass
class Choice:
    """A choice of a single-choice or multiple-response question."""

    id: str
    text_html: str
    correct: bool = False
    feedback_html: str = ""
    misconception: str | None = None

    @property
    def text(self) -> str:
        """Plain text of the choice (for the teacher view and response summaries)."""
        return Markup(self.text_html).striptags()


@dataclass
class MatchPair:
    """One row of a matching question: the student picks ``right`` for ``left``."""

    left_id: str
    left_html: str
    right_id: str
    right_html: str


@dataclass
class OrderItem:
    """One item of an ordering question; ``Question.items`` is in the correct order."""

    id: str
    text_html: str

    @property
    def text(self) -> str:
        return Markup(self.text_html).striptags()


@dataclass
class NumericAnswer:
    """Accepted interval for a numeric question, inclusive at both ends."""

    low: float
    high: float
    source: str  # as the author wrote it, e.g. "1.1 ± 0.05"


@dataclass
class KnownAnswer:
    """An answer to a short-text or numeric question that the author foresaw, right or wrong, with the share
    of the points it earns and the feedback it gets. Checked in order; the first that matches decides."""

    accept: list[str] = field(default_factory=list)  # short_text: texts as written
    numeric: NumericAnswer | None = None  # numeric: the interval
    any_other: bool = False  # "- wrong: *": matches whatever no earlier answer matched
    credit: float = 1.0  # share of the points, 0..1
    feedback_html: str = ""
    misconception: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KnownAnswer:
        values = _known(cls, data)
        numeric = data.get("numeric")
        values["numeric"] = NumericAnswer(**_known(NumericAnswer, numeric)) if numeric else None
        values["accept"] = list(data.get("accept", []))
        return cls(**values)


@dataclass
class Question:
    """One question. Only the fields of its ``type`` are filled; the others keep their empty defaults."""

    id: str
    type: QuestionTypeName
    heading: str  # the ### heading as written (Markdown): the question itself
    title_html: str  # heading rendered inline: the legend/label of the form control
    stem_markdown: str = ""  # extra Markdown between the heading and the answers (may be empty)
    stem_html: str = ""
    points: float = 1.0
    explanation_html: str = ""
    line: int = 0  # file line of the ### heading
    choices: list[Choice] = field(default_factory=list)  # single, multiple
    pairs: list[MatchPair] = field(default_factory=list)  # matching
    items: list[OrderItem] = field(default_factory=list)  # ordering, correct order
    numeric: NumericAnswer | None = None  # numeric
    accept: list[str] = field(default_factory=list)  # short_text, as written (every fully right text)
    # short_text, numeric: per-answer feedback and credit ("- accept:", "- number:", "- wrong:" items); empty
    # when the question has only accept:/number:, which then grade as before
    known_answers: list[KnownAnswer] = field(default_factory=list)
    answer: bool | None = None  # true_false
    misconception: str | None = None  # tag for a wrong answer (true_false, numeric, short_text, ...)
    unit: str = ""  # numeric
    section: str = ""  # the heading (as written) of the module section that teaches this, for "reread" links
    section_id: str = ""  # that heading's anchor in the rendered page, filled in by the content pipeline
    form: str = ""  # parallel form label ("A", "B") or "" when the quiz has a single form

    @property
    def misconception_tags(self) -> list[str]:
        """Every misconception tag a wrong answer to this question can show, once each."""
        tags = [self.misconception] if self.misconception else []
        tags += [c.misconception for c in self.choices if c.misconception]
        tags += [k.misconception for k in self.known_answers if k.misconception]  # "- wrong: ..." typed answers
        return list(dict.fromkeys(tags))

    @property
    def title(self) -> str:
        """Plain text of the heading (gradebook columns, teacher view)."""
        return Markup(self.title_html).striptags()

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        values = _known(cls, data)
        values["choices"] = [Choice(**_known(Choice, c)) for c in data.get("choices", [])]
        values["pairs"] = [MatchPair(**_known(MatchPair, p)) for p in data.get("pairs", [])]
        values["items"] = [OrderItem(**_known(OrderItem, i)) for i in data.get("items", [])]
        numeric = data.get("numeric")
        values["numeric"] = NumericAnswer(**_known(NumericAnswer, numeric)) if numeric else None
        values["accept"] = list(data.get("accept", []))
        values["known_answers"] = [KnownAnswer.from_dict(k) for k in data.get("known_answers", [])]
        return cls(**values)


@dataclass
class Quiz:
    """A module's quiz: settings plus questions in the author's order."""

    settings: QuizSettings
    questions: list[Question]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    @property
    def max_score(self) -> float:
        return sum(q.points for q in self.questions)

    @property
    def forms(self) -> list[str]:
        """Parallel form labels in the author's order; empty for a quiz with a single form."""
        return list(dict.fromkeys(q.form for q in self.questions if q.form))

    def for_form(self, label: str | None) -> Quiz:
        """The quiz a student takes: only form ``label``'s questions (a single-form quiz is returned whole).

        An unknown or missing label gives the first form, so a quiz that gained forms keeps working."""
        forms = self.forms
        if not forms:
            return self
        chosen = label if label in forms else forms[0]
        return Quiz(settings=self.settings, questions=[q for q in self.questions if q.form == chosen])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready snapshot: ``{"format": 1, "settings": {...}, "questions": [{...}, ...]}``."""
        return {
            "format": SNAPSHOT_FORMAT,
            "settings": self.settings.to_dict(),
            "questions": [q.to_dict() for q in self.questions],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quiz:
        if data.get("format", SNAPSHOT_FORMAT) > SNAPSHOT_FORMAT:
            raise ValueError(f"quiz snapshot format {data['format']} is newer than this code")
        return cls(
            settings=QuizSettings.from_dict(data.get("settings", {})),
            questions=[Question.from_dict(q) for q in data.get("questions", [])],
        )


@dataclass
class QuestionResult:
    """How one response scored. Feedback and misconceptions are always filled; ``reveal_allowed`` decides
    whether the result page shows them."""

    question_id: str
    score: float
    max_score: float
    status: Status
    feedback_html: list[str] = field(default_factory=list)
    misconceptions: list[str] = field(default_factory=list)
    response_text: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuestionResult:
        return cls(**_known(cls, data))


@dataclass
class QuizResult:
    """The graded attempt; ``results`` follow the quiz's question order."""

    score: float
    max_score: float
    percent: float
    passed: bool
    results: list[QuestionResult] = field(default_factory=list)

    @property
    def misconceptions(self) -> list[str]:
        """Every misconception tag the attempt showed, once each, in question order."""
        return list(dict.fromkeys(tag for r in self.results for tag in r.misconceptions))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuizResult:
        values = _known(cls, data)
        values["results"] = [QuestionResult.from_dict(r) for r in data.get("results", [])]
        return cls(**values)
