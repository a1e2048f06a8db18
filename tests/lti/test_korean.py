"""The LTI pages in Korean: the admin registration pages, the deep-linking picker, a refused launch and the
new-window offer, each with its Korean text and no English sentence of ours left."""
from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.models import Role, User
from app.services import lti
from tests.conftest import make_user
from tests.lti.platform import TestPlatform
from tests.lti.test_framing import FRAME, framed_launch
from tests.lti.test_launch import launch, start_login

KO = {"Accept-Language": "ko-KR,ko;q=0.9"}


@pytest.fixture
def platform(app):
    test_platform = TestPlatform()
    admin = make_user(Role.ADMIN)
    with app.app_context():
        lti.save_platform(lti.PlatformFields(**test_platform.registration()), db.session.get(User, admin.id))
    yield test_platform
    test_platform.close()


def korean(client, url, **kw) -> str:
    html = client.get(url, headers={**KO, **kw.pop("headers", {})}, **kw).get_data(as_text=True)
    assert '<html lang="ko"' in html
    return html


def test_admin_pages_in_korean(app, client, login_as, platform):
    client.post("/language", data={"language": "ko"})
    login_as(Role.ADMIN)
    listing = korean(client, "/admin/lti")
    for text in ("LMS 플랫폼(LTI 1.3)", "LMS 관리자에게 알려 줄 값", "로그인 시작 URL", "서명 키 교체",
                 "등록된 플랫폼"):
        assert text in listing
    form = korean(client, "/admin/lti/new")
    for text in ("발급자(iss)", "클라이언트 ID", "배포 ID(한 줄에 하나씩)", "LMS의 다른 웹 주소", "플랫폼 저장"):
        assert text in form
    assert "Register a platform" not in form and "Save platform" not in form


def test_deep_link_picker_refusal_and_new_window_in_korean(app, client, platform, sample_course):
    client.post("/language", data={"language": "ko"})
    auth = start_login(client, platform)
    picker_url = launch(client, auth["state"], platform.sign(platform.deep_link_claims(auth["nonce"]))) \
        .headers["Location"]
    picker = korean(client, picker_url)
    assert "LMS 강좌에 Ondo 단원 추가" in picker and "LMS 강좌에 추가" in picker

    refused = client.post("/lti/launch", data={"state": "nope", "id_token": "not-a-token"}, csrf=False, headers=KO)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "실행 요청이 거부되었습니다" in html and "검증하지 못했습니다" in html

    student = app.test_client()
    student.post("/language", data={"language": "ko"})
    start_url = framed_launch(student, platform, target_link_uri="http://localhost/courses/sample/reading") \
        .headers["Location"]
    blocked = app.test_client()
    offer = korean(blocked, start_url, headers=FRAME)
    assert "새 창에서 Ondo 열기" in offer and "Open Ondo" not in offer
    assert re.search(r"5분 동안 한 번만", offer)
