"""The ordered cities of /trips/[id] (Overview, §4.6.6): add, edit dates and notes,
remove, and reorder by keyboard or drag; mixed into `TripState` (state/trips/detail.py),
which provides `_act`, `_version` and the cities shown."""

from __future__ import annotations

import reflex as rx

from citypulse.services.trips import cities
from citypulse.state.trips.page_parts import service_form
from citypulse.state.trips.views import CityView


class TripCities(rx.State, mixin=True):
    """The city dialog and the cities' handlers."""

    city_errors: dict[str, str] = {}
    city_dialog: int = 0  # the stop whose dates and notes are being edited (0: none)
    city_form: CityView = CityView()

    @rx.event
    async def add_city(self, form: dict):
        """Append a city ("City, Country") with optional dates and notes (editors)."""
        outcome = await self._act(
            cities.trip_city_add,
            "City added",
            trip_id=self._trip_id,
            form=service_form(cities.CityStopForm, form),
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
            form=service_form(cities.CityStopForm, form),
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
