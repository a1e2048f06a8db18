"""Links in stored HTML are placeholders (``ondo:asset|media|module/...``) resolved with url_for when served."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from flask import Blueprint, Flask
from sqlalchemy import select

from app.content import render_markdown
from app.extensions import db
from app.models import Module, ModuleText
from app.served_html import asset_placeholder, init_served_html, media_placeholder, resolve_links
from app.services.course_sync import sync_courses
from tests.conftest import FIXTURE_COURSES

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 20


def _course_with_links(tmp_path: Path) -> Path:
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, root)
    (root / "sample" / "assets").mkdir()
    (root / "sample" / "assets" / "map.png").write_bytes(PNG)
    reading = root / "sample" / "01-reading.en.md"
    reading.write_text(reading.read_text(encoding="utf-8")
                       + "\n\nSee [the quiz](02-quiz.en.md) and ![A map](assets/map.png).\n", encoding="utf-8")
    return root


def _stored_body(slug: str) -> str:
    return db.session.scalar(select(ModuleText.body_html).join(Module)
                             .where(Module.slug == slug, ModuleText.lang == "en"))


def test_stored_body_holds_placeholders_and_no_route(app, tmp_path):
    with app.app_context():
        sync_courses(_course_with_links(tmp_path))
        body = _stored_body("reading")
    assert 'href="ondo:module/sample/quiz"' in body
    assert re.search(r'src="ondo:asset/sample/map\.png\?v=[0-9a-f]{12}"', body)
    assert "/courses/" not in body and "/admin/" not in body


def test_served_page_has_the_real_urls(app, client, login_as, tmp_path):
    root = _course_with_links(tmp_path)
    with app.app_context():
        sync_courses(root)
    login_as("student")
    page = client.get("/courses/sample/reading").get_data(as_text=True)
    assert 'href="/courses/sample/quiz"' in page
    assert re.search(r'src="/courses/sample/assets/map\.png\?v=[0-9a-f]{12}"', page)
    assert "ondo:" not in page


def _app_with_prefixes(learn_prefix: str, admin_prefix: str) -> Flask:
    """The endpoints placeholders resolve to, under prefixes other than the real app's."""
    app = Flask(__name__)
    learn, admin = Blueprint("learn", __name__), Blueprint("admin", __name__)
    learn.add_url_rule("/courses/<course_slug>/<module_slug>", "module", lambda **_: "")
    learn.add_url_rule("/courses/<course_slug>/assets/<path:filename>", "course_asset", lambda **_: "")
    admin.add_url_rule("/media/<course_slug>/<name>", "course_media", lambda **_: "")
    app.register_blueprint(learn, url_prefix=learn_prefix)
    app.register_blueprint(admin, url_prefix=admin_prefix)
    asset, media = asset_placeholder("sample", "a b.png", "ab12"), media_placeholder("sample", "f00.png", "cd34")
    stored = (f'<p><a href="ondo:module/sample/quiz#c-start">q</a> <img src="{asset}" alt="x">'
              f' <img src="{media}" alt="y"></p>')
    app.add_url_rule("/page", "page", lambda: stored)
    init_served_html(app)
    return app


def test_a_changed_url_prefix_changes_the_served_url():
    for learn_prefix, admin_prefix in (("", "/admin"), ("/learn", "/staff")):
        page = _app_with_prefixes(learn_prefix, admin_prefix).test_client().get("/page").get_data(as_text=True)
        assert f'href="{learn_prefix}/courses/sample/quiz#c-start"' in page
        assert f'src="{learn_prefix}/courses/sample/assets/a%20b.png?v=ab12"' in page
        assert f'src="{admin_prefix}/media/sample/f00.png?v=cd34"' in page


def test_placeholders_resolve_only_to_the_three_kinds_with_valid_parts():
    app = _app_with_prefixes("", "/admin")
    refused = ['<a href="ondo:admin/users">a</a>', '<a href="ondo:module/sample/x/../../admin">b</a>',
               '<img src="ondo:asset/sample/../course.yml?v=ab" alt="c">',
               '<img src="ondo:asset/sample/%2E%2E/course.yml?v=ab" alt="c">',
               '<img src="ondo:media/sample/a/b.png?v=ab" alt="d">', '<img src="ondo:media/sample/x.png" alt="e">',
               '<a href="ondo:module/../admin">f</a>', '<a href="ondo:javascript/alert(1)">g</a>']
    with app.test_request_context():
        for tag in refused:
            served = resolve_links(tag)
            assert "ondo:" not in served and "href=" not in served and "src=" not in served, tag
        text = '<p>write src="ondo:module/sample/quiz" in a code sample</p>'  # text, not an attribute
        assert resolve_links(text) == text


def test_authors_cannot_write_placeholders_but_the_renderer_can():
    from tests.content.support import good_datasets

    written = ("[a](ondo:module/sample/quiz) [b](ONDO:asset/sample/x.png?v=1) "
               '<a href="ondo:media/sample/x.png?v=1">c</a> <img src="ondo:asset/sample/x.png?v=1" alt="d">\n')
    assert "ondo:" not in render_markdown(written, datasets=good_datasets()).html.lower()
    rendered = render_markdown("![A map](assets/map.png) [next](02-quiz.en.md)", datasets=good_datasets(),
                               asset_url=lambda path: asset_placeholder("sample", path.removeprefix("assets/"), "ab"),
                               module_url=lambda slug: f"ondo:module/sample/{slug}").html
    assert 'src="ondo:asset/sample/map.png?v=ab"' in rendered and 'href="ondo:module/sample/quiz"' in rendered
