"""The trip page's loader (PRODUCT.md §2.2 /trips/[id]; §4.6): read models only.

`trip_page` reads the whole page (details, permissions, cities, itinerary by day,
Places) for members, readers and share-link visitors; `trip_page_parts` is the live
re-read of some of its lists (page_lists.py builds them). Everything goes through
`access.trip_for_viewer`. A share-link view names nobody (no owner, no adders) and
lists only public Places (§4.6.10). /trips itself is my_trips.py.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlmodel import Session

from citypulse.models import User
from citypulse.services.accounts.viewer import Viewer
from citypulse.services.moderation.removal_banner import RemovalBanner, removal_banner
from citypulse.services.recommendations.queries import upload_url
from citypulse.services.trips import page_lists
from citypulse.services.trips.access import TripAccess, trip_for_viewer
from citypulse.services.trips.fields import dates_label
from citypulse.services.trips.page_lists import CityStop, Day, Place
from citypulse.services.trips.shared_reads import ITINERARIES
from citypulse.services.trips.trips import TRANSITIONS


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
    generation: Hashable | None = None,
) -> TripPageParts:
    """`trip_page` for a live re-read: only the lists in `parts` ("cities", "itinerary",
    "places"; details and permissions are always read) are queried. With `generation`
    (the trip channel's epochs the tab catches up on), the itinerary rows are read once
    for all the tabs catching up on it (shared_reads.py), after this viewer's access check.

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
    days = None
    if "itinerary" in parts:
        rows = None
        if generation is not None:
            rows = ITINERARIES.get(
                (trip_id, generation), lambda: page_lists.itinerary_rows(session, trip_id)
            )
        days = page_lists.days(session, access, rows)
    return TripPageParts(
        trip=_details(session, access),
        permissions=_permissions(access),
        cities=page_lists.cities(session, access) if "cities" in parts else None,
        days=days,
        places=page_lists.places(session, access) if "places" in parts else None,
        removal=removal,
    )
