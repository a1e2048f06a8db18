"""A course written out as files in a temporary courses folder (the workspace), so a text typed in the browser
is checked and rendered by the same linter and renderer as ``flask courses sync``."""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from app.content import DatasetStore, RenderedModule, render_module
from app.content.loader import ASSETS_FOLDER, DATA_FOLDER
from app.content.single import course_yml_text, module_file_name
from app.content.sources import ModuleSource
from app.extensions import db
from app.models import Course, Module, ModuleText
from app.served_html import media_placeholder
from app.services import uploads
from app.services.course_sync import asset_url_for, module_url_for


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
        edited = override[0].id if override is not None else None
        shown = [m for m in modules if by_module.get(m.id) and (not m.archived or m.id == edited)]
        names = _file_names(shown, by_module, texts)
        for module in shown:
            for lang, markdown in sorted(by_module[module.id].items()):
                name = names[(module.id, lang)]
                (workspace.folder / name).write_text(markdown, encoding="utf-8")
                workspace.file_names[(module.id, lang)] = name
        assets = workspace.folder / ASSETS_FOLDER
        if disk_folder is not None:
            _link_tree(disk_folder / ASSETS_FOLDER, assets)
        _link_tree(uploads.course_uploads(course.slug), assets)  # uploaded files win over same-named files
        yield workspace


_ORDER_PREFIX = re.compile(r"(\d{1,3})([a-z]?)")


def _file_names(modules: list[Module], by_module: dict[int, dict[str, str]],
                texts: list[ModuleText]) -> dict[tuple[int, str], str]:
    """The file name of each (module, language) in the workspace.

    The names the files had on disk when they still fit (every text has one, each module's languages share its
    number and current slug, and the numbers follow the module order), because authors link modules by file name
    (``[…](01-radiative-forcing.en.md)``) and a renumbered copy would break those links. Otherwise, after modules
    were added, renamed or moved in the browser, files are numbered by rank. Kept names may leave a gap where a
    module was archived; the loader orders by number and accepts gaps, as it does on disk.
    """
    on_disk = {(text.module_id, text.lang): Path(text.source_path).name for text in texts if text.source_path}
    kept: dict[tuple[int, str], str] = {}
    last: tuple[int, str] | None = None
    for module in modules:
        stems = {on_disk.get((module.id, lang), "").rsplit(".", 2)[0] for lang in by_module[module.id]}
        number = _ORDER_PREFIX.fullmatch(next(iter(stems)).removesuffix(f"-{module.slug}"))
        order = (int(number[1]), number[2]) if number else None
        if len(stems) != 1 or order is None or not next(iter(stems)).endswith(f"-{module.slug}") or (
                last is not None and order <= last):
            kept = {}
            break
        last = order
        kept.update({(module.id, lang): on_disk[(module.id, lang)] for lang in by_module[module.id]})
    if kept:
        return kept
    return {(module.id, lang): module_file_name(rank, module.slug, lang)
            for rank, module in enumerate(modules, start=1) for lang in by_module[module.id]}


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
