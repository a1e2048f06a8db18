"""LTI tests register platforms; the origins allowed to frame Ondo are cached per app, so forget them afterwards
(the tables are emptied after each test, and other tests expect no framing at all)."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _forget_framing_origins(request):
    yield
    if "app" in request.fixturenames:
        from app.services import lti

        with request.getfixturevalue("app").app_context():
            lti.forget_framing_origins()
