"""/trips/[id] (P if visible, or with a valid `?share=`): overview, cities, itinerary
and Places, and every change to them (§2.2, §4.6). Companions and Comments are their
own tab states (state/trips/companions.py, comments.py).

The page opens with one loader transaction (`trip_page`); every action runs through
`_call` and the services check access again. After a change committed anywhere, the
trip's live channel (`TripLive`, key `trip-<id>`) moves and `catch_up` re-reads only
the changed parts for this viewer (state/trips/page_parts.py); a viewer who lost access
is told so and sent to /trips. The itinerary, cities and Places handlers are mixins of
their own (detail_itinerary.py, detail_cities.py, detail_places.py).
Versions (`updated_at`) stay server-side: an edit of something changed meanwhile is
refused with a clear conflict message instead of overwriting it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import reflex as rx

from citypulse.params import parse_id, parse_text
from citypulse.services.errors import NotFound
from citypulse.services.sharing.page_meta import page_title
from citypulse.services.trips import sharing, trips
from citypulse.services.trips.calendar import calendar_feed_create, calendar_feed_revoke
from citypulse.services.trips.events import CITIES, ITINERARY
from citypulse.services.trips.pages import PAGE_PARTS, trip_page_parts
from citypulse.settings import get_settings
from citypulse.state.moderation.removal_appeal import RemovalBannerView, send_removal_appeal
from citypulse.state.outcome import Outcome
from citypulse.state.session import SessionState
from citypulse.state.trips.detail_cities import TripCities
from citypulse.state.trips.detail_itinerary import NEW_ITEM, TripItinerary
from citypulse.state.trips.detail_places import TripPlaces
from citypulse.state.trips.live import TripLive, changed_parts, join_trip, leave_trip
from citypulse.state.trips.page_parts import (
    MY_PARTS,
    TABS,
    TabLink,
    lists_to_read,
    merged_versions,
    page_values,
)
from citypulse.state.trips.plan_live import (
    TripPlanLive,
    follow_plan,
    leave_plan,
    pushed_version,
)
from citypulse.state.trips.views import (
    ChoiceView,
    CityView,
    DayView,
    PermissionsView,
    PlaceView,
    StatusChoice,
    TripView,
)

__all__ = ["NEW_ITEM", "NO_ACCESS", "TripState"]

NO_ACCESS = "You no longer have access to this trip"


class TripState(TripItinerary, TripCities, TripPlaces, SessionState):
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
    follows_plan: bool = False  # shows the pushed itinerary once there is one (plan_live.py)
    viewer_id: int = 0  # the signed-in viewer: pushed rows' delete buttons compare adders
    _trip_id: int = 0
    _versions: dict[str, Any] = {}
    _seen: dict[str, int] = {}
    removal: RemovalBannerView = RemovalBannerView()  # removed by a moderator: the banner
    appeal_error: str = ""
    _removal_id: int = 0  # the removal's audit entry the owner may appeal (server-side)

    # --- loading --------------------------------------------------------------------

    def _apply(self, read) -> None:
        """Show a (partial) read: assign only the vars whose value changed."""
        values = page_values(
            read, tab=self.tab, share_token=self.share_token,
            held_days=self.get_value("days"), held_places=self.get_value("places"),
        )  # fmt: skip
        for name, value in values.items():
            if self.get_value(name) != value:
                setattr(self, name, value)
        self._removal_id = read.removal.removal_id if read.removal else 0
        if not self.removal.can_appeal and self.appeal_error:
            self.appeal_error = ""
        self._versions = merged_versions(self._versions, read)

    async def _read(self, lists: frozenset[str] = PAGE_PARTS, generation=None) -> Outcome:
        return await self._load(
            trip_page_parts, trip_id=self._trip_id, share_token=self.share_token or None,
            parts=lists, now=datetime.now(UTC), generation=generation,
        )  # fmt: skip

    async def _missing(self) -> None:
        self.found, self.loaded, self._trip_id = False, True, 0
        self.page_title = page_title("Trip not found")
        await self._stop_following()

    async def _stop_following(self) -> None:
        """This page no longer shows the trip: it leaves the trip's channel and plan."""
        await leave_trip(self)
        await leave_plan(self)
        self.follows_plan = False

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
        # Signed-in viewers who see the trip as such get the itinerary pushed; share-link
        # pages re-read it (their access is a token, not a viewer the push can check).
        self.follows_plan = bool(self._user_id) and not self.perms.via_share
        self.viewer_id = self._user_id if self.follows_plan else 0
        if self.follows_plan:
            await follow_plan(self, trip_id, self._user_id)
        return None

    @rx.event
    async def appeal_removal(self, form: dict):
        """The owner appeals the trip's removal from its banner (§4.13.9)."""
        return await send_removal_appeal(self, form)

    @rx.event
    async def catch_up(self):
        """The trip's channel moved: re-read only the changed parts this page shows.

        Coalesced: the epochs are those of the channel now, so one re-read covers every
        change before it, and the watcher's later `catch_up`s for those changes (queued
        meanwhile) find nothing new and return without reading. The channel is read on
        the server; a crafted call can at most re-read this viewer's own view.
        """
        if not self._trip_id:
            return None
        lists = lists_to_read(changed_parts(await self.get_state(TripLive), self._seen))
        if self.follows_plan:
            lists -= {"itinerary"}  # pushed to this page (plan_live.py)
        if not lists:
            return None
        # The other tabs catching up on these epochs share one itinerary read.
        return await self._refresh(lists, (self._seen[ITINERARY], self._seen[CITIES]))

    async def _refresh(self, lists: frozenset[str] = PAGE_PARTS, generation=None):
        outcome = await self._read(lists, generation)
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
        await self._stop_following()

    # --- one action -----------------------------------------------------------------

    async def _act(
        self, service, done: str = "", *, changes: tuple[str, ...] = MY_PARTS, **kwargs: Any
    ) -> Outcome:
        """Run one change for the verified viewer; when it worked, re-read what it
        `changes` (the parts its service reports; the live channel brings the rest)."""
        outcome = await self._call(service, now=datetime.now(UTC), **kwargs)
        self.error = "" if outcome.field_errors else outcome.message
        self.notice = done if outcome.ok else ""
        if outcome.ok:
            await self._refresh(lists_to_read(changes))
        return outcome

    def _version(self, key: str) -> Any:
        return self._versions.get(key)

    async def _item_version(self, item_id: int) -> Any:
        """The newest version of an activity this page knows: its own read's, or the
        pushed rows' (the page shows those once there are some)."""
        key = f"item-{item_id}"
        known = [v for v in (self._version(key), await pushed_version(self, key)) if v]
        return max(known, default=None)

    async def _shown_days(self) -> list[DayView]:
        """The days the page shows: the pushed ones once the trip's key holds a read."""
        if self.follows_plan:
            plan = await self.get_state(TripPlanLive)
            if plan.ready:
                return plan.days
        return self.days

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
            await self._stop_following()
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
