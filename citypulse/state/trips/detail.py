"""/trips/[id] (P if visible, or with a valid `?share=`): overview, cities, itinerary
and Places, and every change to them (§2.2, §4.6). Companions and Comments are their
own tab states (state/trips/companions.py, comments.py).

The page opens with one loader transaction (`trip_page`); every action runs through
`_call` and the services check access again. After a change committed anywhere, the
trip's live channel (`TripLive`, key `trip-<id>`) moves and `catch_up` re-reads the
page for this viewer; a viewer who lost access is told so and sent to /trips.
Versions (`updated_at`) stay server-side: an edit of something changed meanwhile is
refused with a clear conflict message instead of overwriting it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import reflex as rx

from citypulse.params import parse_id, parse_text
from citypulse.services.errors import NotFound
from citypulse.services.sharing.page_meta import page_title
from citypulse.services.trips import cities, itinerary, places, sharing, trips
from citypulse.services.trips.calendar import calendar_feed_create, calendar_feed_revoke
from citypulse.services.trips.events import CITIES, DETAILS, ITINERARY, PLACES
from citypulse.services.trips.pages import trip_page
from citypulse.settings import get_settings
from citypulse.state.moderation.removal_appeal import (
    RemovalBannerView,
    removal_banner_view,
    send_removal_appeal,
)
from citypulse.state.outcome import Outcome
from citypulse.state.session import SessionState
from citypulse.state.trips.live import TripLive, changed_parts, join_trip, leave_trip
from citypulse.state.trips.views import (
    ActivityView,
    ChoiceView,
    CityView,
    DayView,
    PermissionsView,
    PlaceView,
    StatusChoice,
    TripView,
    activity_choices,
    city_views,
    day_views,
    permissions_view,
    place_views,
    status_choices,
    trip_view,
    versions,
)

NO_ACCESS = "You no longer have access to this trip"
TABS = ("overview", "itinerary", "places", "companions", "comments")
MY_PARTS = (DETAILS, CITIES, ITINERARY, PLACES)
NEW_ITEM = -1
FORM_LIMIT = 3000  # bounds what a crafted form may put in the state


def _text(form: Any, key: str) -> str:
    value = form.get(key, "") if isinstance(form, dict) else ""
    return value[:FORM_LIMIT] if isinstance(value, str) else ""


def _form(cls: type, form: Any):
    """A service form dataclass from a submitted dict (strings only, bounded)."""
    return cls(**{f.name: _text(form, f.name) for f in fields(cls) if f.type == "str"})


@dataclass(frozen=True)
class TabLink:
    key: str = ""
    label: str = ""
    href: str = ""
    is_current: bool = False


TAB_LABELS = {
    "overview": "Overview",
    "itinerary": "Itinerary",
    "places": "Places",
    "companions": "Companions",
    "comments": "Comments",
}


class TripState(SessionState):
    """One trip as this viewer (or share link) may see it."""

    found: bool = True
    loaded: bool = False
    tab: str = "overview"
    tabs: list[TabLink] = []
    calendar_href: str = ""
    page_title: str = page_title("Trip")  # the tab's title names the trip once loaded
    trip: TripView = TripView()
    perms: PermissionsView = PermissionsView()
    statuses: list[StatusChoice] = []
    cities: list[CityView] = []
    days: list[DayView] = []
    places: list[PlaceView] = []
    activity_options: list[ChoiceView] = []
    share_token: str = ""  # the `?share=` this tab opened the trip with
    share_link: str = ""  # the new link, shown once to the owner right after creating it
    feed_link: str = ""  # the viewer's new private calendar feed URL, shown once
    error: str = ""
    notice: str = ""
    # The activity dialog: 0 closed, -1 a new activity, else the id being edited.
    item_dialog: int = 0
    item_form: ActivityView = ActivityView()
    item_errors: dict[str, str] = {}
    city_errors: dict[str, str] = {}
    city_dialog: int = 0  # the stop whose dates and notes are being edited (0: none)
    city_form: CityView = CityView()
    place_dialog: int = 0  # the Place whose notes are being edited (0: none)
    place_form: PlaceView = PlaceView()
    place_errors: dict[str, str] = {}
    _trip_id: int = 0
    _versions: dict[str, Any] = {}
    _seen: dict[str, int] = {}
    removal: RemovalBannerView = RemovalBannerView()  # removed by a moderator: the banner
    appeal_error: str = ""
    _removal_id: int = 0  # the removal's audit entry the owner may appeal (server-side)

    # --- loading --------------------------------------------------------------------

    def _apply(self, page) -> None:
        self.trip, self.perms = trip_view(page), permissions_view(page)
        self.removal = removal_banner_view(page.removal)
        self._removal_id = page.removal.removal_id if page.removal else 0
        if not self.removal.can_appeal:
            self.appeal_error = ""
        self.statuses, self.cities = status_choices(page), city_views(page)
        self.days, self.places = day_views(page), place_views(page)
        self.activity_options = activity_choices(page)
        self._versions = versions(page)
        self.found, self.loaded = True, True
        self.page_title = page_title(page.trip.title)
        share = f"&share={quote(self.share_token)}" if self.share_token else ""
        shown = TABS[:3] if page.permissions.via_share else TABS
        if self.tab not in shown:
            self.tab = "overview"
        self.tabs = [
            TabLink(
                key, TAB_LABELS[key], f"/trips/{page.trip.id}?tab={key}{share}", key == self.tab
            )
            for key in shown
        ]
        query = f"?share={quote(self.share_token)}" if self.share_token else ""
        self.calendar_href = f"/api/trips/{page.trip.id}/calendar.ics{query}"

    async def _read(self) -> Outcome:
        return await self._load(
            trip_page, trip_id=self._trip_id, share_token=self.share_token or None,
            now=datetime.now(UTC),
        )  # fmt: skip

    async def _missing(self) -> None:
        self.found, self.loaded, self._trip_id = False, True, 0
        self.page_title = page_title("Trip not found")
        await leave_trip(self)

    @rx.event
    async def load(self):
        """on_load: the trip for this viewer (or share link), then follow its channel."""
        self.error = self.notice = self.share_link = self.feed_link = ""
        self.item_dialog, self.city_dialog, self.place_dialog = 0, 0, 0
        self.item_errors, self.city_errors, self.place_errors = {}, {}, {}
        params = self.router.page.params
        self.tab = params.get("tab", "") if params.get("tab", "") in TABS else "overview"
        self.share_token = parse_text(params.get("share", ""), max_length=100) or ""
        trip_id = parse_id(params.get("id", ""))
        if trip_id is None:
            return await self._missing()
        self._trip_id = trip_id
        outcome = await self._read()
        if isinstance(outcome.error, NotFound):
            return await self._missing()
        if not outcome.ok:
            self.error, self.loaded = outcome.message, True
            return None
        self._apply(outcome.value)
        self._seen = await join_trip(self, trip_id)
        return None

    @rx.event
    async def appeal_removal(self, form: dict):
        """The owner appeals the trip's removal from its banner (§4.13.9)."""
        return await send_removal_appeal(self, form)

    @rx.event
    async def catch_up(self):
        """The trip's channel moved: re-read the page when one of its parts changed.

        The channel is read on the server; a crafted call can at most re-read this
        viewer's own view.
        """
        if not self._trip_id:
            return None
        changed = changed_parts(await self.get_state(TripLive), self._seen)
        if not set(changed) & set(MY_PARTS):
            return None
        return await self._refresh()

    async def _refresh(self):
        outcome = await self._read()
        if isinstance(outcome.error, NotFound):
            via_share = self.perms.via_share
            await self._missing()
            if via_share:
                return None
            return [rx.toast.error(NO_ACCESS, id="trip-access-lost"), rx.redirect("/trips")]
        if outcome.ok:
            self._apply(outcome.value)
        return None

    @rx.event
    async def leave(self):
        """on_unmount: this tab no longer shows the trip, so it stops following it."""
        await leave_trip(self)

    # --- one action -----------------------------------------------------------------

    async def _act(self, service, done: str = "", **kwargs: Any) -> Outcome:
        """Run one change for the verified viewer; re-read the page when it worked."""
        outcome = await self._call(service, now=datetime.now(UTC), **kwargs)
        self.error = "" if outcome.field_errors else outcome.message
        self.notice = done if outcome.ok else ""
        if outcome.ok:
            await self._refresh()
        return outcome

    def _version(self, key: str) -> Any:
        return self._versions.get(key)

    # --- details ----------------------------------------------------------------------

    @rx.event
    async def set_status(self, status: str):
        """Move the trip to another status (owner and organizers)."""
        outcome = await self._act(
            trips.trip_set_status, "Status updated", trip_id=self._trip_id, status=str(status)
        )
        return outcome.redirect

    @rx.event
    async def delete_trip(self):
        """The owner deletes the trip (after confirming) and everything in it."""
        outcome = await self._call(trips.trip_delete, trip_id=self._trip_id, now=datetime.now(UTC))
        if outcome.ok:
            await leave_trip(self)
            self._trip_id = 0
            return [rx.toast("Trip deleted"), rx.redirect("/trips")]
        self.error = outcome.message
        return outcome.redirect

    # --- share link and calendar feed -----------------------------------------------------

    @rx.event
    async def create_share_link(self):
        """Create (or regenerate) the share link; the old one stops working."""
        outcome = await self._act(sharing.share_link_create, "", trip_id=self._trip_id)
        if outcome.ok:
            self.share_link = get_settings().public_url + outcome.value
            self.notice = "Share link created. Copy it now: it is shown only once."
        return outcome.redirect

    @rx.event
    async def revoke_share_link(self):
        """Revoke the share link: it then gives 404."""
        outcome = await self._act(
            sharing.share_link_revoke, "Share link revoked", trip_id=self._trip_id
        )
        self.share_link = ""
        return outcome.redirect

    @rx.event
    async def create_feed(self):
        """Create (or regenerate) this member's private calendar feed URL."""
        outcome = await self._act(calendar_feed_create, "", trip_id=self._trip_id)
        if outcome.ok:
            self.feed_link = get_settings().public_url + outcome.value
            self.notice = "Calendar feed created. Subscribe to it in your calendar app."
        return outcome.redirect

    @rx.event
    async def revoke_feed(self):
        """Revoke this member's private calendar feed."""
        outcome = await self._act(
            calendar_feed_revoke, "Calendar feed revoked", trip_id=self._trip_id
        )
        self.feed_link = ""
        return outcome.redirect

    # --- itinerary ------------------------------------------------------------------------

    @rx.event
    def open_item(self, item_id: int):
        """Open the activity dialog: -1 for a new activity, else one shown on the page."""
        if item_id == NEW_ITEM:
            first = self.trip.start_date
            self.item_form, self.item_dialog = ActivityView(activity_date=first), NEW_ITEM
        else:
            shown = [a for day in self.days for a in day.activities if a.id == item_id]
            if not shown:
                return
            self.item_form, self.item_dialog = shown[0], shown[0].id
        self.item_errors = {}

    @rx.event
    def close_item(self, open: bool = False):
        """The activity dialog closed (Cancel, Escape or outside click)."""
        if not open:
            self.item_dialog, self.item_errors = 0, {}

    @rx.event
    async def save_item(self, form: dict):
        """Add the new activity or save the one being edited (editors)."""
        values = _form(itinerary.ItemForm, form)
        if self.item_dialog == NEW_ITEM:
            outcome = await self._act(
                itinerary.item_add, "Activity added", trip_id=self._trip_id, form=values
            )
        elif self.item_dialog > 0:
            outcome = await self._act(
                itinerary.item_update,
                "Activity saved",
                item_id=self.item_dialog,
                form=values,
                version=self._version(f"item-{self.item_dialog}"),
            )
        else:
            return None
        self.item_errors = dict(outcome.field_errors)
        if outcome.ok:
            self.item_dialog = 0
        elif not outcome.field_errors and outcome.message:
            self.item_errors = {"form": outcome.message}
            self.error = ""
        return outcome.redirect

    @rx.event
    async def delete_item(self, item_id: int):
        """Delete an activity (after "Delete this activity?")."""
        outcome = await self._act(itinerary.item_delete, "Activity deleted", item_id=item_id)
        return outcome.redirect

    # --- cities ----------------------------------------------------------------------------

    @rx.event
    async def add_city(self, form: dict):
        """Append a city ("City, Country") with optional dates and notes (editors)."""
        outcome = await self._act(
            cities.trip_city_add,
            "City added",
            trip_id=self._trip_id,
            form=_form(cities.CityStopForm, form),
        )
        self.city_errors = dict(outcome.field_errors) if not self.city_dialog else {}
        return outcome.redirect

    @rx.event
    def open_city(self, trip_city_id: int):
        """Open the dialog editing a stop's dates and notes."""
        shown = [c for c in self.cities if c.id == trip_city_id]
        if shown:
            self.city_form, self.city_dialog, self.city_errors = shown[0], shown[0].id, {}

    @rx.event
    def close_city(self, open: bool = False):
        """The city dialog closed."""
        if not open:
            self.city_dialog, self.city_errors = 0, {}

    @rx.event
    async def save_city(self, form: dict):
        """Save the edited stop's dates and notes (editors)."""
        if not self.city_dialog:
            return None
        outcome = await self._act(
            cities.trip_city_update,
            "City saved",
            trip_city_id=self.city_dialog,
            form=_form(cities.CityStopForm, form),
            version=self._version(f"city-{self.city_dialog}"),
        )
        self.city_errors = dict(outcome.field_errors)
        if outcome.ok:
            self.city_dialog = 0
        elif not outcome.field_errors and outcome.message:
            self.city_errors, self.error = {"form": outcome.message}, ""
        return outcome.redirect

    @rx.event
    async def remove_city(self, trip_city_id: int):
        """Remove a stop; its activities stay, unlinked."""
        outcome = await self._act(
            cities.trip_city_remove, "City removed", trip_city_id=trip_city_id
        )
        return outcome.redirect

    @rx.event
    async def move_city(self, trip_city_id: int, offset: int):
        """Move a stop one place up (-1) or down (+1): the keyboard way to reorder."""
        outcome = await self._act(
            cities.trip_city_move, "City moved", trip_city_id=trip_city_id, offset=offset
        )
        return outcome.redirect

    @rx.event
    async def reorder_cities(self, ordered_ids: list):
        """Drag and drop: the stops in their new order."""
        ids = ordered_ids if isinstance(ordered_ids, list) else []
        outcome = await self._act(
            cities.trip_cities_reorder,
            "Cities reordered",
            trip_id=self._trip_id,
            ordered_ids=ids[:50],
        )
        return outcome.redirect

    # --- places -------------------------------------------------------------------------------

    async def _place_update(self, place: PlaceView, status: str, item_id: str, notes=None):
        outcome = await self._act(
            places.place_update,
            "Place updated",
            place_id=place.id,
            status=status,
            notes=place.notes if notes is None else notes,
            itinerary_item_id=item_id,
            version=self._version(f"place-{place.id}"),
        )
        return outcome

    def _place(self, place_id: int) -> PlaceView | None:
        return next((p for p in self.places if p.id == place_id), None)

    @rx.event
    async def set_place_status(self, place_id: int, status: str):
        """Wishlist / confirmed / visited (editors)."""
        place = self._place(place_id)
        if place is not None:
            outcome = await self._place_update(place, str(status), place.itinerary_item_id)
            return outcome.redirect
        return None

    @rx.event
    async def link_place(self, place_id: int, item_id: str):
        """Tie a Place to one of the trip's activities ("" unlinks it)."""
        place = self._place(place_id)
        if place is not None:
            outcome = await self._place_update(place, place.status, str(item_id)[:12])
            return outcome.redirect
        return None

    @rx.event
    def open_place(self, place_id: int):
        """Open the dialog editing a Place's notes (one shown on the page)."""
        place = self._place(place_id)
        if place is not None:
            self.place_form, self.place_dialog, self.place_errors = place, place.id, {}

    @rx.event
    def close_place(self, open: bool = False):
        """The Place notes dialog closed."""
        if not open:
            self.place_dialog, self.place_errors = 0, {}

    @rx.event
    async def save_place_notes(self, form: dict):
        """Save the open Place's notes (editors); status and activity link stay."""
        place = self._place(self.place_dialog)
        if place is None:
            return None
        outcome = await self._place_update(
            place, place.status, place.itinerary_item_id, notes=_text(form, "notes")
        )
        self.place_errors = dict(outcome.field_errors)
        if outcome.ok:
            self.place_dialog = 0
        elif not outcome.field_errors and outcome.message:
            self.place_errors, self.error = {"form": outcome.message}, ""
        return outcome.redirect

    @rx.event
    async def remove_place(self, place_id: int):
        """Remove a Place (the owner, an organizer or its adder)."""
        outcome = await self._act(places.place_remove, "Place removed", place_id=place_id)
        return outcome.redirect
