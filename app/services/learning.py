"""What students read and how far they are: catalogue, course outline, module page, progress rules."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import defer

from app.database import dialect_insert
from app.extensions import db
from app.models import AttemptAnswer, AttemptStatus, Course, Module, ModuleProgress, ModuleText, QuizAttempt
from app.models.base import utcnow
from app.quizzes import Quiz, QuizSettings
from app.quizzes.review import Review
from app.services import assessment, course_cache
from app.services.course_cache import CachedBody, CachedCourse, CachedModule, CachedText


@dataclass(frozen=True)
class CourseCard:
    course: CachedCourse
    title: str
    summary: str
    module_count: int
    completed: int

    @property
    def percent(self) -> float:
        return 100.0 * self.completed / self.module_count if self.module_count else 0.0


@dataclass(frozen=True)
class ModuleEntry:
    module: Module | CachedModule
    text: ModuleText | course_cache.CachedText
    progress: ModuleProgress | None
    score_shown: bool = True  # False when the quiz's review options keep the score from students
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
    """Every published course with its module count and the user's completed count: from the course cache, so two
    queries when warm (the versions, the user's completed modules)."""
    courses = course_cache.visible_courses()
    done: set[int] = set()
    if user_id is not None and courses:
        done = set(db.session.scalars(select(ModuleProgress.module_id).where(
            ModuleProgress.user_id == user_id, ModuleProgress.completed_at.is_not(None))))
    return [CourseCard(s.course, s.course.in_language("title", lang), s.course.in_language("summary", lang),
                       len(s.modules), len(done.intersection(s.module_ids))) for s in courses]


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
    hidden = score_hidden_modules([i for i, p in progress.items() if p.best_percent is not None])
    with_quiz = set(db.session.scalars(
        select(ModuleText.module_id).where(ModuleText.module_id.in_(ids), ModuleText.quiz.is_not(None)).distinct()
    )) if ids else set()
    return [ModuleEntry(m, texts[m.id], progress.get(m.id), score_shown=m.id not in hidden, has_quiz=m.id in with_quiz)
            for m in modules if m.id in texts]


def score_hidden_modules(module_ids: list[int]) -> set[int]:
    """Modules whose quiz shows students no score right after an attempt (a diagnostic, say): one query."""
    if not module_ids:
        return set()
    hidden = set()
    for module_id, quiz in db.session.execute(select(ModuleText.module_id, ModuleText.quiz).where(
            ModuleText.module_id.in_(module_ids), ModuleText.quiz.is_not(None))):
        settings = QuizSettings.from_dict(quiz.get("settings", {}))
        if settings.review_times()["score"] not in ("during", "after_attempt"):
            hidden.add(module_id)
    return hidden


# Lists need titles, not bodies: leaving the HTML, source and quiz JSON unread made the module page 2x faster.
_HEAVY_TEXT_COLUMNS = (ModuleText.body_html, ModuleText.source_markdown, ModuleText.quiz, ModuleText.checks,
                       ModuleText.toc)


def titles_for(module_ids: list[int], lang: str) -> dict[int, CachedText | ModuleText]:
    """What lists show of each module's text (title, summary, minutes): visible modules from the course cache,
    others (archived since they were assigned or attempted) from the database."""
    found: dict[int, CachedText | ModuleText] = dict(course_cache.visible_texts(module_ids, lang))
    missing = [module_id for module_id in module_ids if module_id not in found]
    if missing:
        found.update(texts_for(missing, lang))
    return found


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
    course: CachedCourse
    module: CachedModule
    text: CachedBody
    languages: list[str]
    previous: ModuleEntry | None
    next: ModuleEntry | None
    progress: ModuleProgress | None
    position: int
    total: int
    prerequisites: list[ModuleEntry]  # advice shown on the page, never a lock
    attempts_left: int | None = None  # None when unlimited or no quiz


def _outline(snapshot: course_cache.CourseSnapshot, progress: dict[int, ModuleProgress],
             lang: str) -> list[ModuleEntry]:
    return [ModuleEntry(m, snapshot.text_for(m.id, lang), progress.get(m.id),
                        score_shown=not (m.id in snapshot.score_hidden and progress.get(m.id) is not None
                                         and progress[m.id].best_percent is not None),
                        has_quiz=m.id in snapshot.with_quiz)
            for m in snapshot.modules]


def read_course(slug: str, user_id: int | None, lang: str) -> tuple[CachedCourse, list[ModuleEntry]] | None:
    """The course page: the cached outline with the reader's progress (one query on a warm cache); None if hidden."""
    snapshot, progress = course_cache.course_with_progress(slug, user_id)
    if snapshot is None:
        return None
    return snapshot.course, _outline(snapshot, progress, lang)


# A module GET writes the visit only when it is news: the first visit, another language than last time, or the last
# recorded visit at least this long ago (so "last visit" on the dashboard and in the CSV is exact to this much).
VISIT_REFRESH = timedelta(minutes=5)


def visit_is_news(progress: ModuleProgress | None, lang: str, now: datetime) -> bool:
    if progress is None or progress.first_visit_at is None or progress.last_visit_at is None:
        return True
    return progress.last_lang != lang or now - progress.last_visit_at >= VISIT_REFRESH


def read_module(course_slug: str, module_slug: str, user_id: int | None, lang: str,
                now: datetime | None = None) -> ModulePage | RenamedModule | None:
    """The module page from the cached course (two queries when warm: version + progress, and nothing else), and
    the visit recorded when it is news (see VISIT_REFRESH). None if the course or module is unknown or hidden;
    ``renamed`` pages carry the module under its current slug for the caller's redirect."""
    snapshot, progress = course_cache.course_with_progress(course_slug, user_id)
    if snapshot is None:
        return None
    module, renamed = snapshot.find_module(module_slug)
    if module is None:
        return None
    if renamed:
        return RenamedModule(snapshot.course, module)
    outline = _outline(snapshot, progress, lang)
    index = next(i for i, entry in enumerate(outline) if entry.module.id == module.id)
    texts = course_cache.bodies(snapshot, module.id)
    entry = outline[index]
    chosen = texts.get(lang) or texts.get(entry.text.lang) or next(iter(texts.values()), None)
    if chosen is None:
        return None
    now = now or utcnow()
    if user_id is not None and visit_is_news(entry.progress, lang, now):
        record_visit(user_id, module.id, lang, now)
    left = None
    if chosen.quiz_summary is not None and chosen.quiz_summary.attempts is not None:
        # The progress row counts submitted attempts (record_attempt); starting a quiz checks the attempts table.
        used = entry.progress.attempts if entry.progress is not None else 0
        left = max(chosen.quiz_summary.attempts - used, 0)
    return ModulePage(
        course=snapshot.course, module=module, text=chosen, languages=sorted(texts),
        previous=outline[index - 1] if index > 0 else None,
        next=outline[index + 1] if index + 1 < len(outline) else None,
        progress=entry.progress, position=index + 1, total=len(outline),
        prerequisites=prerequisites_of(module, outline), attempts_left=left,
    )


@dataclass(frozen=True)
class RenamedModule:
    """The slug asked for is a module's old name: redirect to ``module.slug``."""

    course: CachedCourse
    module: CachedModule


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


def prerequisites_of(module: Module, outline: list[ModuleEntry]) -> list[ModuleEntry]:
    """The modules ``module`` builds on (``prerequisites:`` in its front matter), in course order, with the
    reader's progress; hidden ones are left out. Advice for the reader: nothing is locked."""
    wanted = set(module.prerequisites or [])
    return [entry for entry in outline if entry.module.slug in wanted]


def course_prerequisites(outline: list[ModuleEntry]) -> dict[int, list[ModuleEntry]]:
    """For the course page: each module's prerequisites by module id (no query: the outline has them)."""
    return {entry.module.id: prerequisites_of(entry.module, outline) for entry in outline}


def _progress_upsert(user_id: int, module_id: int, first: dict, then: dict) -> None:
    """One statement: insert the student's row for the module with ``first``, or apply ``then`` to the existing one.

    ``INSERT ... ON CONFLICT (user_id, module_id) DO UPDATE`` (PostgreSQL and SQLite): two first visits at once
    cannot both insert, and expressions in ``then`` such as ``attempts + 1`` are evaluated on the locked row, so
    concurrent updates are never lost (no select-then-insert, no read-modify-write).
    """
    statement = dialect_insert(ModuleProgress).values(
        user_id=user_id, module_id=module_id, **{"attempts": 0, "marked_complete": False, **first})
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[ModuleProgress.user_id, ModuleProgress.module_id], set_=then))


def record_visit(user_id: int, module_id: int, lang: str, now: datetime | None = None) -> None:
    now = now or utcnow()
    _progress_upsert(user_id, module_id,
                     first={"first_visit_at": now, "last_visit_at": now, "last_lang": lang},
                     then={"first_visit_at": func.coalesce(ModuleProgress.first_visit_at, now),
                           "last_visit_at": now, "last_lang": lang})
    db.session.commit()


def module_has_quiz(module_id: int) -> bool:
    return db.session.scalar(select(func.count()).where(ModuleText.module_id == module_id,
                                                        ModuleText.quiz.is_not(None))) > 0


class CompletionRefused(Exception):
    """A module with a quiz is completed by passing the quiz, not by a button."""


def mark_complete(user_id: int, module_id: int) -> None:
    if module_has_quiz(module_id):
        raise CompletionRefused()
    now = utcnow()
    _progress_upsert(user_id, module_id,
                     first={"marked_complete": True, "completed_at": now, "first_visit_at": now},
                     then={"marked_complete": True,
                           "completed_at": func.coalesce(ModuleProgress.completed_at, now),
                           "first_visit_at": func.coalesce(ModuleProgress.first_visit_at,
                                                           ModuleProgress.completed_at, now)})
    db.session.commit()


def record_attempt(user_id: int, module_id: int, percent: float, passed: bool) -> None:
    """Progress after a submitted attempt: count it, keep the best score, complete on a pass. Caller commits."""
    now = utcnow()
    then = {"attempts": ModuleProgress.attempts + 1,
            "best_percent": case((or_(ModuleProgress.best_percent.is_(None), ModuleProgress.best_percent < percent),
                                  percent), else_=ModuleProgress.best_percent)}
    if passed:
        then["completed_at"] = func.coalesce(ModuleProgress.completed_at, now)
    _progress_upsert(user_id, module_id,
                     first={"attempts": 1, "best_percent": percent, "completed_at": now if passed else None},
                     then=then)


@dataclass(frozen=True)
class RecentAttempt:
    attempt: QuizAttempt  # without its snapshot (deferred, raises if read)
    text: CachedText | ModuleText | None
    course: Course
    shown: Review
    pass_fail: bool  # the quiz has a pass mark


@dataclass(frozen=True)
class Dashboard:
    cards: list[CourseCard]
    resume: tuple[Course, Module, ModuleText] | None
    recent: list[RecentAttempt]


def student_dashboard(user_id: int, lang: str) -> Dashboard:
    """Everything the student dashboard shows, in a fixed number of queries whatever the number of courses."""
    cards = catalogue(user_id, lang)
    last = db.session.execute(
        select(Course, Module).join(Module, Module.course_id == Course.id)
        .join(ModuleProgress, ModuleProgress.module_id == Module.id)
        .where(ModuleProgress.user_id == user_id, _visible_modules())
        .order_by(ModuleProgress.completed_at.is_not(None), ModuleProgress.last_visit_at.desc()).limit(1)
    ).first()
    # Of each attempt's quiz snapshot (tens of KB of JSON) only the settings: what the student may see, the pass mark.
    rows = db.session.execute(
        select(QuizAttempt, QuizAttempt.quiz_snapshot["settings"], Module, Course)
        .options(*(defer(column, raiseload=True) for column in (QuizAttempt.quiz_snapshot, QuizAttempt.question_order,
                                                                QuizAttempt.choice_orders, QuizAttempt.saved_answers)))
        .join(Module, Module.id == QuizAttempt.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.status == AttemptStatus.SUBMITTED)
        .order_by(QuizAttempt.submitted_at.desc()).limit(5)
    ).all()
    settings = {a.id: found or {} for a, found, _m, _c in rows}
    module_ids = [m.id for _a, _s, m, _c in rows] + ([last[1].id] if last else [])
    texts = titles_for(module_ids, lang)
    resume = (last[0], last[1], texts[last[1].id]) if last and last[1].id in texts else None
    shown = assessment.reviews_for([a for a, _s, _m, _c in rows], settings=settings)
    recent = [RecentAttempt(a, texts.get(m.id), c, shown[a.id], QuizSettings.from_dict(settings[a.id]).has_pass_mark)
              for a, _s, m, c in rows]
    return Dashboard(cards, resume, recent)


def progress_rows(user_id: int, lang: str) -> list[tuple[Course, Module, ModuleText | None, ModuleProgress]]:
    """The student's progress per module, for their CSV download."""
    rows = db.session.execute(
        select(Course, Module, ModuleProgress).join(Module, Module.course_id == Course.id)
        .join(ModuleProgress, ModuleProgress.module_id == Module.id)
        .where(ModuleProgress.user_id == user_id).order_by(Course.position, Module.position)).all()
    texts = texts_for([m.id for _c, m, _p in rows], lang)
    return [(c, m, texts.get(m.id), p) for c, m, p in rows]


def module_and_course(module_id: int) -> tuple[Module, Course] | None:
    row = db.session.execute(select(Module, Course).join(Course, Course.id == Module.course_id)
                             .where(Module.id == module_id)).one_or_none()
    return tuple(row) if row is not None else None


def module_title(module_id: int, lang: str) -> str:
    text = titles_for([module_id], lang).get(module_id)
    return text.title if text else ""


def attempt_rows(user_id: int, lang: str):
    """The student's submitted attempts with each answer, for their CSV download (two queries)."""
    rows = db.session.execute(
        select(QuizAttempt, AttemptAnswer).join(AttemptAnswer, AttemptAnswer.attempt_id == QuizAttempt.id)
        .where(QuizAttempt.user_id == user_id, QuizAttempt.status == AttemptStatus.SUBMITTED)
        .order_by(QuizAttempt.submitted_at, AttemptAnswer.position)).all()
    texts = texts_for(list({a.module_id for a, _ in rows}), lang)
    shown = assessment.reviews_for(list({a.id: a for a, _ in rows}.values()))
    titles: dict[int, dict[str, str]] = {}
    for attempt, answer in rows:
        if attempt.id not in titles:
            titles[attempt.id] = {q.id: q.title for q in Quiz.from_dict(attempt.quiz_snapshot).questions}
        text = texts.get(attempt.module_id)
        yield (attempt, text.title if text else "", answer, titles[attempt.id].get(answer.question_id, ""),
               shown[attempt.id])


def module_text(module_id: int, lang: str) -> ModuleText | None:
    """The module's text in ``lang``, else English, else any."""
    return texts_for([module_id], lang, full=True).get(module_id)
