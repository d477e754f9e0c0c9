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

The cards (with the viewer's own standing on each trip, and the re-read of given cards,
`trip_cards`) are built in `finder_cards.py`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import and_, desc, func, select, tuple_
from sqlmodel import Session

from citypulse.models import (
    CityVisit,
    Recommendation,
    Trip,
    TripCity,
    TripCompanion,
    TripRecommendation,
    UserInterest,
)
from citypulse.models.enums import CompanionStatus, TripStatus, Visibility
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.cursors import (
    decode_cursor,
    keyset_before,
    keyset_page,
    keyset_position,
)
from citypulse.services.errors import ValidationFailed
from citypulse.services.policies import require_active_actor
from citypulse.services.social.graph import buddies_with
from citypulse.services.trips.finder_cards import (
    CardsPage,
    Highlight,
    TripCard,
    others_trips,
    seats_taken,
    trip_card_list,
    trip_cards,
)
from citypulse.services.trips.membership import MAX_MEMBERS

# The cards are re-exported: the finder's callers use this one module.
__all__ = [
    "CardsPage",
    "Highlight",
    "TripCard",
    "discover_trips",
    "find_companions",
    "suggested_trips",
    "trip_cards",
]

PAGE_SIZE = 12
SUGGESTED = 20
CHOOSE_CITY = "Choose a city"
DATES_PAIR = "Enter both dates, or neither"
DATES_ORDER = "The end date must be on or after the start date"


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
    query = others_trips(actor.user_id).where(
        Trip.status.in_((TripStatus.planning, TripStatus.active)),
        through_city.exists(),
        ~joined.exists(),
        seats_taken(Trip.id) < MAX_MEMBERS,
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
    return CardsPage(tuple(trip_card_list(session, actor, page.items)), page.next_cursor)


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
        others_trips(actor.user_id)
        .where(
            _completed_public(),
            keyset_before(Trip.created_at, Trip.id, keyset_position(cursor)),
        )
        .order_by(desc(Trip.created_at), desc(Trip.id))
        .limit(PAGE_SIZE + 1)
    ).all()
    page = keyset_page(rows, PAGE_SIZE, position=lambda r: (r.Trip.created_at, r.Trip.id))
    return CardsPage(
        tuple(trip_card_list(session, actor, page.items, highlights=True)), page.next_cursor
    )


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
        others_trips(actor.user_id)
        .where(_completed_public(), unvisited.exists())
        .order_by(desc(interesting), desc(Trip.created_at), desc(Trip.id))
        .limit(SUGGESTED)
    ).all()
    return tuple(trip_card_list(session, actor, list(rows), highlights=True))
