"""The Itinerary tab of /trips/[id] (§4.6.7): the activity dialog and its handlers, mixed
into `TripState` (state/trips/detail.py), which provides `_act`, `_version`, the trip and
its days."""

from __future__ import annotations

import reflex as rx

from citypulse.services.trips import itinerary
from citypulse.services.trips.events import ITINERARY, PLACES
from citypulse.state.trips.page_parts import service_form
from citypulse.state.trips.views import ActivityView

NEW_ITEM = -1


class TripItinerary(rx.State, mixin=True):
    """The activity dialog: 0 closed, -1 a new activity, else the id being edited."""

    item_dialog: int = 0
    item_form: ActivityView = ActivityView()
    item_errors: dict[str, str] = {}

    @rx.event
    async def open_item(self, item_id: int):
        """Open the activity dialog: -1 for a new activity, else one shown on the page."""
        if item_id == NEW_ITEM:
            first = self.trip.start_date
            self.item_form, self.item_dialog = ActivityView(activity_date=first), NEW_ITEM
        else:
            days = await self._shown_days()
            shown = [a for day in days for a in day.activities if a.id == item_id]
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
        values = service_form(itinerary.ItemForm, form)
        if self.item_dialog == NEW_ITEM:
            outcome = await self._act(
                itinerary.item_add,
                "Activity added",
                trip_id=self._trip_id,
                form=values,
                changes=(ITINERARY,),
            )
        elif self.item_dialog > 0:
            outcome = await self._act(
                itinerary.item_update,
                "Activity saved",
                item_id=self.item_dialog,
                form=values,
                version=await self._item_version(self.item_dialog),
                changes=(ITINERARY,),
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
        outcome = await self._act(
            itinerary.item_delete,
            "Activity deleted",
            item_id=item_id,
            changes=(ITINERARY, PLACES),
        )
        return outcome.redirect
