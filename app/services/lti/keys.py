"""Ondo's signing keys: encrypted at rest, rotated with a grace period, published as a JWKS."""
from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from jwcrypto.jwk import JWK
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.models.base import utcnow
from app.models.lti import LtiKey
from app.services import audit

# A retired key stays in the JWKS this long, for platforms that cached it (their caches last hours, not weeks).
KEY_GRACE = timedelta(days=7)


# ------------------------------------------------------------------------------------------------ Ondo's keys

def _fernet(secret_key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"ondo-lti-keys", info=b"private-key-at-rest")
    return Fernet(base64.urlsafe_b64encode(derived.derive(secret_key.encode())))


def _new_key(secret_key: str) -> LtiKey:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    public = JWK.from_pem(public_pem)
    kid = public.thumbprint()  # RFC 7638, the kid pylti1p3 computes from the public key when it signs
    jwk = public.export_public(as_dict=True)
    jwk.update({"kid": kid, "alg": "RS256", "use": "sig"})
    key = LtiKey(kid=kid, private_key_encrypted=_fernet(secret_key).encrypt(pem).decode(), public_jwk=jwk)
    db.session.add(key)
    db.session.flush()
    return key


def current_key(secret_key: str) -> LtiKey:
    """The signing key in use, made on first need."""
    key = db.session.scalar(select(LtiKey).where(LtiKey.retired_at.is_(None)).order_by(LtiKey.id.desc()))
    if key is None:
        key = _new_key(secret_key)
        db.session.commit()
    return key


def public_pem(key: LtiKey) -> str:
    return JWK(**key.public_jwk).export_to_pem().decode()


def private_pem(key: LtiKey, secret_key: str) -> str:
    return _fernet(secret_key).decrypt(key.private_key_encrypted.encode()).decode()


def rotate_key(secret_key: str, by: User) -> LtiKey:
    """Retire the current key (it stays published for KEY_GRACE) and start signing with a new one."""
    now = utcnow()
    for key in db.session.scalars(select(LtiKey).where(LtiKey.retired_at.is_(None))):
        key.retired_at = now
    key = _new_key(secret_key)
    audit.record(by, "lti.rotate_key", None, label=key.kid)
    db.session.commit()
    return key


def public_jwks(secret_key: str) -> dict[str, list[dict[str, Any]]]:
    current_key(secret_key)
    cutoff = utcnow() - KEY_GRACE
    keys = db.session.scalars(select(LtiKey).where((LtiKey.retired_at.is_(None)) | (LtiKey.retired_at > cutoff))
                              .order_by(LtiKey.id.desc()))
    return {"keys": [key.public_jwk for key in keys]}
