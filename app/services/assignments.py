"""Assignments: giving a class a module or course with a due date, changing and removing them, and what is assigned."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import (
    Assignment,
    Course,
    Module,
    ModuleText,
    SchoolClass,
    User,
)
from app.quizzes import Quiz
from app.services import course_cache
from app.services.assessment import split_class
from app.services.learning import texts_for, titles_for


class AssignmentError(ValueError):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def assign(school_class: SchoolClass, *, module_id: int | None, course_id: int | None, due_at: datetime | None,
           note: str, by: User, prepost: bool = False, crossover: bool = False) -> Assignment:
    """Assign a module or course; a pre/post check (optionally crossover, split at once) is a module with a quiz."""
    if school_class.archived:
        raise AssignmentError("archived")
    if (module_id is None) == (course_id is None):
        raise AssignmentError("pick_one")
    prepost = prepost or crossover
    if prepost:
        if module_id is None:
            raise AssignmentError("prepost_module")
        quiz = db.session.scalar(select(ModuleText.quiz).where(ModuleText.module_id == module_id,
                                                               ModuleText.quiz.is_not(None)).limit(1))
        if quiz is None:
            raise AssignmentError("prepost_no_quiz")
        if crossover and len(Quiz.from_dict(quiz).forms) < 2:
            raise AssignmentError("crossover_forms")
    assignment = Assignment(class_id=school_class.id, module_id=module_id, course_id=course_id, due_at=due_at,
                            note=note.strip(), created_by=by.id, prepost=prepost, crossover=crossover)
    db.session.add(assignment)
    db.session.commit()
    if crossover:
        split_class(assignment, tuple(Quiz.from_dict(quiz).forms[:2]))
    return assignment


def update_assignment(assignment: Assignment, *, due_at: datetime | None, note: str) -> None:
    """Changing the due date or note never touches student work (progress and attempts live elsewhere)."""
    assignment.due_at, assignment.note = due_at, note.strip()
    db.session.commit()


def remove_assignment(assignment: Assignment) -> None:
    db.session.delete(assignment)
    db.session.commit()


def assignment_of(school_class: SchoolClass, assignment_id: int) -> Assignment | None:
    return db.session.scalar(select(Assignment).where(Assignment.id == assignment_id,
                                                      Assignment.class_id == school_class.id))


def assignable_items(lang: str) -> list[tuple[Course, list[tuple[Module, str]]]]:
    """Published courses with their modules' titles, for the assign form (three queries)."""
    courses = db.session.scalars(select(Course).where(Course.archived.is_(False)).order_by(Course.position)).all()
    modules = db.session.scalars(select(Module).where(Module.archived.is_(False),
                                                      Module.course_id.in_([c.id for c in courses]))
                                 .order_by(Module.position)).all() if courses else []
    texts = texts_for([m.id for m in modules], lang)
    by_course: dict[int, list[tuple[Module, str]]] = defaultdict(list)
    for module in modules:
        if module.id in texts:
            by_course[module.course_id].append((module, texts[module.id].title))
    return [(course, by_course[course.id]) for course in courses]


@dataclass(frozen=True)
class AssignedItem:
    assignment: Assignment
    title: str
    module_ids: list[int]
    course_slug: str
    module_slug: str | None


def items_of(assignments: list[Assignment], lang: str) -> list[AssignedItem]:
    """Titles and module lists of assigned items: from the course cache (no query once the version tokens are
    checked), and from the database only for hidden courses and modules (a fixed number of queries)."""
    if not assignments:
        return []
    snapshots = {snapshot.course.id: snapshot for snapshot in course_cache.visible_courses()}
    courses: dict[int, Course | course_cache.CachedCourse] = {i: s.course for i, s in snapshots.items()}
    modules: dict[int, Module | course_cache.CachedModule] = {m.id: m for s in snapshots.values() for m in s.modules}
    by_course: dict[int, list[int]] = {i: s.module_ids for i, s in snapshots.items()}
    hidden_modules = {a.module_id for a in assignments if a.module_id} - modules.keys()
    if hidden_modules:
        modules.update({m.id: m for m in db.session.scalars(select(Module).where(Module.id.in_(hidden_modules)))})
    hidden_courses = ({a.course_id for a in assignments if a.course_id}
                      | {modules[a.module_id].course_id for a in assignments if a.module_id}) - courses.keys()
    if hidden_courses:
        courses.update({c.id: c for c in db.session.scalars(select(Course).where(Course.id.in_(hidden_courses)))})
        for module in db.session.scalars(select(Module).where(Module.course_id.in_(hidden_courses),
                                                              Module.archived.is_(False))
                                         .order_by(Module.position)):
            by_course.setdefault(module.course_id, []).append(module.id)
    texts = titles_for([a.module_id for a in assignments if a.module_id], lang)
    items = []
    for a in assignments:
        if a.module_id:
            module = modules[a.module_id]
            title = texts[module.id].title if module.id in texts else module.slug
            items.append(AssignedItem(a, title, [module.id], courses[module.course_id].slug, module.slug))
        else:
            course = courses[a.course_id]
            items.append(AssignedItem(a, course.in_language("title", lang), list(by_course.get(course.id, [])),
                                      course.slug, None))
    return items


def class_items(class_id: int, lang: str) -> list[AssignedItem]:
    """The class's assignments with their titles, soonest due first (for the class page)."""
    return items_of(list(db.session.scalars(assignments_of_class(class_id))), lang)


def assignments_of_class(class_id: int):
    return (select(Assignment).where(Assignment.class_id == class_id)
            .order_by(Assignment.due_at.is_(None), Assignment.due_at, Assignment.id))
