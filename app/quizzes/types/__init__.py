"""The question-type registry: each type builds its question from parsed lines, builds its form field,
reads the field back and grades a response.

Modelled on CTFd's ``CHALLENGE_CLASSES`` and Indico's survey field classes: adding a type means adding
one class in the module of its kind (choice, typed, arranged) and one entry in ``QUESTION_TYPES``. Grading is
pure: it decides and changes nothing, and any response (missing, malformed, forged ids) scores without raising.
"""

from __future__ import annotations

from app.quizzes.types.arranged import Matching, Ordering
from app.quizzes.types.base import DEFAULT_LABELS, QuestionType, arrange
from app.quizzes.types.choice import MultipleResponse, SingleChoice, TrueFalse
from app.quizzes.types.typed import Numeric, ShortText

__all__ = ["DEFAULT_LABELS", "QUESTION_TYPES", "Matching", "MultipleResponse", "Numeric", "Ordering", "QuestionType",
           "ShortText", "SingleChoice", "TrueFalse", "arrange"]

QUESTION_TYPES: dict[str, QuestionType] = {
    cls.name: cls()
    for cls in (SingleChoice, MultipleResponse, TrueFalse, Numeric, ShortText, Matching, Ordering)
}
