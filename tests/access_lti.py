"""Access to the LTI endpoints (called by LMSs, whoever is signed in) and the admin pages that register platforms."""
from __future__ import annotations

ADMIN_ONLY = {"anonymous": "login", "student": 403, "teacher": 403, "admin": 200}
EVERYONE_400 = {"anonymous": 400, "student": 400, "teacher": 400, "admin": 400}

LTI_ACCESS: list[tuple[str, str, str, dict]] = [
    ("lti.login", "GET", "/lti/login", EVERYONE_400),  # no issuer: refused with a page, never a 500
    ("lti.launch", "POST", "/lti/launch", EVERYONE_400),  # no id_token
    ("lti.start", "GET", "/lti/start/no-such-ticket", EVERYONE_400),  # unknown ticket: refused with a page
    ("lti.jwks", "GET", "/lti/jwks.json", {"anonymous": 200, "student": 200, "teacher": 200, "admin": 200}),
    ("lti.deep_link", "GET", "/lti/deep-link/no-such-launch",
     {"anonymous": "login", "student": 404, "teacher": 404, "admin": 404}),
    ("admin.lti_platforms", "GET", "/admin/lti", ADMIN_ONLY),
    ("admin.lti_platform", "GET", "/admin/lti/new", ADMIN_ONLY),
    ("admin.lti_platform", "GET", "/admin/lti/999999", {**ADMIN_ONLY, "admin": 404}),
    ("admin.lti_rotate_key", "POST", "/admin/lti/rotate-key", {**ADMIN_ONLY, "admin": "redirect"}),
]
