"""Course images uploaded by admins: checked by content and size, stored by hash, served safely."""
from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
UPLOADS = "/admin/courses/sample/uploads"


@pytest.fixture
def admin(client, login_as, sample_course):
    return login_as("admin")


def _upload(client, data: bytes, filename: str, alt: str = "A tiny red square"):
    return client.post(UPLOADS, data={"image": (io.BytesIO(data), filename), "alt": alt},
                       content_type="multipart/form-data")


def test_png_upload_gives_markdown_with_alt_text_and_is_served_safely(app, client, admin):
    response = _upload(client, PNG, "square.png")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    name = re.search(r"assets/([0-9a-f]{32}\.png)", page).group(1)
    assert f'value="![A tiny red square](assets/{name})"' in page

    with client.get(f"/admin/media/sample/{name}?v=1") as served:
        assert served.status_code == 200 and served.data == PNG
        assert served.headers["Content-Type"] == "image/png"
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in served.headers["Content-Security-Policy"]
        assert "max-age=31536000" in served.headers["Cache-Control"]


def test_png_renamed_svg_is_stored_as_png(client, admin):
    page = _upload(client, PNG, "drawing.svg").get_data(as_text=True)
    assert re.search(r"assets/[0-9a-f]{32}\.png", page)
    assert ".svg" not in page.split("Images of this course")[1]


@pytest.mark.parametrize("data, filename, message", [
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.svg",
     "SVG images are not accepted"),
    (b"just some text, not an image", "notes.png", "This file is not a PNG, JPEG or WebP image"),
    (PNG + b"\0" * 300_000, "huge.png", "larger than 0.25 MB"),
])
def test_unsafe_or_oversize_uploads_are_refused(app, client, admin, data, filename, message):
    app.config["UPLOAD_MAX_BYTES"] = 256 * 1024  # (2 MB by default; a smaller body keeps the test client in memory)
    try:
        response = _upload(client, data, filename)
    finally:
        del app.config["UPLOAD_MAX_BYTES"]
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert not list((Path(app.config["UPLOADS_PATH"]) / "courses" / "sample").glob("*.svg"))


def test_upload_needs_alt_text(client, admin):
    response = _upload(client, PNG, "square.png", alt="")
    assert response.status_code == 400
    assert "This field is required." in response.get_data(as_text=True)


def test_request_over_the_site_limit_is_refused(app, client, admin):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = _upload(client, PNG * 100, "big.png")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 8 * 1024 * 1024
    assert response.status_code == 413


def test_uploaded_image_in_a_module_is_shown_to_students(app, client, admin, login_as):
    name = re.search(r"assets/([0-9a-f]{32}\.png)", _upload(client, PNG, "s.png").get_data(as_text=True)).group(1)
    edit = "/admin/courses/sample/modules/reading/en"
    text = html.unescape(re.search(r"<textarea[^>]*>\r?\n?(.*?)</textarea>", client.get(edit).get_data(as_text=True),
                                   re.S).group(1))
    text += f"\n![A tiny red square](assets/{name})\n"
    assert client.post(edit, data={"source": text, "publish": "Publish"}).status_code in (302, 303)
    login_as("student")
    page = client.get("/courses/sample/reading").get_data(as_text=True)
    src = re.search(r'<img alt="A tiny red square" src="([^"]+)"', page).group(1)
    assert src.startswith(f"/admin/media/sample/{name}?v=")
    with client.get(src) as served:
        assert served.data == PNG


def test_service_limit_is_two_megabytes_by_default(app):
    from app.services import uploads

    with app.app_context():
        with pytest.raises(uploads.UploadRefused) as refused:
            uploads.check_image(PNG + b"\0" * (2 * 1024 * 1024))
        assert refused.value.code == "too_large"
        assert uploads.check_image(PNG) == "png"
        assert uploads.image_type(b"\xff\xd8\xff\xe0rest") == "jpg"
        assert uploads.image_type(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "webp"
