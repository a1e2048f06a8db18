"""What students read and how far they are: catalogue, course outline, module page, progress rules."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import defer

from app.extensions import db
from app.models import AttemptAnswer, Course, Module, ModuleProgress, ModuleText, QuizAttempt
from app.models.base import utcnow
from app.quizzes import Quiz


@dataclass(frozen=True)
class CourseCard:
    course: Course
    title: str
    summary: str
    module_count: int
    completed: int

    @property
    def percent(self) -> float:
        return 100.0 * self.completed / self.module_count if self.module_count else 0.0


@dataclass(frozen=True)
class ModuleEntry:
    module: Module
    text: ModuleText
    progress: ModuleProgress | None
    has_quiz: bool = False

    @property
    def status(self) -> str:
        if self.progress is None or (self.progress.first_visit_at is None and not self.progress.attempts):
            return "not_started"
        return "completed" if self.progress.completed_at else "in_progress"

    @property
    def state(self) -> str:
        """What the student sees: not_started, reading, quiz_passed (a quiz module is completed by passing
        its quiz) or completed (a module without a quiz, marked as read)."""
        status = self.status
        if status == "completed":
            return "quiz_passed" if self.has_quiz else "completed"
        return "reading" if status == "in_progress" else "not_started"


@dataclass(frozen=True)
class CourseProgress:
    completed: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.completed / self.total if self.total else 0.0


def outline_progress(outline: list[ModuleEntry]) -> CourseProgress:
    """How far the student is through the course: completed modules of all visible ones."""
    return CourseProgress(sum(entry.status == "completed" for entry in outline), len(outline))


def _visible_modules():
    return and_(Module.archived.is_(False), Course.archived.is_(False))


def catalogue(user_id: int | None, lang: str) -> list[CourseCard]:
    """Every published course with its module count and the user's completed count: three queries in all."""
    courses = db.session.scalars(select(Course).where(Course.archived.is_(False)).order_by(Course.position)).all()
    counts = dict(db.session.execute(
        select(Module.course_id, func.count(Module.id)).join(Course)
        .where(_visible_modules()).group_by(Module.course_id)).all())
    done: dict[int, int] = {}
    if user_id is not None:
        done = dict(db.session.execute(
            select(Module.course_id, func.count(ModuleProgress.id))
            .join(Module, Module.id == ModuleProgress.module_id).join(Course)
            .where(ModuleProgress.user_id == user_id, ModuleProgress.completed_at.is_not(None), _visible_modules())
            .group_by(Module.course_id)).all())
    return [CourseCard(c, c.in_language("title", lang), c.in_language("summary", lang),
                       counts.get(c.id, 0), done.get(c.id, 0)) for c in courses]


def get_course(slug: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.slug == slug, Course.archived.is_(False)))


def course_outline(course: Course, user_id: int | None, lang: str) -> list[ModuleEntry]:
    """The course's visible modules in order, each in ``lang`` (English where missing), with the user's progress."""
    modules = db.session.scalars(
        select(Module).where(Module.course_id == course.id, Module.archived.is_(False)).order_by(Module.position)
    ).all()
    ids = [m.id for m in modules]
    texts = texts_for(ids, lang)
    progress = {}
    if user_id is not None and ids:
        progress = {p.module_id: p for p in db.session.scalars(
            select(ModuleProgress).where(ModuleProgress.user_id == user_id, ModuleProgress.module_id.in_(ids)))}
    with_quiz = set(db.session.scalars(
        select(ModuleText.module_id).where(ModuleText.module_id.in_(ids), ModuleText.quiz.is_not(None)).distinct()
    )) if ids else set()
    return [ModuleEntry(m, texts[m.id], progress.get(m.id), m.id in with_quiz) for m in modules if m.id in texts]


# Lists need titles, not bodies: leaving the HTML, source and quiz JSON unread made the module page 2x faster.
_HEAVY_TEXT_COLUMNS = (ModuleText.body_html, ModuleText.source_markdown, ModuleText.quiz, ModuleText.checks,
                       ModuleText.toc)


def texts_for(module_ids: list[int], lang: str, *, full: bool = False) -> dict[int, ModuleText]:
    """One text per module: the wanted language, else English, else any (without the heavy columns unless full)."""
    if not module_ids:
        return {}
    statement = select(ModuleText).where(ModuleText.module_id.in_(module_ids))
    if not full:
        statement = statement.options(*(defer(column, raiseload=True) for column in _HEAVY_TEXT_COLUMNS))
    rows = db.session.scalars(statement).all()
    rank = {lang: 0, "en": 1}
    chosen: dict[int, ModuleText] = {}
    for text in rows:
        current = chosen.get(text.module_id)
        if current is None or rank.get(text.lang, 2) < rank.get(current.lang, 2):
            chosen[text.module_id] = text
    return chosen


@dataclass(frozen=True)
class ModulePage:
    course: Course
    module: Module
    text: ModuleText
    languages: list[str]
    previous: ModuleEntry | None
    next: ModuleEntry | None
    progress: ModuleProgress | None
    position: int
    total: int


def find_module(course: Course, slug: str) -> tuple[Module | None, bool]:
    """The visible module for ``slug``; the bool says the slug was an old name (the caller redirects)."""
    module = db.session.scalar(select(Module).where(Module.course_id == course.id, Module.slug == slug,
                                                    Module.archived.is_(False)))
    if module is not None:
        return module, False
    for candidate in db.session.scalars(select(Module).where(Module.course_id == course.id,
                                                             Module.archived.is_(False))):
        if slug in (candidate.formerly or []):
            return candidate, True
    return None, False


def module_page(course: Course, module: Module, user_id: int | None, lang: str) -> ModulePage:
    outline = course_outline(course, user_id, lang)
    index = next(i for i, entry in enumerate(outline) if entry.module.id == module.id)
    entry = outline[index]
    # Full rows for this module's own texts (the outline read titles only); populate_existing fills in what it left.
    texts = db.session.scalars(select(ModuleText).where(ModuleText.module_id == module.id)
                               .execution_options(populate_existing=True)).all()
    chosen = next((t for t in texts if t.lang == lang), None) or next(t for t in texts if t.id == entry.text.id)
    return ModulePage(
        course=course, module=module, text=chosen, languages=sorted(t.lang for t in texts),
        previous=outline[index - 1] if index > 0 else None,
        next=outline[index + 1] if index + 1 < len(outline) else None,
        progress=entry.progress, position=index + 1, total=len(outline),
    )


def _progress_row(user_id: int, module_id: int) -> ModuleProgress:
    row = db.session.scalar(select(ModuleProgress).where(ModuleProgress.user_id == user_id,
                                                         ModuleProgress.module_id == module_id))
    if row is None:
        row = ModuleProgress(user_id=user_id, module_id=module_id, attempts=0)
        db.session.add(row)
    return row


def record_visit(user_id: int, module_id: int, lang: str, now: datetime | None = None) -> None:
    row = _progress_row(user_id, module_id)
    now = now or utcnow()
    row.first_visit_at = row.first_visit_at or now
    row.last_visit_at, row.last_lang = now, lang
    db.session.commit()


def module_has_quiz(module_id: int) -> bool:
    return db.session.scalar(select(func.count()).where(ModuleText.module_id == module_id,
                                                        ModuleText.quiz.is_not(None))) > 0


class CompletionRefused(Exception):
    """A module with a quiz is completed by passing the quiz, not by a button."""


def mark_complete(user_id: int, module_id: int) -> None:
    if module_has_quiz(module_id):
        raise CompletionRefused()
    row = _progress_row(user_id, module_id)
    row.marked_complete = True
    row.completed_at = row.completed_at or utcnow()
    row.first_visit_at = row.first_visit_at or row.completed_at
    db.session.commit()


def record_attempt(user_id: int, module_id: int, percent: float, passed: bool) -> None:
    """Progress after a submitted attempt: count it, keep the best score, complete on a pass. Caller commits."""
    row = _progress_row(user_id, module_id)
    row.attempts = (row.attempts or 0) + 1
    row.best_percent = percent if row.best_percent is None else max(row.best_percent, percent)
    if passed and row.completed_at is None:
        row.completed_at = utcnow()


@dataclass(frozen=True)
class Dashboard:
    cards: list[CourseCard]
    resume: tuple[Course, Module, ModuleText] | None
    recent: list[tuple[QuizAttempt, ModuleText | None, Course]]


def student_dashboard(user_id: int, lang: str) -> Dashboard:
    """Everything the student dashboard shows, in a fixed number of queries whatever the number of courses."""
    cards = catalogue(user_id, lang)
    last = db.session.execute(
        select(Course, Module).join(Module, Module.course_id == Course.id)
        .join(ModuleProgress, ModuleProgress.module_id == Module.id)
        .where(ModuleProgress.user_id == user_id, _visible_modules())
        .order_by(ModuleProgress.completed_at.is_not(None), ModuleProgress.last_visit_at.desc()).limit(1)
    ).first()
    attempts = db.session.execute(
        select(QuizAttempt, Module, Course).join(Module, Module.id == QuizAttempt.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.status == "submitted")
        .order_by(QuizAttempt.submitted_at.desc()).limit(5)
    ).all()
    module_ids = [m.id for _a, m, _c in attempts] + ([last[1].id] if last else [])
    texts = texts_for(module_ids, lang)
    resume = (last[0], last[1], texts[last[1].id]) if last and last[1].id in texts else None
    recent = [(a, texts.get(m.id), c) for a, m, c in attempts]
    return Dashboard(cards, resume, recent)


def progress_rows(user_id: int, lang: str) -> list[tuple[Course, Module, ModuleText | None, ModuleProgress]]:
    """The student's progress per module, for their CSV download."""
    rows = db.session.execute(
        select(Course, Module, ModuleProgress).join(Module, Module.course_id == Course.id)
        .join(ModuleProgress, ModuleProgress.module_id == Module.id)
        .where(ModuleProgress.user_id == user_id).order_by(Course.position, Module.position)).all()
    texts = texts_for([m.id for _c, m, _p in rows], lang)
    return [(c, m, texts.get(m.id), p) for c, m, p in rows]


def module_and_course(module_id: int) -> tuple[Module, Course]:
    return db.session.execute(select(Module, Course).join(Course, Course.id == Module.course_id)
                              .where(Module.id == module_id)).one()


def module_title(module_id: int, lang: str) -> str:
    text = texts_for([module_id], lang).get(module_id)
    return text.title if text else ""


def attempt_rows(user_id: int, lang: str):
    """The student's submitted attempts with each answer, for their CSV download (two queries)."""
    rows = db.session.execute(
        select(QuizAttempt, AttemptAnswer).join(AttemptAnswer, AttemptAnswer.attempt_id == QuizAttempt.id)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.status == "submitted")
        .order_by(QuizAttempt.submitted_at, AttemptAnswer.position)).all()
    texts = texts_for(list({a.module_id for a, _ in rows}), lang)
    titles: dict[int, dict[str, str]] = {}
    for attempt, answer in rows:
        if attempt.id not in titles:
            titles[attempt.id] = {q.id: q.title for q in Quiz.from_dict(attempt.quiz_snapshot).questions}
        text = texts.get(attempt.module_id)
        yield attempt, text.title if text else "", answer, titles[attempt.id].get(answer.question_id, "")


def module_text(module_id: int, lang: str) -> ModuleText | None:
    """The module's text in ``lang``, else English, else any."""
    return texts_for([module_id], lang, full=True).get(module_id)
