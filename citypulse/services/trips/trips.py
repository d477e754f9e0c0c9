"""The trip itself (PRODUCT.md §4.6.2, §4.6.3, §4.6.4, §4.6.11): create, edit, status,
cover, delete.

- Create: the creator becomes the owner (companion row owner/accepted); the stops get
  positions 1..n; the default visibility is the creator's setting; open feeds hear of it
  after the commit (`TripPublished`: their "N new posts" pill re-counts).
- Edit (owner and organizers): details and dates; visibility is the owner's only;
  switching to private is refused while other members exist and revokes the share
  link; a date change that strands activities is refused (`itinerary.reschedule`).
  Edits carry the `updated_at` the editor saw: a change made meanwhile is a Conflict.
- Status: planning → active/cancelled; active → planning/completed/cancelled;
  cancelled → planning. Completing needs end_date ≤ today, is final, adds city visits
  for the owner and accepted members and evaluates their achievements.
- Delete: the owner, after confirming; the database cascades to everything in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select, text
from sqlmodel import Session

from citypulse.media.processing import default_cover_crop, prepare_cover
from citypulse.media.storage import store_bytes
from citypulse.media.transaction_files import delete_after_commit, written_in_transaction
from citypulse.media.validation import ImageRejected, validate_image_bytes
from citypulse.models import Profile, Trip, TripCity, TripCompanion
from citypulse.models.enums import CompanionRole, CompanionStatus, TripStatus, Visibility
from citypulse.models.trips import MAX_BUDGET, MAX_TRIP_DAYS
from citypulse.realtime import publish_after_commit
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.achievements.evaluate import evaluate_users
from citypulse.services.achievements.metrics import TRIP_COMPLETED
from citypulse.services.errors import Conflict, PermissionDenied, ValidationFailed
from citypulse.services.feed.events import TripPublished
from citypulse.services.policies import require_active_actor
from citypulse.services.trips.access import (
    OWNER_ONLY,
    count_trip_change,
    require_organizer,
    require_owner,
)
from citypulse.services.trips.cities import CityStopForm, stop_rows, stops_outside
from citypulse.services.trips.events import DETAILS, ITINERARY, travellers_changed, trip_changed
from citypulse.services.trips.fields import (
    free_text,
    name_text,
    new_version,
    parse_amount,
    parse_date,
)
from citypulse.services.trips.itinerary import reschedule

DATES_PAIR = "Enter both the start and end dates, or neither"
DATES_ORDER = "End date must be on or after the start date"
DATES_SPAN = f"A trip can last at most {MAX_TRIP_DAYS} days"
BUDGET_ERROR = "Budget must be a number from 0 to 10,000,000 with at most 2 decimals"
CURRENCY_ERROR = "Currency must be a 3-letter ISO 4217 code, like USD"
VISIBILITY_ERROR = "Choose a valid visibility"
PRIVATE_WITH_MEMBERS = "Remove the other members before making this trip private"
CITIES_OUTSIDE = "Some cities' dates fall outside the new dates: change them first"
STALE = "Someone else changed this trip meanwhile. Reload to see their changes, then try again."
COMPLETE_NEEDS_DATES = "Set the trip's dates before completing it"
COMPLETE_TOO_EARLY = "A trip can be completed once its end date has come"
COVER_MISSING = "Choose an image for the cover"

TRANSITIONS: dict[str, frozenset[str]] = {
    TripStatus.planning: frozenset({TripStatus.active, TripStatus.cancelled}),
    TripStatus.active: frozenset({TripStatus.planning, TripStatus.completed, TripStatus.cancelled}),
    TripStatus.cancelled: frozenset({TripStatus.planning}),
    TripStatus.completed: frozenset(),
}
# Memberships that block switching to private (§4.6.5: a private trip has no companions).
OTHER_MEMBERS = (CompanionStatus.invited, CompanionStatus.requested, CompanionStatus.accepted)


@dataclass(frozen=True)
class TripForm:
    """The details form as sent (every value as typed; empty visibility: my default)."""

    title: str = ""
    description: str = ""
    start_date: str = ""
    end_date: str = ""
    total_budget: str = ""
    currency: str = "USD"
    visibility: str = ""
    is_collaborative: bool = False


def clean_trip_form(form: TripForm) -> dict:
    """The trip's columns from the form, or ValidationFailed with each field's error."""
    errors: dict[str, str] = {}
    values: dict = {"title": name_text("Title", form.title, 3, 200, errors, "title")}
    values["description"] = free_text("Description", form.description, 2000, errors, "description")
    start, error = parse_date(form.start_date)
    if error:
        errors["start_date"] = error
    end, error = parse_date(form.end_date)
    if error:
        errors["end_date"] = error
    if "start_date" in errors or "end_date" in errors:
        pass
    elif (start is None) != (end is None):
        errors["end_date" if start else "start_date"] = DATES_PAIR
    elif start and end and end < start:
        errors["end_date"] = DATES_ORDER
    elif start and end and (end - start).days >= MAX_TRIP_DAYS:
        errors["end_date"] = DATES_SPAN
    values["start_date"], values["end_date"] = start, end
    values["total_budget"], error = parse_amount(form.total_budget, MAX_BUDGET, BUDGET_ERROR)
    if error:
        errors["total_budget"] = error
    currency = str(form.currency or "").strip().upper() or "USD"
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        errors["currency"] = CURRENCY_ERROR
    values["currency"] = currency
    if form.visibility and form.visibility not in Visibility.__members__:
        errors["visibility"] = VISIBILITY_ERROR
    values["visibility"] = form.visibility or None
    values["is_collaborative"] = form.is_collaborative is True
    if errors:
        raise ValidationFailed(errors)
    return values


def _cover_key(data: bytes) -> str:
    """Validate, crop 3:1, re-encode without metadata and store; returns the key."""
    if not isinstance(data, bytes | bytearray) or not data:
        raise ValidationFailed({"cover": COVER_MISSING})
    try:
        validated = validate_image_bytes(bytes(data))
        return store_bytes(prepare_cover(validated, default_cover_crop(validated)))
    except ImageRejected as rejected:
        raise ValidationFailed({"cover": rejected.message}) from rejected


def _set_cover(session: Session, trip: Trip, data: bytes | None) -> None:
    """Replace the cover (None: remove it); old file deleted after commit, new on rollback."""
    key = _cover_key(data) if data is not None else None
    written_in_transaction(session, key)
    delete_after_commit(session, trip.cover_key)
    trip.cover_key = key


def trip_create(
    session: Session,
    *,
    actor: Viewer | None,
    form: TripForm,
    cities: Sequence[CityStopForm] = (),
    cover: bytes | None = None,
    now: datetime,
) -> int:
    """Create a trip owned by the actor, with its ordered cities and cover. Returns its id.

    Raises:
        PermissionDenied: signed out or not active. RateLimited: §5.2 trip changes.
        ValidationFailed: any field (cities under "cities.<i>.<field>", cover "cover").
    """
    require_active_actor(session, actor)
    count_trip_change(session, actor, now)
    values = clean_trip_form(form)
    if values["visibility"] is None:
        values["visibility"] = (
            session.execute(
                select(Profile.default_trip_visibility).where(Profile.user_id == actor.user_id)
            ).scalar()
            or Visibility.friends_only
        )
    trip = Trip(owner_id=actor.user_id, **values)
    session.add(trip)
    session.flush()
    session.add(
        TripCompanion(
            trip_id=trip.id,
            user_id=actor.user_id,
            role=CompanionRole.owner,
            status=CompanionStatus.accepted,
            responded_at=now,
        )
    )
    stop_rows(session, trip, cities, actor)
    if cover is not None:
        _set_cover(session, trip, cover)
    session.flush()
    publish_after_commit(session, TripPublished(trip.id, actor.user_id))  # feeds' pill
    travellers_changed(session, trip.id)  # its cities' "Upcoming travellers"
    return trip.id


def _check_version(trip: Trip, version: datetime | None) -> None:
    if version is not None and trip.updated_at != version:
        raise Conflict(STALE)


def _has_other_members(session: Session, trip: Trip) -> bool:
    return (
        session.execute(
            select(TripCompanion.id)
            .where(
                TripCompanion.trip_id == trip.id,
                TripCompanion.user_id != trip.owner_id,
                TripCompanion.status.in_(OTHER_MEMBERS),
            )
            .limit(1)
        ).first()
        is not None
    )


def trip_update(
    session: Session,
    *,
    actor: Viewer | None,
    trip_id: int,
    form: TripForm,
    version: datetime | None,
    now: datetime,
) -> None:
    """Edit the trip's details (owner and organizers; visibility: the owner only).

    Raises:
        NotFound: hidden trip. PermissionDenied: not an organizer, or visibility by an
        organizer. ValidationFailed: fields, stranded activities or city dates.
        Conflict: changed meanwhile, or private while other members exist.
    """
    access = require_organizer(session, actor, trip_id)
    trip = access.trip
    _check_version(trip, version)
    count_trip_change(session, actor, now)
    values = clean_trip_form(form)
    visibility = values.pop("visibility") or trip.visibility
    if visibility != trip.visibility:
        if not access.is_owner:
            raise PermissionDenied(OWNER_ONLY)
        if visibility == Visibility.private:
            if _has_other_members(session, trip):
                raise Conflict(PRIVATE_WITH_MEMBERS)
            trip.share_token_hash = None  # §4.6.10: switching to private revokes the link
        trip.visibility = visibility
    start, end = values["start_date"], values["end_date"]
    if (start, end) != (trip.start_date, trip.end_date) and stops_outside(
        session, trip.id, start, end
    ):
        raise ValidationFailed({"start_date": CITIES_OUTSIDE})
    moved = reschedule(session, trip, start, end)
    for name, value in values.items():
        setattr(trip, name, value)
    new_version(trip)
    session.add(trip)
    session.flush()
    trip_changed(session, trip.id, *((DETAILS, ITINERARY) if moved else (DETAILS,)))


def _add_city_visits(session: Session, trip: Trip, member_ids: list[int]) -> None:
    month = trip.end_date.strftime("%Y-%m") if trip.end_date else None
    session.execute(
        text(
            "INSERT INTO city_visits (user_id, city_id, visit_month, source) "
            "SELECT m.user_id, tc.city_id, :month, 'trip' "
            "FROM unnest(CAST(:members AS integer[])) AS m(user_id) "
            "CROSS JOIN trip_cities tc WHERE tc.trip_id = :trip_id "
            "ON CONFLICT (user_id, city_id) DO NOTHING"
        ),
        {"month": month, "members": member_ids, "trip_id": trip.id},
    )


def trip_set_status(
    session: Session, *, actor: Viewer | None, trip_id: int, status: str, now: datetime
) -> str:
    """Move the trip to `status` (owner and organizers). Returns the new status.

    Raises:
        NotFound, PermissionDenied; Conflict: a transition §4.6.3 does not allow, or
        completing before the end date.
    """
    access = require_organizer(session, actor, trip_id)
    trip = access.trip
    allowed = TRANSITIONS.get(trip.status, frozenset())
    if status not in allowed:
        current = TripStatus(trip.status).value
        raise Conflict(f"A {current} trip cannot become {status or 'that'}")
    count_trip_change(session, actor, now)
    if status == TripStatus.completed:
        if trip.end_date is None:
            raise Conflict(COMPLETE_NEEDS_DATES)
        if trip.end_date > now.date():
            raise Conflict(COMPLETE_TOO_EARLY)
    trip.status = status
    new_version(trip)
    session.add(trip)
    session.flush()
    if status == TripStatus.completed:
        members = list(
            session.execute(
                select(TripCompanion.user_id).where(
                    TripCompanion.trip_id == trip.id,
                    TripCompanion.status == CompanionStatus.accepted,
                )
            ).scalars()
        )
        _add_city_visits(session, trip, members)
        evaluate_users(session, affected={uid: TRIP_COMPLETED for uid in members}, now=now)
    trip_changed(session, trip.id, DETAILS)
    return status


def trip_cover_set(
    session: Session, *, actor: Viewer | None, trip_id: int, data: bytes | None, now: datetime
) -> str | None:
    """Replace (bytes) or remove (None) the cover (owner and organizers). Returns the key.

    Blocking (Pillow): run in a worker thread. Raises NotFound, PermissionDenied,
    ValidationFailed ("cover": not an allowed image).
    """
    access = require_organizer(session, actor, trip_id)
    trip_id = access.trip.id
    count_trip_change(session, actor, now)
    _set_cover(session, access.trip, data)
    new_version(access.trip)
    session.add(access.trip)
    session.flush()
    trip_changed(session, trip_id, DETAILS)
    return access.trip.cover_key


def trip_delete(session: Session, *, actor: Viewer | None, trip_id: int, now: datetime) -> None:
    """Delete the trip and everything in it (the owner, also of a removed trip).

    Raises:
        NotFound: hidden trip. PermissionDenied: not the owner.
    """
    access = require_owner(session, actor, trip_id, allow_removed=True)
    trip_id = access.trip.id
    count_trip_change(session, actor, now)
    delete_after_commit(session, access.trip.cover_key)
    cities = session.execute(select(TripCity.city_id).where(TripCity.trip_id == trip_id))
    left = cities.scalars().all()  # read before the cascade deletes the stops
    session.expunge(access.trip)
    session.execute(delete(Trip).where(Trip.id == trip_id))
    trip_changed(session, trip_id, DETAILS, left_cities=left)


def completed_on(trip: Trip, today: date) -> bool:
    """Whether the trip may be completed today (the page offers Complete only then)."""
    return trip.end_date is not None and trip.end_date <= today
