"""A trip's itinerary by day (PRODUCT.md §4.6.7).

- A trip with dates: an activity needs a date within the trip's dates (and within its
  city's dates when linked to a city), else "Activity date must be within the trip
  dates (<start> – <end>)"; its day_number is date − start + 1.
- A trip without dates: a day number 1–365 and no date.
- Order within the trip: day, start time (none last), position (order of adding).
- A change of the trip's dates that would leave activities outside them is refused
  with "N activities fall outside the new dates" (`reschedule`).

Editors add and edit; organizers and the adder delete. Every change publishes
`TripChanged(itinerary)` after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import delete, func, or_, select, update
from sqlmodel import Session

from citypulse.models import City, ItineraryItem, Trip, TripCity
from citypulse.models.enums import ActivityType, ItineraryStatus
from citypulse.models.trips import MAX_TRIP_DAYS
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from citypulse.services.trips.access import NOT_ALLOWED, count_trip_change, require_editor
from citypulse.services.trips.events import ITINERARY, PLACES, trip_changed
from citypulse.services.trips.fields import (
    as_id,
    free_text,
    name_text,
    new_version,
    parse_amount,
    parse_coordinates,
    parse_date,
    parse_time,
    parse_whole,
    range_label,
)

MAX_ITEMS = 500
ITEM_NOT_FOUND = "Activity not found"
TOO_MANY = "A trip can have at most 500 activities"
DATE_REQUIRED = "Choose the activity's date"
NO_DATES = "This trip has no dates: choose a day number instead"
DAY_ERROR = f"Day must be a whole number from 1 to {MAX_TRIP_DAYS}"
DURATION_ERROR = "Duration must be 1–1440 minutes"
COST_ERROR = "Estimated cost must be a number from 0 with at most 2 decimals"
TYPE_ERROR = "Choose a valid activity type"
STATUS_ERROR = "Choose a valid status"
CITY_ERROR = "Choose one of this trip's cities"
STALE = "Someone else changed this activity meanwhile. Reload to see their change, then try again."


def outside_message(start: date, end: date) -> str:
    """§4.6.7's refusal for a date outside the trip."""
    return f"Activity date must be within the trip dates ({range_label(start, end)})"


def stranded_message(count: int) -> str:
    """§4.6.7's refusal of a date change ("N activities fall outside the new dates")."""
    if count == 1:
        return "1 activity falls outside the new dates"
    return f"{count} activities fall outside the new dates"


@dataclass(frozen=True)
class ItemForm:
    """An activity as the form sends it (every value as typed)."""

    title: str = ""
    activity_date: str = ""
    day_number: str = ""
    start_time: str = ""
    duration_minutes: str = ""
    activity_type: str = ActivityType.other
    trip_city_id: str = ""
    location_name: str = ""
    latitude: str = ""
    longitude: str = ""
    estimated_cost: str = ""
    status: str = ItineraryStatus.planned
    description: str = ""
    notes: str = ""


def _city(session: Session, trip: Trip, raw: object, errors: dict) -> TripCity | None:
    if raw in (None, "", 0, "0"):
        return None
    stop_id = as_id(raw)
    stop = session.get(TripCity, stop_id) if stop_id else None
    if stop is None or stop.trip_id != trip.id:
        errors["trip_city_id"] = CITY_ERROR
        return None
    return stop


def _day(session: Session, trip: Trip, form: ItemForm, stop: TripCity | None, errors: dict):
    """(day_number, activity_date) by the trip's dates (§4.6.7)."""
    if trip.start_date is None or trip.end_date is None:
        if form.activity_date:
            errors["activity_date"] = NO_DATES
        day = parse_whole(form.day_number, 1, MAX_TRIP_DAYS)
        if day is None:
            errors["day_number"] = DAY_ERROR
        return day, None
    when, error = parse_date(form.activity_date)
    if error or when is None:
        errors["activity_date"] = error or DATE_REQUIRED
        return None, None
    if not trip.start_date <= when <= trip.end_date:
        errors["activity_date"] = outside_message(trip.start_date, trip.end_date)
        return None, None
    if stop is not None and (stop.arrival_date or stop.departure_date):
        low, high = stop.arrival_date or trip.start_date, stop.departure_date or trip.end_date
        if not low <= when <= high:
            name = session.get(City, stop.city_id).name
            errors["activity_date"] = f"Activity date must be within {name}'s dates "
            errors["activity_date"] += f"({range_label(low, high)})"
            return None, None
    return (when - trip.start_date).days + 1, when


def clean_item(session: Session, trip: Trip, form: ItemForm) -> dict:
    """The columns of an activity, or ValidationFailed with every field's error."""
    errors: dict[str, str] = {}
    values: dict = {"title": name_text("Title", form.title, 1, 200, errors, "title")}
    values["trip_city_id"] = (stop := _city(session, trip, form.trip_city_id, errors)) and stop.id
    values["day_number"], values["activity_date"] = _day(session, trip, form, stop, errors)
    values["start_time"], error = parse_time(form.start_time)
    if error:
        errors["start_time"] = error
    values["duration_minutes"] = None
    if str(form.duration_minutes or "").strip():
        values["duration_minutes"] = parse_whole(form.duration_minutes, 1, 1440)
        if values["duration_minutes"] is None:
            errors["duration_minutes"] = DURATION_ERROR
    values["estimated_cost"], error = parse_amount(form.estimated_cost, 10_000_000, COST_ERROR)
    if error:
        errors["estimated_cost"] = error
    if form.activity_type not in ActivityType.__members__:
        errors["activity_type"] = TYPE_ERROR
    if form.status not in ItineraryStatus.__members__:
        errors["status"] = STATUS_ERROR
    values["activity_type"], values["status"] = form.activity_type, form.status
    values["location_name"] = free_text(
        "Location", form.location_name, 255, errors, "location_name"
    )
    values["latitude"], values["longitude"] = parse_coordinates(
        form.latitude, form.longitude, errors
    )
    values["description"] = free_text("Description", form.description, 2000, errors, "description")
    values["notes"] = free_text("Notes", form.notes, 1000, errors, "notes")
    if errors:
        raise ValidationFailed(errors)
    return values


def _next_position(session: Session, trip_id: int, day: int) -> int:
    return session.execute(
        select(func.coalesce(func.max(ItineraryItem.position) + 1, 0)).where(
            ItineraryItem.trip_id == trip_id, ItineraryItem.day_number == day
        )
    ).scalar_one()


def item_add(
    session: Session, *, actor: Viewer | None, trip_id: int, form: ItemForm, now: datetime
) -> int:
    """Add an activity (editors). Returns its id.

    Raises:
        NotFound: the trip is hidden. PermissionDenied: not an editor.
        ValidationFailed: bad fields, a date outside the trip, 500 activities already.
    """
    access = require_editor(session, actor, trip_id)
    count_trip_change(session, actor, now)
    trip = access.trip
    values = clean_item(session, trip, form)
    total = session.execute(
        select(func.count(ItineraryItem.id)).where(ItineraryItem.trip_id == trip.id)
    ).scalar_one()
    if total >= MAX_ITEMS:
        raise ValidationFailed({"title": TOO_MANY})
    item = ItineraryItem(
        trip_id=trip.id,
        position=_next_position(session, trip.id, values["day_number"]),
        added_by_id=actor.user_id,
        updated_by_id=actor.user_id,
        **values,
    )
    session.add(item)
    session.flush()
    trip_changed(session, trip.id, ITINERARY)
    return item.id


def _item(session: Session, actor: Viewer | None, item_id: object):
    """The activity and its trip's access for an editor (hidden: NotFound)."""
    parsed = as_id(item_id)
    item = session.get(ItineraryItem, parsed) if parsed else None
    if item is None:
        raise NotFound(ITEM_NOT_FOUND)
    access = require_editor(session, actor, item.trip_id)
    session.refresh(item)
    return item, access


def item_update(
    session: Session,
    *,
    actor: Viewer | None,
    item_id: int,
    form: ItemForm,
    version: datetime | None,
    now: datetime,
) -> None:
    """Edit an activity (editors); `version` is the `updated_at` the editor saw.

    Raises:
        NotFound, PermissionDenied, ValidationFailed; Conflict: changed meanwhile.
    """
    item, access = _item(session, actor, item_id)
    if version is not None and item.updated_at != version:
        raise Conflict(STALE)
    count_trip_change(session, actor, now)
    values = clean_item(session, access.trip, form)
    if values["day_number"] != item.day_number:
        item.position = _next_position(session, item.trip_id, values["day_number"])
    for name, value in values.items():
        setattr(item, name, value)
    item.updated_by_id = actor.user_id
    new_version(item)
    session.add(item)
    session.flush()
    trip_changed(session, item.trip_id, ITINERARY)


def item_delete(session: Session, *, actor: Viewer | None, item_id: int, now: datetime) -> None:
    """Delete an activity (organizers, or the editor who added it); Places linked to it
    stay on the trip, unlinked.

    Raises:
        NotFound, PermissionDenied.
    """
    item, access = _item(session, actor, item_id)
    if not access.can_remove_added(item.added_by_id):
        raise PermissionDenied(NOT_ALLOWED)
    count_trip_change(session, actor, now)
    trip_id = item.trip_id
    session.execute(delete(ItineraryItem).where(ItineraryItem.id == item.id))
    session.expunge(item)
    trip_changed(session, trip_id, ITINERARY, PLACES)


def reschedule(session: Session, trip: Trip, start: date | None, end: date | None) -> bool:
    """Fit the itinerary to new trip dates, or refuse (§4.6.7). True when items moved.

    Dated activities keep their dates (their day numbers follow the new start); when the
    trip loses its dates they keep their day numbers; when it gains dates, day N becomes
    start + N − 1.

    Raises:
        ValidationFailed: "N activities fall outside the new dates" (under start_date).
    """
    if (start, end) == (trip.start_date, trip.end_date):
        return False
    items = ItineraryItem.trip_id == trip.id
    if start is None or end is None:
        session.execute(update(ItineraryItem).where(items).values(activity_date=None))
        return True
    span = (end - start).days + 1
    outside = or_(
        ItineraryItem.activity_date < start,
        ItineraryItem.activity_date > end,
        (ItineraryItem.activity_date.is_(None)) & (ItineraryItem.day_number > span),
    )
    stranded = session.execute(
        select(func.count(ItineraryItem.id)).where(items, outside)
    ).scalar_one()
    if stranded:
        raise ValidationFailed({"start_date": stranded_message(stranded)})
    session.execute(
        update(ItineraryItem)
        .where(items, ItineraryItem.activity_date.is_(None))
        .values(activity_date=sa.cast(start, sa.Date) + (ItineraryItem.day_number - 1))
    )
    session.execute(
        update(ItineraryItem)
        .where(items)
        .values(day_number=ItineraryItem.activity_date - start + 1)
    )
    return True
