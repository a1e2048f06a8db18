"""Ondo's quiz engine, pure: parse the quiz section, build forms, grade, import GIFT.

Imports neither Flask nor the database: text and data in, dataclasses out.
"""

from app.quizzes.forms import (
    FormProblem,
    answer_pairs,
    answered_count,
    field_names,
    form_problems,
    make_quiz_form,
    responses_from_form,
    shuffled_order,
)
from app.quizzes.grading import (
    correct_answer_text,
    correct_response,
    grade_question,
    grade_quiz,
    reveal_allowed,
)
from app.quizzes.model import (
    Choice,
    MatchPair,
    NumericAnswer,
    OrderItem,
    Question,
    QuestionResult,
    Quiz,
    QuizResult,
    QuizSettings,
)
from app.quizzes.parser import parse_quiz, parse_settings
from app.quizzes.types import QUESTION_TYPES, QuestionType

__all__ = [
    "QUESTION_TYPES",
    "FormProblem",
    "answer_pairs",
    "answered_count",
    "form_problems",
    "Choice",
    "MatchPair",
    "NumericAnswer",
    "OrderItem",
    "Question",
    "QuestionResult",
    "QuestionType",
    "Quiz",
    "QuizResult",
    "QuizSettings",
    "correct_answer_text",
    "correct_response",
    "field_names",
    "grade_question",
    "grade_quiz",
    "make_quiz_form",
    "parse_quiz",
    "parse_settings",
    "responses_from_form",
    "reveal_allowed",
    "shuffled_order",
]
