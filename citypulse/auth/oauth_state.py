"""The signed OAuth state cookie used by Google sign-in (PRODUCT.md §4.1.5, §5.3).

Between the redirect to the provider and the callback, the server must remember the
`state`, the OIDC `nonce`, the PKCE `code_verifier` and where to send the user afterwards.
Rather than a server-side table, they travel in a short-lived HS256 JWT that the start
route puts in an HttpOnly cookie and the callback route clears: the signature stops the
browser from changing anything, the 10-minute expiry bounds its life, and clearing it on
callback makes it single use per browser (the provider's code is single use as well).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt

from citypulse.settings import MIN_SECRET_BYTES, get_settings

STATE_TTL = timedelta(minutes=10)
STATE_TOKEN_TYPE = "oauth_state"
DEFAULT_NEXT_PATH = "/dashboard"
_MAX_NEXT_PATH_LENGTH = 2048
_ALGORITHM = "HS256"


class OAuthStateError(Exception):
    """The state cookie is missing, forged, expired or of the wrong type."""


@dataclass(frozen=True)
class OAuthState:
    """What the callback needs to finish a sign-in started by this browser."""

    state: str
    nonce: str
    code_verifier: str
    next_path: str


def safe_next_path(candidate: str | None) -> str:
    """Return `candidate` when it is a same-site relative path, else `/dashboard`.

    Anything a browser could read as another origin is refused: absolute URLs,
    scheme-relative `//host`, `/\\host` (browsers treat `\\` as `/`), and control
    characters (browsers drop tabs and newlines, so `/\\t/host` would become `//host`).

    Args:
        candidate: The `next` value supplied by the browser, possibly None.

    Returns:
        A path starting with a single `/`, safe to use in a redirect.
    """
    if not candidate or len(candidate) > _MAX_NEXT_PATH_LENGTH:
        return DEFAULT_NEXT_PATH
    if not candidate.startswith("/") or candidate.startswith(("//", "/\\")):
        return DEFAULT_NEXT_PATH
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in candidate):
        return DEFAULT_NEXT_PATH
    return candidate


def new_oauth_state(next_path: str | None) -> OAuthState:
    """Create fresh random values for one sign-in attempt.

    Args:
        next_path: Where to go after sign-in; sanitised with `safe_next_path`.

    Returns:
        A new `OAuthState` with 256-bit state and nonce and a 512-bit PKCE verifier.
    """
    return OAuthState(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        # 86 characters of the unreserved alphabet: within RFC 7636's 43..128 range.
        code_verifier=secrets.token_urlsafe(64),
        next_path=safe_next_path(next_path),
    )


def _signing_secret() -> str:
    secret = get_settings().jwt_secret
    # Settings only refuses short secrets in production; never sign with one anywhere.
    if len(secret.encode()) < MIN_SECRET_BYTES:
        raise OAuthStateError(f"JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes")
    return secret


def encode_state_cookie(oauth_state: OAuthState, *, now: datetime | None = None) -> str:
    """Sign `oauth_state` into the value of the state cookie.

    Args:
        oauth_state: The values to carry to the callback.
        now: Issue time (tests pass a past time to get an expired cookie).

    Returns:
        An HS256 JWT valid for 10 minutes from `now`.

    Raises:
        OAuthStateError: If the signing secret is too short.
    """
    issued_at = now or datetime.now(UTC)
    claims = {
        "typ": STATE_TOKEN_TYPE,
        "iss": get_settings().jwt_issuer,
        "iat": issued_at,
        "exp": issued_at + STATE_TTL,
        "state": oauth_state.state,
        "nonce": oauth_state.nonce,
        "code_verifier": oauth_state.code_verifier,
        "next": oauth_state.next_path,
    }
    return jwt.encode(claims, _signing_secret(), algorithm=_ALGORITHM)


def decode_state_cookie(value: str | None) -> OAuthState:
    """Verify the state cookie and return what it carries.

    Args:
        value: The raw cookie value, or None when the browser sent none.

    Returns:
        The `OAuthState` that `encode_state_cookie` signed.

    Raises:
        OAuthStateError: If the cookie is missing, forged, expired or not a state token.
    """
    if not value:
        raise OAuthStateError("state cookie missing")
    try:
        claims = jwt.decode(
            value,
            _signing_secret(),
            algorithms=[_ALGORITHM],
            issuer=get_settings().jwt_issuer,
            options={"require": ["typ", "iss", "iat", "exp", "state", "nonce", "code_verifier"]},
        )
    except jwt.PyJWTError as exc:
        # The class name says why without echoing any part of the token into logs.
        raise OAuthStateError(f"state cookie rejected ({type(exc).__name__})") from None
    if claims["typ"] != STATE_TOKEN_TYPE:
        raise OAuthStateError("state cookie rejected (wrong token type)")
    values = (claims["state"], claims["nonce"], claims["code_verifier"])
    if not all(isinstance(item, str) and item for item in values):
        raise OAuthStateError("state cookie rejected (malformed claims)")
    next_claim = claims.get("next")
    return OAuthState(
        state=claims["state"],
        nonce=claims["nonce"],
        code_verifier=claims["code_verifier"],
        # Signed by us, but re-checking costs nothing and keeps the redirect safe regardless.
        next_path=safe_next_path(next_claim if isinstance(next_claim, str) else None),
    )
