"""Courses exported as zips in the courses/ layout and imported back, checked like `flask courses lint`."""
from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import delete, func, select

from app.extensions import db
from app.models import AuditEntry, Course, ModuleRevision, ModuleText

EXPORT = "/admin/courses/sample/export"


@pytest.fixture
def admin(client, login_as, sample_course):
    return login_as("admin")


def _import(client, data: bytes):
    return client.post("/admin/courses/import", data={"archive": (io.BytesIO(data), "course.zip")},
                       content_type="multipart/form-data")


def _zip(files: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _exported_files(client) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(client.get(EXPORT).data))
    return {name: archive.read(name) for name in archive.namelist()}


def _snapshot(app):
    with app.app_context():
        return (db.session.scalars(select(ModuleText.source_markdown).order_by(ModuleText.id)).all(),
                db.session.scalar(select(func.count()).select_from(Course)),
                db.session.scalar(select(func.count()).select_from(ModuleRevision)))


def test_export_has_the_courses_layout_with_the_datasets_its_charts_use(client, admin):
    response = client.get(EXPORT)
    assert response.headers["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert names == ["_data/co2_annmean_mlo.csv", "_data/co2_annmean_mlo.yml", "sample/01-reading.en.md",
                     "sample/01-reading.ko.md", "sample/02-quiz.en.md", "sample/03-english-only.en.md",
                     "sample/course.yml"]


def test_zip_round_trip_is_byte_identical_even_into_an_empty_site(app, client, admin):
    first = client.get(EXPORT).data
    assert _import(client, first).status_code in (302, 303)
    assert client.get(EXPORT).data == first
    with app.app_context():
        db.session.execute(delete(Course))
        db.session.commit()
    response = _import(client, first)
    assert response.status_code in (302, 303)
    client.post("/admin/courses/sample/visibility", data={"visible": "1"})
    assert client.get(EXPORT).data == first
    with app.app_context():
        assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "course.import")) is not None


def test_import_publishes_changed_texts_as_browser_edits(app, client, admin):
    files = _exported_files(client)
    files["sample/01-reading.en.md"] = files["sample/01-reading.en.md"].replace(b"keeps rising", b"keeps climbing")
    assert _import(client, _zip(files)).status_code in (302, 303)
    with app.app_context():
        text = db.session.scalar(select(ModuleText).where(ModuleText.source_markdown.contains("keeps climbing")))
        assert text.edited_in_browser_at is not None


def test_a_zip_with_lint_errors_changes_nothing_and_shows_file_and_line(app, client, admin):
    files = _exported_files(client)
    files["sample/01-reading.en.md"] = files["sample/01-reading.en.md"].replace(b"keeps rising", b"keeps climbing")
    files["sample/02-quiz.en.md"] = files["sample/02-quiz.en.md"].replace(b"- (x) Water vapour", b"- ( ) Water vapour")
    before = _snapshot(app)
    response = _import(client, _zip(files))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The zip was not imported" in page
    assert "<code>sample/02-quiz.en.md:" in page
    assert _snapshot(app) == before


@pytest.mark.parametrize("name", ["../evil.md", "/etc/evil.md", "sample/../../evil.md", "sample\\..\\evil.md",
                                  "sample/.hidden.md"])
def test_zip_slip_is_refused(app, client, admin, name):
    before = _snapshot(app)
    response = _import(client, _zip({"sample/course.yml": "title: {en: x}\n", name: "x"}))
    assert response.status_code == 400
    assert "unsafe file name" in response.get_data(as_text=True)
    assert _snapshot(app) == before


def test_zip_bomb_is_refused_without_unpacking_it(app, client, admin):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("sample/assets/bomb.png", b"\0" * (20 * 1024 * 1024))
    response = _import(client, buffer.getvalue())
    assert response.status_code == 400
    assert "too large once unpacked" in response.get_data(as_text=True)


def test_not_a_zip_and_two_courses_are_refused(client, admin):
    assert "not a zip file" in _import(client, b"PK no zip").get_data(as_text=True)
    page = _import(client, _zip({"one/course.yml": "x", "two/course.yml": "y"})).get_data(as_text=True)
    assert "exactly one course folder" in page


def test_a_dataset_that_differs_from_the_servers_copy_is_refused(app, client, admin):
    files = _exported_files(client)
    files["_data/co2_annmean_mlo.yml"] += b"\n# changed\n"
    page = _import(client, _zip(files)).get_data(as_text=True)
    assert "differs from this server" in page
