"""English and Korean: the switch, the order of preferences, and a complete Korean catalogue."""
from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import make_user

ROOT = Path(__file__).resolve().parent.parent


def _lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_visitor_switches_to_korean_and_the_page_follows(client):
    page = client.get("/").get_data(as_text=True)
    assert _lang(page) == "en" and "Log in" in page
    response = client.post("/language", data={"language": "ko", "next": "/auth/login"})
    assert response.headers["Location"] == "/auth/login"
    page = client.get("/auth/login").get_data(as_text=True)
    assert _lang(page) == "ko"
    assert "로그인" in page and "비밀번호" in page


def test_accept_language_is_used_when_nothing_was_chosen(client):
    page = client.get("/", headers={"Accept-Language": "ko-KR,ko;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert _lang(page) == "ko"
    page = client.get("/", headers={"Accept-Language": "fr-FR"}).get_data(as_text=True)
    assert _lang(page) == "en"


def test_the_cookie_beats_accept_language(client):
    client.post("/language", data={"language": "en"})
    page = client.get("/", headers={"Accept-Language": "ko"}).get_data(as_text=True)
    assert _lang(page) == "en"


def test_the_account_choice_follows_the_user_to_another_device(app, client, auth):
    user = make_user()
    auth.login(user.email)
    client.post("/language", data={"language": "ko"})
    other = app.test_client()
    other.post("/auth/login", data={"email": user.email, "password": "correct horse battery"})
    assert _lang(other.get("/dashboard").get_data(as_text=True)) == "ko"


def test_unknown_language_is_ignored(client):
    client.post("/language", data={"language": "xx"})
    assert _lang(client.get("/").get_data(as_text=True)) == "en"


def test_korean_catalogue_translates_every_string_in_the_code():
    method_map = [("app/**.py", "python"), ("app/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
    extracted = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for message in extract_from_dir(str(ROOT), method_map, keywords=keywords)
    }
    with (ROOT / "app/translations/ko/LC_MESSAGES/messages.po").open("rb") as po:
        catalogue = read_po(po)
    translated = {m.id for m in catalogue if m.id and m.string and not m.fuzzy}
    missing = sorted(extracted - translated)
    assert not missing, f"untranslated in ko (run `make translations` and fill messages.po): {missing}"
