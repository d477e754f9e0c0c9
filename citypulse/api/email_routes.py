"""`GET /email/unsubscribe?token=`: one-click unsubscribe without signing in (§2.4)."""

from __future__ import annotations

import asyncio
import html

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from citypulse.services.accounts.email_preferences import email_unsubscribe
from citypulse.services.errors import ServiceError
from citypulse.services.unit_of_work import run_transaction

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · CityPulse</title></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem">
<h1>{title}</h1><p>{message}</p>
<p><a href="/settings">Email settings</a> · <a href="/">CityPulse</a></p>
</body></html>"""


async def unsubscribe(request: Request) -> HTMLResponse:
    """Switch off one email category for the signed token's owner."""
    token = request.query_params.get("token", "")
    try:
        label = await asyncio.to_thread(
            run_transaction, lambda db: email_unsubscribe(db, token=token)
        )
    except ServiceError as error:
        body = PAGE.format(title="Unsubscribe failed", message=html.escape(error.message))
        return HTMLResponse(body, status_code=400)
    message = f"You will no longer receive {html.escape(label)} emails."
    return HTMLResponse(PAGE.format(title="You're unsubscribed", message=message))


EMAIL_ROUTES = [Route("/email/unsubscribe", unsubscribe, methods=["GET"])]
