"""`/auth/google/start` and `/auth/google/callback` (PRODUCT.md §2.1, §4.1 item 5)."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from citypulse.api import cookies
from citypulse.api.auth_routes import login_redirect, redirect, request_ip, signed_in_response
from citypulse.auth.google import GoogleSignInError, begin_sign_in, complete_sign_in
from citypulse.auth.oauth_state import STATE_TTL, safe_next_path
from citypulse.auth.tokens import token_hash
from citypulse.services import rate_limits
from citypulse.services.accounts.google import google_sign_in
from citypulse.services.accounts.login import LoginRefused
from citypulse.services.errors import RateLimited, ServiceError
from citypulse.services.unit_of_work import run_transaction

logger = logging.getLogger(__name__)
GOOGLE_FAILED = "Google sign-in failed. Please try again."
# A state value is accepted once, server-side, on top of the cookie being cleared.
STATE_USES = rate_limits.Limit("oauth-state", 1, timedelta(minutes=10))


def _failed(message: str = GOOGLE_FAILED) -> Response:
    response = login_redirect()
    cookies.clear_oauth_state_cookie(response)
    cookies.set_flash(response, error=message, reason="google")
    return response


async def google_start(request: Request) -> Response:
    """Redirect to the provider with state, nonce and PKCE; remember them in a cookie."""
    now = datetime.now(UTC)
    subject = rate_limits.ip_subject(request_ip(request))

    def count(db) -> None:
        rate_limits.hit(db, rate_limits.GOOGLE_SIGN_IN_PER_IP, subject, now)

    try:
        await asyncio.to_thread(run_transaction, count)
        url, state_cookie = await asyncio.to_thread(
            begin_sign_in, safe_next_path(request.query_params.get("next"))
        )
    except RateLimited as error:
        return _failed(error.message)
    except GoogleSignInError as error:
        logger.warning("Google sign-in could not start: %s", error)
        return _failed()
    response = redirect(url)
    cookies.set_oauth_state_cookie(response, state_cookie, int(STATE_TTL.total_seconds()))
    return response


async def google_callback(request: Request) -> Response:
    """Verify the provider's answer, apply the account rules and open a session."""
    query = dict(request.query_params)
    state_cookie = request.cookies.get(cookies.OAUTH_STATE_COOKIE)
    now = datetime.now(UTC)
    try:
        identity, next_path = await asyncio.to_thread(complete_sign_in, query, state_cookie)
    except GoogleSignInError as error:
        logger.warning("Google sign-in refused: %s", error)
        return _failed()

    def admit(db):
        rate_limits.hit(db, STATE_USES, token_hash(query.get("state", "")), now)
        return google_sign_in(db, identity=identity, now=now)

    try:
        outcome = await asyncio.to_thread(run_transaction, admit, commit_on=(LoginRefused,))
    except RateLimited:
        logger.warning("Google sign-in refused: state replayed")
        return _failed()
    except ServiceError as error:
        return _failed(error.message)
    response = await asyncio.to_thread(signed_in_response, outcome, False, request, next_path)
    cookies.clear_oauth_state_cookie(response)
    return response


GOOGLE_ROUTES = [
    Route("/auth/google/start", google_start, methods=["GET"]),
    Route("/auth/google/callback", google_callback, methods=["GET"]),
]
