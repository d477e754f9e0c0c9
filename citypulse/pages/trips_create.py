"""`/trips/create` (A): a new trip with its ordered cities and cover (§2.2)."""

import reflex as rx

from citypulse.components.content import page_heading
from citypulse.components.layout import page_layout
from citypulse.components.trip_form import trip_form
from citypulse.pages.registry import page
from citypulse.state.trips.form import TripFormState as F


@page(route="/trips/create", title="Create trip", access="A", on_load=(F.load_create,))
def trip_create_page() -> rx.Component:
    return page_layout(
        page_heading("Create trip", "Dates, cities in order, budget and who may see it."),
        rx.cond(F.loaded, trip_form(), rx.text("Loading…", role="status")),
    )
