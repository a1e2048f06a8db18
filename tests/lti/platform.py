"""A test LMS platform written to the LTI 1.3 and IMS Security Framework specs: its own RSA key, its JWKS served
over real HTTP on a free port (pylti1p3 fetches it with requests, as from a real LMS), and id_tokens signed with
PyJWT. Independent of Ondo's code, so a launch test checks Ondo against the spec, not against itself."""
from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

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

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's naming)
                body = json.dumps(platform.jwks()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

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
