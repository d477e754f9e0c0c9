"""A trip's share link (PRODUCT.md §4.6.10): `/trips/<id>?share=<token>`.

Owner only, public or friends_only trips only. The token carries 256 random bits and
only its SHA-256 is stored (`trips.share_token_hash`), so the link is shown once, when
created; regenerating voids the old link, revoking removes it, and switching the trip
to private revokes it (trips.trip_update). `access.trip_for_viewer(share_token=...)`
turns a valid token into a read-only view: overview, cities, itinerary and public
Places, no comments and no member names (pages.trip_page).
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlmodel import Session

from citypulse.models.enums import Visibility
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import Conflict
from citypulse.services.trips.access import count_trip_change, require_owner, share_token_hash
from citypulse.services.trips.events import DETAILS, trip_changed

PRIVATE_NOT_SHARED = "Private trips cannot be shared: make it public or Buddies only first"
TOKEN_BYTES = 32  # 256 bits (§4.6.10 asks for at least 128)


def share_path(trip_id: int, token: str) -> str:
    """The relative link a share token opens."""
    return f"/trips/{trip_id}?share={token}"


def share_link_create(
    session: Session, *, actor: Viewer | None, trip_id: int, now: datetime
) -> str:
    """Create the trip's share link, voiding any earlier one. Returns the relative path
    (the only time the token is seen).

    Raises:
        NotFound: hidden trip. PermissionDenied: not the owner.
        Conflict: the trip is private.
    """
    access = require_owner(session, actor, trip_id)
    trip_id = access.trip.id
    if access.trip.visibility == Visibility.private:
        raise Conflict(PRIVATE_NOT_SHARED)
    count_trip_change(session, actor, now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    access.trip.share_token_hash = share_token_hash(token)
    session.add(access.trip)
    session.flush()
    trip_changed(session, trip_id, DETAILS)
    return share_path(trip_id, token)


def share_link_revoke(
    session: Session, *, actor: Viewer | None, trip_id: int, now: datetime
) -> bool:
    """Revoke the trip's share link; False when there was none.

    Raises:
        NotFound: hidden trip. PermissionDenied: not the owner.
    """
    access = require_owner(session, actor, trip_id)
    trip_id = access.trip.id
    if access.trip.share_token_hash is None:
        return False
    count_trip_change(session, actor, now)
    access.trip.share_token_hash = None
    session.add(access.trip)
    session.flush()
    trip_changed(session, trip_id, DETAILS)
    return True
