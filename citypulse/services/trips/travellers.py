"""Travellers to a city (PRODUCT.md §4.6.12): the finder's tab and the city page's list.

A traveller is a user with a trip through the city that the viewer may see
(`trips.access.trip_visible_to`, the one rule: private trips, trips of blocked or inactive
owners and friends_only trips of non-buddies are out), in planning or active, as its owner
or an accepted member. The traveller must be an active user with no block either way with
the viewer (`social.graph.blocked_between`); the viewer is never listed.

Dates: trips overlapping [start, end]; without dates, upcoming ones (not over by `today`,
§4.6.12 "upcoming by default"). Trips without dates have no place on a timeline and are
not listed.

One row per traveller, with their earliest matching trip; ordered by (that trip's start
date, traveller id) and paged by keyset on it (`cursors.encode_cursor`). The rows come from
the city's trip links (`ix_trip_cities_city_id`) and each trip's members
(`uq_trip_companions_trip_id_user_id`): the work grows with the city's trips, never with
all trips.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import and_, select, tuple_
from sqlmodel import Session

from citypulse.models import Profile, Trip, TripCity, TripCompanion, User
from citypulse.models.enums import AccountStatus, CompanionStatus, TripStatus
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.cursors import decode_cursor, encode_cursor
from citypulse.services.errors import PermissionDenied, ValidationFailed
from citypulse.services.policies import require_active_actor
from citypulse.services.recommendations.queries import upload_url
from citypulse.services.social.graph import blocked_between, buddies_with
from citypulse.services.trips.access import trip_visible_to

PAGE_SIZE = 12
CITY_PAGE_LIMIT = 6  # "Upcoming travellers" on a city page; the finder tab lists them all
CHOOSE_CITY = "Choose a city"
DATES_PAIR = "Enter both dates, or neither"
DATES_ORDER = "The end date must be on or after the start date"


@dataclass(frozen=True)
class Traveller:
    """A person travelling to the city, with their earliest matching trip."""

    user_id: int
    username: str
    full_name: str
    avatar_url: str
    is_buddy: bool
    trip_id: int
    trip_title: str
    start_date: date
    end_date: date


@dataclass(frozen=True)
class TravellersPage:
    travellers: tuple[Traveller, ...]
    next_cursor: str | None


def check_dates(start: date | None, end: date | None) -> None:
    """Both dates or neither, in order (field errors "start" / "end")."""
    if (start is None) != (end is None):
        raise ValidationFailed({"end" if end is None else "start": DATES_PAIR})
    if start is not None and end is not None and end < start:
        raise ValidationFailed({"end": DATES_ORDER})


def _earliest_trips(viewer_id: int, city_id: int, start: date | None, end: date | None, today):
    """Subquery: per traveller, their earliest visible matching trip through the city."""
    person = User
    return (
        select(
            TripCompanion.user_id.label("user_id"),
            Trip.id.label("trip_id"),
            Trip.title.label("title"),
            Trip.start_date.label("start_date"),
            Trip.end_date.label("end_date"),
        )
        .join(TripCity, and_(TripCity.trip_id == Trip.id, TripCity.city_id == city_id))
        .join(
            TripCompanion,
            and_(
                TripCompanion.trip_id == Trip.id,
                TripCompanion.status == CompanionStatus.accepted,
            ),
        )
        .join(person, person.id == TripCompanion.user_id)
        .where(
            trip_visible_to(viewer_id),
            Trip.status.in_((TripStatus.planning, TripStatus.active)),
            Trip.end_date >= (start or today),
            Trip.start_date <= (end or date.max),
            TripCompanion.user_id != viewer_id,
            person.account_status == AccountStatus.active,
            person.email_verified_at.is_not(None),
            ~blocked_between(viewer_id, TripCompanion.user_id),
        )
        .distinct(TripCompanion.user_id)
        .order_by(TripCompanion.user_id, Trip.start_date, Trip.id)
        .subquery("earliest")
    )


def _page(
    session: Session,
    viewer_id: int,
    city_id: int,
    *,
    start: date | None,
    end: date | None,
    today: date,
    cursor: str | None,
    size: int,
) -> TravellersPage:
    earliest = _earliest_trips(viewer_id, city_id, start, end, today)
    after: list[Any] = []
    if (position := decode_cursor(cursor)) is not None:
        at, user_id = position
        after = [tuple_(earliest.c.start_date, earliest.c.user_id) > tuple_(at.date(), user_id)]
    rows = session.execute(
        select(
            earliest,
            User.username,
            User.full_name,
            Profile.avatar_key,
            buddies_with(viewer_id, earliest.c.user_id).label("is_buddy"),
        )
        .join(User, User.id == earliest.c.user_id)
        .outerjoin(Profile, Profile.user_id == earliest.c.user_id)
        .where(*after)
        .order_by(earliest.c.start_date, earliest.c.user_id)
        .limit(size + 1)
    ).all()
    found = tuple(
        Traveller(
            user_id=row.user_id,
            username=row.username,
            full_name=row.full_name,
            avatar_url=upload_url(row.avatar_key),
            is_buddy=bool(row.is_buddy),
            trip_id=row.trip_id,
            trip_title=row.title,
            start_date=row.start_date,
            end_date=row.end_date,
        )
        for row in rows[:size]
    )
    next_cursor = None
    if len(rows) > size:
        last = found[-1]
        next_cursor = encode_cursor(datetime.combine(last.start_date, time(), UTC), last.user_id)
    return TravellersPage(found, next_cursor)


def travellers_to_city(
    session: Session,
    *,
    viewer: Viewer | None,
    city_id: int | None,
    start: date | None = None,
    end: date | None = None,
    today: date,
    cursor: str | None = None,
) -> TravellersPage:
    """The finder's "Travellers to a city" tab: one page after `cursor`.

    Raises:
        PermissionDenied: not an active user.
        ValidationFailed: no city ("city"), one date only, or end before start.
    """
    actor = require_active_actor(session, viewer)
    if not city_id:
        raise ValidationFailed({"city": CHOOSE_CITY})
    check_dates(start, end)
    return _page(session, actor.user_id, city_id, start=start, end=end, today=today,
                 cursor=cursor, size=PAGE_SIZE)  # fmt: skip


def upcoming_travellers(
    session: Session, *, viewer: Viewer | None, city_id: int, today: date
) -> tuple[Traveller, ...]:
    """A city page's "Upcoming travellers" (A only): the first few, or () for a visitor
    or a viewer who may not use the finder (restricted, unverified)."""
    if viewer is None:
        return ()
    try:
        actor = require_active_actor(session, viewer)
    except PermissionDenied:
        return ()
    page = _page(session, actor.user_id, city_id, start=None, end=None, today=today,
                 cursor=None, size=CITY_PAGE_LIMIT)  # fmt: skip
    return page.travellers
