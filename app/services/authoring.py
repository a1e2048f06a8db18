"""Authoring courses in the browser: check and preview, drafts, publishing, history and rollback, structure.

A module text typed in the browser is checked by writing its course to a temporary courses folder (the
workspace: ``course.yml``, the other published modules, ``assets/`` and ``_data/``) and running the same
linter and renderer as ``flask courses sync``. So the preview is exactly what students will see. The linter checks
the typed text in full and reads the other files only for the checks across modules (slugs, languages,
prerequisites, misconception tags, similar items), so a preview costs about one module, not the course.
"""
from __future__ import annotations

import difflib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select

from app.content import CourseFormatError, DatasetStore, Problem, RenderedModule, render_module
from app.content.loader import ASSETS_FOLDER, DATA_FOLDER
from app.content.single import ModuleCheck, check_module_file, course_yml_text, module_file_name, module_skeleton
from app.content.sources import LANGUAGES, SLUG_RE, ModuleSource
from app.extensions import db
from app.models import Course, Module, ModuleRevision, ModuleText, User
from app.models.base import utcnow
from app.served_html import media_placeholder
from app.services import audit, uploads
from app.services.course_sync import asset_url_for, module_url_for, store_rendered

MAX_MODULES = 99  # module files are numbered with two digits


class AuthoringError(ValueError):
    """A refused action; ``code`` names why (for a translated message)."""

    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code = code
        self.params = params


class CheckFailed(Exception):
    """Saving or publishing refused because lint found errors; ``check`` holds them (and the text is kept)."""

    def __init__(self, check: TextCheck):
        super().__init__("lint errors")
        self.check = check


@dataclass(frozen=True)
class TextCheck:
    """A module text checked in its course: problems by file and line, and the rendering when it has no error."""

    file_name: str
    problems: list[Problem]
    source: ModuleSource | None = None
    rendered: RenderedModule | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def ok(self) -> bool:
        return self.rendered is not None and not self.errors


# --- where a course's files are ----------------------------------------------------------------------


def _disk_course_folder(course: Course, texts: list[ModuleText]) -> Path | None:
    """The folder sync loaded the course from (or ``COURSES_PATH/<slug>``), if there is one."""
    for text in texts:
        if text.source_path:
            folder = Path(text.source_path).parent
            if folder.name == course.slug and folder.is_dir():
                return folder
    folder = Path(current_app.config["COURSES_PATH"]) / course.slug
    return folder if folder.is_dir() else None


def data_folders(course_folder: Path | None) -> list[Path]:
    """Where datasets come from, first match wins: the course files' ``_data``, then imported datasets."""
    folders = [course_folder.parent / DATA_FOLDER] if course_folder is not None else []
    folders += [Path(current_app.config["COURSES_PATH"]) / DATA_FOLDER, uploads.uploads_root() / DATA_FOLDER]
    return list(dict.fromkeys(folders))


def asset_url_in(course_slug: str, workspace_folder: Path):
    """Asset links for a rendered page: uploaded files by the media route, course files by the course route.

    Both are placeholders resolved when the page is served (app/served_html.py) and carry the content digest, so
    browsers may cache them for a year.
    """
    file_url = asset_url_for(course_slug, workspace_folder)
    uploaded = uploads.course_uploads(course_slug)

    def asset_url(relative: str) -> str:
        inner = relative.removeprefix(f"{ASSETS_FOLDER}/")
        file = uploaded / inner
        if "/" not in inner and file.is_file():
            digest = hashlib.sha256(file.read_bytes()).hexdigest()[:12]
            return media_placeholder(course_slug, inner, digest)
        return file_url(relative)

    return asset_url


@dataclass
class Workspace:
    """A course written out as files in a temporary courses folder."""

    root: Path
    course: Course
    file_names: dict[tuple[int, str], str] = field(default_factory=dict)  # (module id, lang) -> file name

    @property
    def folder(self) -> Path:
        return self.root / self.course.slug

    def datasets(self) -> DatasetStore:
        return DatasetStore(self.root / DATA_FOLDER)

    def render(self, source: ModuleSource) -> RenderedModule:
        """Render as students will see it (the pipeline sync uses, with uploaded images served by the media route)."""
        return render_module(source, datasets=self.datasets(), asset_url=asset_url_in(self.course.slug, self.folder),
                             module_url=module_url_for(self.course.slug))


@contextmanager
def course_workspace(course: Course, override: tuple[Module, str, str] | None = None) -> Iterator[Workspace]:
    """Write ``course`` (its visible modules' published texts) to a temporary folder; ``override`` is
    (module, lang, text) to write in place of that module's published text."""
    modules = db.session.scalars(select(Module).where(Module.course_id == course.id).order_by(Module.position)).all()
    texts = db.session.scalars(select(ModuleText).join(Module).where(Module.course_id == course.id)).all()
    disk_folder = _disk_course_folder(course, texts)
    by_module: dict[int, dict[str, str]] = {}
    for text in texts:
        by_module.setdefault(text.module_id, {})[text.lang] = text.source_markdown
    if override is not None:
        by_module.setdefault(override[0].id, {})[override[1]] = override[2]
    with tempfile.TemporaryDirectory(prefix="ondo-course-") as tmp:
        workspace = Workspace(Path(tmp), course)
        _link_data(workspace.root / DATA_FOLDER, data_folders(disk_folder))
        workspace.folder.mkdir()
        (workspace.folder / "course.yml").write_text(_course_yml(course), encoding="utf-8")
        number = 0  # files are numbered by rank, so gaps left by archived modules never reach an export
        for module in modules:
            if module.archived and (override is None or override[0].id != module.id):
                continue
            versions = sorted(by_module.get(module.id, {}).items())
            number += 1 if versions else 0
            for lang, markdown in versions:
                name = module_file_name(number, module.slug, lang)
                (workspace.folder / name).write_text(markdown, encoding="utf-8")
                workspace.file_names[(module.id, lang)] = name
        assets = workspace.folder / ASSETS_FOLDER
        if disk_folder is not None:
            _link_tree(disk_folder / ASSETS_FOLDER, assets)
        _link_tree(uploads.course_uploads(course.slug), assets)  # uploaded files win over same-named files
        yield workspace


def _course_yml(course: Course) -> str:
    return course_yml_text(title=course.title or {}, summary=course.summary or {}, level=course.level,
                           hours=course.hours, principles=course.principles or [], order=course.position)


def _link_data(target: Path, sources: list[Path]) -> None:
    target.mkdir()
    for source in sources:
        if not source.is_dir():
            continue
        for file in sorted(source.iterdir()):
            if file.is_file() and file.suffix in (".csv", ".yml") and not (target / file.name).exists():
                os.symlink(file.resolve(), target / file.name)


def _link_tree(source: Path, target: Path) -> None:
    """Symlink every file under ``source`` into ``target`` (same relative paths); later calls replace names."""
    if not source.is_dir():
        return
    for file in sorted(source.rglob("*")):
        if not file.is_file() or file.name.startswith("."):
            continue
        link = target / file.relative_to(source)
        link.parent.mkdir(parents=True, exist_ok=True)
        if link.is_symlink() or link.exists():
            link.unlink()
        os.symlink(file.resolve(), link)


# --- checking, drafts and publishing ----------------------------------------------------------------


def normalise_text(text: str) -> str:
    """Browsers send CRLF; files and hashes use LF, and a file ends with one newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.rstrip("\n") + "\n"


def check_text(course: Course, module: Module, lang: str, text: str) -> TextCheck:
    """Lint ``text`` as the ``lang`` version of ``module`` in its course and, without errors, render it."""
    text = normalise_text(text)
    with course_workspace(course, override=(module, lang, text)) as workspace:
        name = workspace.file_names[(module.id, lang)]
        check: ModuleCheck = check_module_file(workspace.root, course.slug, name)
        if not check.ok:
            return TextCheck(name, check.problems, check.source)
        try:
            rendered = workspace.render(check.source)
        except CourseFormatError as error:  # lint passed, so this is rare: a chart the renderer cannot draw
            return TextCheck(name, [*check.problems, *(_in_file(p, name) for p in error.problems)], check.source)
        return TextCheck(name, check.problems, check.source, rendered)


def _in_file(problem: Problem, name: str) -> Problem:
    return Problem(name, problem.line, problem.message, problem.severity)


@dataclass(frozen=True)
class EditorState:
    text: str
    draft: ModuleRevision | None  # the unpublished draft shown, if any
    published: ModuleText | None


def editor_state(module: Module, lang: str) -> EditorState:
    """What the editor opens with: the newest draft if it is newer than the published text, else the published text."""
    published = _text(module.id, lang)
    latest = db.session.scalar(select(ModuleRevision).where(ModuleRevision.module_id == module.id,
                                                            ModuleRevision.lang == lang)
                               .order_by(ModuleRevision.id.desc()).limit(1))
    if latest is not None and latest.kind == "draft":
        return EditorState(latest.source_markdown, latest, published)
    if published is not None:
        return EditorState(published.source_markdown, None, published)
    return EditorState(module_skeleton(module.slug.replace("-", " ").capitalize(), lang), None, None)


def _text(module_id: int, lang: str) -> ModuleText | None:
    return db.session.scalar(select(ModuleText).where(ModuleText.module_id == module_id, ModuleText.lang == lang))


def save_draft(course: Course, module: Module, lang: str, text: str, author: User, note: str = "") -> TextCheck:
    """Keep ``text`` as a draft students do not see; refused (CheckFailed) while lint finds an error."""
    check = check_text(course, module, lang, text)
    if not check.ok:
        raise CheckFailed(check)
    published = _text(module.id, lang)
    if published is not None:  # the live version enters the timeline before the first draft, in its place
        keep_replaced_version(published)
    db.session.add(ModuleRevision(module_id=module.id, lang=lang, kind="draft", source_markdown=normalise_text(text),
                                  note=note.strip()[:300], author_id=author.id))
    audit.record(author, "module.draft", module, label=f"{course.slug}/{module.slug} ({lang})", lang=lang)
    db.session.commit()
    return check


def publish(course: Course, module: Module, lang: str, text: str, author: User, note: str = "",
            *, kind: str = "published", action: str = "module.publish") -> TextCheck:
    """Make ``text`` what students see, keeping it (and the version it replaces) as revisions."""
    check = check_text(course, module, lang, text)
    if not check.ok:
        raise CheckFailed(check)
    publish_checked(module, lang, normalise_text(text), check.source, check.rendered, author, note, kind=kind)
    audit.record(author, action, module, label=f"{course.slug}/{module.slug} ({lang})", lang=lang,
                 note=note.strip() or None)
    db.session.commit()
    return check


def publish_checked(module: Module, lang: str, text: str, source: ModuleSource, rendered: RenderedModule,
                    author: User | None, note: str = "", *, kind: str = "published") -> ModuleText:
    """Write a checked, rendered text as the published one (the caller records the audit entry and commits)."""
    published = _text(module.id, lang)
    first_text = not db.session.scalar(select(func.count()).where(ModuleText.module_id == module.id))
    if published is None:
        published = ModuleText(module_id=module.id, lang=lang, source_path="")
        db.session.add(published)
    else:
        keep_replaced_version(published)
    store_rendered(published, source, rendered)
    published.source_markdown, published.source_hash = text, source.source_hash
    published.edited_in_browser_at = utcnow()
    module.prerequisites, module.formerly = sorted(source.prerequisites), sorted(source.formerly)
    if first_text and module.archived:  # a new module appears with its first published text
        module.archived = False
    db.session.add(ModuleRevision(module_id=module.id, lang=lang, kind=kind, source_markdown=text,
                                  note=note.strip()[:300], author_id=getattr(author, "id", None)))
    db.session.flush()
    return published


def keep_replaced_version(published: ModuleText) -> None:
    """Before a published text is replaced, make sure its current version is in the history.

    Texts loaded from files have no revision yet: their file version is kept as a ``files`` revision.
    """
    latest = db.session.scalar(
        select(ModuleRevision).where(ModuleRevision.module_id == published.module_id,
                                     ModuleRevision.lang == published.lang, ModuleRevision.kind != "draft")
        .order_by(ModuleRevision.id.desc()).limit(1))
    if latest is None or latest.source_markdown != published.source_markdown:
        kind = "published" if published.edited_in_browser_at is not None else "files"
        # A file version is dated when sync loaded it, so the timeline shows it where it happened.
        when = published.updated_at if kind == "files" and published.updated_at is not None else utcnow()
        db.session.add(ModuleRevision(module_id=published.module_id, lang=published.lang, kind=kind,
                                      source_markdown=published.source_markdown, author_id=None, created_at=when))
        db.session.flush()


def restorable_revision(module: Module, lang: str, revision_id: int) -> ModuleRevision:
    """A revision that can be made live again: one that was live once (file, published, rollback), not a draft."""
    revision = db.session.get(ModuleRevision, revision_id)
    if revision is None or revision.module_id != module.id or revision.lang != lang or revision.kind == "draft":
        raise AuthoringError("no_revision")
    return revision


def rollback(course: Course, module: Module, lang: str, revision_id: int, author: User) -> TextCheck:
    """Publish an earlier live version again (checked like any text); the rollback is itself a new revision."""
    revision = restorable_revision(module, lang, revision_id)
    return publish(course, module, lang, revision.source_markdown, author, note=f"#{revision.id}",
                   kind="rollback", action="module.rollback")


# --- history ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    """One row of the timeline. ``revision`` is None for the file version no revision holds yet."""

    revision: ModuleRevision | None
    author_name: str | None
    live: bool = False  # students see this version now
    restorable: bool = False  # "restore" means something: it was live once and differs from the live text
    restored_from: int | None = None  # for a rollback: the revision it restored
    when: datetime | None = None


def _restored_from(revision: ModuleRevision) -> int | None:
    note = revision.note or ""
    return int(note[1:]) if revision.kind == "rollback" and note[:1] == "#" and note[1:].isdigit() else None


def history(module: Module, lang: str) -> list[HistoryEntry]:
    """The timeline of one language of a module, newest first: what each version is, who, when, which is live.

    The newest non-draft revision holding the published text is marked live; when no revision holds it (a text
    loaded from the files and never edited) a row for the file version stands at the bottom. Two queries.
    """
    published = _text(module.id, lang)
    live_text = published.source_markdown if published is not None else None
    rows = db.session.execute(
        select(ModuleRevision, User.name).outerjoin(User, User.id == ModuleRevision.author_id)
        .where(ModuleRevision.module_id == module.id, ModuleRevision.lang == lang)
        .order_by(ModuleRevision.id.desc())).all()
    entries: list[HistoryEntry] = []
    live_found = False
    for revision, name in rows:
        live = (not live_found and revision.kind != "draft" and live_text is not None
                and revision.source_markdown == live_text)
        live_found = live_found or live
        restorable = revision.kind != "draft" and revision.source_markdown != live_text
        entries.append(HistoryEntry(revision, name, live, restorable, _restored_from(revision),
                                    revision.created_at))
    if published is not None and not live_found:  # placed by the time sync loaded it
        files = HistoryEntry(None, None, live=True, when=published.updated_at)
        at = next((i for i, e in enumerate(entries) if _naive(e.when) <= _naive(files.when)), len(entries))
        entries.insert(at, files)
    return entries


def _naive(moment: datetime | None) -> datetime:
    """UTC times compared whether or not the database kept their zone (SQLite does not)."""
    return moment.replace(tzinfo=None) if moment is not None else datetime.min


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "del", "hunk", "same"
    text: str


def diff_lines(old: str, new: str, old_label: str, new_label: str) -> list[DiffLine]:
    """A unified diff as lines to show (the template escapes them)."""
    lines: list[DiffLine] = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), old_label, new_label, lineterm="", n=3):
        if line.startswith(("---", "+++")):
            continue
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        lines.append(DiffLine(kind, line))
    return lines


def revision_diff(module: Module, lang: str, revision_id: int) -> tuple[ModuleRevision, ModuleRevision | None,
                                                                       list[DiffLine]]:
    """A revision compared with the one before it (of the same module and language)."""
    revision = db.session.get(ModuleRevision, revision_id)
    if revision is None or revision.module_id != module.id or revision.lang != lang:
        raise AuthoringError("no_revision")
    previous = db.session.scalar(
        select(ModuleRevision).where(ModuleRevision.module_id == module.id, ModuleRevision.lang == lang,
                                     ModuleRevision.id < revision.id)
        .order_by(ModuleRevision.id.desc()).limit(1))
    old = previous.source_markdown if previous is not None else ""
    old_label = f"#{previous.id}" if previous is not None else "(empty)"
    return revision, previous, diff_lines(old, revision.source_markdown, old_label, f"#{revision.id}")



@dataclass(frozen=True)
class RestorePlan:
    """What restoring a revision will do: the revision, the changes from the live text, and the checked result."""

    revision: ModuleRevision
    lines: list[DiffLine]
    check: TextCheck  # the revision checked in today's course: what students would see, or why it cannot go live


def restore_plan(course: Course, module: Module, lang: str, revision_id: int) -> RestorePlan:
    """Compare a restorable revision with what students see now and check it, to confirm before publishing it."""
    revision = restorable_revision(module, lang, revision_id)
    published = _text(module.id, lang)
    live = published.source_markdown if published is not None else ""
    return RestorePlan(revision, diff_lines(live, revision.source_markdown, "live", f"#{revision.id}"),
                       check_text(course, module, lang, revision.source_markdown))


# --- courses and modules ----------------------------------------------------------------------------


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
