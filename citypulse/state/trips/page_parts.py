"""What the trip page state shows of one read of the trip (state/trips/detail.py): the
page's values per part, so a live re-read (§6.3) replaces only what changed.

A change of the itinerary re-reads the days only (the Places keep their rows, their
activity titles follow the new days); of the Places, the Places only; of the cities,
the cities and the days (the activities name their city); of the details, everything
(the activity costs use the trip's currency). Details and permissions come with every
read: the access is checked again each time. Only values that differ from what the tab
shows are assigned, so the delta carries nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import quote

from citypulse.services.sharing.page_meta import page_title
from citypulse.services.trips.events import CITIES, DETAILS, ITINERARY, PLACES
from citypulse.services.trips.pages import PAGE_PARTS, TripPageParts
from citypulse.state.moderation.removal_appeal import removal_banner_view
from citypulse.state.trips.views import (
    DayView,
    PlaceView,
    activity_choices,
    city_views,
    day_views,
    permissions_view,
    place_views,
    status_choices,
    trip_view,
)

TABS = ("overview", "itinerary", "places", "companions", "comments")
TAB_LABELS = {
    "overview": "Overview",
    "itinerary": "Itinerary",
    "places": "Places",
    "companions": "Companions",
    "comments": "Comments",
}
MY_PARTS = (DETAILS, CITIES, ITINERARY, PLACES)
# The lists a change of each part makes the page re-read (see the module docstring).
READS = {
    DETAILS: PAGE_PARTS,
    CITIES: frozenset({"cities", "itinerary"}),
    ITINERARY: frozenset({"itinerary"}),
    PLACES: frozenset({"places"}),
}
FORM_LIMIT = 3000  # bounds what a crafted form may put in the state


@dataclass(frozen=True)
class TabLink:
    key: str = ""
    label: str = ""
    href: str = ""
    is_current: bool = False


def text(form: Any, key: str) -> str:
    """One submitted string field, bounded ("" when missing or not a string)."""
    value = form.get(key, "") if isinstance(form, dict) else ""
    return value[:FORM_LIMIT] if isinstance(value, str) else ""


def service_form(cls: type, form: Any):
    """A service form dataclass from a submitted dict (strings only, bounded)."""
    return cls(**{f.name: text(form, f.name) for f in fields(cls) if f.type == "str"})


def lists_to_read(changed: list[str] | tuple[str, ...]) -> frozenset[str]:
    """The lists to re-read for these changed parts (empty: nothing on this page)."""
    out: frozenset[str] = frozenset()
    for part in changed:
        out |= READS.get(part, frozenset())
    return out


def tab_links(trip_id: int, tab: str, share_token: str, via_share: bool) -> list[TabLink]:
    share = f"&share={quote(share_token)}" if share_token else ""
    shown = TABS[:3] if via_share else TABS
    return [
        TabLink(key, TAB_LABELS[key], f"/trips/{trip_id}?tab={key}{share}", key == tab)
        for key in shown
    ]


def _titles(days: list[DayView]) -> dict[int, str]:
    return {a.id: a.title for d in days for a in d.activities}


def page_values(
    read: TripPageParts, *, tab: str, share_token: str, held_days: list[DayView],
    held_places: list[PlaceView],
) -> dict[str, Any]:  # fmt: skip
    """The page vars this read determines (the lists it did not read are left out)."""
    via_share = read.permissions.via_share
    if tab not in (TABS[:3] if via_share else TABS):
        tab = "overview"
    query = f"?share={quote(share_token)}" if share_token else ""
    values: dict[str, Any] = {
        "trip": trip_view(read),
        "perms": permissions_view(read),
        "removal": removal_banner_view(read.removal),
        "statuses": status_choices(read),
        "page_title": page_title(read.trip.title),
        "tab": tab,
        "tabs": tab_links(read.trip.id, tab, share_token, via_share),
        "calendar_href": f"/api/trips/{read.trip.id}/calendar.ics{query}",
        "found": True,
        "loaded": True,
    }
    if read.cities is not None:
        values["cities"] = city_views(read)
    days = held_days
    if read.days is not None:
        days = values["days"] = day_views(read)
        values["activity_options"] = activity_choices(read.days)
    if read.places is not None:
        values["places"] = place_views(read, _titles(days))
    elif read.days is not None:
        titles = _titles(days)
        values["places"] = [
            replace(pl, activity_title=titles.get(int(pl.itinerary_item_id or 0), ""))
            for pl in held_places
        ]
    return values


def merged_versions(held: dict[str, Any], read: TripPageParts) -> dict[str, Any]:
    """The server-side versions after this read: those of the lists it read replaced."""
    fresh: dict[str, dict[str, Any]] = {}
    if read.cities is not None:
        fresh["city-"] = {f"city-{c.id}": c.version for c in read.cities}
    if read.days is not None:
        fresh["item-"] = {f"item-{a.id}": a.version for d in read.days for a in d.activities}
    if read.places is not None:
        fresh["place-"] = {f"place-{pl.id}": pl.version for pl in read.places}
    prefixes = tuple(fresh)
    out = {k: v for k, v in held.items() if not (prefixes and k.startswith(prefixes))}
    out["trip"] = read.trip.version
    for versions in fresh.values():
        out.update(versions)
    return out
