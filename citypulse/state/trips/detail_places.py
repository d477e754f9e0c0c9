"""The Places tab of /trips/[id] (§4.6.9): status, the link to an activity, notes and
removal; mixed into `TripState` (state/trips/detail.py), which provides `_act`,
`_version` and the Places shown."""

from __future__ import annotations

import reflex as rx

from citypulse.services.trips import places
from citypulse.state.trips.page_parts import text
from citypulse.state.trips.views import PlaceView


class TripPlaces(rx.State, mixin=True):
    """The Place notes dialog and the Places' handlers."""

    place_dialog: int = 0  # the Place whose notes are being edited (0: none)
    place_form: PlaceView = PlaceView()
    place_errors: dict[str, str] = {}

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
            place, place.status, place.itinerary_item_id, notes=text(form, "notes")
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
