"""The companion finder's trip cards (PRODUCT.md §4.6.12): what each card shows, read
for a list of trips in a few batched queries, and the re-read of given cards.

Each card carries the viewer's own standing on the trip (`my_status`, `can_request`,
`refusal`) from `join_requests.join_refusal`, so "Request to join" is offered exactly when
the command accepts it; `trip_cards` re-reads given cards (Requested → Joined). The
tabs' queries are in `finder.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from citypulse.models import (
    City,
    Profile,
    Recommendation,
    Trip,
    TripCity,
    TripCompanion,
    TripRecommendation,
    User,
)
from citypulse.models.enums import CompanionStatus, PlaceStatus
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.policies import require_active_actor
from citypulse.services.recommendations.queries import upload_url
from citypulse.services.recommendations.visibility import recommendation_visible_to
from citypulse.services.social.graph import buddies_with
from citypulse.services.trips.access import TripAccess, trip_visible_to
from citypulse.services.trips.join_requests import join_refusal
from citypulse.services.trips.membership import MAX_MEMBERS

HIGHLIGHTS = 3
CITIES_SHOWN = 2


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


def seats_taken(trip_id: Any):
    return (
        select(func.count(TripCompanion.id))
        .where(
            TripCompanion.trip_id == trip_id,
            TripCompanion.status.in_((CompanionStatus.invited, CompanionStatus.accepted)),
        )
        .scalar_subquery()
    )


def others_trips(viewer_id: int):
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
            seats_taken(Trip.id).label("seats"),
        )
        .join(owner, owner.id == Trip.owner_id)
        .outerjoin(Profile, Profile.user_id == Trip.owner_id)
        .where(Trip.owner_id != viewer_id, trip_visible_to(viewer_id))
    )


def city_names(session: Session, trip_ids: list[int]) -> dict[int, list[str]]:
    """Each trip's city names in itinerary order (trip cards here and on /trips)."""
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


def trip_card_list(
    session: Session, viewer: Viewer, rows: list[Any], *, highlights: bool = False
) -> list[TripCard]:
    """The cards of `rows` (from `others_trips`), in order, with their cities and standing."""
    ids = [row.Trip.id for row in rows]
    if not ids:
        return []
    cities = city_names(session, ids)
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
        for row in session.execute(others_trips(actor.user_id).where(Trip.id.in_(wanted))).all()
    }
    ordered = [rows[trip_id] for trip_id in wanted if trip_id in rows]
    return tuple(trip_card_list(session, actor, ordered, highlights=highlights))
