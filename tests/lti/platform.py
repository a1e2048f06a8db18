"""A test LMS platform written to the LTI 1.3 and IMS Security Framework specs: its own RSA key, its JWKS served
over real HTTP on a free port (pylti1p3 fetches it with requests, as from a real LMS), and id_tokens signed with
PyJWT. Independent of Ondo's code, so a launch test checks Ondo against the spec, not against itself."""
from __future__ import annotations

import json
import threading
import time
import uuid
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"


def _new_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class TestPlatform:
    __test__ = False  # not a test class, despite the name

    def __init__(self, client_id: str = "ondo-client", deployment_id: str = "deployment-1"):
        self.key, self.kid = _new_key(), "platform-key-" + uuid.uuid4().hex[:8]
        self.client_id, self.deployment_id = client_id, deployment_id
        platform = self

        self.scores: list[dict[str, Any]] = []  # what the gradebook received: (line item URL, score JSON)
        self.members: list[dict[str, Any]] = []
        self.failing = False  # True: the services answer 503, as an LMS under maintenance would
        self.tool_jwks = None  # a callable giving Ondo's published JWKS, to check its signed token requests
        self.tokens: set[str] = set()
        # For browser launches: Ondo's address, who is signed in to the LMS, and the activity being opened.
        self.tool_base = ""
        self.browser_user: dict[str, Any] = {"sub": "user-1", "roles": [LEARNER]}
        self.browser_target = ""

        class Handler(BaseHTTPRequestHandler):
            def _send(self, status: int, payload: Any = None, content_type: str = "application/json"):
                body = json.dumps(payload).encode() if payload is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _authorised(self) -> bool:
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                return token in platform.tokens

            def _html(self, body: str):
                data = f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Test LMS</title></head>" \
                       f"<body>{body}</body></html>".encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802 (http.server's naming)
                path, query = urlsplit(self.path).path, parse_qs(urlsplit(self.path).query)
                if path == "/jwks":
                    return self._send(200, platform.jwks())
                if path == "/course":  # an LMS course page showing the activity in an iframe, as Moodle does
                    return self._html("<main><h1>CLIM101 in the LMS</h1><iframe title='Ondo activity' "
                                      "src='/tool-launch' width='900' height='700'></iframe></main>")
                if path == "/tool-launch":  # the LMS starts the OIDC login in the frame
                    fields = platform.login_initiation(platform.browser_target, platform.browser_user["sub"])
                    return self._html(platform.auto_post(platform.tool_base + "/lti/login", fields))
                if path == "/auth":  # the OIDC authorisation endpoint: answers with the signed id_token
                    asked = {key: values[0] for key, values in query.items()}
                    if asked.get("client_id") != platform.client_id or asked.get("response_mode") != "form_post":
                        return self._send(400, {"error": "invalid_request"})
                    claims = platform.resource_link_claims(
                        asked["nonce"], sub=platform.browser_user["sub"], roles=platform.browser_user["roles"],
                        target_link_uri=platform.browser_target)
                    return self._html(platform.auto_post(asked["redirect_uri"], {
                        "state": asked["state"], "id_token": platform.sign(claims)}))
                if self.path.startswith("/memberships"):
                    if platform.failing:
                        return self._send(503, {"error": "maintenance"})
                    if not self._authorised():
                        return self._send(401, {"error": "unauthorised"})
                    return self._send(200, {"id": platform.base + self.path, "members": platform.members},
                                      "application/vnd.ims.lti-nrps.v2.membershipcontainer+json")
                return self._send(404, {"error": "not found"})

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if platform.failing:
                    return self._send(503, {"error": "maintenance"})
                if self.path == "/token":
                    return self._send(*platform.issue_token(dict(parse_qsl(raw))))
                if self.path.endswith("/scores"):
                    if not self._authorised():
                        return self._send(401, {"error": "unauthorised"})
                    if self.headers.get("Content-Type") != "application/vnd.ims.lis.v1.score+json":
                        return self._send(415, {"error": "media type"})
                    platform.scores.append({"lineitem": platform.base + self.path.removesuffix("/scores"),
                                            **json.loads(raw)})
                    return self._send(200, {})
                return self._send(404, {"error": "not found"})

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.issuer = self.base
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def jwks(self) -> dict[str, Any]:
        public = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        public.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return {"keys": [public]}

    def issue_token(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """OAuth 2 client credentials with a signed JWT (IMS Security Framework 4.1): check it against Ondo's JWKS."""
        if form.get("grant_type") != "client_credentials" or form.get("client_assertion_type") != \
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
            return 400, {"error": "unsupported_grant_type"}
        assertion = form.get("client_assertion", "")
        keys = {k["kid"]: k for k in self.tool_jwks()["keys"]}
        try:
            key = RSAAlgorithm.from_jwk(keys[jwt.get_unverified_header(assertion)["kid"]])
            claims = jwt.decode(assertion, key, algorithms=["RS256"], audience=f"{self.base}/token")
        except (KeyError, jwt.InvalidTokenError):
            return 401, {"error": "invalid_client"}
        if claims.get("iss") != self.client_id or claims.get("sub") != self.client_id:
            return 401, {"error": "invalid_client"}
        token = uuid.uuid4().hex
        self.tokens.add(token)
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": form.get("scope")}

    @staticmethod
    def auto_post(action: str, fields: dict[str, str]) -> str:
        """An LMS page that posts a form at once (LMSs do this with a script)."""
        inputs = "".join(f"<input type='hidden' name='{escape(k)}' value='{escape(v)}'>" for k, v in fields.items())
        return (f"<form method='post' action='{escape(action)}'>{inputs}<button>Continue</button></form>"
                "<script>document.forms[0].submit()</script>")

    def registration(self) -> dict[str, Any]:
        """What the LMS admin gives Ondo's admin."""
        return {"name": "Test LMS", "issuer": self.issuer, "client_id": self.client_id,
                "deployment_ids": [self.deployment_id], "auth_login_url": f"{self.base}/auth",
                "auth_token_url": f"{self.base}/token", "key_set_url": f"{self.base}/jwks"}

    def login_initiation(self, target_link_uri: str, login_hint: str = "user-1") -> dict[str, str]:
        return {"iss": self.issuer, "login_hint": login_hint, "target_link_uri": target_link_uri,
                "client_id": self.client_id, "lti_deployment_id": self.deployment_id,
                "lti_message_hint": "resource-link-1"}

    def resource_link_claims(self, nonce: str, *, sub: str = "user-1", roles: list[str] | None = None,
                             target_link_uri: str = "", context_id: str = "course-101", **extra) -> dict[str, Any]:
        now = int(time.time())
        claims = {
            "iss": self.issuer, "aud": self.client_id, "sub": sub, "iat": now, "exp": now + 300, "nonce": nonce,
            "name": "Minji Kim", "given_name": "Minji", "family_name": "Kim", "email": f"{sub}@university.example",
            CLAIM + "message_type": "LtiResourceLinkRequest", CLAIM + "version": "1.3.0",
            CLAIM + "deployment_id": self.deployment_id, CLAIM + "target_link_uri": target_link_uri,
            CLAIM + "resource_link": {"id": "resource-link-1", "title": "Energy balance"},
            CLAIM + "roles": roles if roles is not None else [LEARNER],
            CLAIM + "context": {"id": context_id, "label": "CLIM101", "title": "Climate System Science"},
        }
        claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"] = {
            "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                      "https://purl.imsglobal.org/spec/lti-ags/scope/score"],
            "lineitems": f"{self.base}/lineitems/{context_id}",
            "lineitem": f"{self.base}/lineitems/{context_id}/1",
        }
        claims["https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"] = {
            "context_memberships_url": f"{self.base}/memberships/{context_id}", "service_versions": ["2.0"]}
        claims.update(extra)
        return claims

    def deep_link_claims(self, nonce: str, *, sub: str = "lecturer-1", roles: list[str] | None = None) -> dict:
        claims = self.resource_link_claims(nonce, sub=sub, roles=roles if roles is not None else [INSTRUCTOR])
        del claims[CLAIM + "resource_link"]
        claims[CLAIM + "message_type"] = "LtiDeepLinkingRequest"
        claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"] = {
            "deep_link_return_url": f"{self.base}/deep-link-return", "accept_types": ["ltiResourceLink"],
            "accept_presentation_document_targets": ["iframe", "window"], "accept_multiple": True,
            "data": "platform-opaque-123",
        }
        return claims

    def sign(self, claims: dict[str, Any], *, key=None, kid: str | None = None) -> str:
        pem = (key or self.key).private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption())
        return jwt.encode(claims, pem, algorithm="RS256", headers={"kid": kid or self.kid})

    @staticmethod
    def other_key():
        return _new_key()
