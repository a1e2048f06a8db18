"""Static files for a school's mobile network: a content version in every static URL so browsers may keep
the file for a year, compressed responses (Flask-Compress), the favicon and the web app manifest."""
from __future__ import annotations

import hashlib
import mimetypes
from pathlib import Path

from flask import Flask, request
from werkzeug.security import safe_join

# A versioned URL names one content forever, so it may be cached for a year without asking again.
VERSIONED_MAX_AGE = 365 * 24 * 3600


class StaticVersions:
    """Short content hashes of the files in the static folder, recomputed when a file changes."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._known: dict[str, tuple[int, int, str]] = {}

    def version(self, filename: str) -> str | None:
        path = safe_join(self.folder, filename)
        if path is None:
            return None
        try:
            stat = Path(path).stat()
        except OSError:
            return None
        known = self._known.get(filename)
        if known is None or known[:2] != (stat.st_mtime_ns, stat.st_size):
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
            known = (stat.st_mtime_ns, stat.st_size, digest)
            self._known[filename] = known
        return known[2]


def init_assets(app: Flask) -> None:
    from app.extensions import compress

    mimetypes.add_type("application/manifest+json", ".webmanifest")
    compress.init_app(app)  # registers only when COMPRESS_REGISTER is on (off when nginx compresses)
    versions = StaticVersions(app.static_folder or "")

    @app.url_defaults
    def add_static_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            version = versions.version(values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def cache_versioned_static(response):  # runs before Flask-Compress's hook (registered earlier)
        if request.endpoint != "static" or response.status_code not in (200, 304):
            return response
        wanted = request.args.get("v")
        if wanted and wanted == versions.version((request.view_args or {}).get("filename", "")):
            response.headers["Cache-Control"] = f"public, max-age={VERSIONED_MAX_AGE}, immutable"
        if (response.status_code == 200 and app.config["COMPRESS_REGISTER"]
                and response.mimetype in app.config["COMPRESS_MIMETYPES"]):
            # Our text files are small: read them whole so they are compressed like pages (with gzip too;
            # Flask-Compress streams files with brotli only) and the file closes with the response.
            response.direct_passthrough = False
            response.make_sequence()
        return response
