"""What trip pages read (PRODUCT.md §2.2 /trips, /trips/[id]; §4.6): read models only.

`trip_page` is the trip page's one loader (details, permissions, cities, itinerary
by day, Places) for members, readers and share-link visitors; `my_trips` is /trips.
Everything goes through `access.trip_for_viewer` / `trip_visible_to`. A share-link
view names nobody (no owner, no adders) and lists only public Places (§4.6.10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlmodel import Session

from citypulse.models import (
    City,
    ItineraryItem,
    Recommendation,
    Trip,
    TripCity,
    TripCompanion,
    TripRecommendation,
    User,
)
from citypulse.models.enums import CompanionStatus, ContentStatus, TripStatus
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.moderation.removal_banner import RemovalBanner, removal_banner
from citypulse.services.recommendations.queries import CityRef, upload_url
from citypulse.services.recommendations.visibility import recommendation_visible_to
from citypulse.services.trips.access import TripAccess, trip_for_viewer, trip_visible_to
from citypulse.services.trips.fields import date_label, range_label
from citypulse.services.trips.trips import TRANSITIONS

UNAVAILABLE = "Unavailable place"


def dates_label(start: date | None, end: date | None) -> str:
    return range_label(start, end) if start and end else "Dates not set"


@dataclass(frozen=True)
class TripDetails:
    id: int
    title: str
    description: str
    start_date: date | None
    end_date: date | None
    dates_label: str
    status: str
    visibility: str
    is_collaborative: bool
    total_budget: Decimal | None
    currency: str
    cover_url: str
    owner_name: str  # "" on a share-link view
    owner_username: str
    is_removed: bool
    has_share_link: bool  # told to the owner only
    version: datetime


@dataclass(frozen=True)
class Permissions:
    """What the viewer may do on the page (the services check again on every call)."""

    is_owner: bool
    role: str  # owner / organizer / participant, "" for non-members
    member_status: str  # the viewer's companion row status, "" for none
    via_share: bool
    can_edit_details: bool
    can_edit_plan: bool
    can_add_place: bool
    next_statuses: tuple[str, ...]


@dataclass(frozen=True)
class CityStop:
    id: int
    position: int
    city_id: int
    name: str
    label: str
    arrival_date: date | None
    departure_date: date | None
    dates_label: str
    notes: str
    version: datetime
    can_remove: bool


@dataclass(frozen=True)
class Activity:
    id: int
    day_number: int
    activity_date: date | None
    start_time: str  # "09:30" or ""
    duration_minutes: int | None
    title: str
    description: str
    activity_type: str
    trip_city_id: int | None
    city_name: str
    location_name: str
    latitude: float | None
    longitude: float | None
    estimated_cost: Decimal | None
    status: str
    notes: str
    version: datetime
    can_delete: bool


@dataclass(frozen=True)
class Day:
    number: int
    label: str  # "Day 2 · 11 Jun 2026" or "Day 2"
    activities: tuple[Activity, ...]


@dataclass(frozen=True)
class Place:
    id: int
    recommendation_id: int  # 0 when unavailable to the viewer
    title: str  # UNAVAILABLE when the viewer cannot see the recommendation
    available: bool
    status: str
    notes: str
    itinerary_item_id: int | None
    version: datetime
    can_remove: bool


@dataclass(frozen=True)
class TripPage:
    trip: TripDetails
    permissions: Permissions
    cities: tuple[CityStop, ...]
    days: tuple[Day, ...]
    places: tuple[Place, ...]
    removal: RemovalBanner | None = None  # removed by a moderator (owner and moderators)


def _details(session: Session, access: TripAccess) -> TripDetails:
    trip = access.trip
    owner = session.get(User, trip.owner_id)
    named = not access.via_share
    return TripDetails(
        id=trip.id,
        title=trip.title,
        description=trip.description or "",
        start_date=trip.start_date,
        end_date=trip.end_date,
        dates_label=dates_label(trip.start_date, trip.end_date),
        status=trip.status,
        visibility=trip.visibility,
        is_collaborative=trip.is_collaborative,
        total_budget=trip.total_budget,
        currency=trip.currency,
        cover_url=upload_url(trip.cover_key),
        owner_name=owner.full_name if named else "",
        owner_username=owner.username if named else "",
        is_removed=access.is_removed,
        has_share_link=access.is_owner and trip.share_token_hash is not None,
        version=trip.updated_at,
    )


def _permissions(access: TripAccess) -> Permissions:
    organizer = access.is_organizer and not access.is_removed
    return Permissions(
        is_owner=access.is_owner and not access.via_share,
        role=access.role or "",
        member_status=access.member_status or "",
        via_share=access.via_share,
        can_edit_details=organizer,
        can_edit_plan=access.can_edit_plan,
        can_add_place=access.can_add_to_wishlist,
        next_statuses=tuple(sorted(TRANSITIONS.get(access.trip.status, ()))) if organizer else (),
    )


def _cities(session: Session, access: TripAccess) -> tuple[CityStop, ...]:
    rows = session.execute(
        select(TripCity, City)
        .join(City, City.id == TripCity.city_id)
        .where(TripCity.trip_id == access.trip.id)
        .order_by(TripCity.position)
    ).all()
    return tuple(
        CityStop(
            id=stop.id,
            position=stop.position,
            city_id=city.id,
            name=city.name,
            label=CityRef(city.id, city.name, city.state_province, city.country).label,
            arrival_date=stop.arrival_date,
            departure_date=stop.departure_date,
            dates_label=_stop_dates(stop.arrival_date, stop.departure_date),
            notes=stop.notes or "",
            version=stop.updated_at,
            can_remove=access.can_remove_added(stop.added_by_id),
        )
        for stop, city in rows
    )


def _stop_dates(arrival: date | None, departure: date | None) -> str:
    if arrival and departure:
        return range_label(arrival, departure)
    if arrival:
        return f"From {date_label(arrival)}"
    return f"Until {date_label(departure)}" if departure else ""


def _days(session: Session, access: TripAccess) -> tuple[Day, ...]:
    rows = session.execute(
        select(ItineraryItem, City.name)
        .outerjoin(TripCity, TripCity.id == ItineraryItem.trip_city_id)
        .outerjoin(City, City.id == TripCity.city_id)
        .where(ItineraryItem.trip_id == access.trip.id)
        .order_by(
            ItineraryItem.day_number,
            ItineraryItem.start_time.asc().nulls_last(),
            ItineraryItem.position,
            ItineraryItem.id,
        )
    ).all()
    days: dict[int, list[Activity]] = {}
    dates: dict[int, date | None] = {}
    for item, city_name in rows:
        dates[item.day_number] = item.activity_date
        days.setdefault(item.day_number, []).append(
            Activity(
                id=item.id,
                day_number=item.day_number,
                activity_date=item.activity_date,
                start_time=item.start_time.strftime("%H:%M") if item.start_time else "",
                duration_minutes=item.duration_minutes,
                title=item.title,
                description=item.description or "",
                activity_type=item.activity_type,
                trip_city_id=item.trip_city_id,
                city_name=city_name or "",
                location_name=item.location_name or "",
                latitude=item.latitude,
                longitude=item.longitude,
                estimated_cost=item.estimated_cost,
                status=item.status,
                notes=item.notes or "",
                version=item.updated_at,
                can_delete=access.can_remove_added(item.added_by_id),
            )
        )
    return tuple(
        Day(
            number=number,
            label=f"Day {number} · {date_label(dates[number])}"
            if dates[number]
            else f"Day {number}",
            activities=tuple(activities),
        )
        for number, activities in days.items()
    )


def _places(session: Session, access: TripAccess) -> tuple[Place, ...]:
    # A share-link view reads as a visitor: only public Places (§4.6.10).
    reader = None if access.via_share else access.viewer_id
    visible = and_(
        Recommendation.id == TripRecommendation.recommendation_id,
        Recommendation.status == ContentStatus.active,
        recommendation_visible_to(reader),
    )
    rows = session.execute(
        select(TripRecommendation, Recommendation.id, Recommendation.title)
        .outerjoin(Recommendation, visible)
        .where(TripRecommendation.trip_id == access.trip.id)
        .order_by(TripRecommendation.created_at, TripRecommendation.id)
    ).all()
    places = []
    for place, rec_id, title in rows:
        if access.via_share and rec_id is None:
            continue
        places.append(
            Place(
                id=place.id,
                recommendation_id=rec_id or 0,
                title=title if rec_id else UNAVAILABLE,
                available=rec_id is not None,
                status=place.status,
                notes=place.notes or "",
                itinerary_item_id=place.itinerary_item_id,
                version=place.updated_at,
                can_remove=access.can_remove_added(place.added_by_id),
            )
        )
    return tuple(places)


def trip_page(
    session: Session,
    *,
    viewer: Viewer | None,
    trip_id: int,
    share_token: str | None = None,
    now: datetime | None = None,
) -> TripPage:
    """The trip page for this viewer (None: a visitor), or a share-link view.

    A removed trip is seen by its owner and moderators only, with the removal banner
    (the owner's carries the appeal of the removal, `now` dates its 30 days).

    Raises:
        NotFound: missing or hidden (a revoked or wrong share token included).
    """
    parts = trip_page_parts(
        session, viewer=viewer, trip_id=trip_id, parts=PAGE_PARTS, share_token=share_token,
        now=now,
    )  # fmt: skip
    return TripPage(
        trip=parts.trip,
        permissions=parts.permissions,
        cities=parts.cities or (),
        days=parts.days or (),
        places=parts.places or (),
        removal=parts.removal,
    )


PAGE_PARTS = frozenset({"cities", "itinerary", "places"})


@dataclass(frozen=True)
class TripPageParts:
    """A re-read of some parts of the trip page: details and permissions always (the
    access is checked again on every read), the lists only when asked (else None)."""

    trip: TripDetails
    permissions: Permissions
    cities: tuple[CityStop, ...] | None = None
    days: tuple[Day, ...] | None = None
    places: tuple[Place, ...] | None = None
    removal: RemovalBanner | None = None


def trip_page_parts(
    session: Session,
    *,
    viewer: Viewer | None,
    trip_id: int,
    parts: frozenset[str] | set[str] | tuple[str, ...],
    share_token: str | None = None,
    now: datetime | None = None,
) -> TripPageParts:
    """`trip_page` for a live re-read: only the lists in `parts` ("cities", "itinerary",
    "places"; details and permissions are always read) are queried.

    Raises:
        NotFound: missing or hidden (a revoked or wrong share token included).
    """
    access = trip_for_viewer(session, viewer, trip_id, share_token=share_token)
    removal = None
    if access.is_removed and not access.via_share:
        removal = removal_banner(
            session, viewer=viewer, content_type="trip", content_id=access.trip.id,
            owner_id=access.trip.owner_id, fallback_reason=access.trip.removed_reason or "",
            now=now or datetime.now(UTC),
        )  # fmt: skip
    return TripPageParts(
        trip=_details(session, access),
        permissions=_permissions(access),
        cities=_cities(session, access) if "cities" in parts else None,
        days=_days(session, access) if "itinerary" in parts else None,
        places=_places(session, access) if "places" in parts else None,
        removal=removal,
    )


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


def _cities_label(session: Session, trip_ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {}
    rows = session.execute(
        select(TripCity.trip_id, City.name)
        .join(City, City.id == TripCity.city_id)
        .where(TripCity.trip_id.in_(trip_ids))
        .order_by(TripCity.trip_id, TripCity.position)
    ).all()
    for trip_id, name in rows:
        names.setdefault(trip_id, []).append(name)
    return names


def _cards(session: Session, rows: list, viewer_id: int) -> tuple[TripCard, ...]:
    ids = [trip.id for trip, _role in rows]
    names = _cities_label(session, ids)
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
