"""Trip calendar downloads (issue 12 item 9), under /api/ (nginx proxies it).

- `GET /api/trips/{trip_id}/calendar.ics[?share=<token>]`: "Add to calendar" for anyone
  who may see the trip (session cookie, or the share link's token);
- `GET /api/calendar/{token}.ics`: a member's private feed (the token is the secret).

Everything a viewer may not see is the same 404 as a missing trip.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from citypulse.api.cookies import ACCESS_COOKIE
from citypulse.params import parse_id
from citypulse.services.accounts.viewer import viewer_from_access_token
from citypulse.services.errors import NotFound
from citypulse.services.trips.calendar import CalendarFile, calendar_feed, trip_calendar
from citypulse.services.unit_of_work import run_transaction

HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
ICS = "text/calendar; charset=utf-8"


def _not_found() -> Response:
    return PlainTextResponse("Not found", status_code=404, headers=HEADERS)


def _ics(file: CalendarFile, *, download: bool) -> Response:
    disposition = "attachment" if download else "inline"
    headers = {**HEADERS, "Content-Disposition": f'{disposition}; filename="{file.filename}"'}
    return Response(file.data, media_type=ICS, headers=headers)


async def trip_calendar_download(request: Request) -> Response:
    """The trip's .ics for this viewer (cookie) or share link; 404 otherwise."""
    trip_id = parse_id(request.path_params["trip_id"])
    if trip_id is None:
        return _not_found()
    token, now = request.cookies.get(ACCESS_COOKIE), datetime.now(UTC)
    share = request.query_params.get("share") or None

    def build(session: Session) -> CalendarFile:
        viewer = viewer_from_access_token(session, token, now)
        return trip_calendar(session, viewer=viewer, trip_id=trip_id, share_token=share, now=now)

    try:
        return _ics(await asyncio.to_thread(run_transaction, build), download=True)
    except NotFound:
        return _not_found()


async def trip_calendar_feed(request: Request) -> Response:
    """A member's private feed; 404 for an unknown or revoked token."""
    secret, now = request.path_params["token"], datetime.now(UTC)
    try:
        file = await asyncio.to_thread(
            run_transaction, lambda session: calendar_feed(session, token=secret, now=now)
        )
    except NotFound:
        return _not_found()
    return _ics(file, download=False)


CALENDAR_ROUTES = [
    Route("/api/trips/{trip_id}/calendar.ics", trip_calendar_download, methods=["GET"]),
    Route("/api/calendar/{token}.ics", trip_calendar_feed, methods=["GET"]),
]
