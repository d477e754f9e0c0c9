"""The credential cookies: HttpOnly, SameSite=Lax, Secure outside local http (§5.3).

`cp_access` (path /) is what page events and routes authenticate with; `cp_refresh`
(path /auth) only ever reaches the /auth routes, never the live connection.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response

from citypulse.auth.sessions import IssuedSession
from citypulse.auth.tokens import ACCESS_TOKEN_LIFETIME, InvalidToken, sign, verify
from citypulse.settings import get_settings

ACCESS_COOKIE = "cp_access"
REFRESH_COOKIE = "cp_refresh"
FLASH_COOKIE = "cp_flash"
# Not a credential: only when the access token expires, so page scripts know when to
# call /auth/refresh (they cannot read the HttpOnly cookies themselves).
EXPIRY_HINT_COOKIE = "cp_access_expires"
OAUTH_STATE_COOKIE = "cp_oauth_state"
REFRESH_PATH = "/auth"
OAUTH_PATH = "/auth/google"
FLASH_LIFETIME = timedelta(seconds=15)  # read by the page the redirect lands on


def _secure() -> bool:
    return get_settings().public_url.startswith("https://")


def _set(response: Response, name: str, value: str, max_age: int, path: str = "/") -> None:
    response.set_cookie(
        name, value, max_age=max_age, path=path, httponly=True, secure=_secure(), samesite="lax"
    )


def set_session_cookies(response: Response, issued: IssuedSession) -> None:
    """Store a new or rotated session in the browser."""
    _set(response, ACCESS_COOKIE, issued.access_token, issued.max_age_seconds)
    _set(response, REFRESH_COOKIE, issued.refresh_token, issued.max_age_seconds, REFRESH_PATH)
    expires = int((datetime.now(UTC) + ACCESS_TOKEN_LIFETIME).timestamp())
    response.set_cookie(
        EXPIRY_HINT_COOKIE,
        str(expires),
        max_age=issued.max_age_seconds,
        path="/",
        httponly=False,
        secure=_secure(),
        samesite="lax",
    )


def clear_session_cookies(response: Response) -> None:
    """Remove the session from the browser."""
    for name, path in ((ACCESS_COOKIE, "/"), (REFRESH_COOKIE, REFRESH_PATH)):
        response.delete_cookie(name, path=path, httponly=True, secure=_secure(), samesite="lax")
    response.delete_cookie(EXPIRY_HINT_COOKIE, path="/", secure=_secure(), samesite="lax")


def set_oauth_state_cookie(response: Response, value: str, max_age: int) -> None:
    """Keep the signed OAuth state for the callback of this browser only."""
    _set(response, OAUTH_STATE_COOKIE, value, max_age, OAUTH_PATH)


def clear_oauth_state_cookie(response: Response) -> None:
    """The state is single use: drop it on every callback."""
    response.delete_cookie(
        OAUTH_STATE_COOKIE, path=OAUTH_PATH, httponly=True, secure=_secure(), samesite="lax"
    )


def set_flash(response: Response, **message: str) -> None:
    """A short-lived message for the next page (read server-side by the page's state)."""
    token = sign("flash", message, FLASH_LIFETIME, datetime.now(UTC))
    _set(response, FLASH_COOKIE, token, int(FLASH_LIFETIME.total_seconds()))


def read_flash(cookies: dict[str, str]) -> dict[str, str]:
    """The flash message carried by the cookies, or an empty dict."""
    token = cookies.get(FLASH_COOKIE)
    if not token:
        return {}
    try:
        claims = verify("flash", token, datetime.now(UTC))
    except InvalidToken:
        return {}
    return {
        k: v
        for k, v in claims.items()
        if isinstance(v, str) and k not in ("typ", "iss", "aud", "jti")
    }


def same_origin(request: Request) -> bool:
    """True when a state-changing request comes from the site itself (§5.5 Origin)."""
    origin = request.headers.get("origin")
    if origin is None:  # same-origin form posts from some browsers omit it; Lax covers them
        return request.headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")
    return origin.rstrip("/") == get_settings().public_url.rstrip("/")


def parse_cookie_header(header: str) -> dict[str, str]:
    """Cookies from a raw `Cookie:` header (the live connection's handshake)."""
    from http.cookies import SimpleCookie

    jar = SimpleCookie()
    try:
        jar.load(header or "")
    except Exception:  # a malformed header means no usable cookies
        return {}
    return {key: morsel.value for key, morsel in jar.items()}
