"""`/trips/companions` (A): the companion finder — Find companions, Discover trips,
Suggested for you and Travellers to a city, each a `?tab=` (§2.2, §4.6.12)."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.components.trip_finder import find_form, finder_tabs, standing_watcher, trip_cards
from citypulse.components.trip_travellers import travellers_panel
from citypulse.pages.registry import page
from citypulse.state.trips.finder import TripFinderState
from citypulse.state.trips.travellers import TravellersState


@page(
    route="/trips/companions",
    title="Find travel companions",
    access="A",
    on_load=(TripFinderState.load, TravellersState.load),
)
def trips_companions_page() -> rx.Component:
    """Trips to join, completed trips to get ideas from, and who travels where."""
    return page_layout(
        page_heading("Find travel companions", "Join a trip, or get ideas from finished ones."),
        standing_watcher(),
        finder_tabs(),
        rx.cond(
            TripFinderState.tab == "travellers",
            travellers_panel(),
            rx.fragment(rx.cond(TripFinderState.tab == "find", find_form()), trip_cards()),
        ),
    )
