"""Google sign-in: OpenID Connect authorization-code flow with PKCE (PRODUCT.md §4.1.5).

`begin_sign_in` gives the start route a provider URL and a state cookie; `complete_sign_in`
turns the callback query and that cookie into a verified `GoogleIdentity`. Only the ID
token obtained server-to-server from the token endpoint is trusted, never anything the
browser sends. All HTTP here is blocking: routes call these through `asyncio.to_thread`.
"""

from __future__ import annotations

import hmac
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from citypulse.auth.oauth_state import (
    OAuthStateError,
    decode_state_cookie,
    encode_state_cookie,
    new_oauth_state,
)
from citypulse.settings import get_settings

CALLBACK_PATH = "/auth/google/callback"
SCOPE = "openid email profile"
HTTP_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
METADATA_TTL_SECONDS = 3600.0  # discovery document and signing keys
CLOCK_SKEW_SECONDS = 60
# Google documents that its ID tokens may carry the issuer without the scheme.
_GOOGLE_ISSUER = "https://accounts.google.com"
_GOOGLE_LEGACY_ISSUER = "accounts.google.com"
_SAFE_ERROR_CODE = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
_MAX_PARAM_LENGTH = 4096


class GoogleSignInError(Exception):
    """Google sign-in was refused. The message is safe for logs and never holds a token."""


@dataclass(frozen=True)
class GoogleIdentity:
    """The verified facts about a Google account taken from its ID token."""

    sub: str
    email: str
    email_verified: bool
    full_name: str | None


@dataclass(frozen=True)
class _Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


_cache_lock = threading.Lock()
_discovery_cache: dict[str, tuple[float, _Provider]] = {}
_jwks_cache: dict[str, tuple[float, dict[str, jwt.PyJWK]]] = {}


def clear_caches() -> None:
    """Forget cached discovery documents and signing keys (tests, settings changes)."""
    with _cache_lock:
        _discovery_cache.clear()
        _jwks_cache.clear()


def begin_sign_in(next_path: str, *, now: datetime | None = None) -> tuple[str, str]:
    """Start a Google sign-in; called by the `/auth/google/start` route for anyone.

    Args:
        next_path: Where to go after signing in; unsafe values become `/dashboard`.
        now: Issue time of the state cookie (tests only).

    Returns:
        `(authorize_url, state_cookie_value)`: redirect the browser to the URL and store
        the value in an HttpOnly cookie for the callback.

    Raises:
        GoogleSignInError: If Google sign-in is not configured or the provider is unreachable.
    """
    client_id, _ = _client_credentials()
    provider = _provider()
    oauth_state = new_oauth_state(next_path)
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": _redirect_uri(),
        "scope": SCOPE,
        "state": oauth_state.state,
        "nonce": oauth_state.nonce,
        "code_challenge": create_s256_code_challenge(oauth_state.code_verifier),
        "code_challenge_method": "S256",
        "prompt": "select_account",
    }
    separator = "&" if "?" in provider.authorization_endpoint else "?"
    authorize_url = provider.authorization_endpoint + separator + urlencode(params)
    try:
        return authorize_url, encode_state_cookie(oauth_state, now=now)
    except OAuthStateError as exc:
        raise GoogleSignInError(str(exc)) from None


def complete_sign_in(
    query: Mapping[str, str], state_cookie_value: str | None
) -> tuple[GoogleIdentity, str]:
    """Finish a sign-in; called by the `/auth/google/callback` route for anyone.

    Args:
        query: The callback's query parameters (`code`, `state` or `error`).
        state_cookie_value: The state cookie set by the start route, or None.

    Returns:
        `(identity, next_path)`; the caller still applies the account rules of §4.1.5.

    Raises:
        GoogleSignInError: On a provider error, a missing code, a bad or mismatched state,
            a refused code exchange or an ID token that fails any check.
    """
    if query.get("error"):
        raise GoogleSignInError(f"provider returned error ({_safe_code(query['error'])})")
    code = query.get("code") or ""
    if not code or len(code) > _MAX_PARAM_LENGTH:
        raise GoogleSignInError("authorization code missing")
    try:
        oauth_state = decode_state_cookie(state_cookie_value)
    except OAuthStateError as exc:
        raise GoogleSignInError(str(exc)) from None
    # Bytes, because compare_digest refuses non-ASCII str and the parameter is attacker input.
    returned_state = (query.get("state") or "").encode()
    if not hmac.compare_digest(returned_state, oauth_state.state.encode()):
        raise GoogleSignInError("state mismatch")
    provider = _provider()
    id_token = _exchange_code(provider, code, oauth_state.code_verifier)
    return _verify_id_token(provider, id_token, oauth_state.nonce), oauth_state.next_path


def _client_credentials() -> tuple[str, str]:
    settings = get_settings()
    if not settings.google_client_id or not settings.google_client_secret:
        raise GoogleSignInError("Google sign-in is not configured")
    return settings.google_client_id, settings.google_client_secret


def _redirect_uri() -> str:
    return get_settings().public_url.rstrip("/") + CALLBACK_PATH


def _safe_code(value: Any) -> str:
    # Provider-supplied text goes into log lines: keep only a short error-code alphabet.
    return value if isinstance(value, str) and _SAFE_ERROR_CODE.fullmatch(value) else "invalid"


def _get_json(url: str, what: str) -> dict[str, Any]:
    try:
        response = httpx.get(url, timeout=HTTP_TIMEOUT, headers={"Accept": "application/json"})
        response.raise_for_status()
        document = response.json()
    except (httpx.HTTPError, ValueError):
        raise GoogleSignInError(f"could not fetch the provider's {what}") from None
    if not isinstance(document, dict):
        raise GoogleSignInError(f"the provider's {what} is malformed")
    return document


def _provider() -> _Provider:
    url = get_settings().google_discovery_url
    with _cache_lock:
        cached = _discovery_cache.get(url)
    if cached and time.monotonic() - cached[0] < METADATA_TTL_SECONDS:
        return cached[1]
    document = _get_json(url, "discovery document")
    fields = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    values = [document.get(field) for field in fields]
    if not all(isinstance(value, str) and value for value in values):
        raise GoogleSignInError("the provider's discovery document is incomplete")
    provider = _Provider(*values)
    # OIDC Discovery §4.3: the document must describe the issuer it was fetched from.
    if url != provider.issuer.rstrip("/") + "/.well-known/openid-configuration":
        raise GoogleSignInError("the discovery document names a different issuer")
    if get_settings().is_production and not all(v.startswith("https://") for v in values):
        raise GoogleSignInError("the provider's endpoints must use https")
    with _cache_lock:
        _discovery_cache[url] = (time.monotonic(), provider)
    return provider


def _exchange_code(provider: _Provider, code: str, code_verifier: str) -> str:
    client_id, client_secret = _client_credentials()
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": _redirect_uri(),
        "client_id": client_id,
        "client_secret": client_secret,  # client_secret_post, which Google supports
        "code_verifier": code_verifier,
    }
    headers = {"Accept": "application/json"}
    try:
        response = httpx.post(
            provider.token_endpoint, data=form, headers=headers, timeout=HTTP_TIMEOUT
        )
        body = response.json()
    except (httpx.HTTPError, ValueError):
        raise GoogleSignInError("the token endpoint could not be reached") from None
    body = body if isinstance(body, dict) else {"error": "malformed_response"}
    if response.status_code != httpx.codes.OK or "error" in body:
        error = _safe_code(body.get("error"))
        raise GoogleSignInError(f"the token endpoint refused the code ({error})")
    id_token = body.get("id_token")
    if not isinstance(id_token, str) or not id_token:
        raise GoogleSignInError("the token endpoint returned no ID token")
    return id_token


def _signing_key(jwks_uri: str, kid: str) -> jwt.PyJWK:
    with _cache_lock:
        cached = _jwks_cache.get(jwks_uri)
    fresh = cached is not None and time.monotonic() - cached[0] < METADATA_TTL_SECONDS
    if fresh and kid in cached[1]:
        return cached[1][kid]
    # Unknown kid or stale set: the provider may have rotated keys, so refetch once.
    keys = _fetch_jwks(jwks_uri)
    with _cache_lock:
        _jwks_cache[jwks_uri] = (time.monotonic(), keys)
    if kid not in keys:
        raise GoogleSignInError("ID token signed with an unknown key")
    return keys[kid]


def _fetch_jwks(jwks_uri: str) -> dict[str, jwt.PyJWK]:
    keys: dict[str, jwt.PyJWK] = {}
    entries = _get_json(jwks_uri, "signing keys").get("keys")
    for entry in entries if isinstance(entries, list) else []:
        # Only RSA keys with a kid can verify RS256 tokens; skip anything else quietly.
        if not isinstance(entry, dict) or entry.get("kty") != "RSA" or not entry.get("kid"):
            continue
        try:
            keys[str(entry["kid"])] = jwt.PyJWK(entry, algorithm="RS256")
        except jwt.PyJWTError:
            continue
    return keys


def _verify_id_token(provider: _Provider, id_token: str, nonce: str) -> GoogleIdentity:
    client_id, _ = _client_credentials()
    issuers = [provider.issuer]
    if provider.issuer == _GOOGLE_ISSUER:
        issuers.append(_GOOGLE_LEGACY_ISSUER)
    try:
        header = jwt.get_unverified_header(id_token)
        kid = header.get("kid")
        if header.get("alg") != "RS256" or not isinstance(kid, str) or not kid:
            raise GoogleSignInError("ID token rejected (unexpected header)")
        claims = jwt.decode(
            id_token,
            _signing_key(provider.jwks_uri, kid),
            algorithms=["RS256"],
            audience=client_id,
            issuer=issuers,
            leeway=CLOCK_SKEW_SECONDS,
            options={"require": ["iss", "sub", "aud", "exp", "iat", "nonce"]},
        )
    except jwt.PyJWTError as exc:
        raise GoogleSignInError(f"ID token rejected ({type(exc).__name__})") from None
    # OIDC Core §3.1.3.7: when present, the authorized party must be this client.
    if "azp" in claims and claims["azp"] != client_id:
        raise GoogleSignInError("ID token rejected (authorized party mismatch)")
    token_nonce = claims["nonce"] if isinstance(claims["nonce"], str) else ""
    if not hmac.compare_digest(token_nonce.encode(), nonce.encode()):
        raise GoogleSignInError("ID token rejected (nonce mismatch)")
    return _identity_from_claims(claims)


def _identity_from_claims(claims: dict[str, Any]) -> GoogleIdentity:
    sub, email, name = claims.get("sub"), claims.get("email"), claims.get("name")
    if not isinstance(sub, str) or not sub or len(sub) > 255:
        raise GoogleSignInError("ID token rejected (invalid subject)")
    if not isinstance(email, str) or "@" not in email or len(email) > 320:
        raise GoogleSignInError("ID token rejected (no usable email)")
    # Google has sent the flag both as a JSON boolean and as the string "true".
    verified = claims.get("email_verified")
    if verified is not True and verified != "true":  # `is`: a stray 1 must not count
        raise GoogleSignInError("Google account email is not verified")
    full_name = name.strip() if isinstance(name, str) else ""
    return GoogleIdentity(
        sub=sub,
        email=email.strip().lower(),
        email_verified=True,
        full_name=full_name or None,
    )
