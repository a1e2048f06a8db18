"""Checking a typed text in its course, drafts and publishing (and rolling back to an earlier live version)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.content import CourseFormatError, Problem, RenderedModule
from app.content.single import ModuleCheck, check_module_file, module_skeleton
from app.content.sources import ModuleSource
from app.extensions import db
from app.models import Course, Module, ModuleRevision, ModuleText, User
from app.models.base import utcnow
from app.services import audit
from app.services.authoring.workspace import course_workspace
from app.services.course_sync import store_rendered

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
    published = published_text(module.id, lang)
    latest = db.session.scalar(select(ModuleRevision).where(ModuleRevision.module_id == module.id,
                                                            ModuleRevision.lang == lang)
                               .order_by(ModuleRevision.id.desc()).limit(1))
    if latest is not None and latest.kind == "draft":
        return EditorState(latest.source_markdown, latest, published)
    if published is not None:
        return EditorState(published.source_markdown, None, published)
    return EditorState(module_skeleton(module.slug.replace("-", " ").capitalize(), lang), None, None)


def published_text(module_id: int, lang: str) -> ModuleText | None:
    return db.session.scalar(select(ModuleText).where(ModuleText.module_id == module_id, ModuleText.lang == lang))


def save_draft(course: Course, module: Module, lang: str, text: str, author: User, note: str = "") -> TextCheck:
    """Keep ``text`` as a draft students do not see; refused (CheckFailed) while lint finds an error."""
    check = check_text(course, module, lang, text)
    if not check.ok:
        raise CheckFailed(check)
    published = published_text(module.id, lang)
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
    published = published_text(module.id, lang)
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
