"""Random tokens, their stored hashes, and pyjwt-signed short-lived tokens (§5.3).

Random tokens carry 256 bits; only their SHA-256 hex digest is ever stored. Signed
tokens are HS256 JWTs with a `typ` claim, so one kind can never pass for another.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from citypulse.settings import get_settings

ACCESS_TOKEN_LIFETIME = timedelta(minutes=15)
AUDIENCE = "citypulse-web"


class InvalidToken(Exception):
    """A token is malformed, forged, expired or of the wrong kind."""


def new_token() -> str:
    """A URL-safe random token with 256 bits of entropy."""
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """SHA-256 hex digest of a token: what the database stores."""
    return hashlib.sha256(token.encode()).hexdigest()


def hashes_match(expected_hash: str, token: str) -> bool:
    """Constant-time comparison of a stored hash with a presented token."""
    return hmac.compare_digest(expected_hash, token_hash(token))


def sign(typ: str, claims: dict[str, Any], lifetime: timedelta | None, now: datetime) -> str:
    """A signed token of kind `typ`; `lifetime=None` means it never expires."""
    settings = get_settings()
    payload = {
        **claims,
        "typ": typ,
        "iss": settings.jwt_issuer,
        "aud": AUDIENCE,
        "iat": int(now.timestamp()),
        "jti": uuid.uuid4().hex,
    }
    if lifetime is not None:
        payload["exp"] = int((now + lifetime).timestamp())
    return jwt.encode(payload, settings.jwt_secret, algorithm="HS256")


def verify(typ: str, token: str, now: datetime, *, allow_expired: bool = False) -> dict[str, Any]:
    """The claims of a valid token of kind `typ`; raises InvalidToken otherwise."""
    settings = get_settings()
    try:
        claims = jwt.decode(
            token,
            settings.jwt_secret,
            algorithms=["HS256"],
            audience=AUDIENCE,
            issuer=settings.jwt_issuer,
            options={"verify_exp": False, "require": ["typ", "iat", "jti"]},
        )
    except jwt.PyJWTError as error:
        raise InvalidToken(type(error).__name__) from error
    if claims.get("typ") != typ:
        raise InvalidToken("wrong token type")
    if not allow_expired and "exp" in claims and claims["exp"] <= now.timestamp():
        raise InvalidToken("expired")
    return claims


@dataclass(frozen=True)
class AccessClaims:
    """Who an access token speaks for: the user and the session family."""

    user_id: int
    family_id: uuid.UUID


def issue_access_token(user_id: int, family_id: uuid.UUID, now: datetime | None = None) -> str:
    """A 15-minute access token (sub = user id, sid = session family)."""
    now = now or datetime.now(UTC)
    claims = {"sub": str(user_id), "sid": str(family_id)}
    return sign("access", claims, ACCESS_TOKEN_LIFETIME, now)


def read_access_token(
    token: str, now: datetime | None = None, *, allow_expired: bool = False
) -> AccessClaims:
    """Decode an access token; raises InvalidToken.

    `allow_expired` is for the live connection only: its cookie header is fixed when
    the socket opens, so the server-side session row (checked on every event) is what
    decides whether the tab is still signed in.
    """
    claims = verify("access", token, now or datetime.now(UTC), allow_expired=allow_expired)
    try:
        return AccessClaims(int(claims["sub"]), uuid.UUID(claims["sid"]))
    except (KeyError, ValueError) as error:
        raise InvalidToken("malformed claims") from error
