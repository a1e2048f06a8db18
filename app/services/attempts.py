"""Quiz attempts: start (or resume), submit exactly once, and read back for the result page."""
from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.database import dialect_insert
from app.extensions import db
from app.models import Assignment, AttemptAnswer, AttemptStatus, Module, ModuleText, QuizAttempt
from app.models.base import utcnow
from app.quizzes import Quiz, correct_answer_text, grade_quiz, shuffled_order
from app.quizzes.review import Review
from app.services import assessment, learning, lti_scores


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
        QuizAttempt.user_id == user_id, QuizAttempt.module_id == module_id,
        QuizAttempt.status == AttemptStatus.SUBMITTED))


def attempts_left(user_id: int, module_id: int, quiz: Quiz) -> int | None:
    """None when unlimited."""
    if quiz.settings.attempts is None:
        return None
    return max(quiz.settings.attempts - submitted_count(user_id, module_id), 0)


def _open_attempt(user_id: int, module_id: int) -> QuizAttempt | None:
    return db.session.scalar(select(QuizAttempt).where(
        QuizAttempt.user_id == user_id, QuizAttempt.module_id == module_id,
        QuizAttempt.status == AttemptStatus.IN_PROGRESS))


def start_or_resume(user_id: int, module: Module, lang: str) -> QuizAttempt:
    """The student's open attempt, or a new one with its own stable shuffled order (stored, never redrawn).

    Safe against clicks at once: the database allows one open attempt per student and module and unique attempt
    numbers, the insert does nothing on a conflict, and the loser of a race then finds the winner's attempt.
    """
    for _race in range(5):
        open_attempt = _open_attempt(user_id, module.id)
        if open_attempt is not None:
            return open_attempt
        text = quiz_text(module.id, lang)
        if text is None:
            raise NoQuiz()
        quiz = Quiz.from_dict(text.quiz)
        if attempts_left(user_id, module.id, quiz) == 0:
            raise AttemptsExhausted()
        placement = assessment.place_attempt(user_id, module, quiz)  # may raise SittingDone
        quiz = quiz.for_form(placement.form)  # a quiz with parallel forms: the student takes one form only
        number = (db.session.scalar(select(func.max(QuizAttempt.number)).where(
            QuizAttempt.user_id == user_id, QuizAttempt.module_id == module.id)) or 0) + 1
        public_id = secrets.token_hex(16)
        question_order, choice_orders = shuffled_order(quiz, seed=public_id)
        attempt_id = db.session.scalar(
            dialect_insert(QuizAttempt).values(
                public_id=public_id, user_id=user_id, module_id=module.id, lang=text.lang, number=number,
                status=AttemptStatus.IN_PROGRESS, quiz_snapshot=quiz.to_dict(), question_order=question_order,
                choice_orders=choice_orders, started_at=utcnow(), assignment_id=placement.assignment_id,
                form=placement.form, sitting=placement.sitting,
            ).on_conflict_do_nothing().returning(QuizAttempt.id))
        db.session.commit()
        if attempt_id is not None:
            # The limit above was read before the insert. A submit that committed in between (it must have, or
            # the attempt it closed would still be open and this insert would have done nothing) may have used
            # the last attempt: read again now that the new attempt exists, and take it back if so.
            if attempts_left(user_id, module.id, quiz) == 0:
                db.session.execute(delete(QuizAttempt).where(QuizAttempt.id == attempt_id,
                                                             QuizAttempt.status == AttemptStatus.IN_PROGRESS))
                db.session.commit()
                raise AttemptsExhausted()
            return db.session.get(QuizAttempt, attempt_id)
    raise RuntimeError("could not start an attempt after five tries")  # only if the database is thrashing


def attempt_of(user_id: int, public_id: str) -> QuizAttempt | None:
    """The attempt if it belongs to ``user_id``: other people's attempts do not exist for them."""
    return db.session.scalar(select(QuizAttempt).where(QuizAttempt.public_id == public_id,
                                                       QuizAttempt.user_id == user_id))


MAX_SAVED_VALUES = 1000  # far more than any quiz has controls
MAX_SAVED_CHARS = 2000  # per value; the answer inputs accept less


class AnswersTooLarge(ValueError):
    """More saved answer data than any real quiz form sends."""


def save_answers(attempt: QuizAttempt, pairs: list[tuple[str, str]]) -> bool:
    """Keep the answers given so far in the open attempt (only the quiz's own fields, as the form posted
    them). False if the attempt was submitted meanwhile, so nothing is saved into a finished attempt."""
    if len(pairs) > MAX_SAVED_VALUES or any(len(value) > MAX_SAVED_CHARS for _, value in pairs):
        raise AnswersTooLarge()
    saved = db.session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.status == AttemptStatus.IN_PROGRESS)
        .values(saved_answers=[[name, value] for name, value in pairs], saved_at=utcnow())
    ).rowcount
    db.session.commit()
    return bool(saved)


def saved_answers(attempt: QuizAttempt) -> list[tuple[str, str]]:
    """The answers saved in the open attempt, as (field name, value) pairs; none once it is submitted."""
    if attempt.status != AttemptStatus.IN_PROGRESS or not attempt.saved_answers:
        return []
    return [(str(name), str(value)) for name, value in attempt.saved_answers]


def submit(attempt: QuizAttempt, responses: dict, quiz: Quiz | None = None) -> bool:
    """Grade and store the attempt once. False if it was already submitted (double click, second tab).

    One transaction of four statements whatever the quiz's length (five when LMS gradebooks wait for the score): the
    claim with the score, the answers in one multi-row INSERT, the progress upsert, the LMS links. ``quiz``: the
    attempt's snapshot when the caller has it already."""
    quiz = quiz or Quiz.from_dict(attempt.quiz_snapshot)
    result = grade_quiz(quiz, responses)  # before the claim: of two racing submits both grade, one stores
    outcome = {"status": AttemptStatus.SUBMITTED, "submitted_at": utcnow(), "saved_answers": None, "saved_at": None,
               "score": result.score, "max_score": result.max_score, "percent": result.percent,
               "passed": result.passed}
    # Claim the attempt with a conditional UPDATE: of two concurrent submits exactly one changes the row.
    claimed = db.session.execute(
        update(QuizAttempt).where(QuizAttempt.id == attempt.id, QuizAttempt.status == AttemptStatus.IN_PROGRESS)
        .values(**outcome).execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        db.session.rollback()
        return False
    for name, value in outcome.items():  # what the row now holds, without reading it back
        set_committed_value(attempt, name, value)
    positions = {qid: i for i, qid in enumerate(attempt.question_order)}
    if result.results:
        # Core's executemany, not the ORM's bulk insert: that splits the rows by which values are None (a blank
        # answer's response), one INSERT per group.
        db.session.execute(insert(AttemptAnswer.__table__), [
            {"attempt_id": attempt.id, "question_id": graded.question_id,
             "position": positions.get(graded.question_id, 0), "response": responses.get(graded.question_id),
             "response_text": graded.response_text[:2000], "score": graded.score, "max_score": graded.max_score,
             "status": graded.status, "misconceptions": graded.misconceptions, "feedback_html": graded.feedback_html}
            for graded in result.results])
    learning.record_attempt(attempt.user_id, attempt.module_id, result.percent, result.passed)
    lti_scores.queue_scores(attempt.user_id, attempt.module_id)  # LMS gradebooks, in this same transaction
    db.session.commit()
    return True


@dataclass(frozen=True)
class ReviewedQuestion:
    question: object  # app.quizzes.Question as it was when answered
    answer: AttemptAnswer | None
    correct_text: str | None  # only when the review options show right answers


@dataclass(frozen=True)
class AttemptReview:
    attempt: QuizAttempt
    quiz: Quiz
    shown: Review  # what the review options show now
    questions: list[ReviewedQuestion]

    @property
    def revealed(self) -> bool:
        """Right answers and explanations are shown."""
        return self.shown.answers or self.shown.feedback

    @property
    def pass_fail(self) -> bool:
        """Whether to say passed / not passed: only when the quiz has a pass mark and the score is shown."""
        return self.quiz.settings.has_pass_mark and self.shown.score


def review(attempt: QuizAttempt) -> AttemptReview:
    """The result page's content, from the attempt's own snapshot (never from the current quiz)."""
    quiz = Quiz.from_dict(attempt.quiz_snapshot)
    answers = {a.question_id: a for a in db.session.scalars(
        select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id))}
    assignment = db.session.get(Assignment, attempt.assignment_id) if attempt.assignment_id else None
    shown = assessment.review_for(attempt, quiz.settings, assignment)
    by_id = {q.id: q for q in quiz.questions}
    questions = [
        ReviewedQuestion(by_id[qid], answers.get(qid), correct_answer_text(by_id[qid]) if shown.answers else None)
        for qid in attempt.question_order if qid in by_id
    ]
    return AttemptReview(attempt, quiz, shown, questions)
