"""Courses as students read them, kept in each web worker's memory and checked against the course version.

The outline (course, visible modules, titles) is read once per course and version; a module's full texts (stored
HTML, contents, quiz and checks) once per module and version, on its first view. Every request that uses a cached
course asks the database for the course's ``version`` token only (together with the reader's progress, in the same
query); a writer that changes the course, a module or a text gives the course a new token in the same flush (see
``app/models/course.py``), so a worker never serves a text older than the request's own check.

What is cached are plain frozen dataclasses, never ORM objects: they outlive the request's session and are shared by
the requests a worker serves.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from sqlalchemy import and_, event, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Course, Module, ModuleProgress, ModuleText
from app.quizzes.model import Quiz, QuizSettings

# Where an inline check goes in stored HTML (app.content.render writes it): split here without importing Markdown.
CHECK_MARKER_SPLIT = "<!--ondo-check:"


@dataclass(frozen=True)
class CachedCourse:
    id: int
    slug: str
    title: dict[str, str]
    summary: dict[str, str]
    level: str
    hours: float
    principles: tuple[str, ...]
    position: int

    def in_language(self, name: str, lang: str) -> str:
        values = getattr(self, name) or {}
        return values.get(lang) or values.get("en") or next(iter(values.values()), "")


@dataclass(frozen=True)
class CachedModule:
    id: int
    course_id: int
    slug: str
    position: int
    formerly: tuple[str, ...]
    prerequisites: tuple[str, ...]


@dataclass(frozen=True)
class CachedText:
    """What lists show of a module text: no body."""

    id: int
    module_id: int
    lang: str
    title: str
    summary: str
    minutes: int
    objectives: tuple[str, ...]
    principles: tuple[str, ...]


@dataclass(frozen=True)
class QuizSummary:
    questions: int
    pass_mark: float
    attempts: int | None  # the limit, None when unlimited


@dataclass(frozen=True)
class CachedBody(CachedText):
    """A module text as its page shows it."""

    body_html: str = ""
    toc: tuple[dict[str, Any], ...] = ()
    quiz: dict[str, Any] | None = None
    checks: tuple[dict[str, Any], ...] = ()
    quiz_summary: QuizSummary | None = None
    parts: tuple[Markup | int, ...] = ()  # the body split at check markers: HTML and check numbers
    # The web layer's rendered pieces of this text (app/web/inline_checks.py), kept with it so they go when the
    # course's version changes and the snapshot is replaced.
    rendered: dict[Any, str] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class CourseSnapshot:
    version: str
    course: CachedCourse
    modules: tuple[CachedModule, ...]  # visible ones, in course order
    texts: dict[int, dict[str, CachedText]]  # module id -> language -> text
    score_hidden: frozenset[int]  # modules whose quiz keeps the score from students after an attempt
    with_quiz: frozenset[int] = frozenset()  # modules with a quiz: passing it is what completes them
    bodies: dict[int, dict[str, CachedBody]] = field(default_factory=dict)  # filled on first view

    @property
    def module_ids(self) -> list[int]:
        return [m.id for m in self.modules]

    def text_for(self, module_id: int, lang: str) -> CachedText | None:
        """The wanted language, else English, else any."""
        texts = self.texts.get(module_id) or {}
        return texts.get(lang) or texts.get("en") or next(iter(texts.values()), None)

    def find_module(self, slug: str) -> tuple[CachedModule | None, bool]:
        """The visible module for ``slug``; the bool says the slug was an old name."""
        for module in self.modules:
            if module.slug == slug:
                return module, False
        for module in self.modules:
            if slug in module.formerly:
                return module, True
        return None, False


_snapshots: dict[str, CourseSnapshot] = {}
_lock = threading.Lock()  # threaded servers (tests, development) share the dict; gunicorn's sync workers do not


def clear() -> None:
    """Forget every cached course (tests; the version check alone keeps workers right)."""
    with _lock:
        _snapshots.clear()


def course_with_progress(slug: str, user_id: int | None) -> tuple[CourseSnapshot | None, dict[int, ModuleProgress]]:
    """The course (None if unknown or hidden) and the reader's progress rows by module id.

    Warm: one query, the course's version and the reader's progress joined. Cold or stale: the outline is read
    again (three queries) and the progress in a fourth.
    """
    snapshot = _snapshots.get(slug)
    if snapshot is not None:
        rows = db.session.execute(
            select(Course.version, ModuleProgress).select_from(Course)
            .outerjoin(ModuleProgress, and_(ModuleProgress.user_id == user_id,
                                            ModuleProgress.module_id.in_(snapshot.module_ids)))
            .where(Course.id == snapshot.course.id)).all()
        if rows and rows[0][0] == snapshot.version:
            return snapshot, {p.module_id: p for _v, p in rows if p is not None}
    snapshot = _load_course(slug)
    with _lock:
        if snapshot is None:
            _snapshots.pop(slug, None)
            return None, {}
        _snapshots[slug] = snapshot
    progress = {}
    if user_id is not None and snapshot.modules:
        progress = {p.module_id: p for p in db.session.scalars(select(ModuleProgress).where(
            ModuleProgress.user_id == user_id, ModuleProgress.module_id.in_(snapshot.module_ids)))}
    return snapshot, progress


# visible_courses() answers once per transaction: the dashboard lists courses, assigned work and recent attempts,
# and each used to check the version tokens again. Any flush, and the end of the transaction (commit, rollback,
# close), forgets the answer, so a request that writes (a course, or anything) and lists again checks again.
_VISIBLE = "ondo.visible_courses"


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_transaction_end")
def _forget_visible(session: Session, *_args) -> None:
    session.info.pop(_VISIBLE, None)


def visible_courses() -> list[CourseSnapshot]:
    """Every published course, fresh, in catalogue order: one query for the version tokens (once per transaction),
    plus a reload of any course that changed since this worker last read it (catalogue, dashboard, assigned work)."""
    known = db.session.info.get(_VISIBLE)
    if known is not None:
        return known
    current = []
    for slug, version in db.session.execute(select(Course.slug, Course.version).where(Course.archived.is_(False))
                                            .order_by(Course.position, Course.id)):
        snapshot = _snapshots.get(slug)
        if snapshot is None or snapshot.version != version:
            snapshot = _load_course(slug)
            if snapshot is None:  # hidden between the two queries
                continue
            with _lock:
                _snapshots[slug] = snapshot
        current.append(snapshot)
    db.session.info[_VISIBLE] = current
    return current


def visible_texts(module_ids, lang: str) -> dict[int, CachedText]:
    """The cached text of each visible module among ``module_ids`` (wanted language, else English, else any);
    modules that are hidden or unknown are left out."""
    wanted = set(module_ids)
    found: dict[int, CachedText] = {}
    for snapshot in visible_courses():
        for module_id in wanted.intersection(snapshot.texts):
            found[module_id] = snapshot.text_for(module_id, lang)
    return found


def _load_course(slug: str) -> CourseSnapshot | None:
    course = db.session.execute(
        select(Course.id, Course.slug, Course.title, Course.summary, Course.level, Course.hours, Course.principles,
               Course.position, Course.version).where(Course.slug == slug, Course.archived.is_(False))).first()
    if course is None:
        return None
    modules = tuple(CachedModule(row.id, row.course_id, row.slug, row.position, tuple(row.formerly or ()),
                                 tuple(row.prerequisites or ()))
                    for row in db.session.execute(
                        select(Module.id, Module.course_id, Module.slug, Module.position, Module.formerly,
                               Module.prerequisites)
                        .where(Module.course_id == course.id, Module.archived.is_(False))
                        .order_by(Module.position)))
    texts: dict[int, dict[str, CachedText]] = {}
    score_hidden, with_quiz = set(), set()
    if modules:
        for row in db.session.execute(
                select(ModuleText.id, ModuleText.module_id, ModuleText.lang, ModuleText.title, ModuleText.summary,
                       ModuleText.minutes, ModuleText.objectives, ModuleText.principles, ModuleText.quiz)
                .where(ModuleText.module_id.in_([m.id for m in modules]))):
            texts.setdefault(row.module_id, {})[row.lang] = CachedText(
                row.id, row.module_id, row.lang, row.title, row.summary or "", row.minutes or 0,
                tuple(row.objectives or ()), tuple(row.principles or ()))
            if row.quiz is not None:
                with_quiz.add(row.module_id)
                settings = QuizSettings.from_dict(row.quiz.get("settings", {}))
                if settings.review_times()["score"] not in ("during", "after_attempt"):
                    score_hidden.add(row.module_id)
    visible = tuple(m for m in modules if m.id in texts)
    return CourseSnapshot(course.version, CachedCourse(
        course.id, course.slug, dict(course.title or {}), dict(course.summary or {}), course.level, course.hours,
        tuple(course.principles or ()), course.position), visible, texts, frozenset(score_hidden),
        frozenset(with_quiz))


def bodies(snapshot: CourseSnapshot, module_id: int) -> dict[str, CachedBody]:
    """The module's full texts by language: read once (one query, without the Markdown source) per version."""
    cached = snapshot.bodies.get(module_id)
    if cached is not None:
        return cached
    light = snapshot.texts.get(module_id, {})
    loaded = {}
    for row in db.session.execute(
            select(ModuleText.lang, ModuleText.body_html, ModuleText.toc, ModuleText.quiz, ModuleText.checks)
            .where(ModuleText.module_id == module_id)):
        text = light.get(row.lang)
        if text is None:  # written after the outline was read: the next request's version check reloads
            continue
        summary = None
        if row.quiz is not None:
            quiz = Quiz.from_dict(row.quiz)
            summary = QuizSummary(len(quiz.for_form(None).questions), quiz.settings.pass_mark,
                                  quiz.settings.attempts)
        loaded[row.lang] = CachedBody(
            **{name: getattr(text, name) for name in CachedText.__dataclass_fields__},
            body_html=row.body_html, toc=tuple(row.toc or ()), quiz=row.quiz, checks=tuple(row.checks or ()),
            quiz_summary=summary, parts=split_body(row.body_html))
    snapshot.bodies[module_id] = loaded
    return loaded


def split_body(body_html: str) -> tuple[Markup | int, ...]:
    """The stored body split at check markers (``<!--ondo-check:N-->``): HTML pieces and check numbers."""
    pieces: list[Markup | int] = []
    head, *rest = body_html.split(CHECK_MARKER_SPLIT)
    pieces.append(Markup(head))
    for chunk in rest:
        number, _sep, tail = chunk.partition("-->")
        if not number.isdigit():  # cannot happen: the sanitiser removes comments, only our code writes these
            pieces[-1] = Markup(pieces[-1] + CHECK_MARKER_SPLIT + chunk)
            continue
        pieces.extend([int(number), Markup(tail)])
    return tuple(pieces)
