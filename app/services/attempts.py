"""Quiz attempts: start (or resume), submit exactly once, and read back for the result page."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import AttemptAnswer, Module, ModuleText, QuizAttempt
from app.models.base import utcnow
from app.quizzes import Quiz, QuizResult, correct_answer_text, grade_quiz, reveal_allowed, shuffled_order
from app.services import learning, lti_scores


class NoQuiz(Exception):
    """The module has no quiz."""


class AttemptsExhausted(Exception):
    """The quiz's attempt limit is reached."""


def quiz_text(module_id: int, lang: str) -> ModuleText | None:
    """The module text whose quiz a student in ``lang`` takes: their language, else English."""
    texts = {t.lang: t for t in db.session.scalars(
        select(ModuleText).where(ModuleText.module_id == module_id, ModuleText.quiz.is_not(None)))}
    return texts.get(lang) or texts.get("en") or next(iter(texts.values()), None)


def submitted_count(user_id: int, module_id: int) -> int:
    return db.session.scalar(select(func.count()).where(
        QuizAttempt.user_id == user_id, QuizAttempt.module_id == module_id, QuizAttempt.status == "submitted"))


def attempts_left(user_id: int, module_id: int, quiz: Quiz) -> int | None:
    """None when unlimited."""
    if quiz.settings.attempts is None:
        return None
    return max(quiz.settings.attempts - submitted_count(user_id, module_id), 0)


def start_or_resume(user_id: int, module: Module, lang: str) -> QuizAttempt:
    """The student's open attempt, or a new one with its own stable shuffled order (stored, never redrawn)."""
    open_attempt = db.session.scalar(select(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.module_id == module.id, QuizAttempt.status == "in_progress"
    ).order_by(QuizAttempt.id))
    if open_attempt is not None:
        return open_attempt
    text = quiz_text(module.id, lang)
    if text is None:
        raise NoQuiz()
    quiz = Quiz.from_dict(text.quiz)
    if attempts_left(user_id, module.id, quiz) == 0:
        raise AttemptsExhausted()
    public_id = secrets.token_hex(16)
    question_order, choice_orders = shuffled_order(quiz, seed=public_id)
    attempt = QuizAttempt(
        public_id=public_id, user_id=user_id, module_id=module.id, lang=text.lang,
        number=submitted_count(user_id, module.id) + 1, status="in_progress", quiz_snapshot=text.quiz,
        question_order=question_order, choice_orders=choice_orders,
    )
    db.session.add(attempt)
    db.session.commit()
    return attempt


def attempt_of(user_id: int, public_id: str) -> QuizAttempt | None:
    """The attempt if it belongs to ``user_id``: other people's attempts do not exist for them."""
    return db.session.scalar(select(QuizAttempt).where(QuizAttempt.public_id == public_id,
                                                       QuizAttempt.user_id == user_id))


def submit(attempt: QuizAttempt, responses: dict) -> bool:
    """Grade and store the attempt once. False if it was already submitted (double click, second tab)."""
    # Claim the attempt with a conditional UPDATE: of two concurrent submits exactly one changes the row.
    claimed = db.session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.status == "in_progress")
        .values(status="submitted", submitted_at=utcnow())
    ).rowcount
    if not claimed:
        db.session.rollback()
        return False
    quiz = Quiz.from_dict(attempt.quiz_snapshot)
    result = grade_quiz(quiz, responses)
    db.session.refresh(attempt)
    attempt.score, attempt.max_score = result.score, result.max_score
    attempt.percent, attempt.passed = result.percent, result.passed
    positions = {qid: i for i, qid in enumerate(attempt.question_order)}
    for graded in result.results:
        db.session.add(AttemptAnswer(
            attempt_id=attempt.id, question_id=graded.question_id, position=positions.get(graded.question_id, 0),
            response=responses.get(graded.question_id), response_text=graded.response_text[:2000],
            score=graded.score, max_score=graded.max_score, status=graded.status,
            misconceptions=graded.misconceptions, feedback_html=graded.feedback_html,
        ))
    learning.record_attempt(attempt.user_id, attempt.module_id, result.percent, result.passed)
    lti_scores.queue_scores(attempt.user_id, attempt.module_id)  # LMS gradebooks, in this same transaction
    db.session.commit()
    return True


@dataclass(frozen=True)
class ReviewedQuestion:
    question: object  # app.quizzes.Question as it was when answered
    answer: AttemptAnswer | None
    correct_text: str | None  # only when the reveal setting allows


@dataclass(frozen=True)
class AttemptReview:
    attempt: QuizAttempt
    quiz: Quiz
    revealed: bool
    questions: list[ReviewedQuestion]


def review(attempt: QuizAttempt) -> AttemptReview:
    """The result page's content, from the attempt's own snapshot (never from the current quiz)."""
    quiz = Quiz.from_dict(attempt.quiz_snapshot)
    answers = {a.question_id: a for a in db.session.scalars(
        select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id))}
    revealed = reveal_allowed(quiz.settings, bool(attempt.passed))
    by_id = {q.id: q for q in quiz.questions}
    questions = [
        ReviewedQuestion(by_id[qid], answers.get(qid), correct_answer_text(by_id[qid]) if revealed else None)
        for qid in attempt.question_order if qid in by_id
    ]
    return AttemptReview(attempt, quiz, revealed, questions)


def result_of(attempt: QuizAttempt) -> QuizResult | None:
    if attempt.status != "submitted":
        return None
    return QuizResult(attempt.score or 0, attempt.max_score or 0, attempt.percent or 0, bool(attempt.passed))
