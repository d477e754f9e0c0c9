"""Calendar export of a trip (issue 12 item 9): an RFC 5545 `.ics` built with icalendar.

- "Add to calendar" (`trip_calendar`): anyone who may see the trip (a share link too)
  downloads the trip (all-day, from the start to the end date) and every dated
  activity (timed when it has a start time: its duration, else one hour; all-day
  otherwise). Activities of a trip without dates have no day to put in a calendar.
- A private feed (`calendar_feed_*`): each accepted member may create a secret URL
  (256 random bits, stored hashed on their companion row) that phones subscribe to;
  it works while they stay an accepted member who may see the trip, and they can
  revoke or regenerate it. Anything else is NotFound.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import select
from sqlmodel import Session

from citypulse.models import City, ItineraryItem, Trip, TripCity, TripCompanion, User
from citypulse.models.enums import AccountStatus, CompanionStatus
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.errors import NotFound
from citypulse.services.trips.access import (
    TRIP_NOT_FOUND,
    require_member,
    share_token_hash,
    trip_for_viewer,
    trip_visible_to,
)

PRODID = "-//CityPulse//Trips//EN"
DEFAULT_MINUTES = 60
TOKEN_BYTES = 32


@dataclass(frozen=True)
class CalendarFile:
    filename: str  # "canada-in-june.ics"
    data: bytes


def _filename(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    return f"{slug or 'trip'}.ics"


def _event(uid: str, summary: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("summary", summary)
    return event


def build_calendar(session: Session, trip: Trip, now: datetime) -> CalendarFile:
    """The trip and its dated activities as an .ics file."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", trip.title)
    if trip.start_date and trip.end_date:
        whole = _event(f"trip-{trip.id}@citypulse", trip.title, now)
        whole.add("dtstart", trip.start_date)
        whole.add("dtend", trip.end_date + timedelta(days=1))  # DTEND is exclusive
        if trip.description:
            whole.add("description", trip.description)
        calendar.add_component(whole)
    rows = session.execute(
        select(ItineraryItem, City.name)
        .outerjoin(TripCity, TripCity.id == ItineraryItem.trip_city_id)
        .outerjoin(City, City.id == TripCity.city_id)
        .where(ItineraryItem.trip_id == trip.id, ItineraryItem.activity_date.is_not(None))
        .order_by(ItineraryItem.day_number, ItineraryItem.start_time, ItineraryItem.position)
    ).all()
    for item, city_name in rows:
        event = _event(f"trip-{trip.id}-activity-{item.id}@citypulse", item.title, now)
        day: date = item.activity_date
        if item.start_time is not None:
            start = datetime.combine(day, item.start_time)  # floating local time
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=item.duration_minutes or DEFAULT_MINUTES))
        else:
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
        location = ", ".join(part for part in (item.location_name, city_name) if part)
        if location:
            event.add("location", location)
        if item.latitude is not None and item.longitude is not None:
            event.add("geo", (item.latitude, item.longitude))
        details = "\n\n".join(part for part in (item.description, item.notes) if part)
        if details:
            event.add("description", details)
        event.add("categories", [item.activity_type])
        calendar.add_component(event)
    return CalendarFile(_filename(trip.title), calendar.to_ical())


def trip_calendar(
    session: Session,
    *,
    viewer: Viewer | None,
    trip_id: int,
    share_token: str | None = None,
    now: datetime,
) -> CalendarFile:
    """The .ics of a trip this viewer (or share link) may see.

    Raises:
        NotFound: missing or hidden.
    """
    access = trip_for_viewer(session, viewer, trip_id, share_token=share_token)
    return build_calendar(session, access.trip, now)


def feed_path(token: str) -> str:
    """The relative URL of a private calendar feed."""
    return f"/api/calendar/{token}.ics"


def calendar_feed_create(
    session: Session, *, actor: Viewer | None, trip_id: int, now: datetime
) -> str:
    """Create (or regenerate) the actor's private feed of the trip; returns its path,
    the only time the token is seen.

    Raises:
        NotFound: hidden trip. PermissionDenied: not an accepted member.
    """
    trip_id = require_member(session, actor, trip_id).trip.id
    row = session.execute(
        select(TripCompanion).where(
            TripCompanion.trip_id == trip_id, TripCompanion.user_id == actor.user_id
        )
    ).scalar_one()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row.calendar_token_hash = share_token_hash(token)
    session.add(row)
    session.flush()
    return feed_path(token)


def calendar_feed_revoke(
    session: Session, *, actor: Viewer | None, trip_id: int, now: datetime
) -> bool:
    """Revoke the actor's private feed of the trip; False when there was none.

    Raises:
        NotFound: hidden trip. PermissionDenied: not an accepted member.
    """
    trip_id = require_member(session, actor, trip_id).trip.id
    row = session.execute(
        select(TripCompanion).where(
            TripCompanion.trip_id == trip_id, TripCompanion.user_id == actor.user_id
        )
    ).scalar_one()
    if row.calendar_token_hash is None:
        return False
    row.calendar_token_hash = None
    session.add(row)
    session.flush()
    return True


def calendar_feed_exists(session: Session, *, viewer: Viewer, trip_id: int) -> bool:
    """Whether the viewer has a live feed for the trip (the page offers Revoke then)."""
    return (
        session.execute(
            select(TripCompanion.id).where(
                TripCompanion.trip_id == trip_id,
                TripCompanion.user_id == viewer.user_id,
                TripCompanion.calendar_token_hash.is_not(None),
            )
        ).first()
        is not None
    )


def calendar_feed(session: Session, *, token: str, now: datetime) -> CalendarFile:
    """The feed behind a token: its member's trip, while they are an accepted member
    of a trip they may still see, with an active account.

    Raises:
        NotFound: unknown or revoked token, or the member lost the trip.
    """
    if not isinstance(token, str) or not 20 <= len(token) <= 100:
        raise NotFound(TRIP_NOT_FOUND)
    member = session.execute(
        select(TripCompanion.trip_id, TripCompanion.user_id)
        .join(User, User.id == TripCompanion.user_id)
        .where(
            TripCompanion.calendar_token_hash == share_token_hash(token),
            TripCompanion.status == CompanionStatus.accepted,
            User.account_status == AccountStatus.active,
        )
    ).first()
    if member is None:
        raise NotFound(TRIP_NOT_FOUND)
    trip = session.execute(
        select(Trip).where(Trip.id == member.trip_id, trip_visible_to(member.user_id))
    ).scalar()
    if trip is None:
        raise NotFound(TRIP_NOT_FOUND)
    return build_calendar(session, trip, now)
