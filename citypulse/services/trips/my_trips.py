"""/trips (PRODUCT.md §2.2): the viewer's own and joined trips, invitations, counts.

Read models only; every list goes through `access.trip_visible_to`.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlmodel import Session

from citypulse.models import Trip, TripCompanion
from citypulse.models.enums import CompanionStatus, TripStatus
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.recommendations.queries import upload_url
from citypulse.services.trips.access import trip_visible_to
from citypulse.services.trips.fields import dates_label
from citypulse.services.trips.finder_cards import city_names


@dataclass(frozen=True)
class TripCard:
    id: int
    title: str
    dates_label: str
    status: str
    visibility: str
    cover_url: str
    cities_label: str  # "Toronto, Montreal +2 more"
    members_count: int
    role: str  # owner / organizer / participant; "" for invitations
    is_owner: bool


@dataclass(frozen=True)
class MyTrips:
    """/trips: own and joined trips (by status filter), invitations, and counts."""

    trips: tuple[TripCard, ...]
    invitations: tuple[TripCard, ...]
    counts: dict[str, int]  # per status, all, owned, joined, invited


def _cards(session: Session, rows: list, viewer_id: int) -> tuple[TripCard, ...]:
    ids = [trip.id for trip, _role in rows]
    names = city_names(session, ids)
    members = dict(
        session.execute(
            select(TripCompanion.trip_id, func.count(TripCompanion.id))
            .where(TripCompanion.trip_id.in_(ids), TripCompanion.status == CompanionStatus.accepted)
            .group_by(TripCompanion.trip_id)
        ).all()
    )
    cards = []
    for trip, role in rows:
        cities = names.get(trip.id, [])
        label = ", ".join(cities[:2]) + (f" +{len(cities) - 2} more" if len(cities) > 2 else "")
        cards.append(
            TripCard(
                id=trip.id,
                title=trip.title,
                dates_label=dates_label(trip.start_date, trip.end_date),
                status=trip.status,
                visibility=trip.visibility,
                cover_url=upload_url(trip.cover_key),
                cities_label=label,
                members_count=members.get(trip.id, 0),
                role=role or "",
                is_owner=trip.owner_id == viewer_id,
            )
        )
    return tuple(cards)


def my_trips(session: Session, *, viewer: Viewer, status: str = "") -> MyTrips:
    """The viewer's own and joined trips (newest start first), filtered by `status`
    ("" for all), their pending invitations, and the counts per status."""
    mine = and_(TripCompanion.trip_id == Trip.id, TripCompanion.user_id == viewer.user_id)
    base = (
        select(Trip, TripCompanion.role)
        .join(TripCompanion, mine)
        .where(trip_visible_to(viewer.user_id))
    )
    joined = base.where(TripCompanion.status == CompanionStatus.accepted)
    by_status = dict(
        session.execute(
            select(Trip.status, func.count(Trip.id))
            .join(TripCompanion, mine)
            .where(
                trip_visible_to(viewer.user_id), TripCompanion.status == CompanionStatus.accepted
            )
            .group_by(Trip.status)
        ).all()
    )
    counts = {s.value: by_status.get(s.value, 0) for s in TripStatus}
    counts["all"] = sum(by_status.values())
    counts["owned"] = session.execute(
        select(func.count(Trip.id)).where(
            Trip.owner_id == viewer.user_id, trip_visible_to(viewer.user_id)
        )
    ).scalar_one()
    counts["joined"] = counts["all"] - counts["owned"]
    listed = joined.where(Trip.status == status) if status in TripStatus.__members__ else joined
    order = (Trip.start_date.desc().nulls_last(), Trip.created_at.desc(), Trip.id.desc())
    trips = session.execute(listed.order_by(*order).limit(200)).all()
    invited = session.execute(
        base.where(TripCompanion.status == CompanionStatus.invited).order_by(*order).limit(50)
    ).all()
    counts["invited"] = len(invited)
    return MyTrips(
        trips=_cards(session, list(trips), viewer.user_id),
        invitations=_cards(session, [(trip, "") for trip, _ in invited], viewer.user_id),
        counts=counts,
    )
