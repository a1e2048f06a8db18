"""Load ``courses/`` into the database in one transaction, rendering only what changed."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import select

from app.content import CourseFormatError, DatasetStore, ModuleSource, parse_course_tree, render_module
from app.content.loader import DATA_FOLDER
from app.extensions import db
from app.models import Course, Module, ModuleRevision, ModuleText


@dataclass
class SyncReport:
    courses_created: int = 0
    modules_created: int = 0
    texts_rendered: int = 0
    texts_unchanged: int = 0
    modules_archived: int = 0
    modules_renamed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list = field(default_factory=list)
    # Texts published in the browser that the files would change: left as they are unless --force.
    conflicts: list[str] = field(default_factory=list)
    overwritten: list[str] = field(default_factory=list)  # with --force: browser versions replaced (kept as revisions)

    def summary(self) -> str:
        renamed = ", ".join(f"{old} → {new}" for old, new in self.modules_renamed) or "none"
        return (f"{self.courses_created} course(s) and {self.modules_created} module(s) created; "
                f"{self.texts_rendered} module text(s) rendered, {self.texts_unchanged} unchanged; "
                f"{self.modules_archived} archived; renamed: {renamed}; "
                f"{len(self.conflicts)} conflict(s), {len(self.overwritten)} browser edit(s) overwritten")


def asset_url_for(course_slug: str, course_path: Path):
    """URLs of course assets carry a content hash, so browsers may cache them for a year."""

    def asset_url(relative: str) -> str:
        file = course_path / relative
        digest = hashlib.sha256(file.read_bytes()).hexdigest()[:12] if file.is_file() else "missing"
        inner = quote(relative.removeprefix("assets/"))  # the path arrives decoded: spaces, Korean letters
        return f"/courses/{course_slug}/assets/{inner}?v={digest}"

    return asset_url


def module_url_for(course_slug: str):
    return lambda slug: f"/courses/{course_slug}/{slug}"


def render_source(source: ModuleSource, datasets: DatasetStore, course_path: Path):
    """Render one module file exactly as students will see it (used by sync and, later, previews)."""
    return render_module(source, datasets=datasets, asset_url=asset_url_for(source.course_slug, course_path),
                         module_url=module_url_for(source.course_slug))


def sync_courses(root: Path, *, force: bool = False) -> SyncReport:
    """Create/update courses and modules by slug; all or nothing.

    Raises CourseFormatError (and changes nothing) if any file has an error. A module text published in
    the browser since the last sync is a conflict: left unchanged and reported, unless ``force``, which
    keeps the browser version as a revision and then writes the file's version.
    """
    sources, problems = parse_course_tree(root)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise CourseFormatError(errors)
    report = SyncReport(warnings=[p for p in problems if not p.is_error])
    datasets = DatasetStore(root / DATA_FOLDER)
    try:
        _apply(sources, datasets, report, force)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return report


def _apply(sources, datasets: DatasetStore, report: SyncReport, force: bool = False) -> None:
    existing_courses = {c.slug: c for c in db.session.scalars(select(Course))}
    for position, source in enumerate(sources, start=1):
        course = existing_courses.pop(source.slug, None)
        if course is None:
            course = Course(slug=source.slug)
            db.session.add(course)
            report.courses_created += 1
        course.title, course.summary = dict(source.title), dict(source.summary)
        course.level, course.hours, course.principles = source.level, float(source.hours), list(source.principles)
        course.position = source.order if source.order is not None else 1000 + position
        course.archived = False
        db.session.flush()
        _apply_modules(course, source, datasets, report, force)
    edited = _browser_edited(list(existing_courses.values()))
    for gone in existing_courses.values():  # folder removed: hide the course, keep everything
        if not gone.archived and gone.id in edited and not force:
            report.conflicts.append(f"{gone.slug}: course published in the browser has no folder in the files")
            continue
        gone.archived = True


def _browser_edited(courses: list[Course]) -> set[int]:
    """Ids of the courses with a module text published in the browser."""
    if not courses:
        return set()
    return set(db.session.scalars(
        select(Module.course_id).join(ModuleText).where(Module.course_id.in_([c.id for c in courses]),
                                                        ModuleText.edited_in_browser_at.is_not(None))))


def _conflict(text: ModuleText, what: str, report: SyncReport, force: bool) -> bool:
    """True if the files must leave this browser-edited text alone; with force, keep it as a revision first."""
    if text.edited_in_browser_at is None:
        return False
    if not force:
        report.conflicts.append(f"{what}: edited in the browser since the last sync; left unchanged")
        return True
    latest = db.session.scalar(
        select(ModuleRevision.source_markdown).where(ModuleRevision.module_id == text.module_id,
                                                     ModuleRevision.lang == text.lang, ModuleRevision.kind != "draft")
        .order_by(ModuleRevision.id.desc()).limit(1))
    if latest != text.source_markdown:
        db.session.add(ModuleRevision(module_id=text.module_id, lang=text.lang, kind="published",
                                      source_markdown=text.source_markdown, note="kept by courses sync --force"))
    report.overwritten.append(what)
    return False


def _apply_modules(course: Course, source, datasets: DatasetStore, report: SyncReport, force: bool = False) -> None:
    modules = {m.slug: m for m in db.session.scalars(select(Module).where(Module.course_id == course.id))}
    texts = {
        (t.module_id, t.lang): t
        for t in db.session.scalars(select(ModuleText).join(Module).where(Module.course_id == course.id))
    }
    wanted = source.module_slugs()
    course_path = Path(source.path)
    for position, slug in enumerate(wanted, start=1):
        versions = source.versions(slug)
        formerly = sorted({old for version in versions.values() for old in version.formerly})
        prerequisites = sorted({p for version in versions.values() for p in version.prerequisites})
        module = modules.pop(slug, None)
        if module is None:
            module = _take_renamed(modules, formerly, wanted)
            if module is not None:
                report.modules_renamed.append((module.slug, slug))
                module.slug = slug
        if module is None:
            module = Module(course_id=course.id, slug=slug, position=position)
            db.session.add(module)
            db.session.flush()
            report.modules_created += 1
        module.position, module.archived = position, False
        module.formerly, module.prerequisites = formerly, prerequisites
        for lang, version in versions.items():
            text = texts.pop((module.id, lang), None)
            if text is not None and text.source_hash == version.source_hash:
                text.edited_in_browser_at = None  # the files caught up with the browser
                report.texts_unchanged += 1
                continue
            if text is not None and _conflict(text, f"{course.slug}/{slug} ({lang})", report, force):
                continue
            rendered = render_source(version, datasets, course_path)
            if text is None:
                text = ModuleText(module_id=module.id, lang=lang)
                db.session.add(text)
            _fill_text(text, version, rendered)
            report.texts_rendered += 1
    leaving = {m.id: m for m in modules.values()}
    kept: set[int] = set()  # modules published in the browser that have no file: not archived without --force
    for (_module_id, _lang), text in texts.items():
        if _module_id in leaving:
            module = leaving[_module_id]
            if not module.archived and text.edited_in_browser_at is not None and not force:
                report.conflicts.append(f"{course.slug}/{module.slug} ({_lang}): published in the browser, "
                                        "no file; not archived")
                kept.add(_module_id)
            continue  # the whole module is archived below; keep its text for its history
        if not _conflict(text, f"{course.slug} module {_module_id} ({_lang}): file removed", report, force):
            db.session.delete(text)  # one language version removed; the other stays
    for module in modules.values():
        if not module.archived and module.id not in kept:
            module.archived = True
            report.modules_archived += 1


def _take_renamed(modules: dict[str, Module], formerly: list[str], wanted: list[str]) -> Module | None:
    for old in formerly:
        if old in modules and old not in wanted:
            return modules.pop(old)
    return None


def store_rendered(text: ModuleText, version: ModuleSource, rendered) -> None:
    """Copy a rendered module into its published text (sync and browser publishing both use this)."""
    text.title, text.summary, text.minutes = version.title, version.summary, version.minutes
    text.objectives, text.principles = list(version.objectives), list(version.principles)
    text.body_html = rendered.body_html
    text.toc = [{"level": e.level, "id": e.id, "title": e.title} for e in rendered.toc]
    text.quiz = rendered.quiz.to_dict() if rendered.quiz is not None else None
    text.checks = list(rendered.checks)


def _fill_text(text: ModuleText, version: ModuleSource, rendered) -> None:
    store_rendered(text, version, rendered)
    text.source_markdown = Path(version.path).read_text(encoding="utf-8")
    text.source_hash, text.source_path = version.source_hash, version.path
    text.edited_in_browser_at = None
