"""Grading entry points: pure functions over the model, dispatching to the question-type registry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.quizzes.model import Question, QuestionResult, Quiz, QuizResult, QuizSettings
from app.quizzes.types import QUESTION_TYPES


def grade_question(question: Question, response: Any, *, partial_credit: bool = True) -> QuestionResult:
    """Score one response. Never raises on student input: garbage and forged ids score 0."""
    qtype = QUESTION_TYPES.get(question.type)
    if qtype is None:
        return QuestionResult(question.id, 0.0, question.points, "incorrect")
    return qtype.grade(question, response, partial_credit=partial_credit)


def grade_quiz(quiz: Quiz, responses: Mapping[str, Any]) -> QuizResult:
    """Score a whole attempt; ``responses`` maps question id to the form's response for it."""
    if not isinstance(responses, Mapping):
        responses = {}
    partial = quiz.settings.partial_credit
    results = [grade_question(q, responses.get(q.id), partial_credit=partial) for q in quiz.questions]
    score = round(sum(r.score for r in results), 6)
    max_score = round(sum(r.max_score for r in results), 6)
    exact_percent = score / max_score * 100 if max_score else 0.0
    return QuizResult(
        score=score,
        max_score=max_score,
        percent=round(exact_percent, 2),
        # a tiny tolerance so 2/3 of 3 points does not fail a 66.666… pass mark on float noise
        passed=max_score > 0 and exact_percent + 1e-9 >= quiz.settings.pass_mark,
        results=results,
    )


def correct_response(question: Question) -> Any:
    """A response that earns full marks, in the same shape the form produces."""
    return QUESTION_TYPES[question.type].correct_response(question)


def correct_answer_text(question: Question) -> str:
    """The right answer as plain text for the result page (only when ``reveal_allowed``)."""
    return QUESTION_TYPES[question.type].correct_answer_text(question)


def reveal_allowed(settings: QuizSettings, passed: bool) -> bool:
    """Whether the result page may show right answers, feedback, explanations and misconceptions."""
    if settings.reveal == "after_attempt":
        return True
    if settings.reveal == "after_passing":
        return passed
    return False
