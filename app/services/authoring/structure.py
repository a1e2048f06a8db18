"""Courses and modules: the course list, new courses and modules, the course card, order and visibility."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.content.single import module_skeleton
from app.content.sources import LANGUAGES, SLUG_RE
from app.extensions import db
from app.models import Course, Module, ModuleRevision, ModuleText, User
from app.services import audit
from app.services.authoring.checking import MAX_MODULES, AuthoringError


@dataclass(frozen=True)
class CourseRow:
    course: Course
    module_count: int


def course_rows() -> list[CourseRow]:
    """Every course (hidden ones too) with its module count: two queries."""
    courses = db.session.scalars(select(Course).order_by(Course.position, Course.slug)).all()
    counts = dict(db.session.execute(select(Module.course_id, func.count(Module.id)).group_by(Module.course_id)).all())
    return [CourseRow(course, counts.get(course.id, 0)) for course in courses]


def get_course(slug: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.slug == slug))


def get_module(course: Course, slug: str) -> Module | None:
    return db.session.scalar(select(Module).where(Module.course_id == course.id, Module.slug == slug))


@dataclass(frozen=True)
class ModuleRow:
    module: Module
    titles: dict[str, str]  # by language, published texts only
    drafts: set[str]  # languages with a draft newer than their published text
    edited_in_browser: set[str]


def module_rows(course: Course) -> list[ModuleRow]:
    """The course's modules in order with their published titles and pending drafts: three queries."""
    modules = db.session.scalars(select(Module).where(Module.course_id == course.id).order_by(Module.position)).all()
    ids = [m.id for m in modules]
    titles: dict[int, dict[str, str]] = {}
    edited: dict[int, set[str]] = {}
    drafts: dict[int, set[str]] = {}
    if ids:
        for module_id, lang, title, edited_at in db.session.execute(
                select(ModuleText.module_id, ModuleText.lang, ModuleText.title, ModuleText.edited_in_browser_at)
                .where(ModuleText.module_id.in_(ids))):
            titles.setdefault(module_id, {})[lang] = title
            if edited_at is not None:
                edited.setdefault(module_id, set()).add(lang)
        latest = (select(ModuleRevision.module_id, ModuleRevision.lang, func.max(ModuleRevision.id).label("last_id"))
                  .where(ModuleRevision.module_id.in_(ids)).group_by(ModuleRevision.module_id, ModuleRevision.lang)
                  .subquery())
        for module_id, lang in db.session.execute(
                select(ModuleRevision.module_id, ModuleRevision.lang)
                .join(latest, ModuleRevision.id == latest.c.last_id).where(ModuleRevision.kind == "draft")):
            drafts.setdefault(module_id, set()).add(lang)
    return [ModuleRow(m, titles.get(m.id, {}), drafts.get(m.id, set()), edited.get(m.id, set())) for m in modules]


def create_course(slug: str, title: dict[str, str], first_module_slug: str, author: User) -> Course:
    """A hidden course from the template: a course card and one module skeleton (drafts in both languages)."""
    if not SLUG_RE.match(slug) or not SLUG_RE.match(first_module_slug):
        raise AuthoringError("bad_slug")
    if get_course(slug) is not None:
        raise AuthoringError("course_exists")
    position = (db.session.scalar(select(func.max(Course.position)).where(Course.position < 1000)) or 0) + 1
    titles = {lang: text.strip() for lang, text in title.items() if text and text.strip()}
    summaries = {"en": "What this course is about, in one or two sentences."}
    if "ko" in titles:
        summaries["ko"] = "이 과정이 무엇에 관한 것인지 한두 문장으로 쓰세요."
    course = Course(slug=slug, title=titles, summary=summaries, level="both", hours=1.0, principles=[],
                    position=position, archived=True)
    db.session.add(course)
    db.session.flush()
    module = _new_module(course, first_module_slug, author)
    audit.record(author, "course.create", course, module=module.slug)
    db.session.commit()
    return course


def create_module(course: Course, slug: str, title: str, author: User) -> Module:
    """A new module at the end of the course, hidden until its first text is published."""
    if not SLUG_RE.match(slug):
        raise AuthoringError("bad_slug")
    existing = db.session.execute(select(Module.slug, Module.formerly).where(Module.course_id == course.id)).all()
    if any(slug == row[0] or slug in (row[1] or []) for row in existing):
        raise AuthoringError("module_exists")
    if len(existing) >= MAX_MODULES:
        raise AuthoringError("too_many_modules")
    module = _new_module(course, slug, author, title=title)
    audit.record(author, "module.create", module, label=f"{course.slug}/{slug}")
    db.session.commit()
    return module


def _new_module(course: Course, slug: str, author: User, title: str = "") -> Module:
    position = (db.session.scalar(select(func.max(Module.position)).where(Module.course_id == course.id)) or 0) + 1
    module = Module(course_id=course.id, slug=slug, position=position, archived=True, formerly=[], prerequisites=[])
    db.session.add(module)
    db.session.flush()
    for lang in LANGUAGES:
        heading = title.strip() or slug.replace("-", " ").capitalize()
        db.session.add(ModuleRevision(module_id=module.id, lang=lang, kind="draft",
                                      source_markdown=module_skeleton(heading, lang), author_id=author.id,
                                      note="template"))
    return module


def update_course(course: Course, *, title: dict[str, str], summary: dict[str, str], level: str, hours: float,
                  principles: list[str], author: User) -> None:
    """Change the course card (the fields of course.yml)."""
    course.title = {k: v.strip() for k, v in title.items() if v and v.strip()}
    course.summary = {k: v.strip() for k, v in summary.items() if v and v.strip()}
    course.level, course.hours, course.principles = level, float(hours), list(principles)
    audit.record(author, "course.update", course)
    db.session.commit()


def set_course_visible(course: Course, visible: bool, author: User) -> None:
    course.archived = not visible
    audit.record(author, "course.show" if visible else "course.hide", course)
    db.session.commit()


def move_module(course: Course, module: Module, direction: str, author: User) -> None:
    """Swap the module with its neighbour ("up" or "down"); nothing happens at either end."""
    modules = db.session.scalars(select(Module).where(Module.course_id == course.id)
                                 .order_by(Module.position, Module.id)).all()
    for number, each in enumerate(modules, start=1):  # make positions 1..n, so a swap is always well defined
        each.position = number
    index = next(i for i, m in enumerate(modules) if m.id == module.id)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(modules):
        neighbour = modules[other]
        module.position, neighbour.position = neighbour.position, module.position
        audit.record(author, "module.reorder", module, label=f"{course.slug}/{module.slug}", direction=direction,
                     position=module.position)
    db.session.commit()


def set_module_archived(course: Course, module: Module, archived: bool, author: User) -> None:
    """Hide a module from students (their progress and attempts stay), or show it again."""
    module.archived = archived
    audit.record(author, "module.archive" if archived else "module.restore", module,
                 label=f"{course.slug}/{module.slug}")
    db.session.commit()
