"""`GET /exports/{export_id}/download`: the owner-only data export download (§2.4, §5.6).

Everyone but the owner gets the same 404 as for a missing, unready or expired export, so
the route never tells whether an export exists.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from citypulse.api.cookies import ACCESS_COOKIE
from citypulse.params import parse_id
from citypulse.services.accounts.data_export import data_export_file_for_download
from citypulse.services.accounts.viewer import viewer_from_access_token
from citypulse.services.errors import NotFound
from citypulse.services.unit_of_work import run_transaction

PRIVATE_HEADERS = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}


def _owned_file(
    token: str | None, export_id: int, now: datetime
) -> Callable[[Session], tuple[str, Path]]:
    def lookup(session: Session) -> tuple[str, Path]:
        viewer = viewer_from_access_token(session, token, now)
        if viewer is None:
            raise NotFound()
        path = data_export_file_for_download(
            session, user_id=viewer.user_id, export_id=export_id, now=now
        )
        return viewer.username, path

    return lookup


def _not_found() -> Response:
    return PlainTextResponse("Not found", status_code=404, headers=PRIVATE_HEADERS)


async def export_download(request: Request) -> Response:
    """Send the ZIP to its signed-in owner; 404 for everyone and everything else."""
    export_id = parse_id(request.path_params["export_id"])
    if export_id is None:  # not an id at all (e.g. beyond the column's range)
        return _not_found()
    lookup = _owned_file(request.cookies.get(ACCESS_COOKIE), export_id, datetime.now(UTC))
    try:
        username, path = await asyncio.to_thread(run_transaction, lookup)
    except NotFound:
        return _not_found()
    disposition = f'attachment; filename="citypulse-data-{username}.zip"'
    return FileResponse(
        path,
        media_type="application/zip",
        headers={**PRIVATE_HEADERS, "Content-Disposition": disposition},
    )


# A plain string parameter: `parse_id` decides what is an id (Starlette's `int` accepts
# any number of digits, which the database then refuses with an error).
EXPORT_ROUTES = [Route("/exports/{export_id}/download", export_download, methods=["GET"])]
