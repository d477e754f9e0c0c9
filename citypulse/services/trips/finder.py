"""The companion finder, /trips/companions (PRODUCT.md §4.6.12, §2.2).

- **Find** (`find_companions`): others' planning or active trips the viewer may see
  (`trips.access.trip_visible_to`: blocked users and inactive owners are out), through
  the chosen city and overlapping the chosen dates (no dates: trips not yet over), not
  full, not already joined. The owner's buddies' trips first, then by start date; keyset
  pages on (buddy first, start_date, id): the cursor is `cursors.encode_cursor` of the
  last start date and the trip id, negated once past the buddies' trips.
- **Discover** (`discover_trips`): others' public completed trips, newest first (keyset
  on (created_at, id)), each with up to 3 visited Places the viewer may see.
- **Suggested** (`suggested_trips`): at most 20 public completed trips through a city the
  viewer has not visited, ranked by how many of the trip's Places are in the viewer's
  interest categories, then newest.

Each card carries the viewer's own standing on the trip (`my_status`, `can_request`,
`refusal`) from `join_requests.join_refusal`, so "Request to join" is offered exactly when
the command accepts it; `trip_cards` re-reads given cards (Requested → Joined).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import and_, desc, func, select, tuple_
from sqlalchemy.orm import aliased
from sqlmodel import Session

from citypulse.models import (
    City,
    CityVisit,
    Profile,
    Recommendation,
    Trip,
    TripCity,
    TripCompanion,
    TripRecommendation,
    User,
    UserInterest,
)
from citypulse.models.enums import CompanionStatus, PlaceStatus, TripStatus, Visibility
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.cursors import (
    decode_cursor,
    keyset_before,
    keyset_page,
    keyset_position,
)
from citypulse.services.errors import ValidationFailed
from citypulse.services.policies import require_active_actor
from citypulse.services.recommendations.queries import upload_url
from citypulse.services.recommendations.visibility import recommendation_visible_to
from citypulse.services.social.graph import buddies_with
from citypulse.services.trips.access import TripAccess, trip_visible_to
from citypulse.services.trips.companions import MAX_MEMBERS
from citypulse.services.trips.join_requests import join_refusal

PAGE_SIZE = 12
SUGGESTED = 20
HIGHLIGHTS = 3
CITIES_SHOWN = 2
CHOOSE_CITY = "Choose a city"
DATES_PAIR = "Enter both dates, or neither"
DATES_ORDER = "The end date must be on or after the start date"


@dataclass(frozen=True)
class Highlight:
    recommendation_id: int
    title: str


@dataclass(frozen=True)
class TripCard:
    """A trip on a finder tab, as the viewer sees it."""

    trip_id: int
    title: str
    owner_username: str
    owner_name: str
    owner_avatar_url: str
    owner_is_buddy: bool
    start_date: date | None
    end_date: date | None
    cities: tuple[str, ...]  # the first two, in trip order
    more_cities: int  # "+N more"
    companions: int  # accepted members, the owner included
    my_status: str  # the viewer's companion status ("" for none; "accepted" = Joined)
    can_request: bool
    refusal: str  # why "Request to join" is not offered ("" when it is)
    highlights: tuple[Highlight, ...]


@dataclass(frozen=True)
class CardsPage:
    cards: tuple[TripCard, ...]
    next_cursor: str | None


def _seats(trip_id: Any):
    return (
        select(func.count(TripCompanion.id))
        .where(
            TripCompanion.trip_id == trip_id,
            TripCompanion.status.in_((CompanionStatus.invited, CompanionStatus.accepted)),
        )
        .scalar_subquery()
    )


def _base(viewer_id: int):
    """Trips of others that the viewer may see, with what every card needs.

    The owner is an alias: `trip_visible_to` has its own subquery on `users`.
    """
    owner = aliased(User)
    return (
        select(
            Trip,
            owner.username,
            owner.full_name,
            Profile.avatar_key,
            buddies_with(viewer_id, Trip.owner_id).label("is_buddy"),
            _seats(Trip.id).label("seats"),
        )
        .join(owner, owner.id == Trip.owner_id)
        .outerjoin(Profile, Profile.user_id == Trip.owner_id)
        .where(Trip.owner_id != viewer_id, trip_visible_to(viewer_id))
    )


def _cities(session: Session, trip_ids: list[int]) -> dict[int, list[str]]:
    rows = session.execute(
        select(TripCity.trip_id, City.name)
        .join(City, City.id == TripCity.city_id)
        .where(TripCity.trip_id.in_(trip_ids))
        .order_by(TripCity.trip_id, TripCity.position)
    ).all()
    found: dict[int, list[str]] = {}
    for trip_id, name in rows:
        found.setdefault(trip_id, []).append(name)
    return found


def _highlights(
    session: Session, viewer_id: int, trip_ids: list[int]
) -> dict[int, list[Highlight]]:
    """Up to 3 visited Places per trip that the viewer may see, oldest added first."""
    tr = TripRecommendation
    ranked = (
        select(
            tr.trip_id,
            Recommendation.id,
            Recommendation.title,
            func.row_number()
            .over(partition_by=tr.trip_id, order_by=(tr.created_at, tr.id))
            .label("n"),
        )
        .join(Recommendation, Recommendation.id == tr.recommendation_id)
        .where(
            tr.trip_id.in_(trip_ids),
            tr.status == PlaceStatus.visited,
            recommendation_visible_to(viewer_id),
        )
        .subquery()
    )
    rows = session.execute(
        select(ranked.c.trip_id, ranked.c.id, ranked.c.title)
        .where(ranked.c.n <= HIGHLIGHTS)
        .order_by(ranked.c.trip_id, ranked.c.n)
    ).all()
    found: dict[int, list[Highlight]] = {}
    for trip_id, rec_id, title in rows:
        found.setdefault(trip_id, []).append(Highlight(rec_id, title))
    return found


def _members(session: Session, trip_ids: list[int]) -> dict[int, int]:
    """Accepted members per trip (the owner included)."""
    rows = session.execute(
        select(TripCompanion.trip_id, func.count())
        .where(
            TripCompanion.trip_id.in_(trip_ids), TripCompanion.status == CompanionStatus.accepted
        )
        .group_by(TripCompanion.trip_id)
    ).all()
    return {trip_id: int(count) for trip_id, count in rows}


def _cards(
    session: Session, viewer: Viewer, rows: list[Any], *, highlights: bool = False
) -> list[TripCard]:
    """The cards of `rows` (from `_base`), in order, with their cities and standing."""
    ids = [row.Trip.id for row in rows]
    if not ids:
        return []
    cities = _cities(session, ids)
    members = _members(session, ids)
    mine = {
        trip_id: row
        for trip_id, row in session.execute(
            select(TripCompanion.trip_id, TripCompanion).where(
                TripCompanion.trip_id.in_(ids), TripCompanion.user_id == viewer.user_id
            )
        ).all()
    }
    shown = _highlights(session, viewer.user_id, ids) if highlights else {}
    cards = []
    for row in rows:
        trip = row.Trip
        names = cities.get(trip.id, [])
        access = TripAccess(trip, viewer.user_id, None, None)
        refusal = join_refusal(
            session, access, own := mine.get(trip.id), full=row.seats >= MAX_MEMBERS
        )
        cards.append(
            TripCard(
                trip_id=trip.id,
                title=trip.title,
                owner_username=row.username,
                owner_name=row.full_name,
                owner_avatar_url=upload_url(row.avatar_key),
                owner_is_buddy=bool(row.is_buddy),
                start_date=trip.start_date,
                end_date=trip.end_date,
                cities=tuple(names[:CITIES_SHOWN]),
                more_cities=max(0, len(names) - CITIES_SHOWN),
                companions=members.get(trip.id, 0),
                my_status=str(own.status) if own is not None else "",
                can_request=refusal is None,
                refusal=refusal or "",
                highlights=tuple(shown.get(trip.id, ())),
            )
        )
    return cards


def _dates(start: date | None, end: date | None) -> None:
    if (start is None) != (end is None):
        raise ValidationFailed({"end" if end is None else "start": DATES_PAIR})
    if start is not None and end is not None and end < start:
        raise ValidationFailed({"end": DATES_ORDER})


def _at(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def find_companions(
    session: Session,
    *,
    viewer: Viewer | None,
    city_id: int | None,
    start: date | None = None,
    end: date | None = None,
    today: date,
    cursor: str | None = None,
) -> CardsPage:
    """Find tab: trips through `city_id` overlapping [start, end] (§4.6.12 Find).

    Without dates, trips that are not over by `today` (trips without dates never match).

    Raises:
        PermissionDenied: not an active user.
        ValidationFailed: no city ("city"), one date only, or end before start.
    """
    actor = require_active_actor(session, viewer)
    if not city_id:
        raise ValidationFailed({"city": CHOOSE_CITY})
    _dates(start, end)
    joined = select(TripCompanion.id).where(
        TripCompanion.trip_id == Trip.id,
        TripCompanion.user_id == actor.user_id,
        TripCompanion.status == CompanionStatus.accepted,
    )
    through_city = select(TripCity.id).where(
        TripCity.trip_id == Trip.id, TripCity.city_id == city_id
    )
    query = _base(actor.user_id).where(
        Trip.status.in_((TripStatus.planning, TripStatus.active)),
        through_city.exists(),
        ~joined.exists(),
        _seats(Trip.id) < MAX_MEMBERS,
        Trip.end_date >= (start or today),
        Trip.start_date <= (end or date.max),
    )
    position = decode_cursor(cursor)
    buddy = buddies_with(actor.user_id, Trip.owner_id)
    rows: list[Any] = []
    if position is None or position[1] > 0:
        after = (
            []
            if position is None
            else [tuple_(Trip.start_date, Trip.id) > tuple_(position[0].date(), position[1])]
        )
        rows = list(
            session.execute(
                query.where(buddy, *after).order_by(Trip.start_date, Trip.id).limit(PAGE_SIZE + 1)
            ).all()
        )
    if len(rows) <= PAGE_SIZE:
        after = []
        if position is not None and position[1] < 0:
            after = [tuple_(Trip.start_date, Trip.id) > tuple_(position[0].date(), -position[1])]
        rows += session.execute(
            query.where(~buddy, *after)
            .order_by(Trip.start_date, Trip.id)
            .limit(PAGE_SIZE + 1 - len(rows))
        ).all()
    page = keyset_page(
        rows,
        PAGE_SIZE,
        position=lambda r: (_at(r.Trip.start_date), r.Trip.id if r.is_buddy else -r.Trip.id),
    )
    return CardsPage(tuple(_cards(session, actor, page.items)), page.next_cursor)


def _completed_public():
    return and_(Trip.status == TripStatus.completed, Trip.visibility == Visibility.public)


def discover_trips(
    session: Session, *, viewer: Viewer | None, cursor: str | None = None
) -> CardsPage:
    """Discover tab: others' public completed trips, newest first, with highlights.

    Raises:
        PermissionDenied: not an active user.
    """
    actor = require_active_actor(session, viewer)
    rows = session.execute(
        _base(actor.user_id)
        .where(
            _completed_public(),
            keyset_before(Trip.created_at, Trip.id, keyset_position(cursor)),
        )
        .order_by(desc(Trip.created_at), desc(Trip.id))
        .limit(PAGE_SIZE + 1)
    ).all()
    page = keyset_page(rows, PAGE_SIZE, position=lambda r: (r.Trip.created_at, r.Trip.id))
    return CardsPage(tuple(_cards(session, actor, page.items, highlights=True)), page.next_cursor)


def suggested_trips(session: Session, *, viewer: Viewer | None) -> tuple[TripCard, ...]:
    """Suggested tab: ≤20 public completed trips through a city the viewer has not visited,
    by Places in the viewer's interest categories, then newest.

    Raises:
        PermissionDenied: not an active user.
    """
    actor = require_active_actor(session, viewer)
    unvisited = select(TripCity.id).where(
        TripCity.trip_id == Trip.id,
        ~select(CityVisit.id)
        .where(CityVisit.user_id == actor.user_id, CityVisit.city_id == TripCity.city_id)
        .exists(),
    )
    interesting = (
        select(func.count(TripRecommendation.id))
        .join(Recommendation, Recommendation.id == TripRecommendation.recommendation_id)
        .join(
            UserInterest,
            and_(
                UserInterest.category_id == Recommendation.category_id,
                UserInterest.user_id == actor.user_id,
            ),
        )
        .where(TripRecommendation.trip_id == Trip.id)
        .scalar_subquery()
    )
    rows = session.execute(
        _base(actor.user_id)
        .where(_completed_public(), unvisited.exists())
        .order_by(desc(interesting), desc(Trip.created_at), desc(Trip.id))
        .limit(SUGGESTED)
    ).all()
    return tuple(_cards(session, actor, list(rows), highlights=True))


def trip_cards(
    session: Session, *, viewer: Viewer | None, trip_ids: list[int], highlights: bool = False
) -> tuple[TripCard, ...]:
    """The cards of `trip_ids` again (in that order), for those the viewer still sees.

    The finder page re-reads the cards it shows when the viewer's standing may have
    changed (a request answered: Requested → Joined).

    Raises:
        PermissionDenied: not an active user.
    """
    actor = require_active_actor(session, viewer)
    wanted = list(dict.fromkeys(trip_ids))[:100]
    if not wanted:
        return ()
    rows = {
        row.Trip.id: row
        for row in session.execute(_base(actor.user_id).where(Trip.id.in_(wanted))).all()
    }
    ordered = [rows[trip_id] for trip_id in wanted if trip_id in rows]
    return tuple(_cards(session, actor, ordered, highlights=highlights))
