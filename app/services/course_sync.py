"""Load ``courses/`` into the database in one transaction, rendering only what changed."""
from __future__ import annotations

import hashlib
import importlib.metadata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update

from app.extensions import db
from app.models import Course, Module, ModuleRevision, ModuleText
from app.served_html import asset_placeholder, module_placeholder

if TYPE_CHECKING:
    from app.content import DatasetStore, ModuleSource

# The code and libraries that turn files into stored pages: a change to any of them re-parses everything.
_PIPELINE_PACKAGES = ("content", "quizzes")
_PIPELINE_LIBRARIES = ("markdown", "pymdown-extensions", "nh3", "PyYAML", "Pygments")


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
    skipped: bool = False  # the files hash as at the last sync: nothing was parsed or written

    def summary(self) -> str:
        if self.skipped:
            return (f"files unchanged since the last sync: {self.texts_unchanged} module text(s) left as they are "
                    "(nothing parsed; `flask courses lint` lists warnings)")
        renamed = ", ".join(f"{old} → {new}" for old, new in self.modules_renamed) or "none"
        return (f"{self.courses_created} course(s) and {self.modules_created} module(s) created; "
                f"{self.texts_rendered} module text(s) rendered, {self.texts_unchanged} unchanged; "
                f"{self.modules_archived} archived; renamed: {renamed}; "
                f"{len(self.conflicts)} conflict(s), {len(self.overwritten)} browser edit(s) overwritten")


def asset_url_for(course_slug: str, course_path: Path):
    """Links to course assets, as placeholders resolved when the page is served (app/served_html.py).

    They carry a content hash, so browsers may cache the file for a year.
    """

    def asset_url(relative: str) -> str:
        file = course_path / relative
        digest = hashlib.sha256(file.read_bytes()).hexdigest()[:12] if file.is_file() else "missing"
        return asset_placeholder(course_slug, relative.removeprefix("assets/"), digest)  # the path arrives decoded

    return asset_url


def module_url_for(course_slug: str):
    """Links to other modules of the course, as placeholders resolved when the page is served."""
    return lambda slug: module_placeholder(course_slug, slug)


def render_source(source: ModuleSource, datasets: DatasetStore, course_path: Path):
    """Render one module file exactly as students will see it (used by sync and, later, previews)."""
    from app.content import render_module

    return render_module(source, datasets=datasets, asset_url=asset_url_for(source.course_slug, course_path),
                         module_url=module_url_for(source.course_slug))


def sync_courses(root: Path, *, force: bool = False) -> SyncReport:
    """Create/update courses and modules by slug; all or nothing.

    Raises CourseFormatError (and changes nothing) if any file has an error. A module text published in
    the browser since the last sync is a conflict: left unchanged and reported, unless ``force``, which
    keeps the browser version as a revision and then writes the file's version.
    """
    from app.content import CourseFormatError, DatasetStore, parse_course_tree
    from app.content.loader import DATA_FOLDER

    fingerprint = files_fingerprint(root)
    if not force and _unchanged_since_last_sync(root, fingerprint):
        return SyncReport(skipped=True, texts_unchanged=db.session.scalar(
            select(func.count()).select_from(ModuleText).join(Module).join(Course)
            .where(Course.archived.is_(False))))
    sources, problems = parse_course_tree(root)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise CourseFormatError(errors)
    report = SyncReport(warnings=[p for p in problems if not p.is_error])
    datasets = DatasetStore(root / DATA_FOLDER)
    try:
        _apply(sources, datasets, report, force)
        db.session.commit()
        if not report.conflicts:  # a conflict must be reported again next time, so no skipping then
            _stamp_courses([s.slug for s in sources], fingerprint)
    except BaseException:
        db.session.rollback()
        raise
    return report


def files_fingerprint(root: Path) -> str:
    """sha256 over every file under ``root`` (names and bytes), the content pipeline's own code and the versions
    of the libraries it uses: equal fingerprints mean a sync would parse and render exactly the same."""
    sha = hashlib.sha256()
    for library in _PIPELINE_LIBRARIES:
        try:
            sha.update(f"{library} {importlib.metadata.version(library)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            sha.update(f"{library} -\0".encode())
    app_folder = Path(__file__).resolve().parent.parent
    code = sorted(p for package in _PIPELINE_PACKAGES for p in (app_folder / package).rglob("*.py"))
    files = sorted(p for p in root.rglob("*") if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(root).parts))
    for label, base, paths in (("code", app_folder, code), ("file", root, files)):
        for path in paths:
            sha.update(f"\0{label}\0{path.relative_to(base).as_posix()}\0".encode())
            sha.update(path.read_bytes())
    return sha.hexdigest()


def _stamp(fingerprint: str, version: str) -> str:
    return hashlib.sha256(f"{fingerprint}:{version}".encode()).hexdigest()


def _stamp_courses(slugs: list[str], fingerprint: str) -> None:
    """Remember the files each course was synced from, tied to its version as the sync left it: any later change
    in the browser (a hidden module, a publish, a rollback) gives the course a new version, so the next sync runs
    in full. Written with UPDATE statements, not the ORM, so that writing it does not itself change the version."""
    for course_id, version in db.session.execute(select(Course.id, Course.version).where(Course.slug.in_(slugs))):
        db.session.execute(update(Course).where(Course.id == course_id, Course.version == version)
                           .values(files_hash=_stamp(fingerprint, version)))
    db.session.commit()


def _unchanged_since_last_sync(root: Path, fingerprint: str) -> bool:
    """True when every course folder was synced from these very files and nothing needs the full sync: no course
    without its folder still shown, no text published in the browser since (its conflict is reported again)."""
    folders = {p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))} \
        if root.is_dir() else set()
    if not folders:
        return False
    shown = {slug: files_hash == _stamp(fingerprint, version) for slug, files_hash, version in db.session.execute(
        select(Course.slug, Course.files_hash, Course.version).where(Course.archived.is_(False)))}
    if set(shown) != folders or not all(shown.values()):
        return False
    return not db.session.scalar(select(func.count()).select_from(ModuleText).join(Module).join(Course).where(
        Course.archived.is_(False), ModuleText.edited_in_browser_at.is_not(None)))


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
