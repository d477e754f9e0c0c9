"""A trip's Places (PRODUCT.md §4.6.8): recommendations on the wishlist, confirmed or
visited, optionally tied to an itinerary item.

- The adder must be able to see the recommendation (`recommendation_visible`); every
  accepted member adds to the wishlist, editors may add with any status.
- Status moves freely among wishlist, confirmed and visited (editors), and a Place
  may link to one of the trip's itinerary items.
- The owner, an organizer or the adder removes it.
- Readers who cannot see a Place's recommendation get "Unavailable place" (pages.py).

Every change publishes `TripChanged(places)` after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, select
from sqlmodel import Session

from citypulse.models import ItineraryItem, Trip, TripCompanion, TripRecommendation
from citypulse.models.enums import (
    CompanionStatus,
    ModerationStatus,
    PlaceStatus,
    TripStatus,
)
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.recommendations.queries import NOT_FOUND_MESSAGE
from citypulse.services.recommendations.visibility import recommendation_visible
from citypulse.services.trips.access import (
    NOT_ALLOWED,
    count_trip_change,
    require_editor,
    require_member,
)
from citypulse.services.trips.events import PLACES, trip_changed
from citypulse.services.trips.fields import as_id, free_text, new_version

PLACE_NOT_FOUND = "Place not found on this trip"
ALREADY_ADDED = "This place is already on the trip"
STATUS_ERROR = "Choose wishlist, confirmed or visited"
ITEM_ERROR = "Choose one of this trip's activities"
STALE = "Someone else changed this place meanwhile. Reload to see their change, then try again."
OPEN_STATUSES = (TripStatus.planning, TripStatus.active)


def _status(raw: object) -> str:
    if raw not in PlaceStatus.__members__:
        raise ValidationFailed({"status": STATUS_ERROR})
    return str(raw)


def _item_id(session: Session, trip_id: int, raw: object) -> int | None:
    if raw in (None, "", 0, "0"):
        return None
    item_id = as_id(raw)
    item = session.get(ItineraryItem, item_id) if item_id else None
    if item is None or item.trip_id != trip_id:
        raise ValidationFailed({"itinerary_item_id": ITEM_ERROR})
    return item.id


def place_add(
    session: Session,
    *,
    actor: Viewer | None,
    trip_id: int,
    recommendation_id: int,
    status: str = PlaceStatus.wishlist,
    notes: str = "",
    now: datetime,
) -> int:
    """Add a recommendation the actor can see to the trip's Places. Returns its id.

    Raises:
        NotFound: hidden trip, or a recommendation the actor cannot see.
        PermissionDenied: not a member (any status but wishlist: not an editor).
        Conflict: already on the trip. ValidationFailed: status or notes.
    """
    access = require_member(session, actor, trip_id)
    trip_id = access.trip.id
    status = _status(status)
    if status != PlaceStatus.wishlist and not access.can_edit_plan:
        raise PermissionDenied(NOT_ALLOWED)
    rec = recommendation_visible(session, actor.user_id, as_id(recommendation_id) or 0)
    if rec is None or not rec.is_active:
        raise NotFound(NOT_FOUND_MESSAGE)
    errors: dict[str, str] = {}
    notes_text = free_text("Notes", notes, 500, errors, "notes")
    if errors:
        raise ValidationFailed(errors)
    exists = session.execute(
        select(TripRecommendation.id).where(
            TripRecommendation.trip_id == trip_id, TripRecommendation.recommendation_id == rec.id
        )
    ).first()
    if exists is not None:
        raise Conflict(ALREADY_ADDED)
    count_trip_change(session, actor, now)
    place = TripRecommendation(
        trip_id=trip_id,
        recommendation_id=rec.id,
        status=status,
        notes=notes_text,
        added_by_id=actor.user_id,
    )
    session.add(place)
    session.flush()
    trip_changed(session, trip_id, PLACES)
    return place.id


def _place(session: Session, place_id: object) -> TripRecommendation:
    parsed = as_id(place_id)
    place = session.get(TripRecommendation, parsed) if parsed else None
    if place is None:
        raise NotFound(PLACE_NOT_FOUND)
    return place


def place_update(
    session: Session,
    *,
    actor: Viewer | None,
    place_id: int,
    status: str,
    notes: str = "",
    itinerary_item_id: int | str | None = None,
    version: datetime | None = None,
    now: datetime,
) -> None:
    """Change a Place's status, notes and itinerary link (editors).

    Raises:
        NotFound, PermissionDenied, ValidationFailed; Conflict: changed meanwhile.
    """
    place = _place(session, place_id)
    require_editor(session, actor, place.trip_id)
    session.refresh(place)
    if version is not None and place.updated_at != version:
        raise Conflict(STALE)
    errors: dict[str, str] = {}
    notes_text = free_text("Notes", notes, 500, errors, "notes")
    if errors:
        raise ValidationFailed(errors)
    place.status = _status(status)
    place.itinerary_item_id = _item_id(session, place.trip_id, itinerary_item_id)
    place.notes = notes_text
    new_version(place)
    count_trip_change(session, actor, now)
    session.add(place)
    session.flush()
    trip_changed(session, place.trip_id, PLACES)


def place_remove(session: Session, *, actor: Viewer | None, place_id: int, now: datetime) -> None:
    """Remove a Place (the owner, an organizer or its adder).

    Raises:
        NotFound: hidden trip or no such Place. PermissionDenied: anyone else.
    """
    place = _place(session, place_id)
    access = require_member(session, actor, place.trip_id)
    if not access.can_remove_added(place.added_by_id):
        raise PermissionDenied(NOT_ALLOWED)
    count_trip_change(session, actor, now)
    trip_id = place.trip_id
    session.execute(delete(TripRecommendation).where(TripRecommendation.id == place.id))
    session.expunge(place)
    trip_changed(session, trip_id, PLACES)


@dataclass(frozen=True)
class TripChoice:
    """A trip of the viewer's that "Add to trip" offers; `added` when already there."""

    id: int
    title: str
    added: bool


def trips_to_add_to(
    session: Session, *, viewer: Viewer | None, recommendation_id: int
) -> tuple[TripChoice, ...]:
    """The viewer's planning/active trips (accepted member) for "Add to trip", newest first.

    Empty for visitors and for a recommendation the viewer cannot see.
    """
    if viewer is None or recommendation_visible(session, viewer.user_id, recommendation_id) is None:
        return ()
    added = select(TripRecommendation.id).where(
        TripRecommendation.trip_id == Trip.id,
        TripRecommendation.recommendation_id == recommendation_id,
    )
    rows = session.execute(
        select(Trip.id, Trip.title, added.exists())
        .join(
            TripCompanion,
            and_(TripCompanion.trip_id == Trip.id, TripCompanion.user_id == viewer.user_id),
        )
        .where(
            TripCompanion.status == CompanionStatus.accepted,
            Trip.status.in_(OPEN_STATUSES),
            Trip.moderation_status == ModerationStatus.active,
        )
        .order_by(Trip.created_at.desc(), Trip.id.desc())
        .limit(50)
    ).all()
    return tuple(TripChoice(row[0], row[1], bool(row[2])) for row in rows)
