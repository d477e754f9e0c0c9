"""`GET /qa/outbox?to=`: the mail a QA account received, for journeys run against a deployment.

Issue 16: QA drives the e2e journeys against staging with no database access, so
verification links and reset codes must be readable another way. In QA mode the
deployment sends mail with the file backend (`EMAIL_BACKEND=file`, one JSON file per
message under DATA_DIR/outbox) and this endpoint serves the messages to one QA address.

Guards, all of them on every request:
- QA mode off (the default, and production unless explicitly allowed): 404, as if the
  route did not exist;
- no or wrong `Authorization: Bearer <QA_TOKEN>`: 401 (compared in constant time);
- an address that is not a QA account's (`<QA_ACCOUNT_PREFIX>…@<QA_EMAIL_DOMAIN>`): 400,
  so even a leaked token never shows a real person's reset code.
"""

from __future__ import annotations

import asyncio
import hmac
import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from citypulse.settings import Settings, get_settings

MAX_MESSAGES = 50
FIELDS = ("to", "subject", "category", "text", "created_at")
NO_STORE = {"Cache-Control": "no-store"}


def is_qa_address(settings: Settings, address: str) -> bool:
    """True for the addresses QA accounts and QA sign-ups use (never a real person's)."""
    local, _, domain = address.strip().lower().partition("@")
    return (
        local.startswith(settings.qa_account_prefix.lower())
        and domain == settings.qa_email_domain.lower()
    )


def token_accepted(settings: Settings, header: str) -> bool:
    """The request carries `Bearer <QA_TOKEN>` and a token is configured at all."""
    expected = settings.qa_token or ""
    scheme, _, given = header.partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def read_messages(folder: Path, address: str, limit: int = MAX_MESSAGES) -> list[dict]:
    """Messages the file backend wrote to `address`, oldest first (the newest `limit`).

    File names start with the send time, so name order is send order.
    """
    wanted = address.strip().lower()
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a file removed or written by something else: not a message
        if str(record.get("to", "")).lower() == wanted:
            found.append({key: record.get(key) for key in FIELDS})
    return found[-limit:]


async def qa_outbox(request: Request) -> JSONResponse:
    """The captured messages to one QA address, as JSON (see the module docstring)."""
    settings = get_settings()
    if not settings.qa_mode:
        return JSONResponse({"error": "Not found"}, status_code=404)
    if not token_accepted(settings, request.headers.get("authorization", "")):
        return JSONResponse(
            {"error": "A valid QA token is required"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer", **NO_STORE},
        )
    address = request.query_params.get("to", "")
    if not is_qa_address(settings, address):
        return JSONResponse({"error": "Only the mail of QA addresses can be read"}, status_code=400)
    if settings.email_backend != "file":
        return JSONResponse(
            {"error": "QA mode captures mail only with EMAIL_BACKEND=file"}, status_code=409
        )
    folder = settings.data_dir / "outbox"
    messages = await asyncio.to_thread(read_messages, folder, address)
    return JSONResponse({"messages": messages}, headers=NO_STORE)


QA_ROUTES = [Route("/qa/outbox", qa_outbox, methods=["GET"])]
