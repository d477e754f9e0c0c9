"""Trip cards in the feed (PRODUCT.md §4.9, §2.2 "Trip card: cover, title, dates, cities,
companions, status").

Candidates: trips the viewer may see (`trips.access.trip_visible_to`, the one rule:
privacy, blocks either way, inactive owners, removed trips), not their own, not
cancelled.
- For You: trips owned by a buddy or that the viewer belongs to (accepted member),
  updated in the last 30 days; score 3 + R (R from the last update).
- Buddies: buddies' trips, by (created_at, id) like their recommendations.
- New since a list began (`new_trips_count`, the "N new posts" pill): trips created
  after it that the list's source would take (Trending shows no trips).
Category chips hide trips (§4.9.4): callers ask for none while a chip is chosen.

Frozen For You sessions store recommendation ids as they are and trip ids negated
(`as_item` / `trip_of`): one array keeps the interleaved order, and every id is re-read
through the rule when its page is sliced (a trip that turned private is skipped).
Each source reads an index range: a buddy's trips from `ix_trips_owner_id_created_at_id`
(a LATERAL probe per buddy), the viewer's memberships from
`ix_trip_companions_user_id_status`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ARRAY,
    DateTime,
    Integer,
    any_,
    bindparam,
    desc,
    func,
    or_,
    select,
    true,
    tuple_,
    union,
)
from sqlalchemy.orm import aliased
from sqlmodel import Session

from citypulse.models import City, Trip, TripCity, TripCompanion, User
from citypulse.models.enums import CompanionStatus, TripStatus
from citypulse.services.prepared import Prepared
from citypulse.services.recommendations.queries import upload_url
from citypulse.services.social.graph import buddy_ids
from citypulse.services.trips.access import trip_visible_to

FOR_YOU_DAYS = 30
SOURCE_LIMIT = 100  # trips per For You source (buddies' / the viewer's)
CITIES_SHOWN = 3
TZ = DateTime(timezone=True)
IDS = ARRAY(Integer)


@dataclass(frozen=True)
class TripFeedCard:
    """A trip as a feed card shows it."""

    id: int
    title: str
    cover_url: str
    owner_username: str
    owner_full_name: str
    start_date: date | None
    end_date: date | None
    status: str
    cities: tuple[str, ...]  # the first three, in trip order
    more_cities: int
    companions: int  # accepted members, the owner included
    created_at: datetime


@dataclass(frozen=True)
class TripCandidate:
    id: int
    owner_id: int
    updated_at: datetime


def as_item(trip_id: int) -> int:
    """A trip's entry in a feed session's `item_ids` (recommendations are positive)."""
    return -trip_id


def trip_of(item_id: int) -> int | None:
    """The trip id of a session entry, None for a recommendation."""
    return -item_id if item_id < 0 else None


def _shown_to(viewer_id: Any) -> list[Any]:
    """Every feed trip's conditions: the access rule, not the viewer's own, not cancelled."""
    return [
        trip_visible_to(viewer_id),
        Trip.owner_id != viewer_id,
        Trip.status != TripStatus.cancelled,
    ]


def _for_you_statement() -> Any:
    viewer_id, since = bindparam("viewer_id", type_=Integer), bindparam("since", type_=TZ)
    buddies = buddy_ids(viewer_id).subquery("trip_buddies")
    by_buddy = (
        select(Trip.id.label("id"))
        .where(Trip.owner_id == buddies.c.user_id, Trip.updated_at >= since)
        .order_by(desc(Trip.created_at), desc(Trip.id))
        .limit(SOURCE_LIMIT)
        .lateral("by_buddy")
    )
    buddies_trips = select(by_buddy.c.id).select_from(buddies).join(by_buddy, true())
    mine = (
        select(TripCompanion.trip_id.label("id"))
        .join(Trip, Trip.id == TripCompanion.trip_id)
        .where(
            TripCompanion.user_id == viewer_id,
            TripCompanion.status == CompanionStatus.accepted,
            Trip.updated_at >= since,
        )
        .order_by(desc(Trip.updated_at))
        .limit(SOURCE_LIMIT)
    )
    ids = union(buddies_trips, mine).subquery("trip_sources")
    return (
        select(Trip.id, Trip.owner_id, Trip.updated_at)
        .where(Trip.id.in_(select(ids.c.id)), Trip.updated_at >= since, *_shown_to(viewer_id))
        .order_by(desc(Trip.updated_at), desc(Trip.id))
        .limit(2 * SOURCE_LIMIT)
    )


def _buddies_statement(limit: int) -> Any:
    viewer_id = bindparam("viewer_id", type_=Integer)
    position = (bindparam("at", type_=TZ), bindparam("signed_id", type_=Integer))
    buddies = buddy_ids(viewer_id).subquery("feed_trip_buddies")
    latest = (
        select(Trip.id.label("id"), Trip.created_at.label("created_at"))
        .where(
            Trip.owner_id == buddies.c.user_id,
            tuple_(Trip.created_at, -Trip.id) < tuple_(*position),
            *_shown_to(viewer_id),
        )
        .order_by(desc(Trip.created_at), desc(-Trip.id))
        .limit(limit)
        .lateral("latest_trips")
    )
    newest = (
        select(latest.c.id)
        .select_from(buddies)
        .join(latest, true())
        .order_by(desc(latest.c.created_at), latest.c.id)
        .limit(limit)
        .subquery("newest_trips")
    )
    query = _card_query().join(newest, newest.c.id == Trip.id)
    return query.order_by(desc(Trip.created_at), Trip.id)


def _cards_statement() -> Any:
    viewer_id = bindparam("viewer_id", type_=Integer)
    return _card_query().where(Trip.id == any_(bindparam("ids", type_=IDS)), *_shown_to(viewer_id))


def _cities_statement() -> Any:
    return (
        select(TripCity.trip_id, City.name)
        .join(City, City.id == TripCity.city_id)
        .where(TripCity.trip_id == any_(bindparam("ids", type_=IDS)))
        .order_by(TripCity.trip_id, TripCity.position)
    )


def for_you_trips(session: Session, viewer_id: int, now: datetime) -> list[TripCandidate]:
    """For You's trips: buddies' or the viewer's (member), updated in the last 30 days."""
    since = now - timedelta(days=FOR_YOU_DAYS)
    rows = _FOR_YOU.run(session, viewer_id=viewer_id, since=since).all()
    return [TripCandidate(row.id, row.owner_id, row.updated_at) for row in rows]


def new_trips_count(
    session: Session, viewer_id: int, since: datetime, *, buddies_only: bool, cap: int
) -> int:
    """Trips created after `since` that For You (a buddy's, or one the viewer belongs to)
    or Buddies (a buddy's) would show, counted up to `cap`."""
    source = Trip.owner_id.in_(buddy_ids(viewer_id))
    if not buddies_only:
        member = select(TripCompanion.trip_id).where(
            TripCompanion.user_id == viewer_id, TripCompanion.status == CompanionStatus.accepted
        )
        source = or_(source, Trip.id.in_(member))
    newer = (
        select(Trip.id)
        .where(Trip.created_at > since, source, *_shown_to(viewer_id))
        .limit(cap)
        .subquery()
    )
    return int(session.execute(select(func.count()).select_from(newer)).scalar_one())


def buddies_trip_cards(
    session: Session, viewer_id: int, position: tuple, limit: int
) -> list[TripFeedCard]:
    """Buddies tab: the cards of the newest `limit` buddies' trips after `position` =
    (created_at, signed id) in newest-first order (a trip's id negated, like `as_item`).

    One statement: per buddy, their newest trips through the rule (a LATERAL probe of
    `ix_trips_owner_id_created_at_id`), the card columns joined on the best `limit`.
    """
    if limit not in _BUDDIES:
        _BUDDIES[limit] = Prepared(_buddies_statement(limit))
    at, signed_id = position
    rows = _BUDDIES[limit].run(session, viewer_id=viewer_id, at=at, signed_id=signed_id)
    return _cards(session, rows.all())


def trip_cards(session: Session, viewer_id: int, trip_ids: list[int]) -> dict[int, TripFeedCard]:
    """The cards of those `trip_ids` the viewer may still see in the feed, by id."""
    if not trip_ids:
        return {}
    rows = _CARDS.run(session, viewer_id=viewer_id, ids=list(trip_ids)).all()
    return {card.id: card for card in _cards(session, rows)}


def _card_query():
    """The trip, its owner's names and its accepted members' count (the rule is the
    caller's)."""
    owner = aliased(User)
    members = (
        select(func.count(TripCompanion.id))
        .where(TripCompanion.trip_id == Trip.id, TripCompanion.status == CompanionStatus.accepted)
        .scalar_subquery()
    )
    return select(
        Trip.id, Trip.title, Trip.cover_key, Trip.start_date, Trip.end_date, Trip.status,
        Trip.created_at, owner.username, owner.full_name, members.label("members"),
    ).join(owner, owner.id == Trip.owner_id)  # fmt: skip


def _cards(session: Session, rows: list[Any]) -> list[TripFeedCard]:
    """The cards of `rows` (from `_card_query`), in order, with their first cities."""
    if not rows:
        return []
    names: dict[int, list[str]] = {}
    for trip_id, name in _CITIES.run(session, ids=[row.id for row in rows]).all():
        names.setdefault(trip_id, []).append(name)
    cards = []
    for row in rows:
        cities = names.get(row.id, [])
        cards.append(
            TripFeedCard(
                id=row.id,
                title=row.title,
                cover_url=upload_url(row.cover_key),
                owner_username=row.username,
                owner_full_name=row.full_name,
                start_date=row.start_date,
                end_date=row.end_date,
                status=str(row.status),
                cities=tuple(cities[:CITIES_SHOWN]),
                more_cities=max(0, len(cities) - CITIES_SHOWN),
                companions=int(row.members or 0),
                created_at=row.created_at,
            )
        )
    return cards


# Compiled once per process (`services.prepared`): building and compiling the access
# rule's subqueries cost more than running them (a few ms of CPU per page). Id lists
# are one array parameter (`= ANY(:ids)`), so the SQL text never changes.
_FOR_YOU = Prepared(_for_you_statement())
_BUDDIES: dict[int, Prepared] = {}
_CARDS = Prepared(_cards_statement())
_CITIES = Prepared(_cities_statement())
