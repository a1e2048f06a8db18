"""Course images uploaded in the browser: checked by content, stored under a content-hash name.

Files live in ``UPLOADS_PATH/courses/<course-slug>/`` and are referenced from Markdown as
``assets/<name>``, exactly like images in a course folder's ``assets/``; the authoring workspace and
exports put them there. SVG is refused: it can carry scripts, and nh3 cannot sanitise it safely.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

from app.database import unit_of_work
from app.services import audit

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
# Names we write, and the only names the media route serves (imports keep their own names, checked the same way).
SAFE_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
MIME_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}


class UploadRefused(ValueError):
    """``code`` says why: empty, too_large, svg, unknown_type, bad_name."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class StoredUpload:
    name: str
    size: int

    @property
    def relative(self) -> str:
        return f"assets/{self.name}"


def max_bytes() -> int:
    return int(current_app.config.get("UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES))


def uploads_root() -> Path:
    return Path(current_app.config["UPLOADS_PATH"])


def course_uploads(course_slug: str) -> Path:
    """The folder holding a course's uploaded (and imported) assets."""
    return uploads_root() / "courses" / course_slug


def image_type(data: bytes) -> str:
    """The file extension the bytes really are (png, jpg, webp); raises UploadRefused otherwise."""
    if not data:
        raise UploadRefused("empty")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<svg", b"<?xml")) or b"<svg" in head:
        raise UploadRefused("svg")
    raise UploadRefused("unknown_type")


def check_image(data: bytes) -> str:
    """Size and type checks for one image; returns its real extension."""
    if len(data) > max_bytes():
        raise UploadRefused("too_large")
    return image_type(data)


def store_image(course_slug: str, data: bytes) -> StoredUpload:
    """Check and keep an image; the same bytes uploaded twice give the same name (and one file)."""
    extension = check_image(data)
    name = f"{hashlib.sha256(data).hexdigest()[:32]}.{extension}"
    folder = course_uploads(course_slug)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if not target.exists():
        temporary = folder / f".{name}.part"
        temporary.write_bytes(data)
        temporary.replace(target)
    return StoredUpload(name, len(data))


def upload_image(actor, course, data: bytes) -> StoredUpload:
    """An admin's upload through the course's images page, recorded in the audit log."""
    stored = store_image(course.slug, data)
    with unit_of_work():
        audit.record(actor, "upload.create", course, name=stored.name, size=stored.size)
    return stored


def store_asset(course_slug: str, name: str, data: bytes) -> None:
    """Keep an imported asset under its own (checked) name."""
    if not SAFE_NAME_RE.match(name):
        raise UploadRefused("bad_name")
    folder = course_uploads(course_slug)
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{name}.part"
    temporary.write_bytes(data)
    temporary.replace(folder / name)


def list_images(course_slug: str) -> list[StoredUpload]:
    folder = course_uploads(course_slug)
    if not folder.is_dir():
        return []
    return [StoredUpload(p.name, p.stat().st_size) for p in sorted(folder.iterdir())
            if p.is_file() and SAFE_NAME_RE.match(p.name)]


def media_file(course_slug: str, name: str) -> Path | None:
    """The stored file for a media URL, or None (names are matched, never joined from user input unchecked)."""
    if not SAFE_NAME_RE.match(course_slug) or not SAFE_NAME_RE.match(name):
        return None
    path = course_uploads(course_slug) / name
    return path if path.is_file() else None
