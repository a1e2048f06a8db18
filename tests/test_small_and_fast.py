"""Small and fast over a school's mobile network (issue 12): compressed responses, static files with a
version in the URL and a year of caching, a favicon and a web app manifest, and a written budget."""
from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

from tests.conftest import make_user

COURSES = Path(__file__).resolve().parents[1] / "courses"
COURSE = "climate-literacy-foundations"
# The budget: the largest module page, HTML plus the stylesheet, compressed, under 60 KB.
PAGE_BUDGET_BYTES = 60 * 1024
STATIC_RE = re.compile(r'href="(/static/ondo\.css\?v=([0-9a-f]{12}))"')


def fetch(client, url: str, **kwargs):
    """GET ``url``, read the body and close the response (file responses hold the file open until then)."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def _without_csrf_tokens(page: bytes) -> bytes:
    return re.sub(rb'(csrf[-_]token"[^>]*?(?:content|value)=")[^"]*', rb"\1", page)


def test_pages_are_compressed_for_browsers_that_accept_it(client, login_as, sample_course):
    login_as("student")
    for encoding in ("gzip", "br"):
        response = client.get("/courses/sample/reading", headers={"Accept-Encoding": encoding})
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
    plain = client.get("/courses/sample/reading")
    assert "Content-Encoding" not in plain.headers
    zipped = client.get("/courses/sample/reading", headers={"Accept-Encoding": "gzip"})
    # Same page, byte for byte, but for the CSRF tokens: they are signed with a timestamp, so two GETs a second
    # apart differ there.
    assert _without_csrf_tokens(gzip.decompress(zipped.data)) == _without_csrf_tokens(plain.data)
    assert len(zipped.data) < len(plain.data) / 3


def test_static_urls_carry_a_content_version_and_are_cached_for_a_year(client):
    page = client.get("/auth/login").get_data(as_text=True)
    url, version = STATIC_RE.search(page).groups()
    css = Path(__file__).resolve().parents[1] / "app/static/ondo.css"
    import hashlib

    assert version == hashlib.sha256(css.read_bytes()).hexdigest()[:12]
    response = fetch(client, url)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    stale = fetch(client, "/static/ondo.css?v=000000000000")  # an old version's URL is not kept for a year
    assert "immutable" not in stale.headers.get("Cache-Control", "")
    assert "immutable" not in fetch(client, "/static/ondo.css").headers.get("Cache-Control", "")


def test_favicon_is_served(client):
    response = fetch(client, "/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_web_app_manifest_lets_the_site_go_on_a_home_screen(client):
    page = client.get("/auth/login").get_data(as_text=True)
    href = re.search(r'<link rel="manifest" href="([^"]+)">', page).group(1)
    assert re.search(r'<meta name="theme-color" content="#[0-9a-f]{6}">', page)
    response = fetch(client, href)
    assert response.status_code == 200 and response.mimetype == "application/manifest+json"
    manifest = json.loads(response.data)
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone" and manifest["short_name"]
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert fetch(client, f"/static/{icon['src']}").status_code == 200


def test_largest_module_page_with_its_css_stays_under_60_kb_compressed(app, client, curriculum):
    client.post("/auth/login", data={"email": make_user().email, "password": "correct horse battery"})
    sizes = {}
    for path in sorted((COURSES / COURSE).glob("*.md")):
        slug = path.name.split(".")[0].split("-", 1)[1]
        lang = path.name.split(".")[1]
        response = client.get(f"/courses/{COURSE}/{slug}?lang={lang}", headers={"Accept-Encoding": "gzip"})
        assert response.status_code == 200 and response.headers["Content-Encoding"] == "gzip"
        sizes[f"{slug}.{lang}"] = len(response.data)
    page = client.get(f"/courses/{COURSE}/{max(sizes, key=sizes.get).split('.')[0]}").get_data(as_text=True)
    css_url = STATIC_RE.search(page).group(1)
    css = fetch(client, css_url, headers={"Accept-Encoding": "gzip"})
    assert css.headers["Content-Encoding"] == "gzip"
    largest = max(sizes.values())
    assert largest + len(css.data) < PAGE_BUDGET_BYTES, (max(sizes, key=sizes.get), largest, len(css.data))
