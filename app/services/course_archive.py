"""A course as a zip in exactly the ``courses/`` layout: export, and import checked like ``flask courses lint``.

Exports are reproducible (sorted names, fixed timestamps and permissions), so exporting, importing and
exporting again gives the same bytes. Imports change nothing unless the whole course passes lint; zips
with unsafe names (zip-slip), links or too much uncompressed data (zip bombs) are refused before anything
is written.
"""
from __future__ import annotations

import io
import posixpath
import stat
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

from app.content import DatasetStore, Problem, render_module, sorted_problems
from app.content.loader import ASSETS_FOLDER, DATA_FOLDER, parse_course_tree
from app.content.sources import SLUG_RE
from app.database import unit_of_work
from app.extensions import db
from app.models import Course, Module, ModuleText, User
from app.services import audit, uploads
from app.services.authoring import Workspace, asset_url_in, course_workspace, data_folders, publish_checked
from app.services.course_sync import module_url_for

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
MAX_ENTRIES = 1000
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 60 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed; text compresses ~10x, a bomb ~1000x


class ImportRefused(Exception):
    """The zip was not imported; ``problems`` say why, as ``file:line: message``."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class ImportReport:
    course: Course
    created: bool
    published: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


# --- export -----------------------------------------------------------------------------------------


def export_course(course: Course) -> bytes:
    """The course's published texts, its course.yml, the assets they use and the datasets their charts draw."""
    with course_workspace(course) as workspace:
        files = _export_files(workspace)
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.external_attr = (stat.S_IFREG | 0o644) << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, files[name].read_bytes())
    return buffer.getvalue()


def export_course_by(actor: User, course: Course) -> bytes:
    """An admin's download of the course, recorded in the audit log."""
    data = export_course(course)
    with unit_of_work():
        audit.record(actor, "course.export", course, bytes=len(data))
    return data


def _export_files(workspace: Workspace) -> dict[str, Path]:
    slug = workspace.course.slug
    courses, _problems = parse_course_tree(workspace.root, only=slug)
    files = {f"{slug}/course.yml": workspace.folder / "course.yml"}
    for name in workspace.file_names.values():
        files[f"{slug}/{name}"] = workspace.folder / name
    used_data: set[str] = set()
    for course in courses:
        for module in course.modules:
            used_data.update(module.datasets)
            for asset in module.assets:
                files[f"{slug}/{asset}"] = workspace.folder / asset
    store = workspace.datasets()
    for name in sorted(used_data):
        for path in (store.csv_path(name), store.sidecar_path(name)):
            if path.is_file():
                files[f"{DATA_FOLDER}/{path.name}"] = path
    return files


# --- import -----------------------------------------------------------------------------------------


def import_course(data: bytes, author: User) -> ImportReport:
    """Check the zip like ``flask courses lint`` and, only without errors, create or update the course.

    Texts are published as browser edits (revisions kept, sync conflicts apply); modules missing from the
    zip are archived (students' progress stays). Raises ImportRefused and changes nothing otherwise.
    """
    entries = _read_zip(data)
    slug = _course_slug(entries)
    with tempfile.TemporaryDirectory(prefix="ondo-import-") as tmp:
        root = Path(tmp)
        for name, content in entries.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        _fill_missing_datasets(root)
        courses, problems = parse_course_tree(root, only=slug)
        problems = [*problems, *_dataset_problems(root, entries), *_asset_problems(slug, entries)]
        shown = sorted_problems(_relative(p, root) for p in problems)
        if any(p.is_error for p in shown) or not courses:
            raise ImportRefused([p for p in shown if p.is_error] or [Problem(f"{slug}/course.yml", 1, "not a course")])
        report = _apply(courses[0], root, entries, author)
        report.warnings = [p for p in shown if not p.is_error]
        return report


def _read_zip(data: bytes) -> dict[str, bytes]:
    """Every file of the zip by its (checked) name; refuses unsafe names, links and oversized contents."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise ImportRefused([Problem("upload", 1, "not a zip file")]) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_ENTRIES:
            raise ImportRefused([Problem("upload", 1, f"more than {MAX_ENTRIES} files in the zip")])
        declared = sum(info.file_size for info in infos)
        if declared > MAX_TOTAL_BYTES:
            raise ImportRefused([Problem("upload", 1, "the zip holds too much data once unpacked")])
        files: dict[str, bytes] = {}
        total = 0
        for info in infos:
            name = info.filename
            if info.is_dir():
                _check_name(name.rstrip("/"))
                continue
            _check_name(name)
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ImportRefused([Problem(name, 1, "links are not allowed in a course zip")])
            if info.file_size > MAX_FILE_BYTES or (
                    info.compress_size and info.file_size > 1024 * 1024
                    and info.file_size / info.compress_size > MAX_RATIO):
                raise ImportRefused([Problem(name, 1, "file too large once unpacked")])
            content = _read_limited(archive, info)
            total += len(content)
            if total > MAX_TOTAL_BYTES:
                raise ImportRefused([Problem("upload", 1, "the zip holds too much data once unpacked")])
            files[name] = content
    return files


def _read_limited(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read at most MAX_FILE_BYTES, whatever the header claims (headers can lie)."""
    with archive.open(info) as stream:
        content = stream.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise ImportRefused([Problem(info.filename, 1, "file too large once unpacked")])
    return content


def _check_name(name: str) -> None:
    """Zip-slip guard: relative, forward slashes, no '..', no drive letters, no hidden or odd characters."""
    parts = name.split("/")
    bad = (
        not name or name.startswith("/") or "\\" in name or ":" in name or "\x00" in name
        or posixpath.normpath(name) != name
        or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
    )
    if bad:
        raise ImportRefused([Problem(name or "upload", 1, "unsafe file name in the zip (absolute, '..' or hidden)")])


def _course_slug(entries: dict[str, bytes]) -> str:
    """The zip must hold exactly one course folder (and optionally _data/), as in courses/."""
    tops = {name.split("/", 1)[0] for name in entries}
    folders = sorted(top for top in tops if top != DATA_FOLDER)
    stray = [name for name in entries if "/" not in name]
    if stray:
        raise ImportRefused([Problem(name, 1, "files must be inside the course folder or _data/") for name in stray])
    if len(folders) != 1:
        raise ImportRefused([Problem("upload", 1, "the zip must hold exactly one course folder (and _data/)")])
    slug = folders[0]
    if not SLUG_RE.match(slug):
        raise ImportRefused([Problem(slug, 1, "the course folder name must be a slug")])
    return slug


def _server_data(name: str) -> Path | None:
    for folder in data_folders(None):
        if (folder / name).is_file():
            return folder / name
    return None


def _fill_missing_datasets(root: Path) -> None:
    """Datasets already on this server may be left out of the zip: copy them in for lint."""
    target = root / DATA_FOLDER
    target.mkdir(exist_ok=True)
    for folder in data_folders(None):
        if folder.is_dir():
            for file in folder.iterdir():
                if file.suffix in (".csv", ".yml") and not (target / file.name).exists():
                    (target / file.name).write_bytes(file.read_bytes())


def _dataset_problems(root: Path, entries: dict[str, bytes]) -> list[Problem]:
    """Datasets are shared by every course: an import may add one, never change the server's copy."""
    problems = list(DatasetStore(root / DATA_FOLDER).lint())
    for name, content in entries.items():
        if not name.startswith(f"{DATA_FOLDER}/"):
            continue
        file_name = name.split("/", 1)[1]
        if "/" in file_name or not file_name.endswith((".csv", ".yml")):
            problems.append(Problem(name, 1, "_data holds only .csv datasets and their .yml sidecars"))
            continue
        existing = _server_data(file_name)
        if existing is not None and existing.read_bytes() != content:
            problems.append(Problem(name, 1, "differs from this server's copy of the dataset; datasets are shared "
                                             "by all courses, so change it in the course files"))
    return problems


def _asset_problems(slug: str, entries: dict[str, bytes]) -> list[Problem]:
    problems = []
    prefix = f"{slug}/{ASSETS_FOLDER}/"
    for name, content in entries.items():
        if not name.startswith(prefix):
            continue
        inner = name.removeprefix(prefix)
        if "/" in inner or not uploads.SAFE_NAME_RE.match(inner):
            problems.append(Problem(name, 1, "asset names: letters, digits, '.', '-' and '_', no subfolders"))
            continue
        try:
            uploads.check_image(content)
        except uploads.UploadRefused as refused:
            problems.append(Problem(name, 1, f"not an accepted image (PNG, JPEG or WebP up to the size limit): "
                                             f"{refused.code}"))
    return problems


def _relative(problem: Problem, root: Path) -> Problem:
    try:
        path = str(Path(problem.path).relative_to(root))
    except ValueError:
        path = problem.path
    return Problem(path, problem.line, problem.message, problem.severity)


def _apply(source, root: Path, entries: dict[str, bytes], author: User) -> ImportReport:
    slug = source.slug
    for name, content in sorted(entries.items()):  # checked above; stored before the texts that show them
        if name.startswith(f"{slug}/{ASSETS_FOLDER}/"):
            uploads.store_asset(slug, name.rsplit("/", 1)[1], content)
        elif name.startswith(f"{DATA_FOLDER}/") and _server_data(name.split("/", 1)[1]) is None:
            imported = uploads.uploads_root() / DATA_FOLDER
            imported.mkdir(parents=True, exist_ok=True)
            (imported / name.split("/", 1)[1]).write_bytes(content)
    course = db.session.scalar(select(Course).where(Course.slug == slug))
    created = course is None
    if created:
        position = (db.session.scalar(select(func.max(Course.position)).where(Course.position < 1000)) or 0) + 1
        course = Course(slug=slug, archived=True, position=position)
        db.session.add(course)
    course.title, course.summary = dict(source.title), dict(source.summary)
    course.level, course.hours, course.principles = source.level, float(source.hours), list(source.principles)
    if source.order is not None:
        course.position = source.order
    db.session.flush()
    report = ImportReport(course, created)
    modules = {m.slug: m for m in db.session.scalars(select(Module).where(Module.course_id == course.id))}
    texts = {(t.module_id, t.lang): t for t in db.session.scalars(
        select(ModuleText).join(Module).where(Module.course_id == course.id))}
    workspace = Workspace(root, course)
    asset_url = asset_url_in(slug, workspace.folder)
    for position, module_slug in enumerate(source.module_slugs(), start=1):
        module = modules.pop(module_slug, None)
        if module is None:
            module = Module(course_id=course.id, slug=module_slug, position=position, archived=False)
            db.session.add(module)
            db.session.flush()
        module.position, module.archived = position, False
        for lang, version in sorted(source.versions(module_slug).items()):
            text = Path(version.path).read_text(encoding="utf-8")
            label = f"{module_slug} ({lang})"
            current = texts.get((module.id, lang))
            if current is not None and current.source_markdown == text and current.source_hash == version.source_hash:
                report.unchanged.append(label)
                continue
            rendered = render_module(version, datasets=workspace.datasets(), asset_url=asset_url,
                                     module_url=module_url_for(slug))
            publish_checked(module, lang, text, version, rendered, author, note="import")
            report.published.append(label)
    for module in modules.values():
        if not module.archived:
            module.archived = True
            report.archived.append(module.slug)
    audit.record(author, "course.import", course, created=created, published=len(report.published),
                 archived=len(report.archived))
    db.session.commit()
    return report
