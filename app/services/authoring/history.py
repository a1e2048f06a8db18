"""The timeline of a module text: revisions, which one is live, diffs, and what restoring one would do."""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import Course, Module, ModuleRevision, User
from app.services.authoring.checking import AuthoringError, TextCheck, check_text, published_text, restorable_revision


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
    published = published_text(module.id, lang)
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
    published = published_text(module.id, lang)
    live = published.source_markdown if published is not None else ""
    return RestorePlan(revision, diff_lines(live, revision.source_markdown, "live", f"#{revision.id}"),
                       check_text(course, module, lang, revision.source_markdown))
