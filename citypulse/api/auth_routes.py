"""`/auth/...` routes: the only places that set or clear the session cookies (§5.3).

Sign-in is a real form POST, so the password never passes through page state; the
outcome is a redirect (to `next`, or back to /login with a one-minute flash message
that the login page reads server-side).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from citypulse.api import cookies
from citypulse.auth.client_info import client_ip
from citypulse.auth.oauth_state import safe_next_path
from citypulse.auth.sessions import (
    SessionInvalid,
    SessionJustRotated,
    revoke_family,
    revoke_user_sessions,
    session_rotate,
    session_start,
)
from citypulse.auth.tokens import InvalidToken, read_access_token
from citypulse.models.enums import RevokeReason
from citypulse.params import parse_text
from citypulse.realtime import SessionsRevoked, publish_after_commit
from citypulse.services import rate_limits
from citypulse.services.accounts.login import LoginOutcome, LoginRefused, account_login
from citypulse.services.errors import RateLimited, ServiceError
from citypulse.services.feed.ahead import rank_if_none_stored
from citypulse.services.unit_of_work import run_transaction

logger = logging.getLogger(__name__)
MAX_FORM_FIELD = 1024


def request_ip(request: Request) -> str | None:
    """The client address of an HTTP request."""
    return client_ip(request.client.host if request.client else None, request.headers)


def redirect(path: str) -> RedirectResponse:
    """A 303 so the browser follows with GET after a POST."""
    response = RedirectResponse(path, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    return response


def login_redirect(next_path: str | None = None) -> RedirectResponse:
    """Back to /login, keeping a safe `next`."""
    query = f"?{urlencode({'next': next_path})}" if next_path and next_path != "/dashboard" else ""
    return redirect(f"/login{query}")


def signed_in_response(
    outcome: LoginOutcome, remember_me: bool, request: Request, next_path: str
) -> RedirectResponse:
    """Open the session (its own transaction) and land on `next`."""
    now = datetime.now(UTC)
    issued = run_transaction(
        lambda db: session_start(
            db,
            user_id=outcome.user_id,
            remember_me=remember_me,
            user_agent=request.headers.get("user-agent"),
            ip=request_ip(request),
            now=now,
        )
    )
    response = redirect("/settings" if outcome.restricted else next_path)
    cookies.set_session_cookies(response, issued)
    if outcome.reactivated:
        cookies.set_flash(response, notice="Welcome back — your account has been reactivated")
    return response


async def login(request: Request) -> Response:
    """POST /auth/login: email + password (+ remember_me, next)."""
    form = await request.form()
    next_path = safe_next_path(str(form.get("next", ""))[:MAX_FORM_FIELD])
    # An address with a NUL cannot be anyone's: it is refused like an unknown one.
    email = parse_text(str(form.get("email", ""))[:MAX_FORM_FIELD], max_length=MAX_FORM_FIELD)
    email = email or ""
    if not cookies.same_origin(request):
        return Response("Cross-site sign-in refused", status_code=403)
    password = str(form.get("password", ""))[:MAX_FORM_FIELD]
    remember_me = form.get("remember_me") in ("on", "true", "1")
    now = datetime.now(UTC)

    def attempt(db) -> LoginOutcome:
        return account_login(db, email=email, password=password, ip=request_ip(request), now=now)

    try:
        outcome = await asyncio.to_thread(run_transaction, attempt, commit_on=(LoginRefused,))
    except ServiceError as error:
        # Failures still count: the counters commit in their own transaction.
        response = login_redirect(next_path)
        reason = getattr(error, "reason", "limited" if isinstance(error, RateLimited) else "")
        cookies.set_flash(response, error=error.message, reason=reason, email=email)
        return response
    return await asyncio.to_thread(signed_in_response, outcome, remember_me, request, next_path)


def _end_current_session(request: Request, reason: RevokeReason, everywhere: bool) -> None:
    token = request.cookies.get(cookies.ACCESS_COOKIE)
    if not token:
        return
    try:
        claims = read_access_token(token, allow_expired=True)
    except InvalidToken:
        return
    now = datetime.now(UTC)

    def end(db) -> None:
        if everywhere:
            revoke_user_sessions(db, claims.user_id, reason, now)
        else:
            revoke_family(db, claims.family_id, reason, now)
            publish_after_commit(db, SessionsRevoked(claims.user_id))

    run_transaction(end)


async def logout(request: Request) -> Response:
    """POST /auth/logout (or /auth/logout-all): revoke and clear the cookies."""
    if not cookies.same_origin(request):
        return Response("Cross-site sign-out refused", status_code=403)
    everywhere = request.url.path.endswith("-all")
    reason = RevokeReason.logout_all if everywhere else RevokeReason.logout
    await asyncio.to_thread(_end_current_session, request, reason, everywhere)
    response = redirect("/login")
    cookies.clear_session_cookies(response)
    return response


async def refresh(request: Request) -> Response:
    """POST /auth/refresh: rotate the refresh token (called by open pages every 10 min)."""
    if not cookies.same_origin(request):
        return Response(status_code=403)
    token = request.cookies.get(cookies.REFRESH_COOKIE)
    if not token:
        return Response(status_code=204)
    now = datetime.now(UTC)

    def rotate(db):
        rate_limits.hit(db, rate_limits.REFRESH_PER_SESSION, token[:16], now)
        issued = session_rotate(db, refresh_token=token, now=now)
        rank_if_none_stored(db, issued.user_id)  # a remembered visitor back after long
        return issued

    try:
        issued = await asyncio.to_thread(run_transaction, rotate)
    except SessionJustRotated:
        return Response(status_code=204)  # a sibling tab's refresh already renewed them
    except (SessionInvalid, RateLimited) as error:
        status = 429 if isinstance(error, RateLimited) else 401
        response = Response(status_code=status)
        if status == 401:
            cookies.clear_session_cookies(response)
        return response
    response = Response(status_code=204)
    cookies.set_session_cookies(response, issued)
    return response


AUTH_ROUTES = [
    Route("/auth/login", login, methods=["POST"]),
    Route("/auth/logout", logout, methods=["POST"]),
    Route("/auth/logout-all", logout, methods=["POST"]),
    Route("/auth/refresh", refresh, methods=["POST"]),
]
