"""Trips read models (services/trips/pages.py, page_lists.py) → the typed view models pages render.

Frozen dataclasses with display text; the mappers here are the only place that turns
the trips services' rows into labels. Versions (`updated_at`) never travel: the state
keeps them server-side for the conflict checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from citypulse.services.recommendations.queries import coordinate_display
from citypulse.services.trips import pages as p
from citypulse.services.trips.page_lists import Activity, Day

STATUS_LABELS = {"planning": "Planning", "active": "Active", "completed": "Completed",
                 "cancelled": "Cancelled"}  # fmt: skip
STATUS_ACTIONS = {"planning": "Back to planning", "active": "Start trip",
                  "completed": "Mark completed", "cancelled": "Cancel trip"}  # fmt: skip
VISIBILITY_LABELS = {"public": "Public", "friends_only": "Buddies only", "private": "Private"}
TYPE_LABELS = {"sightseeing": "Sightseeing", "food": "Food", "transport": "Transport",
               "accommodation": "Accommodation", "activity": "Activity", "shopping": "Shopping",
               "nightlife": "Nightlife", "relaxation": "Relaxation", "other": "Other"}  # fmt: skip
ITEM_STATUS_LABELS = {"planned": "Planned", "confirmed": "Confirmed", "completed": "Completed",
                      "cancelled": "Cancelled"}  # fmt: skip
PLACE_STATUS_LABELS = {"wishlist": "Wishlist", "confirmed": "Confirmed", "visited": "Visited"}
ROLE_LABELS = {"owner": "Owner", "organizer": "Organizer", "participant": "Participant"}


def money(amount: Decimal | None, currency: str) -> str:
    if amount is None:
        return ""
    return f"{amount:,.2f}".removesuffix(".00") + f" {currency}"


@dataclass(frozen=True)
class TripView:
    id: int = 0
    title: str = ""
    description: str = ""
    dates_label: str = ""
    start_date: str = ""  # "2026-06-10" for the forms' date inputs
    end_date: str = ""
    status: str = ""
    status_label: str = ""
    visibility: str = ""
    visibility_label: str = ""
    is_collaborative: bool = False
    budget_label: str = ""
    total_budget: str = ""
    currency: str = "USD"
    cover_url: str = ""
    owner_name: str = ""
    owner_href: str = ""
    is_removed: bool = False
    has_share_link: bool = False
    has_dates: bool = False


@dataclass(frozen=True)
class PermissionsView:
    is_owner: bool = False
    is_member: bool = False
    role_label: str = ""
    via_share: bool = False
    can_edit_details: bool = False
    can_edit_plan: bool = False
    can_add_place: bool = False
    can_share: bool = False


@dataclass(frozen=True)
class StatusChoice:
    status: str = ""
    label: str = ""


@dataclass(frozen=True)
class CityView:
    id: int = 0
    position: int = 0
    name: str = ""
    label: str = ""
    dates_label: str = ""
    arrival_date: str = ""
    departure_date: str = ""
    notes: str = ""
    can_remove: bool = False
    is_first: bool = False
    is_last: bool = False


@dataclass(frozen=True)
class ActivityView:
    id: int = 0
    title: str = ""
    time_label: str = ""
    type_label: str = ""
    status_label: str = ""
    city_name: str = ""
    location_name: str = ""
    coordinates_label: str = ""  # "43.642600, -79.387100" ("" when unset)
    map_href: str = ""
    cost_label: str = ""
    description: str = ""
    notes: str = ""
    can_delete: bool = False  # decided for this viewer (a re-read of the page)
    added_by_id: int = 0  # in pushed rows instead, for the page to decide (plan_live.py)
    # The edit form's values.
    activity_date: str = ""
    day_number: str = ""
    start_time: str = ""
    duration_minutes: str = ""
    activity_type: str = ""
    status: str = ""
    trip_city_id: str = ""
    estimated_cost: str = ""
    latitude: str = ""
    longitude: str = ""


@dataclass(frozen=True)
class DayView:
    number: int = 0
    label: str = ""
    activities: tuple[ActivityView, ...] = ()


@dataclass(frozen=True)
class PlaceView:
    id: int = 0
    title: str = ""
    href: str = ""  # "" when unavailable
    available: bool = False
    status: str = ""
    status_label: str = ""
    notes: str = ""
    activity_title: str = ""
    itinerary_item_id: str = ""
    can_remove: bool = False


@dataclass(frozen=True)
class ChoiceView:
    value: str = ""
    label: str = ""


def trip_view(page: p.TripPage) -> TripView:
    t = page.trip
    return TripView(
        id=t.id, title=t.title, description=t.description, dates_label=t.dates_label,
        start_date=t.start_date.isoformat() if t.start_date else "",
        end_date=t.end_date.isoformat() if t.end_date else "",
        status=t.status, status_label=STATUS_LABELS.get(t.status, t.status),
        visibility=t.visibility, visibility_label=VISIBILITY_LABELS.get(t.visibility, ""),
        is_collaborative=t.is_collaborative, budget_label=money(t.total_budget, t.currency),
        total_budget="" if t.total_budget is None else f"{t.total_budget:.2f}".removesuffix(".00"),
        currency=t.currency, cover_url=t.cover_url, owner_name=t.owner_name,
        owner_href=f"/profile/{t.owner_username}" if t.owner_username else "",
        is_removed=t.is_removed, has_share_link=t.has_share_link,
        has_dates=t.start_date is not None,
    )  # fmt: skip


def permissions_view(page: p.TripPage) -> PermissionsView:
    m = page.permissions
    return PermissionsView(
        is_owner=m.is_owner, is_member=bool(m.role), role_label=ROLE_LABELS.get(m.role, ""),
        via_share=m.via_share, can_edit_details=m.can_edit_details,
        can_edit_plan=m.can_edit_plan, can_add_place=m.can_add_place,
        can_share=m.is_owner and page.trip.visibility != "private" and not page.trip.is_removed,
    )  # fmt: skip


def status_choices(page: p.TripPage) -> list[StatusChoice]:
    return [StatusChoice(s, STATUS_ACTIONS[s]) for s in page.permissions.next_statuses]


def city_views(page: p.TripPage) -> list[CityView]:
    last = len(page.cities)
    return [
        CityView(
            id=c.id,
            position=c.position,
            name=c.name,
            label=c.label,
            dates_label=c.dates_label,
            arrival_date=c.arrival_date.isoformat() if c.arrival_date else "",
            departure_date=c.departure_date.isoformat() if c.departure_date else "",
            notes=c.notes,
            can_remove=c.can_remove,
            is_first=index == 1,
            is_last=index == last,
        )
        for index, c in enumerate(page.cities, start=1)
    ]


def _activity(a: Activity, currency: str, added_by_id: int = 0) -> ActivityView:
    time_label = a.start_time
    if a.start_time and a.duration_minutes:
        time_label += f" · {a.duration_minutes} min"
    return ActivityView(
        id=a.id, title=a.title, time_label=time_label,
        type_label=TYPE_LABELS.get(a.activity_type, ""),
        status_label=ITEM_STATUS_LABELS.get(a.status, ""), city_name=a.city_name,
        location_name=a.location_name, cost_label=money(a.estimated_cost, currency),
        description=a.description, notes=a.notes, can_delete=a.can_delete,
        added_by_id=added_by_id,
        activity_date=a.activity_date.isoformat() if a.activity_date else "",
        day_number=str(a.day_number), start_time=a.start_time,
        duration_minutes=str(a.duration_minutes or ""), activity_type=a.activity_type,
        status=a.status, trip_city_id=str(a.trip_city_id or ""),
        estimated_cost="" if a.estimated_cost is None else f"{a.estimated_cost}",
        latitude=coordinate_display(a.latitude), longitude=coordinate_display(a.longitude),
        **_place_on_map(a.latitude, a.longitude),
    )  # fmt: skip


def _place_on_map(latitude: float | None, longitude: float | None) -> dict[str, str]:
    """The activity's coordinates as shown (6 dp) and an OpenStreetMap link to them."""
    if latitude is None or longitude is None:
        return {}
    lat, lng = coordinate_display(latitude), coordinate_display(longitude)
    return {
        "coordinates_label": f"{lat}, {lng}",
        "map_href": f"https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=16/{lat}/{lng}",
    }


def day_views(page: p.TripPage) -> list[DayView]:
    return days_as_views(page.days, page.trip.currency)


def days_as_views(
    days: tuple[Day, ...], currency: str, added_by: dict[int, int] | None = None
) -> list[DayView]:
    """The days as shown; `added_by` (activity id -> adder id) for pushed rows."""
    added_by = added_by or {}
    return [
        DayView(
            d.number,
            d.label,
            tuple(_activity(a, currency, added_by.get(a.id, 0)) for a in d.activities),
        )
        for d in days
    ]


def place_views(
    page: p.TripPage | p.TripPageParts, titles: dict[int, str] | None = None
) -> list[PlaceView]:
    """The Places as shown; `titles` (activity id -> title) defaults to the page's days."""
    if titles is None:
        titles = {a.id: a.title for d in page.days or () for a in d.activities}
    return [
        PlaceView(
            id=pl.id,
            title=pl.title,
            href=f"/recommendations/{pl.recommendation_id}" if pl.available else "",
            available=pl.available,
            status=pl.status,
            status_label=PLACE_STATUS_LABELS.get(pl.status, ""),
            notes=pl.notes,
            activity_title=titles.get(pl.itinerary_item_id or 0, ""),
            itinerary_item_id=str(pl.itinerary_item_id or ""),
            can_remove=pl.can_remove,
        )
        for pl in page.places or ()
    ]


def activity_choices(days: tuple[Day, ...]) -> list[ChoiceView]:
    return [ChoiceView(str(a.id), f"{d.label}: {a.title}") for d in days for a in d.activities]


def versions(page: p.TripPage) -> dict[str, object]:
    """Server-side versions by key ("trip", "city-<id>", "item-<id>", "place-<id>")."""
    out: dict[str, object] = {"trip": page.trip.version}
    out.update({f"city-{c.id}": c.version for c in page.cities})
    out.update({f"item-{a.id}": a.version for d in page.days for a in d.activities})
    out.update({f"place-{pl.id}": pl.version for pl in page.places})
    return out
