""" "Add to trip" on /recommendations/[id] (§2.2, §4.6.8): the viewer's open trips, and
adding the recommendation to one of them as a wishlist Place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import reflex as rx

from citypulse.params import parse_id
from citypulse.services.trips.places import place_add, trips_to_add_to
from citypulse.state.session import SessionState


@dataclass(frozen=True)
class TripChoiceView:
    id: int = 0
    title: str = ""
    added: bool = False


class AddToTripState(SessionState):
    """The menu of trips; the recommendation is always the one in the route."""

    choices: list[TripChoiceView] = []
    loaded: bool = False
    message: str = ""
    error: str = ""

    def _recommendation_id(self) -> int:
        return parse_id(self.router.page.params.get("id", "")) or 0

    @rx.event
    async def load_choices(self, open: bool = True):
        """The dialog opened: the viewer's planning and active trips."""
        if not open:
            return None
        self.message = self.error = ""
        rid = self._recommendation_id()
        outcome = await self._load(
            lambda db, viewer: trips_to_add_to(db, viewer=viewer, recommendation_id=rid)
        )
        if not outcome.ok:
            self.error = outcome.message
            return None
        self.choices = [TripChoiceView(c.id, c.title, c.added) for c in outcome.value]
        self.loaded = True
        return None

    @rx.event
    async def add(self, trip_id: int):
        """Add this recommendation to the trip's wishlist."""
        outcome = await self._call(
            place_add,
            trip_id=trip_id,
            recommendation_id=self._recommendation_id(),
            now=datetime.now(UTC),
        )
        self.error = outcome.message
        if outcome.ok:
            self.message = "Added to the trip's wishlist"
            self.choices = [
                TripChoiceView(c.id, c.title, c.added or c.id == trip_id) for c in self.choices
            ]
        return outcome.redirect
